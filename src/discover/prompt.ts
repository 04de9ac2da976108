/**
 * The interactive part of `ssot-audit init`: list the candidates, ask which to keep. Streams are
 * injected so the dialogue is testable without a terminal.
 */
import readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import { UsageError } from "../files/errors.js";
import type { Candidate } from "./types.js";

/**
 * Parses an answer: empty = the defaults; `all`; `none` (or `n`, `0`); a list of numbers and
 * ranges such as `1,3-4` or `1 3 4`. Numbers are 1-based positions in the listing.
 */
export function parseSelection(answer: string, count: number, defaults: readonly number[]): number[] | { error: string } {
  const text = answer.trim().toLowerCase();
  if (text === "") return [...defaults];
  if (text === "all" || text === "a") return Array.from({ length: count }, (_, i) => i + 1);
  if (text === "none" || text === "n" || text === "0") return [];
  const picked = new Set<number>();
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || from < 1 || to > count || from > to) {
      return { error: `"${part}" is not a number or range between 1 and ${count}` };
    }
    for (let i = from; i <= to; i++) picked.add(i);
  }
  return [...picked].sort((a, b) => a - b);
}

export interface PromptOptions {
  input: Readable;
  output: Writable;
  /** The candidates offered, in listing order. */
  candidates: readonly Candidate[];
  /** 1-based positions chosen when the answer is empty. */
  defaults: readonly number[];
  /** Questions asked before giving up on invalid answers. */
  attempts?: number;
}

function rangeText(positions: readonly number[]): string {
  if (positions.length === 0) return "none";
  const first = positions[0] ?? 0;
  const last = positions.at(-1) ?? 0;
  const contiguous = positions.every((p, i) => p === first + i);
  return contiguous && positions.length > 1 ? `${first}-${last}` : positions.join(",");
}

/**
 * Lists the candidates and asks which to keep. Resolves to the chosen 1-based positions; an empty
 * list when the user answers `none` or the input ends; throws after `attempts` invalid answers.
 */
export async function promptSelection(options: PromptOptions): Promise<number[]> {
  const { input, output, candidates, defaults } = options;
  const width = String(candidates.length).length;
  output.write(`ssot-audit found ${candidates.length} SSOT candidate${candidates.length === 1 ? "" : "s"}:\n`);
  candidates.forEach((c, i) => {
    const mark = defaults.includes(i + 1) ? "*" : " ";
    const canon = c.suggestedCanonical;
    output.write(
      `${mark} ${String(i + 1).padStart(width)}. ${c.name} (${c.kind}, score ${c.score}, ${c.definitions.length} definitions) — keep ${canon.file}::${canon.symbol}\n`,
    );
  });
  const rl = readline.createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    const attempts = options.attempts ?? 3;
    for (let attempt = 0; attempt < attempts; attempt++) {
      output.write(`Keep which as concepts? [Enter = ${rangeText(defaults)} (*), "all", "none", or e.g. 1,3-4]: `);
      const next = await lines.next();
      if (next.done) {
        output.write("\n");
        return [];
      }
      const parsed = parseSelection(String(next.value), candidates.length, defaults);
      if (Array.isArray(parsed)) return parsed;
      output.write(`${parsed.error}\n`);
    }
    throw new UsageError(`init: no valid answer after ${attempts} tries; nothing written`);
  } finally {
    rl.close();
  }
}
