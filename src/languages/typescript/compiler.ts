import { createRequire } from "node:module";
import type { ts } from "ts-morph";

let compiler: typeof ts | undefined;

/**
 * The TypeScript compiler (ts-morph's copy), loaded on first use. Loading it costs about a third
 * of a second and 80 MB, which most runs never need on the main thread (the extractors run in
 * worker threads; the checker and the fixer only sometimes), so modules the CLI loads up front
 * call this instead of importing `ts-morph`.
 */
export function typescript(): typeof ts {
  compiler ??= (createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph")).ts;
  return compiler;
}
