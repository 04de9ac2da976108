/**
 * Parsing one Python file within its budget, and the way out of tree-sitter's slow error recovery.
 *
 * An unclosed bracket near the top of a file (a statement half commented out by some tool) puts
 * everything after it inside one broken expression, and tree-sitter's error recovery is then
 * quadratic in the rest of the file: a clean 170 KB file parses in ~25 ms, the same file broken
 * this way in ~700 ms, a 500 KB one in tens of seconds. When a parse runs far slower than its
 * size warrants (`slowAfterMs`), it is abandoned and the file is parsed again as separate chunks
 * split at top-level `def`/`class` lines (with tree-sitter's included ranges, so offsets stay the
 * file's): the damage stays inside its chunk, each chunk parses at the normal rate, and the
 * definitions after the break are not lost in one big error. The whole still counts against the
 * file's budget. A file whose whole parse finished in time but has a syntax error is parsed in
 * chunks too: whether a parse counts as slow depends on the machine's load, and a file's facts
 * must not. Used by the extractor and by the benchmark's parse floor alike.
 */
import type { Parser, Tree } from "web-tree-sitter";

export type ParseOutcome =
  /** The whole file in one tree. */
  | { kind: "tree"; tree: Tree }
  /** The file as consecutive chunks (it has a syntax error, or its first parse was pathologically slow). */
  | { kind: "chunks"; trees: Tree[] }
  /** The budget ran out. */
  | { kind: "budget" };

/** Parses slower than this many UTF-16 units per millisecond (~800 KB/s: a third of the slowest clean file measured, 1/8 of the usual rate) are pathological… */
const SLOW_UNITS_PER_MS = 800;
/** …once they have taken at least this long. */
const MIN_SLOW_MS = 60;

/** When a parse of `length` units is deemed pathological. */
export function slowAfterMs(length: number): number {
  return Math.max(MIN_SLOW_MS, length / SLOW_UNITS_PER_MS);
}

/**
 * Start offsets of the chunks of `text`: the file start, then each line at column 0 that starts
 * a `def`, `async def` or `class`, or a decorator before one (a decorator and its definition
 * stay together).
 */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  let inDecorator = false;
  const pattern = /^(?:(@)|(?:async[ \t]+def|def|class)\b)/gm;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > 0 && !inDecorator) starts.push(m.index);
    inDecorator = m[1] !== undefined;
  }
  return starts;
}

export interface ParseTuning {
  /** When the whole-file parse counts as pathological (default `slowAfterMs(text.length)`); tests set 0. */
  slowAfterMs?: number;
}

/** Parses `text` (see the file comment); throws only when the parser itself fails. */
export function parsePython(parser: Parser, text: string, budgetMs: number, tuning: ParseTuning = {}): ParseOutcome {
  const begin = performance.now();
  const deadline = Number.isFinite(budgetMs) && budgetMs > 0 ? begin + budgetMs : Number.POSITIVE_INFINITY;
  const slowAt = begin + (tuning.slowAfterMs ?? slowAfterMs(text.length));
  let chunks: number[] | undefined;
  let slow = false;
  const tree = parser.parse(text, null, {
    progressCallback: (): boolean => {
      const now = performance.now();
      if (now > deadline) return true;
      if (now >= slowAt) {
        chunks ??= chunkStarts(text);
        slow = chunks.length > 1;
        return slow;
      }
      return false;
    },
  });
  if (tree) {
    // A file with a syntax error is parsed in chunks whether or not its whole parse was slow, so
    // its facts depend on its text only, not on how busy the machine was when it was parsed.
    if (!tree.rootNode.hasError) return { kind: "tree", tree };
    chunks ??= chunkStarts(text);
    if (chunks.length === 1) return { kind: "tree", tree };
    tree.delete();
  } else {
    // Cancelled: do not let the next parse resume this one.
    parser.reset();
    if (!slow || !chunks) return { kind: "budget" };
  }

  const trees: Tree[] = [];
  let row = 0;
  let rowStart = 0;
  const positionOf = (index: number): { row: number; column: number } => {
    for (let nl = text.indexOf("\n", rowStart); nl >= 0 && nl < index; nl = text.indexOf("\n", rowStart)) {
      row++;
      rowStart = nl + 1;
    }
    return { row, column: index - rowStart };
  };
  for (let i = 0; i < chunks.length; i++) {
    const startIndex = chunks[i] ?? 0;
    const endIndex = chunks[i + 1] ?? text.length;
    const startPosition = positionOf(startIndex);
    const endPosition = positionOf(endIndex);
    const chunk = parser.parse(text, null, {
      includedRanges: [{ startIndex, endIndex, startPosition, endPosition }],
      progressCallback: (): boolean => performance.now() > deadline,
    });
    if (!chunk) {
      parser.reset();
      for (const t of trees) t.delete();
      return { kind: "budget" };
    }
    trees.push(chunk);
  }
  return { kind: "chunks", trees };
}

/** Frees the trees of an outcome. */
export function deleteTrees(outcome: ParseOutcome): void {
  if (outcome.kind === "tree") outcome.tree.delete();
  else if (outcome.kind === "chunks") for (const t of outcome.trees) t.delete();
}
