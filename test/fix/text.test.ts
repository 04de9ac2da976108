/** The edit primitives the engine relies on: applying, overlap rules, mapping back, re-indenting. */
import { describe, expect, it } from "vitest";
import { mapBack } from "../../src/fix/engine.js";
import { applyEdits, nextLineStart, overlaps, reindent, wordOccurrences } from "../../src/fix/text.js";

const e = (start: number, end: number, text: string) => ({ file: "f", start, end, text });

describe("applyEdits", () => {
  it("applies edits in offset order whatever the given order; insertions at one offset keep their order", () => {
    expect(applyEdits("abcdef", [e(4, 5, "E"), e(0, 1, "A"), e(2, 2, "<"), e(2, 2, ">")])).toBe("Ab<>cdEf");
  });

  it("puts an insertion before a replacement that starts at the same offset", () => {
    expect(applyEdits("f(x)", [e(0, 1, "g"), e(0, 0, "await ")])).toBe("await g(x)");
  });

  it("refuses overlapping edits (the planner must have deferred one of them)", () => {
    expect(() => applyEdits("abcdef", [e(0, 3, "x"), e(2, 4, "y")])).toThrow(/overlapping edits/);
  });
});

describe("overlaps", () => {
  it("treats touching ranges as separate and two insertions at one offset as overlapping", () => {
    expect(overlaps(e(0, 2, ""), e(2, 4, ""))).toBe(false);
    expect(overlaps(e(2, 2, "a"), e(2, 4, ""))).toBe(false);
    expect(overlaps(e(3, 3, "a"), e(2, 4, ""))).toBe(true);
    expect(overlaps(e(2, 2, "a"), e(2, 2, "b"))).toBe(true);
    expect(overlaps(e(0, 3, ""), e(2, 5, ""))).toBe(true);
  });
});

describe("mapBack", () => {
  it("maps an offset of the edited text to the text before the edits", () => {
    const edits = [e(2, 4, "XYZW"), e(6, 6, "++")];
    // "ab" + "XYZW" + "ef" + "++" + "gh"  from  "abcdefgh"
    expect(applyEdits("abcdefgh", edits)).toBe("abXYZWef++gh");
    expect(mapBack(0, edits)).toBe(0);
    expect(mapBack(3, edits)).toBe(2); // inside the replacement → its start
    expect(mapBack(6, edits)).toBe(4); // "e"
    expect(mapBack(9, edits)).toBe(6); // inside the insertion
    expect(mapBack(10, edits)).toBe(6); // "g"
  });
});

describe("text helpers", () => {
  it("finds the next line start after LF, CRLF and blank lines", () => {
    expect(nextLineStart("a\r\nb", 0)).toBe(3);
    expect(nextLineStart("a\n\nb", 1)).toBe(2);
    expect(nextLineStart("a\n\nb", 2)).toBe(3);
    expect(nextLineStart("abc", 1)).toBe(3);
  });

  it("re-indents a block and refuses one it does not understand", () => {
    expect(reindent("    a(\n        b)\n\n    c\n", "    ", "  ")).toBe("a(\n      b)\n\n  c\n");
    expect(reindent("    a\n  b\n", "    ", "")).toBeUndefined();
  });

  it("matches whole words only", () => {
    expect(wordOccurrences("hub hubs my_hub hub.x $hub (hub)", "hub")).toEqual([0, 16, 28]);
  });
});
