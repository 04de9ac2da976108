import type { Span } from "../facts/types.js";

/** Maps 0-based UTF-16 offsets of a text to 1-based line/column positions. */
export class LineIndex {
  private readonly lineStarts: number[];
  private readonly endsWithNewline: boolean;
  private readonly empty: boolean;

  constructor(text: string) {
    const last = text.charCodeAt(text.length - 1);
    this.endsWithNewline = last === 10 || last === 13;
    this.empty = text.length === 0;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) starts.push(i + 1);
      else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** Lines as editors count them: a final newline ends the last line rather than starting one; "" has 0. */
  get lineCount(): number {
    if (this.empty) return 0;
    return this.endsWithNewline ? this.lineStarts.length - 1 : this.lineStarts.length;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }

  /** Offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))] ?? 0;
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, start, end };
  }
}
