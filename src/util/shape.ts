import { createHash } from "node:crypto";
import type { BodyShape } from "../facts/types.js";

const MINHASH_SLOTS = 32;
const SHINGLE = 4;

/** 32-bit FNV-1a of a string. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Mixes a 32-bit value with a slot seed (murmur3 finalizer), giving independent-ish hash functions. */
function mix(value: number, seed: number): number {
  let h = (value ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Builds the body shape from a normalized token sequence: AST node kinds (and operators /
 * keywords) in pre-order, with identifiers and literals replaced by placeholder tokens such
 * as `ID` and `LIT`, so that renamed copies have equal shapes.
 */
export function bodyShape(tokens: readonly string[]): BodyShape {
  const hash = createHash("sha1").update(tokens.join(" ")).digest("hex").slice(0, 16);
  const minhash: number[] = [];
  if (tokens.length >= SHINGLE) {
    const shingles = new Set<number>();
    for (let i = 0; i + SHINGLE <= tokens.length; i++) {
      shingles.add(fnv1a(tokens.slice(i, i + SHINGLE).join(" ")));
    }
    for (let slot = 0; slot < MINHASH_SLOTS; slot++) {
      let min = 0xffffffff;
      for (const s of shingles) {
        const v = mix(s, slot + 1);
        if (v < min) min = v;
      }
      minhash.push(min);
    }
  }
  return { size: tokens.length, hash, minhash };
}

/** Estimated Jaccard similarity of two shapes (1 for equal hashes). */
export function shapeSimilarity(a: BodyShape, b: BodyShape): number {
  if (a.hash === b.hash) return 1;
  if (a.minhash.length === 0 || a.minhash.length !== b.minhash.length) return 0;
  let same = 0;
  for (let i = 0; i < a.minhash.length; i++) if (a.minhash[i] === b.minhash[i]) same++;
  return same / a.minhash.length;
}
