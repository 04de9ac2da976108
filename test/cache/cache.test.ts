import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeFacts, encodeFacts } from "../../src/cache/codec.js";
import { cacheSalt } from "../../src/cache/salt.js";
import { FactsCache, defaultCacheDir, prepareCache } from "../../src/cache/store.js";
import { runCheck } from "../../src/engine/check.js";
import type { FileFacts } from "../../src/facts/types.js";
import { extractPython } from "../../src/languages/python/extract.js";
import { loadPythonGrammar } from "../../src/languages/python/grammar.js";
import { extractTypeScript } from "../../src/languages/typescript/extract.js";
import { REPO_ROOT } from "../fixtures/helpers.js";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cache-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (ext.test(e.name)) out.push(abs);
    }
  };
  walk(path.join(REPO_ROOT, dir));
  return out.sort();
}

describe("facts codec", () => {
  it("round-trips the facts of every fixture file exactly", async () => {
    const grammar = await loadPythonGrammar();
    const sources = [...files("fixtures", /\.py$/), ...files("fixtures", /\.tsx?$/)];
    expect(sources.length).toBeGreaterThan(20);
    for (const abs of sources) {
      const text = fs.readFileSync(abs, "utf8").replace(/^\uFEFF/, "");
      const rel = path.relative(REPO_ROOT, abs);
      const facts = (abs.endsWith(".py") ? extractPython(grammar, rel, text, { parseBudgetMs: 0 }) : extractTypeScript(rel, text, { parseBudgetMs: 0 })) as FileFacts;
      expect(decodeFacts(encodeFacts(facts, text)), rel).toEqual(facts);
    }
  });

  it("keeps spans whose line/column disagree with their offsets as written", () => {
    const text = "a\r\nbb\rccc\n";
    const span = { line: 9, column: 9, endLine: 9, endColumn: 12, start: 3, end: 5 };
    const facts: FileFacts = {
      file: "x.py",
      language: "python",
      lines: 3,
      hash: "h",
      definitions: [],
      calls: [],
      references: [
        { path: ["a", "b"], span },
        { path: ["c", "d"], span: { line: 3, column: 1, endLine: 3, endColumn: 4, start: 6, end: 9 } },
      ],
      imports: [],
      exports: [],
      bindings: [],
      fallbacks: [{ kind: "or", span, primary: [{ start: 0, end: 1 }], fallback: [{ start: 3, end: 5 }] }],
      suppressions: [],
      parseErrors: [],
    };
    expect(decodeFacts(encodeFacts(facts, text))).toEqual(facts);
  });

  it("rejects malformed input", () => {
    expect(() => decodeFacts("{")).toThrow();
    expect(() => decodeFacts('{"l":[],"f":{}}')).toThrow(/malformed/);
    expect(() => decodeFacts("[2,[],[],[0]]")).toThrow(/malformed/);
    // A string index past the table.
    expect(() => decodeFacts("[2,[],[],[1,7]]")).toThrow(/malformed/);
  });
});

describe("facts cache store", () => {
  const config = { dir: path.join(temp, "store"), namespace: "proj" };

  it("serves what was written, for the same content hash and salt only", () => {
    const cache = new FactsCache(config, "salt-a");
    cache.write("a.py", "hash-1", "BODY");
    expect(cache.read("a.py", "hash-1")).toBe("BODY");
    expect(cache.read("a.py", "hash-2")).toBeUndefined();
    expect(cache.read("b.py", "hash-1")).toBeUndefined();
    expect(new FactsCache(config, "salt-b").read("a.py", "hash-1")).toBeUndefined();
    expect(new FactsCache({ ...config, namespace: "other" }, "salt-a").read("a.py", "hash-1")).toBeUndefined();
  });

  it("treats a corrupt or truncated entry as a miss, and a rewrite heals it", () => {
    const cache = new FactsCache(config, "salt-a");
    cache.write("c.py", "h", "0123456789");
    const entry = fs
      .readdirSync(path.join(config.dir, "facts"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .find((f) => fs.readFileSync(f, "utf8").endsWith("0123456789"));
    expect(entry).toBeDefined();
    const file = entry as string;
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, good.replace("0123456789", "0123456780"));
    expect(cache.read("c.py", "h")).toBeUndefined();
    fs.writeFileSync(file, good.slice(0, -3));
    expect(cache.read("c.py", "h")).toBeUndefined();
    fs.writeFileSync(file, "garbage");
    expect(cache.read("c.py", "h")).toBeUndefined();
    cache.write("c.py", "h", "0123456789");
    expect(cache.read("c.py", "h")).toBe("0123456789");
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("remembers a failed write instead of throwing", () => {
    const blocker = path.join(temp, "not-a-dir");
    fs.writeFileSync(blocker, "");
    const cache = new FactsCache({ dir: blocker, namespace: "" }, "s");
    expect(() => cache.write("a.py", "h", "x")).not.toThrow();
    expect(cache.writeError).toBeDefined();
    expect(cache.read("a.py", "h")).toBeUndefined();
  });

  it("defaults to node_modules/.cache/ssot-audit of the nearest package, and falls back to the temp dir", () => {
    expect(defaultCacheDir(path.join(REPO_ROOT, "fixtures/python-broadcast"))).toBe(path.join(REPO_ROOT, "node_modules/.cache/ssot-audit"));
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-bare-"));
    try {
      expect(defaultCacheDir(bare)).toBe(path.join(bare, "node_modules/.cache/ssot-audit"));
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
    const blocker = path.join(temp, "file-not-dir");
    fs.writeFileSync(blocker, "");
    expect(prepareCache(REPO_ROOT, path.join(blocker, "sub"))).toHaveProperty("error");
  });

  it("salts keys with the extraction options", () => {
    expect(cacheSalt({ parseBudgetMs: 5000 })).not.toBe(cacheSalt({ parseBudgetMs: 100 }));
    expect(cacheSalt({ parseBudgetMs: 5000 })).toBe(cacheSalt({ parseBudgetMs: 5000 }));
  });
});

describe("the cache in a run", () => {
  const fixture = "fixtures/python-broadcast";

  it("rebuilds a corrupt entry and gives the same report", async () => {
    const dir = path.join(temp, "run-cache");
    const first = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation: dir });
    const entries = fs
      .readdirSync(path.join(dir, "facts"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    expect(entries.length).toBe(first.project.entries.length);
    const victim = entries[0] as string;
    fs.writeFileSync(victim, fs.readFileSync(victim, "utf8").slice(0, 100));
    const second = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation: dir });
    expect(second.project.stats).toMatchObject({ parsed: 1, cacheHits: entries.length - 1 });
    expect(second.report.findings).toEqual(first.report.findings);
    const third = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation: dir });
    expect(third.project.stats).toMatchObject({ parsed: 0, cacheHits: entries.length });
  });

  it("survives two CLI runs at once on one cache folder, with identical reports", async () => {
    const dir = path.join(temp, "concurrent-cache");
    const run = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["bin/ssot-audit", "check", fixture, "-f", "json", "--cache-location", dir, "--jobs", "2"], { cwd: REPO_ROOT });
        let stdout = "";
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout }));
      });
    for (let round = 0; round < 2; round++) {
      const [a, b] = await Promise.all([run(), run()]);
      expect([a.code, b.code]).toEqual([1, 1]);
      const strip = (s: string) => {
        const r = JSON.parse(s) as { summary: { durationMs?: number } };
        delete r.summary.durationMs;
        return r;
      };
      expect(strip(a.stdout)).toEqual(strip(b.stdout));
    }
    const leftovers = fs.readdirSync(path.join(dir, "facts"), { recursive: true }).filter((f) => String(f).endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  });
});
