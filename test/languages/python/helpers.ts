import { pythonExtractor } from "../../../src/languages/python/extract.js";
import type { FileFacts } from "../../../src/facts/types.js";

export type Facts = Omit<FileFacts, "hash" | "bom" | "eol">;

/** Joins source lines with `\n` (keeps indentation exact and visible in tests). */
export function src(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

export function extract(text: string, parseBudgetMs = 60_000): Promise<Facts> {
  return pythonExtractor.extract("pkg/mod.py", text, { parseBudgetMs });
}

/** The text a span/range covers. */
export function slice(text: string, r: { start: number; end: number }): string {
  return text.slice(r.start, r.end);
}

export function defNamed(facts: Facts, qualifiedName: string) {
  const def = facts.definitions.find((d) => d.qualifiedName === qualifiedName);
  if (!def) throw new Error(`no definition ${qualifiedName}; have ${facts.definitions.map((d) => d.qualifiedName).join(", ")}`);
  return def;
}
