import type { Span } from "../facts/types.js";

/** Offsets where lines start: `\n`, `\r\n` and a lone `\r` end a line. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) starts.push(i + 1);
    else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Maps 0-based UTF-16 offsets to 1-based line/column positions, from a table of line starts. */
export class LineStarts {
  /** The line the last lookup found: lookups mostly come in text order, so the next is often on it or the next one. */
  private hint = 0;

  constructor(
    /** Ascending offsets where lines start; the first is 0. */
    readonly starts: readonly number[],
  ) {}

  /** 0-based index of the line holding `offset`, searching from line `from` on (which must start at or before it). */
  lineAt(offset: number, from = 0): number {
    const starts = this.starts;
    const hint = this.hint;
    if (hint >= from && (starts[hint] ?? 0) <= offset) {
      if (hint + 1 >= starts.length || (starts[hint + 1] ?? 0) > offset) return hint;
      if (hint + 2 >= starts.length || (starts[hint + 2] ?? 0) > offset) {
        this.hint = hint + 1;
        return hint + 1;
      }
    }
    let lo = from;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return lo;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineAt(offset);
    return { line: line + 1, column: offset - (this.starts[line] ?? 0) + 1 };
  }

  /** Offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] ?? 0;
  }

  /** Whether a span's line and column are those of its offsets (without making a span). */
  agrees(s: Span): boolean {
    const a = this.lineAt(s.start);
    if (s.line !== a + 1 || s.column !== s.start - (this.starts[a] ?? 0) + 1) return false;
    const b = s.end === s.start ? a : this.lineAt(s.end, s.end > s.start ? a : 0);
    return s.endLine === b + 1 && s.endColumn === s.end - (this.starts[b] ?? 0) + 1;
  }

  span(start: number, end: number): Span {
    const a = this.lineAt(start);
    const b = end === start ? a : this.lineAt(end, end > start ? a : 0);
    return { line: a + 1, column: start - (this.starts[a] ?? 0) + 1, endLine: b + 1, endColumn: end - (this.starts[b] ?? 0) + 1, start, end };
  }
}

/**
 * A span made from its two offsets, computing line and column from the file's line starts only
 * when they are read: what a decoded fact's span field gives (`cache/decoded-fact.ts`), where
 * most spans are only compared by offset. Serializes (`JSON.stringify`) as a plain `Span`.
 */
export class OffsetSpan implements Span {
  constructor(
    private readonly lines: LineStarts,
    readonly start: number,
    readonly end: number,
  ) {}

  get line(): number {
    return this.lines.lineAt(this.start) + 1;
  }

  get column(): number {
    return this.start - this.lines.lineStart(this.line) + 1;
  }

  get endLine(): number {
    return this.lines.lineAt(this.end) + 1;
  }

  get endColumn(): number {
    return this.end - this.lines.lineStart(this.endLine) + 1;
  }

  toJSON(): Span {
    return this.lines.span(this.start, this.end);
  }
}

/** `LineStarts` of a text, which also knows how many lines the text has. */
export class LineIndex extends LineStarts {
  private readonly endsWithNewline: boolean;
  private readonly empty: boolean;

  constructor(text: string) {
    super(lineStartsOf(text));
    const last = text.charCodeAt(text.length - 1);
    this.endsWithNewline = last === 10 || last === 13;
    this.empty = text.length === 0;
  }

  /** Lines as editors count them: a final newline ends the last line rather than starting one; "" has 0. */
  get lineCount(): number {
    if (this.empty) return 0;
    return this.endsWithNewline ? this.starts.length - 1 : this.starts.length;
  }
}
