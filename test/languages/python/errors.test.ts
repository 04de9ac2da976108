import { describe, expect, it } from "vitest";
import { extract, src } from "./helpers.js";

/** Thousands of lines of ragged, unbalanced, keyword-salad code: error recovery makes this slow. */
function pathological(lines: number): string {
  let s = "";
  for (let i = 0; i < lines; i++) {
    s += `${" ".repeat((i * 7) % 60)}def f(a, (b, [c: d = {e: (f\n`;
    s += `${" ".repeat((i * 3) % 40)}] ) } else: elif ) ( lambda : yield\n`;
  }
  return s;
}

describe("python extractor: parse budget", () => {
  it("skips a file whose parse exceeds the budget, and parses it fine without one", async () => {
    const text = pathological(5000);
    const kb = Math.ceil(Buffer.byteLength(text) / 1024);

    const started = performance.now();
    const full = await extract(text, 600_000);
    const unbudgetedMs = performance.now() - started;
    // The input really is slow: far more than the 5 ms budget used below.
    expect(unbudgetedMs).toBeGreaterThan(50);
    expect(full.parseErrors.length).toBeGreaterThan(0);
    expect(full.parseErrors.some((e) => e.message.includes("budget"))).toBe(false);

    const skipped = await extract(text, 5);
    expect(skipped.parseErrors).toEqual([{ line: 1, message: `parse budget of 5 ms exceeded (file is ${kb} KB); skipped` }]);
    expect(skipped.definitions).toEqual([]);
    expect(skipped.calls).toEqual([]);
    expect(skipped.lines).toBe(10_000);

    // The cancelled parse must not leak into the next file.
    const next = await extract(src("def ok():", "    return go()"), 5_000);
    expect(next.parseErrors).toEqual([]);
    expect(next.definitions.map((d) => d.qualifiedName)).toEqual(["ok"]);
    expect(next.calls.map((c) => c.callee)).toEqual([["go"]]);
  });
});

describe("python extractor: syntax errors", () => {
  it("reports missing tokens and error nodes and still extracts the rest", async () => {
    const facts = await extract(src("def f(:", "    pass", "x = [1, 2 3]", "def g():", "    return h()"));
    expect(facts.parseErrors).toEqual([
      { line: 1, column: 7, message: 'missing ")"' },
      { line: 3, column: 11, message: "syntax error" },
    ]);
    expect(facts.definitions.map((d) => d.qualifiedName)).toEqual(["f", "g"]);
    expect(facts.calls.map((c) => [c.callee, c.enclosing])).toEqual([[["h"], "g"]]);
  });

  it("points at the broken statement when recovery wraps the whole module", async () => {
    const facts = await extract(src("s = 1; foo(1)", "def f(x):", "    return x", "def g(a):", "    if a:", "        do()", "    x = ("));
    expect(facts.parseErrors).toEqual([{ line: 4, column: 1, message: "syntax error" }]);
    expect(facts.definitions.map((d) => d.qualifiedName)).toEqual(["f"]);
    expect(facts.calls.map((c) => c.callee[0])).toEqual(["foo", "do"]);
  });

  it("caps the number of reported errors", async () => {
    const facts = await extract("x = [1, 2 3]\n".repeat(100));
    expect(facts.parseErrors.length).toBe(20);
    expect(facts.parseErrors.map((e) => e.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("never throws on binary-looking or odd input", async () => {
    const odd = ["\u0000\u0001\u0002", "\uFFFD\uFFFD", "(((((((((((", ")]}", '"""unterminated', "\t\t  \n\t x", "\\\n\\\n"];
    for (const text of odd) {
      const facts = await extract(text);
      expect(facts.language).toBe("python");
    }
  });
});
