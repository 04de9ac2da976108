import type { BodyShape } from "../facts/types.js";

const MINHASH_SLOTS = 32;
const SHINGLE = 4;

/** Bodies with fewer shape tokens are too small to call clones (`check` and `discover` alike). */
export const CLONE_MIN_SIZE = 25;
/** Minimum estimated Jaccard similarity of two bodies' shapes to call them clones (`check` and `discover` alike). */
export const CLONE_SIMILARITY = 0.8;

/** 32-bit FNV-1a of a string. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** murmur3's 32-bit finalizer: a good avalanche for one integer. */
function fmix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Per-slot seeds: slot i hashes a shingle hash `h` as `fmix(h ^ SEEDS[i])`. */
const SEEDS = Uint32Array.from({ length: MINHASH_SLOTS }, (_, i) => fmix(0x9e3779b1 * (i + 1)));

const tokenIds = new Map<string, number>();

/**
 * The integer id of a shape token: a 32-bit hash of its text, so ids agree across threads,
 * processes and cached facts without a shared table.
 */
export function shapeTokenId(token: string): number {
  let id = tokenIds.get(token);
  if (id === undefined) {
    id = fnv1a(token) || 1;
    tokenIds.set(token, id);
  }
  return id;
}

/** The body shape of a normalized token sequence (see `bodyShapeOfIds`). */
export function bodyShape(tokens: readonly string[]): BodyShape {
  return bodyShapeOfIds(tokens.map(shapeTokenId));
}

/** Scratch space for one body's shingle hashes (grown as needed; bodies are shaped one at a time per thread). */
let shingleBuffer = new Uint32Array(4096);

/**
 * Builds the body shape from a normalized token sequence given as token ids (`shapeTokenId`): AST
 * node kinds (and operators / keywords) in pre-order, with identifiers and literals replaced by
 * placeholder tokens such as `ID` and `LIT`, so that renamed copies have equal shapes.
 *
 * `hash` is a 64-bit hash of the whole sequence (two independent 32-bit chains). `minhash` is a
 * MinHash signature over the set of 4-shingles: each shingle is hashed once (from the
 * integer ids, no text), and the 32 slot hashes are derived from that hash with one integer mix
 * each, which keeps the signature's meaning
 * (the share of equal slots estimates the Jaccard similarity of the shingle sets) at a fraction
 * of the cost of hashing the shingle text per slot.
 */
export function bodyShapeOfIds(ids: ArrayLike<number>): BodyShape {
  const n = ids.length;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ n;
  for (let i = 0; i < n; i++) {
    const id = (ids[i] ?? 0) >>> 0;
    h1 = Math.imul(h1 ^ id, 0x01000193);
    h2 = Math.imul(h2 ^ (id >>> 7) ^ (id << 11), 0x5bd1e995) ^ (h2 >>> 15);
  }
  const hash = hex8(fmix(h1 ^ n)) + hex8(fmix(h2));
  const minhash: number[] = [];
  if (n >= SHINGLE) {
    const count = n - SHINGLE + 1;
    if (shingleBuffer.length < count) shingleBuffer = new Uint32Array(Math.max(count, 2 * shingleBuffer.length));
    let a = (ids[0] ?? 0) >>> 0;
    let b = (ids[1] ?? 0) >>> 0;
    let c = (ids[2] ?? 0) >>> 0;
    for (let i = SHINGLE - 1; i < n; i++) {
      const d = (ids[i] ?? 0) >>> 0;
      shingleBuffer[i - SHINGLE + 1] = fmix(Math.imul(fmix(Math.imul(a, 0x01000193) ^ b) ^ c, 0x01000193) ^ d);
      a = b;
      b = c;
      c = d;
    }
    // The set of shingles, as a sorted run with its repeats skipped: cheaper than a Set.
    const shingles = shingleBuffer.subarray(0, count).sort();
    const mins = new Uint32Array(MINHASH_SLOTS).fill(0xffffffff);
    let previous = -1;
    for (let j = 0; j < count; j++) {
      const s = shingles[j] ?? 0;
      if (s === previous) continue;
      previous = s;
      for (let slot = 0; slot < MINHASH_SLOTS; slot++) {
        // fmix(s ^ SEEDS[slot]), inlined: this loop is most of the time spent shaping a project.
        let v = s ^ (SEEDS[slot] ?? 0);
        v ^= v >>> 16;
        v = Math.imul(v, 0x85ebca6b);
        v ^= v >>> 13;
        v = Math.imul(v, 0xc2b2ae35);
        v ^= v >>> 16;
        v >>>= 0;
        if (v < (mins[slot] ?? 0)) mins[slot] = v;
      }
    }
    for (let slot = 0; slot < MINHASH_SLOTS; slot++) minhash.push(mins[slot] ?? 0);
  }
  return { size: n, hash, minhash };
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** Estimated Jaccard similarity of two shapes (1 for equal hashes). */
export function shapeSimilarity(a: BodyShape, b: BodyShape): number {
  if (a.hash === b.hash) return 1;
  if (a.minhash.length === 0 || a.minhash.length !== b.minhash.length) return 0;
  let same = 0;
  for (let i = 0; i < a.minhash.length; i++) if (a.minhash[i] === b.minhash[i]) same++;
  return same / a.minhash.length;
}
