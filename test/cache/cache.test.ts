import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeFacts, encodeFacts } from "../../src/cache/codec.js";
import { cacheSalt } from "../../src/cache/salt.js";
import { StringPool } from "../../src/facts/intern.js";
import { OffsetSpan } from "../../src/util/line-index.js";
import { type CacheEntry, FactsIndex, PackStore, defaultCacheDir, prepareCache } from "../../src/cache/store.js";
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

/** What `JSON.stringify` writes (decoded facts and spans serialize as plain ones). */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/**
 * Decoded facts as plain data read through their accessors (a decoded fact keeps spans as
 * offsets and makes them when read; `OffsetSpan` computes line and column when read), so they
 * compare with extracted facts field by field.
 */
function plain(value: unknown): unknown {
  if (value instanceof OffsetSpan) {
    const { line, column, endLine, endColumn, start, end } = value;
    return { line, column, endLine, endColumn, start, end };
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const fields = Object.keys(json(value) as object);
    return Object.fromEntries(fields.map((k) => [k, plain((value as Record<string, unknown>)[k])]));
  }
  return value;
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
      const decoded = decodeFacts(encodeFacts(facts, text));
      expect(plain(decoded), rel).toEqual(facts);
      expect(json(decoded), rel).toEqual(json(facts));
    }
  });

  it("keeps the type-only mark of a Python import under TYPE_CHECKING", async () => {
    const grammar = await loadPythonGrammar();
    const text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import A\n";
    const facts = extractPython(grammar, "a.py", text, { parseBudgetMs: 0 }) as FileFacts;
    const decoded = decodeFacts(encodeFacts(facts, text));
    expect(decoded.imports.map((i) => [i.module, i.typeOnly])).toEqual([
      ["typing", undefined],
      ["a", true],
    ]);
  });

  it("shares each distinct list of names across files when decoding with a pool, frozen", async () => {
    const grammar = await loadPythonGrammar();
    const pool = new StringPool();
    const text = "import os\n\ndef f():\n    os.environ.get('A')\n    return os.environ.get('B')\n";
    const a = decodeFacts(encodeFacts(extractPython(grammar, "a.py", text, { parseBudgetMs: 0 }) as FileFacts, text), pool);
    const b = decodeFacts(encodeFacts(extractPython(grammar, "b.py", text, { parseBudgetMs: 0 }) as FileFacts, text), pool);
    const [first, second] = a.calls;
    expect(first?.callee).toEqual(["os", "environ", "get"]);
    expect(second?.callee).toBe(first?.callee);
    expect(b.calls[0]?.callee).toBe(first?.callee);
    expect(Object.isFrozen(first?.callee)).toBe(true);
    expect(a.exports).toBe(b.exports);
    const shared = (first?.callee ?? []) as string[];
    expect(() => shared.push("x")).toThrow(TypeError);
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
    const decoded = decodeFacts(encodeFacts(facts, text));
    expect(plain(decoded)).toEqual(facts);
    expect(json(decoded)).toEqual(json(facts));
  });

  it("rejects malformed input", () => {
    expect(() => decodeFacts("{")).toThrow();
    expect(() => decodeFacts('{"l":[],"f":{}}')).toThrow(/malformed/);
    expect(() => decodeFacts("[3,[],[],[],[0]]")).toThrow(/malformed/);
    // A string index past the table.
    expect(() => decodeFacts("[3,[],[],[],[1,7]]")).toThrow(/malformed/);
    // A file whose one reference has a list index past the list table, or a string index past the string table.
    // Fields present: file, language, lines, hash and the nine lists (see FILE in codec.ts).
    const oneReference = (lists: string, reference: string) => `[3,[],["f.py","python"],${lists},[65423,0,1,1,0,[],[],[${reference}],[],[],[],[],[],[]]]`;
    expect(decodeFacts(oneReference("[[0]]", "[3,0,0,4]")).references[0]?.path).toEqual(["f.py"]);
    expect(() => decodeFacts(oneReference("[[0]]", "[3,1,0,4]"))).toThrow(/malformed facts: list index/);
    expect(() => decodeFacts(oneReference("[[5]]", "[3,0,0,4]"))).toThrow(/malformed facts: string index/);
    // A span's end that is not a number, or a span that is neither two offsets nor six numbers.
    expect(() => decodeFacts(oneReference("[[0]]", '[3,0,0,"4"]'))).toThrow(/malformed facts: span/);
    expect(() => decodeFacts(oneReference("[[0]]", "[3,0,[1,2]]"))).toThrow(/malformed facts: span/);
  });
});

describe("facts cache store", () => {
  const config = { dir: path.join(temp, "store"), namespace: "proj" };
  const packs = (c = config) => fs.readdirSync(path.join(c.dir, "facts", "packs")).filter((f) => f.endsWith(".pack"));

  it("serves what was written and indexed, for the same content hash and salt only", () => {
    const store = new PackStore(config);
    const [a, b] = store.writePack(["BODY-A", "BODY-B"]) ?? [];
    expect(a && b).toBeTruthy();
    FactsIndex.load(config, "salt-a").save(
      new Map([
        ["a.py", { ...(a as Omit<CacheEntry, "hash">), hash: "hash-1" }],
        ["b.py", { ...(b as Omit<CacheEntry, "hash">), hash: "hash-2" }],
      ]),
    );
    const index = FactsIndex.load(config, "salt-a");
    expect(store.read(index.get("a.py"), "hash-1")).toBe("BODY-A");
    expect(store.read(index.get("b.py"), "hash-2")).toBe("BODY-B");
    expect(store.read(index.get("a.py"), "hash-2")).toBeUndefined();
    expect(index.get("c.py")).toBeUndefined();
    expect(FactsIndex.load(config, "salt-b").get("a.py")).toBeUndefined();
    expect(FactsIndex.load({ ...config, namespace: "other" }, "salt-a").get("a.py")).toBeUndefined();
    // One pack for the batch, however many entries.
    expect(packs()).toHaveLength(1);
  });

  it("treats a corrupt or truncated entry as a miss; a malformed index is an empty one", () => {
    const c = { dir: path.join(temp, "corrupt"), namespace: "p" };
    const store = new PackStore(c);
    const [w] = store.writePack(["0123456789"]) ?? [];
    const entry = { ...(w as Omit<CacheEntry, "hash">), hash: "h" };
    const [pack] = packs(c);
    const file = path.join(c.dir, "facts", "packs", pack as string);
    const good = fs.readFileSync(file, "utf8");
    expect(store.read(entry, "h")).toBe("0123456789");
    fs.writeFileSync(file, good.replace("0123456789", "0123456780"));
    expect(store.read(entry, "h")).toBeUndefined();
    fs.writeFileSync(file, good.slice(0, 5));
    expect(store.read(entry, "h")).toBeUndefined();
    fs.rmSync(file);
    expect(store.read(entry, "h")).toBeUndefined();
    expect(store.read({ ...entry, pack: "../../../etc/passwd" }, "h")).toBeUndefined();
    FactsIndex.load(c, "s").save(new Map([["a.py", entry]]));
    const indexDir = path.join(c.dir, "facts", "index");
    const [indexName] = fs.readdirSync(indexDir);
    fs.writeFileSync(path.join(indexDir, indexName as string), "{ not json");
    expect(FactsIndex.load(c, "s").get("a.py")).toBeUndefined();
    expect(fs.readdirSync(indexDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("remembers a failed write instead of throwing", () => {
    const blocker = path.join(temp, "not-a-dir");
    fs.writeFileSync(blocker, "");
    const store = new PackStore({ dir: blocker, namespace: "" });
    expect(store.writePack(["x"])).toBeUndefined();
    expect(store.writeError).toBeDefined();
    expect(FactsIndex.load({ dir: blocker, namespace: "" }, "s").save(new Map())).toBeDefined();
  });

  it("drops packs no index refers to once they are old, and rewrites mostly stale packs", () => {
    const c = { dir: path.join(temp, "prune"), namespace: "p" };
    const store = new PackStore(c);
    const bodies = Array.from({ length: 8 }, (_, i) => `body-${i}-${"x".repeat(100)}`);
    const written = store.writePack(bodies) ?? [];
    const [orphan] = store.writePack(["orphan"]) ?? [];
    const dir = path.join(c.dir, "facts", "packs");
    const old = (Date.now() - 60 * 60 * 1000) / 1000;
    for (const name of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, name), old, old);
    // Only one of eight entries is still live: its pack is rewritten, and both old packs go.
    const live = new Map([["keep.py", { ...(written[3] as Omit<CacheEntry, "hash">), hash: "h3" }]]);
    FactsIndex.load(c, "s").save(live);
    const index = FactsIndex.load(c, "s");
    const kept = index.get("keep.py");
    expect(kept?.pack).not.toBe(written[3]?.pack);
    expect(store.read(kept, "h3")).toBe(bodies[3]);
    expect(packs(c)).toEqual([kept?.pack]);
    expect(orphan).toBeDefined();
    // A young unreferenced pack (a concurrent run's) survives.
    store.writePack(["fresh"]);
    FactsIndex.load(c, "s").save(new Map([["keep.py", kept as CacheEntry]]));
    expect(packs(c)).toHaveLength(2);
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

  it("rebuilds a corrupt pack and gives the same report", async () => {
    const dir = path.join(temp, "run-cache");
    const first = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation: dir });
    const packDir = path.join(dir, "facts", "packs");
    const packFiles = fs.readdirSync(packDir).map((f) => path.join(packDir, f));
    expect(packFiles.length).toBeGreaterThan(1);
    const victim = packFiles[0] as string;
    const inVictim = fs.readFileSync(victim, "utf8").split("\n").filter(Boolean).length;
    fs.writeFileSync(victim, fs.readFileSync(victim, "utf8").slice(0, 100));
    const second = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation: dir });
    expect(second.project.stats).toMatchObject({ parsed: inVictim, cacheHits: first.project.entries.length - inVictim });
    expect(second.report.findings).toEqual(first.report.findings);
    const third = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation: dir });
    expect(third.project.stats).toMatchObject({ parsed: 0, cacheHits: first.project.entries.length });
  });

  it("serves a file whose content hash was just computed (the run memo's key) without reading it again", async () => {
    const root = path.join(temp, "known-hashes");
    fs.cpSync(path.join(REPO_ROOT, fixture), root, { recursive: true });
    const dir = path.join(temp, "known-hashes-cache");
    const first = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: dir });
    const hashes = new Map(first.project.entries.map((e) => [e.facts.file, e.facts.hash]));
    const all = first.project.entries.length;
    // Changed on disk after its hash was taken: a run that trusts the hash serves the cached facts…
    const changed = first.project.entries.find((e) => e.facts.language === "python" && e.reported)?.facts.file as string;
    fs.appendFileSync(path.join(root, changed), "\n\ndef added_later():\n    return 1\n");
    const trusted = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: dir, knownHashes: hashes });
    expect(trusted.project.stats).toMatchObject({ parsed: 0, cacheHits: all });
    expect(trusted.project.entries.find((e) => e.facts.file === changed)?.facts.definitions.map((d) => d.name)).not.toContain("added_later");
    // …one whose known hash for it is another reads and extracts it (and caches it: a later run hits).
    const fresh = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: dir, knownHashes: new Map([...hashes, [changed, "0".repeat(40)]]) });
    expect(fresh.project.stats).toMatchObject({ parsed: 1, cacheHits: all - 1 });
    expect(fresh.project.entries.find((e) => e.facts.file === changed)?.facts.definitions.map((d) => d.name)).toContain("added_later");
    const later = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: dir });
    expect(later.project.stats).toMatchObject({ parsed: 0, cacheHits: all });
    expect(later.report.findings).toEqual(fresh.report.findings);
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
    expect(fs.readdirSync(path.join(dir, "facts", "packs")).length).toBeGreaterThan(0);
    expect(leftovers).toEqual([]);
  });
});
