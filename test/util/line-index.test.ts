import { describe, expect, it } from "vitest";
import { LineIndex, LineStarts } from "../../src/util/line-index.js";

/** The line of an offset by a linear scan: the definition. */
function lineOf(starts: readonly number[], offset: number): number {
  let line = 0;
  while (line + 1 < starts.length && (starts[line + 1] ?? 0) <= offset) line++;
  return line;
}

describe("line starts", () => {
  it("ends lines at \\n, \\r\\n and a lone \\r, and counts lines as editors do", () => {
    const index = new LineIndex("a\nbb\r\nc\rd");
    expect(index.starts).toEqual([0, 2, 6, 8]);
    expect(index.lineCount).toBe(4);
    expect(new LineIndex("a\n").lineCount).toBe(1);
    expect(new LineIndex("").lineCount).toBe(0);
    expect(index.span(3, 7)).toEqual({ line: 2, column: 2, endLine: 3, endColumn: 2, start: 3, end: 7 });
  });

  it("finds every offset's line whatever order the lookups come in (the last answer is only a hint)", () => {
    const text = Array.from({ length: 60 }, (_, i) => "x".repeat(i % 7)).join("\n");
    const index = new LineStarts(new LineIndex(text).starts);
    const offsets = Array.from({ length: text.length + 3 }, (_, i) => i);
    let seed = 7;
    const shuffled = [...offsets].sort(() => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 3 - 1;
    });
    for (const order of [offsets, [...offsets].reverse(), shuffled]) {
      for (const offset of order) expect([offset, index.lineAt(offset)]).toEqual([offset, lineOf(index.starts, offset)]);
    }
    // `from` bounds the search from below, as documented.
    const last = index.starts.length - 1;
    expect(index.lineAt(text.length, last)).toBe(last);
    expect(index.lineAt(0)).toBe(0);
    expect(index.lineAt(index.starts[10] ?? 0, 10)).toBe(10);
  });
});
