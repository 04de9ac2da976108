/**
 * Near-linear clone clustering over body shapes (`BodyShape.minhash`): MinHash signatures are cut
 * into bands (locality-sensitive hashing); bodies that agree on a whole band land in one bucket
 * and become candidate pairs, which are then verified by estimated similarity and size ratio and
 * joined with union-find. All pairs are never compared.
 */
import type { BodyShape } from "../facts/types.js";
import { CLONE_MIN_SIZE, CLONE_SIMILARITY, shapeSimilarity } from "../util/shape.js";
import { UnionFind } from "./union-find.js";

export { CLONE_MIN_SIZE, CLONE_SIMILARITY };

/** The smaller body must have at least this share of the larger one's tokens. */
export const CLONE_MIN_SIZE_RATIO = 0.75;

/**
 * 8 bands of 4 rows over the 32 MinHash slots: two bodies with similarity s share at least one
 * band with probability 1 − (1 − s⁴)⁸ — 98.5 % at s = 0.8, 40 % at 0.5, 5 % at 0.3.
 */
const BANDS = 8;
const ROWS = 4;

export interface CloneClustering {
  /** Indices into the input, per cluster of two or more verified near-clones. */
  groups: number[][];
  /** Similarity checks performed (for measurements: stays proportional to the input). */
  comparisons: number;
}

/** Whether two shapes are near-clones: similar enough and of comparable size. */
export function areClones(a: BodyShape, b: BodyShape): boolean {
  const ratio = Math.min(a.size, b.size) / Math.max(a.size, b.size);
  return ratio >= CLONE_MIN_SIZE_RATIO && shapeSimilarity(a, b) >= CLONE_SIMILARITY;
}

/** Whether a shape is big enough (and has a signature) to take part in clone detection. */
export function isClonable(shape: BodyShape | undefined): shape is BodyShape {
  return shape !== undefined && shape.size >= CLONE_MIN_SIZE && shape.minhash.length === BANDS * ROWS;
}

function bandKey(minhash: readonly number[], band: number): number {
  let h = (0x811c9dc5 ^ band) >>> 0;
  for (let r = 0; r < ROWS; r++) {
    h ^= minhash[band * ROWS + r] ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/**
 * Clusters shapes into near-clone groups. Within a bucket every member is checked against the
 * bucket's first member and against its predecessor, so a bucket of n bodies costs at most 2n
 * checks, whatever n is; identical shapes (equal hash) are joined without a check.
 */
export function cloneGroups(shapes: readonly (BodyShape | undefined)[]): CloneClustering {
  const uf = new UnionFind(shapes.length);
  let comparisons = 0;
  const eligible: number[] = [];
  const byHash = new Map<string, number>();
  for (let i = 0; i < shapes.length; i++) {
    const s = shapes[i];
    if (!isClonable(s)) continue;
    eligible.push(i);
    const first = byHash.get(s.hash);
    if (first === undefined) byHash.set(s.hash, i);
    else uf.union(first, i);
  }
  const check = (a: number, b: number): void => {
    if (uf.find(a) === uf.find(b)) return;
    const sa = shapes[a];
    const sb = shapes[b];
    if (!sa || !sb) return;
    comparisons++;
    if (areClones(sa, sb)) uf.union(a, b);
  };
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<number, number[]>();
    for (const i of eligible) {
      const s = shapes[i];
      if (!s) continue;
      const key = bandKey(s.minhash, band);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
    for (const bucket of buckets.values()) {
      const leader = bucket[0];
      if (leader === undefined) continue;
      for (let k = 1; k < bucket.length; k++) {
        const i = bucket[k] ?? leader;
        check(leader, i);
        if (k > 1) check(bucket[k - 1] ?? leader, i);
      }
    }
  }
  const groups = uf.groups(2).filter((g) => g.every((i) => isClonable(shapes[i])));
  return { groups, comparisons };
}
