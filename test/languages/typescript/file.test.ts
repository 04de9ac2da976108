import { describe, expect, it } from "vitest";
import { typescriptExtractor } from "../../../src/languages/typescript/extract.js";
import { extract, textAt } from "./helpers.js";

describe("typescript file-level facts", () => {
  it("reports file, language, line count and no errors for a clean file", async () => {
    const f = await extract("export const a = 1;\nexport const b = 2;\n", "src/x.ts");
    // lines as editors count them: a final newline ends the last line
    expect([f.file, f.language, f.lines, f.parseErrors]).toEqual(["src/x.ts", "typescript", 2, []]);
    expect((await extract("a;\nb;")).lines).toBe(2);
    expect((await extract("a;\r\nb;\r\n")).lines).toBe(2);
    expect((await extract("")).lines).toBe(0);
  });

  it("reports parse errors with line, column and message, and keeps the facts it could extract", async () => {
    const f = await extract("const x = ;\nfunction f( {\n");
    expect(f.parseErrors).toEqual([
      { line: 1, column: 11, message: "Expression expected." },
      { line: 3, column: 1, message: "'}' expected." },
    ]);
    expect(f.definitions.map((d) => d.name)).toEqual(["f"]);
  });

  it("caps parse errors at 20", async () => {
    const f = await extract("let = ;\n".repeat(40));
    expect(f.parseErrors).toHaveLength(20);
  });

  it("picks the script kind from the extension: JSX parses in .tsx/.jsx, not in .ts", async () => {
    const src = "export const App = () => <div onClick={() => track('x')}>{label}</div>;\n";
    const tsx = await extract(src, "ui/App.tsx");
    expect(tsx.parseErrors).toEqual([]);
    expect(tsx.calls.map((c) => c.callee)).toEqual([["track"]]);
    expect(tsx.definitions.map((d) => d.name)).toEqual(["App"]);
    expect((await extract(src, "ui/App.jsx")).parseErrors).toEqual([]);
    expect((await extract(src, "ui/App.ts")).parseErrors.length).toBeGreaterThan(0);
  });

  it("reads plain JavaScript with require and class fields", async () => {
    const src = `"use strict";
const { EventEmitter } = require("events");
class Bus extends EventEmitter {
  handlers = new Map();
  emitTo(user, event) { return this.handlers.get(user).send(event); }
}
module.exports = Bus;
`;
    const f = await extract(src, "lib/bus.cjs");
    expect(f.parseErrors).toEqual([]);
    expect(f.imports.map((i) => [i.module, i.names.map((n) => `${n.imported}:${n.local}`)])).toEqual([
      ["events", ["EventEmitter:EventEmitter"]],
    ]);
    expect(f.definitions.map((d) => [d.qualifiedName, d.bases, d.exported, d.isDefaultExport ?? false])).toEqual([
      ["Bus", ["EventEmitter"], true, true],
      ["Bus.emitTo", [], true, false],
    ]);
    expect(f.exports.map((e) => [e.exported, e.local])).toEqual([["default", "Bus"]]);
    expect(f.bindings.map((b) => [b.target, b.value])).toEqual([
      [["this", "handlers"], { kind: "call", callee: ["Map"], isNew: true }],
      [["module", "exports"], { kind: "alias", path: ["Bus"] }],
    ]);
  });

  it("skips files whose size obviously exceeds the parse budget", async () => {
    const text = `${"x".repeat(99_999)};\n`;
    const f = await typescriptExtractor.extract("big.ts", text, { parseBudgetMs: 1 });
    expect(f).toEqual({
      file: "big.ts",
      language: "typescript",
      lines: 1,
      definitions: [],
      calls: [],
      references: [],
      imports: [],
      exports: [],
      bindings: [],
      fallbacks: [],
      suppressions: [],
      parseErrors: [{ line: 1, message: "parse budget of 1 ms exceeded (file is 98 KB); skipped" }],
    });
    // the same file under a normal budget, or with no budget (0), is parsed
    expect((await typescriptExtractor.extract("big.ts", text, { parseBudgetMs: 10_000 })).parseErrors).toEqual([]);
    expect((await typescriptExtractor.extract("big.ts", text, { parseBudgetMs: 0 })).parseErrors).toEqual([]);
  });

  it("never throws on pathological input", async () => {
    const deep = `x = ${"(".repeat(50_000)}1${")".repeat(50_000)};\n`;
    const f = await extract(deep);
    expect(f.parseErrors).toEqual([{ line: 1, message: "file is nested too deeply to analyse; skipped" }]);
    // Parsed, but too deep for the extractor's walk: the same words.
    const member = await extract(`const x = a${".b".repeat(20_000)};\n`);
    expect(member.parseErrors).toEqual([{ line: 1, message: "file is nested too deeply to analyse; skipped" }]);
    const chain = `function f() { return ${Array.from({ length: 5000 }, (_, i) => `a${i}`).join(" + ")} || b; }\n`;
    const g = await extract(chain);
    expect([g.parseErrors, g.fallbacks.length, g.definitions.length]).toEqual([[], 1, 1]);
    const calls = await extract(`x${".a()".repeat(5000)};\n`);
    expect([calls.parseErrors, calls.calls.length, calls.calls[0]?.callee.length, calls.calls[0]?.callee[0]]).toEqual([[], 5000, 65, "?"]);
  });
});

describe("typescript module doc", () => {
  it("takes the first line of a leading file comment", async () => {
    expect((await extract('/**\n * Notification hub.\n * Details.\n */\nimport x from "y";\n')).moduleDoc).toBe("Notification hub.");
    expect((await extract("#!/usr/bin/env node\n// eslint-disable\n// CLI entry point.\nmain();\n")).moduleDoc).toBe("CLI entry point.");
    expect((await extract("// Copyright ACME\n\n/** Sends. */\nexport function send() {}\n")).moduleDoc).toBe("Copyright ACME");
    expect((await extract("/** Hub module. */\n\nexport class Hub {}\n")).moduleDoc).toBe("Hub module.");
  });

  it("does not take the doc comment of the first declaration, or code", async () => {
    const f = await extract("/** Sends. */\nexport function send() {}\n");
    expect(f.moduleDoc).toBeUndefined();
    expect(f.definitions[0]?.doc).toBe("Sends.");
    expect((await extract("export const a = 1; // trailing\n")).moduleDoc).toBeUndefined();
  });
});

describe("typescript suppressions", () => {
  it("parses suppression comments on their own line, at line ends, in blocks and types; not in strings", async () => {
    const src = `// ssot-audit-ignore-file[direct-sink-call]: generated
const a = 1; // ssot-audit-ignore[non-canonical-call]: migrating in PR 12
function f() { // ssot-audit-ignore[duplicate-implementation]
  // ssot-audit-ignore: whole thing
  return 1;
  /* ssot-audit-ignore[legacy-fallback] -- block */
}
const s = "// ssot-audit-ignore in a string";
interface I {
  // ssot-audit-ignore[x, y]: in a type
  m(): void;
}
`;
    const f = await extract(src);
    expect(f.suppressions.map((s) => [s.scope, s.line, s.rules, s.reason ?? null, textAt(src, s.span).slice(0, 12)])).toEqual([
      ["file", 1, ["direct-sink-call"], "generated", "// ssot-audi"],
      ["line", 2, ["non-canonical-call"], "migrating in PR 12", "// ssot-audi"],
      ["line", 3, ["duplicate-implementation"], null, "// ssot-audi"],
      ["line", 4, [], "whole thing", "// ssot-audi"],
      ["line", 6, ["legacy-fallback"], "block", "/* ssot-audi"],
      ["line", 10, ["x", "y"], "in a type", "// ssot-audi"],
    ]);
    expect(f.moduleDoc).toBeUndefined();
  });
});
