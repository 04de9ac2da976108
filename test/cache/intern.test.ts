import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { StringPool, internFacts } from "../../src/facts/intern.js";
import type { FileFacts } from "../../src/facts/types.js";
import { extractPython } from "../../src/languages/python/extract.js";
import { loadPythonGrammar } from "../../src/languages/python/grammar.js";
import { REPO_ROOT } from "../fixtures/helpers.js";

describe("interning the names in facts", () => {
  it("changes no value, and pools each distinct name once across files", async () => {
    const grammar = await loadPythonGrammar();
    const dir = path.join(REPO_ROOT, "fixtures/python-broadcast/netra_backend/app/handlers");
    const all = fs.readdirSync(dir).filter((f) => f.endsWith(".py")).sort();
    expect(all.length).toBeGreaterThan(3);
    const pool = new StringPool();
    const names = new Set<string>();
    for (const name of all) {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      const facts = { ...extractPython(grammar, name, text, { parseBudgetMs: 0 }), hash: "h" } as FileFacts;
      const before = structuredClone(facts);
      expect(internFacts(facts, pool)).toBe(facts);
      expect(facts).toEqual(before);
      for (const c of facts.calls) {
        for (const s of c.callee) names.add(s);
        if (c.enclosing) names.add(c.enclosing);
      }
    }
    // Every call name went through the pool; the pool holds each distinct string once.
    expect(pool.size).toBeGreaterThanOrEqual(names.size);
    const again = new StringPool();
    for (const s of [...names, ...names]) again.intern(s);
    expect(again.size).toBe(names.size);
  });
});
