import { describe, expect, it } from "vitest";
import { CLONE_MIN_SIZE, areClones, cloneGroups } from "../../src/discover/clones.js";
import type { BodyShape } from "../../src/facts/types.js";
import { bodyShape } from "../../src/util/shape.js";

/** A token sequence of `n` tokens drawn from a small vocabulary, deterministic per seed. */
function tokens(seed: number, n: number): string[] {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + i) >>> 0;
    out.push(`T${x % 40}`);
  }
  return out;
}

/** `base` with `k` tokens replaced at the end. */
function mutate(base: string[], k: number, seed: number): string[] {
  return [...base.slice(0, base.length - k), ...tokens(seed, k)];
}

describe("clone clustering (MinHash LSH)", () => {
  const a = tokens(1, 120);
  const shapes: (BodyShape | undefined)[] = [
    bodyShape(a), // 0
    bodyShape(mutate(a, 3, 99)), // 1: near-clone of 0
    bodyShape(tokens(2, 120)), // 2: unrelated
    bodyShape(a), // 3: identical to 0
    bodyShape(a.slice(0, 20)), // 4: too small
    bodyShape(a.slice(0, 20)), // 5: too small, identical to 4
    undefined, // 6: no shape (signature only)
    bodyShape([...a, ...tokens(3, 80)]), // 7: contains 0 but much larger
  ];

  it("groups identical and near-identical bodies, and nothing else", () => {
    expect(cloneGroups(shapes).groups).toEqual([[0, 1, 3]]);
  });

  it("verifies pairs by similarity and size ratio", () => {
    const s = (i: number) => shapes[i] as BodyShape;
    expect(areClones(s(0), s(1))).toBe(true);
    expect(areClones(s(0), s(2))).toBe(false);
    expect(areClones(s(0), s(7))).toBe(false);
    expect(s(4).size).toBeLessThan(CLONE_MIN_SIZE);
  });

  it("stays linear when many bodies share buckets", () => {
    // 2,000 variants of one body: a quadratic method would make ~2 million comparisons.
    const base = tokens(7, 200);
    const many = Array.from({ length: 2000 }, (_, i) => bodyShape(mutate(base, 1 + (i % 5), 1000 + i)));
    const { groups, comparisons } = cloneGroups(many);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(2000);
    expect(comparisons).toBeLessThanOrEqual(2 * 8 * many.length);
  });
});
