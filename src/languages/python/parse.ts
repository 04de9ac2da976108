/**
 * Parsing one Python file within its budget, and the way out of tree-sitter's slow error recovery.
 *
 * An unclosed bracket near the top of a file (a statement half commented out by some tool) puts
 * everything after it inside one broken expression, and tree-sitter's error recovery is then
 * quadratic in the rest of the file: a clean 170 KB file parses in ~25 ms, the same file broken
 * this way in ~700 ms, a 500 KB one in tens of seconds. Such a file is parsed as separate chunks
 * split at top-level `def`/`class` lines (with tree-sitter's included ranges, so offsets stay the
 * file's): the damage stays inside its chunk, each chunk parses at the normal rate, and the
 * definitions after the break are not lost in one big error. The whole counts against the file's
 * budget.
 *
 * Which files: every file with a syntax error (whether a parse counts as slow depends on the
 * machine's load, and a file's facts must not). The break that makes recovery slow shows in the
 * text (`definitionInsideBrackets`), so such a file goes to its chunks without a whole parse;
 * any other file is parsed whole, then again in chunks if the tree has an error or if the whole
 * parse ran far slower than its size warrants (`slowAfterMs`). Used by the extractor and by the
 * benchmark's parse floor alike.
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

const HASH = 35; // #
const BACKSLASH = 92;
const NEWLINE = 10;
const QUOTE = 34; // "
const APOSTROPHE = 39; // '
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_SQUARE = 91;
const CLOSE_SQUARE = 93;
const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;
const DEFINITION_LINE = /(?:async[ \t]+def|def|class)\b/y;

/**
 * The offset of the first line that starts at column 0 with `def`, `async def` or `class` while
 * a bracket opened above it is still open, or -1. Valid Python has no such line (a definition
 * cannot stand inside brackets), so it marks the pathological break tree-sitter recovers from
 * so slowly. A lexical scan, aware of comments and strings (a bracket or a `def` inside a string
 * does not count); where it misjudges (f-strings nesting their own quotes, say), `parsePython`
 * checks the answer against the parse.
 */
export function definitionInsideBrackets(text: string): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      if (depth > 0) {
        DEFINITION_LINE.lastIndex = i + 1;
        if (DEFINITION_LINE.test(text)) return i + 1;
      }
    } else if (c === HASH) {
      const end = text.indexOf("\n", i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === QUOTE || c === APOSTROPHE) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      let j = triple ? i + 3 : i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) j++;
        else if (d === c && (!triple || (text.charCodeAt(j + 1) === c && text.charCodeAt(j + 2) === c))) break;
        else if (d === NEWLINE && !triple) {
          j--; // an unterminated one-line string ends with its line
          break;
        }
      }
      i = triple ? j + 2 : j;
    } else if (c === OPEN_PAREN || c === OPEN_SQUARE || c === OPEN_CURLY) depth++;
    else if ((c === CLOSE_PAREN || c === CLOSE_SQUARE || c === CLOSE_CURLY) && depth > 0) depth--;
  }
  return -1;
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
  // A definition inside brackets means a syntax error, so the file would be parsed in chunks
  // anyway: do that first and spare the whole parse's slow recovery. The chunks before that line
  // must show the error; if none does, the scan misjudged and the file takes the usual way.
  const definition = definitionInsideBrackets(text);
  if (definition > 0) {
    chunks = chunkStarts(text);
    if (chunks.length > 1) {
      const outcome = parseChunks(parser, text, chunks, deadline);
      if (outcome.kind === "budget") return outcome;
      const starts = chunks;
      if (outcome.trees.some((tree, i) => (starts[i] ?? 0) < definition && tree.rootNode.hasError)) return outcome;
      deleteTrees(outcome);
    }
  }
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
  return parseChunks(parser, text, chunks, deadline);
}

/** Parses `text` as the chunks starting at `chunks` (see `chunkStarts`), each with its own tree. */
function parseChunks(parser: Parser, text: string, chunks: readonly number[], deadline: number): Exclude<ParseOutcome, { kind: "tree" }> {
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
