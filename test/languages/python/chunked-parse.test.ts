import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPythonGrammar, pythonParser } from "../../../src/languages/python/grammar.js";
import { chunkStarts, definitionInsideBrackets, deleteTrees, parsePython } from "../../../src/languages/python/parse.js";
import { extractPython } from "../../../src/languages/python/extract.js";
import { REPO_ROOT } from "../../fixtures/helpers.js";
import { extract, src } from "./helpers.js";

/**
 * A statement half commented out near the top (its closing bracket is in a comment), above
 * `count` top-level functions: tree-sitter's error recovery runs the whole rest of the file
 * inside the broken call, in time quadratic in its length.
 */
function brokenModule(count: number): string {
  const lines = ["import os", "", "registry = build_registry(", "    handlers=default_handlers(),", "#    strict=True)", ""];
  for (let i = 0; i < count; i++) {
    lines.push(`def handle_${i}(event, payload):`, `    value = payload.get("k${i}")`, `    return dispatch_${i % 7}(event, value)`, "");
  }
  return lines.join("\n");
}

describe("python parse: chunks for pathologically slow files", () => {
  it("splits at top-level def/class lines, keeping decorators with their definition", () => {
    const text = src("import x", "@route('/a')", "@auth", "def a():", "    def inner(): pass", "class B:", "    pass", "async def c():", "    pass", "definitely = 1", "classy = 2");
    const starts = chunkStarts(text);
    expect(starts.map((s) => text.slice(s, text.indexOf("\n", s)))).toEqual(["import x", "@route('/a')", "class B:", "async def c():"]);
  });

  it("parses a broken file in chunks instead of recovering for seconds; the definitions after the break are kept", async () => {
    const text = brokenModule(1500);
    const grammar = await loadPythonGrammar();
    // Deterministic: the first progress report already counts as too slow.
    const outcome = parsePython(pythonParser(grammar), text, 60_000, { slowAfterMs: 0 });
    try {
      expect(outcome.kind).toBe("chunks");
      if (outcome.kind === "chunks") expect(outcome.trees.length).toBe(1501);
    } finally {
      deleteTrees(outcome);
    }

    const facts = extractPython(grammar, "pkg/mod.py", text, { parseBudgetMs: 60_000 }, { slowAfterMs: 0 });
    expect(facts.definitions.map((d) => d.qualifiedName)).toEqual(Array.from({ length: 1500 }, (_, i) => `handle_${i}`));
    expect(facts.definitions[1499]?.span.line).toBe(6 + 1499 * 4 + 1);
    expect(facts.calls.filter((c) => c.callee[0]?.startsWith("dispatch_")).length).toBe(1500);
    // The damage stays in the first chunk: one syntax error, where the call is left open.
    expect(facts.parseErrors.map((e) => e.line)).toEqual([3]);
    expect(facts.imports.map((i) => i.module)).toEqual(["os"]);
  });

  it("parses a file with a syntax error in chunks even when its whole parse was fast: its facts do not depend on the machine's load", async () => {
    const grammar = await loadPythonGrammar();
    const never = { slowAfterMs: Number.POSITIVE_INFINITY };
    const cases: [text: string, trees: number | "tree"][] = [
      [brokenModule(20), 21],
      [src("def a():", "    return (", "def b():", "    pass"), 2],
      // Clean, or nothing to split at: one parse.
      [src("def ok():", "    return 1", "class K:", "    pass"), "tree"],
      [src("x = (", "y = 1"), "tree"],
    ];
    for (const [text, trees] of cases) {
      const outcome = parsePython(pythonParser(grammar), text, 60_000, never);
      try {
        expect(outcome.kind === "chunks" ? outcome.trees.length : outcome.kind, text).toBe(trees);
      } finally {
        deleteTrees(outcome);
      }
    }
    const fast = extractPython(grammar, "pkg/mod.py", brokenModule(20), { parseBudgetMs: 60_000 }, never);
    const slow = extractPython(grammar, "pkg/mod.py", brokenModule(20), { parseBudgetMs: 60_000 }, { slowAfterMs: 0 });
    expect(fast).toEqual(slow);
    expect(fast.definitions).toHaveLength(20);
    expect(fast.parseErrors.map((e) => e.line)).toEqual([3]);
  });

  it("finds a definition line inside brackets, which only a broken file has; strings and comments do not count", () => {
    const broken = brokenModule(3);
    expect(definitionInsideBrackets(broken)).toBe(broken.indexOf("def handle_0"));
    const list = src("x = [", "    1,", "async def f():", "    pass");
    expect(definitionInsideBrackets(list)).toBe(list.indexOf("async def"));
    const dict = src("x = {", "class K:", "    pass");
    expect(definitionInsideBrackets(dict)).toBe(dict.indexOf("class"));
    const valid: string[] = [
      brokenModule(3).replace("#    strict=True)", "    strict=True)"),
      src("x = call(", "    a,", ")", "def f():", "    return (1,", "            2)", "class K(Base,", "        Other):", "    pass"),
      src("s = '('", 't = "[\\""', "# an open ( in a comment", "def f():", "    pass"),
      src('doc = """(', "def not_code():", '"""', "def f():", "    pass"),
      src("r = r'\\\\'", "u = '''[", "class Text:", "'''", "def f(): pass"),
      src("x = (a", "@ b)", "def f():", "    pass"),
      src("x = foo(", "    define=1, classic=2)", "def f(): pass"),
    ];
    for (const text of valid) expect(definitionInsideBrackets(text), text).toBe(-1);
  });

  it("parses a broken file straight in chunks, without the whole parse's slow recovery", async () => {
    // Recovering through the whole of this file takes tens of seconds; its chunks, milliseconds.
    // The whole parse is never counted slow here, so only skipping it stays within the budget.
    const text = brokenModule(6000);
    const grammar = await loadPythonGrammar();
    const outcome = parsePython(pythonParser(grammar), text, 5_000, { slowAfterMs: Number.POSITIVE_INFINITY });
    try {
      expect(outcome.kind === "chunks" ? outcome.trees.length : outcome.kind).toBe(6001);
    } finally {
      deleteTrees(outcome);
    }
  });

  it("takes the usual way when the scan misjudges a valid file (an f-string nesting its own quotes)", async () => {
    const text = src('x = f"{d["("]}"', "", "def foo():", "    return 1", "class K:", "    pass");
    expect(definitionInsideBrackets(text)).toBeGreaterThan(0);
    const grammar = await loadPythonGrammar();
    const outcome = parsePython(pythonParser(grammar), text, 60_000, { slowAfterMs: Number.POSITIVE_INFINITY });
    try {
      expect(outcome.kind).toBe("tree");
    } finally {
      deleteTrees(outcome);
    }
    const facts = extractPython(grammar, "pkg/mod.py", text, { parseBudgetMs: 60_000 });
    expect(facts.parseErrors).toEqual([]);
    expect(facts.definitions.map((d) => d.qualifiedName)).toEqual(["foo", "K"]);
  });

  it("still stops at the budget", async () => {
    const text = brokenModule(1500);
    const kb = Math.ceil(Buffer.byteLength(text) / 1024);
    const facts = await extract(text, 5);
    expect(facts.parseErrors).toEqual([{ line: 1, message: `parse budget of 5 ms exceeded (file is ${kb} KB); skipped` }]);
    expect(facts.definitions).toEqual([]);
  });

  it("gives the same facts as the single parse on clean files (the chunks are grafted into one module)", async () => {
    const grammar = await loadPythonGrammar();
    const dir = path.join(REPO_ROOT, "fixtures/python-broadcast/netra_backend/app");
    const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".py")).sort();
    let chunked = 0;
    for (const rel of files) {
      const text = fs.readFileSync(path.join(dir, rel), "utf8");
      const outcome = parsePython(pythonParser(grammar), text, 60_000, { slowAfterMs: 0 });
      if (outcome.kind === "chunks") chunked++;
      deleteTrees(outcome);
      const whole = extractPython(grammar, rel, text, { parseBudgetMs: 60_000 }, { slowAfterMs: Number.POSITIVE_INFINITY });
      const inChunks = extractPython(grammar, rel, text, { parseBudgetMs: 60_000 }, { slowAfterMs: 0 });
      expect(inChunks, rel).toEqual(whole);
    }
    // Most files really went through chunks (a file with one top-level statement cannot).
    expect(chunked).toBeGreaterThan(10);
  });
});
