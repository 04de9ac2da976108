import { createRequire } from "node:module";
import type { ts } from "ts-morph";

let compiler: typeof ts | undefined;

/**
 * The TypeScript compiler (ts-morph's copy), loaded on first use. Loading it costs ~0.15 s and
 * ~50 MB, which most runs never need on the main thread (the extractors run in
 * worker threads; the checker and the fixer only sometimes), so modules the CLI loads up front
 * call this instead of importing `ts-morph`.
 *
 * Only the compiler module is loaded, not ts-morph itself: every thread that parses TypeScript
 * loads it, and ts-morph's wrapper (with the standard library's `.d.ts` texts inlined) would add
 * ~15 MB of heap and ~50 ms to each. ts-morph's `ts` export wraps this same module (same
 * functions, same enums).
 */
export function typescript(): typeof ts {
  compiler ??= loadCompiler();
  return compiler;
}

function loadCompiler(): typeof ts {
  // Resolved from ts-morph's own folder: `@ts-morph/common` is its dependency, not ours.
  const requireFromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
  try {
    return requireFromTsMorph("@ts-morph/common/dist/typescript.js") as typeof ts;
  } catch (error) {
    // A ts-morph that lays its files out differently: take the compiler through its API.
    if ((error as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw error;
    return (requireFromTsMorph("ts-morph") as typeof import("ts-morph")).ts;
  }
}
