import type { Range, Span } from "../../../src/facts/types.js";
import { type TsFacts, typescriptExtractor } from "../../../src/languages/typescript/extract.js";

export const OPTIONS = { parseBudgetMs: 10_000 };

/** Extracts facts from `src` as if it were the file `file`. */
export async function extract(src: string, file = "src/mod.ts"): Promise<TsFacts> {
  return typescriptExtractor.extract(file, src, OPTIONS);
}

/** The source text covered by a span or range. */
export function textAt(src: string, r: Span | Range): string {
  return src.slice(r.start, r.end);
}
