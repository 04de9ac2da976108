/**
 * Corrupt state, end to end: every way a baseline, history, cache or config file can be broken
 * (truncated, emptied, binary garbage, hand-edited into the wrong shape, replaced by a folder)
 * must give either exit 2 with one clear line naming the file and the problem — no stack trace,
 * nothing written — or, for the cache, a silent rebuild with exactly the report of a cold run.
 *
 * Most cases run the CLI's `main()` in-process (same code as the binary, much faster); one case
 * per kind runs the real binary.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackStore } from "../../src/cache/store.js";
import { runCheck } from "../../src/engine/check.js";
import type { Report } from "../../src/report/types.js";
import { STACK_LINE, cleanup, cli, copyFixture, expectCleanFailure, runMain, tempDir } from "./helpers.js";

afterAll(cleanup);

let root: string;
let baselineText: string;
const baselineFile = () => path.join(root, ".ssot-audit-baseline.json");

beforeAll(async () => {
  root = copyFixture("fixtures/python-broadcast");
  const r = await runMain(["baseline", "--no-cache", "--quiet", root]);
  expect(r.status).toBe(0);
  baselineText = fs.readFileSync(baselineFile(), "utf8");
  expect(JSON.parse(baselineText).entries.length).toBeGreaterThan(3);
}, 60_000);

describe("a corrupt baseline: exit 2, one line naming the file and the problem, nothing written", () => {
  const edit = (f: (b: { version: unknown; tool: unknown; entries: Record<string, unknown>[] }) => void) => () => {
    const b = JSON.parse(baselineText);
    f(b);
    return JSON.stringify(b, null, 2);
  };
  const CASES: { name: string; content: () => string | Buffer; expect: RegExp }[] = [
    {
      name: "truncated mid-file",
      content: () => baselineText.slice(0, Math.floor(baselineText.length / 2)),
      expect: /line \d+, column \d+: invalid JSON \(corrupt or truncated baseline\?\)/,
    },
    { name: "empty", content: () => "", expect: /invalid JSON/ },
    { name: "binary garbage", content: () => Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x89, 0x50]), expect: /invalid JSON/ },
    { name: "an array", content: () => "[]", expect: /not a baseline: expected a JSON object, found \[\]/ },
    {
      name: "version 2",
      content: edit((b) => {
        b.version = 2;
      }),
      expect: /version: unsupported baseline version 2/,
    },
    {
      name: "a count as a string",
      content: edit((b) => {
        b.entries[0] = { ...b.entries[0], count: "2" };
      }),
      expect: /entries\[0\]\.count: expected a whole number ≥ 1, found "2"/,
    },
    {
      name: "a misspelt key",
      content: edit((b) => {
        b.entries[1] = { ...b.entries[1], fingreprint: "x" };
      }),
      expect: /entries\[1\]\.fingreprint: unknown key/,
    },
    {
      name: "a bad fingerprint",
      content: edit((b) => {
        b.entries[0] = { ...b.entries[0], fingerprint: "../../etc/passwd" };
      }),
      expect: /entries\[0\]\.fingerprint: expected a fingerprint/,
    },
    {
      name: "an unknown rule id",
      content: edit((b) => {
        b.entries[0] = { ...b.entries[0], ruleId: "no-such-rule" };
      }),
      expect: /entries\[0\]\.ruleId: expected a rule id/,
    },
    {
      name: "a duplicated entry",
      content: edit((b) => {
        b.entries.push({ ...b.entries[0] });
      }),
      expect: /duplicate of entries\[0\]/,
    },
  ];

  it.each(CASES)("$name", async ({ content, expect: message }) => {
    const file = path.join(root, "corrupt-baseline.json");
    const bytes = content();
    fs.writeFileSync(file, bytes);
    const line = expectCleanFailure(await runMain(["check", "--no-cache", "--baseline", file, root]));
    expect(line).toContain("corrupt-baseline.json");
    expect(line).toMatch(message);
    // `baseline --update` on it refuses too, and leaves it as it was.
    expectCleanFailure(await runMain(["baseline", "--no-cache", "--update", "--baseline", file, root]));
    expect(fs.readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
  });

  it("a folder where the baseline should be, or no file at all", async () => {
    const dir = path.join(root, "baseline-dir.json");
    fs.mkdirSync(dir, { recursive: true });
    expect(expectCleanFailure(await runMain(["check", "--no-cache", "--baseline", dir, root]))).toMatch(
      /baseline-dir\.json: cannot read baseline: is a directory/,
    );
    expect(expectCleanFailure(await runMain(["check", "--no-cache", "--baseline", path.join(root, "nope.json"), root]))).toMatch(
      /nope\.json: baseline file not found; create it with `ssot-audit baseline`/,
    );
  });

  it("the real binary: a truncated baseline is one line, exit 2", () => {
    fs.writeFileSync(path.join(root, "cut.json"), baselineText.slice(0, 200));
    const line = expectCleanFailure(cli(["check", "--baseline", "cut.json", "."], { cwd: root }));
    expect(line).toMatch(/^ssot-audit: cut\.json: line \d+, column \d+: invalid JSON/);
  });

  it("the intact baseline still works after all that", async () => {
    const r = await runMain(["check", "--no-cache", "-f", "json", "--baseline", baselineFile(), root]);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(baselineFile(), "utf8")).toBe(baselineText);
  });
});

describe("a corrupt history file: exit 2, one line naming file and line, nothing written", () => {
  const GOOD = '{"date":"2026-01-01T00:00:00Z","commit":null,"concepts":{}}';
  const CASES = [
    { name: "truncated last line", text: `${GOOD}\n${GOOD.slice(0, 30)}`, where: ":2: invalid JSON" },
    { name: "binary garbage", text: "\u0000\u00ff\u001b[2J\n", where: ":1: invalid JSON" },
    { name: "wrong shape", text: `${GOOD}\n{"date":5}\n`, where: ":2:" },
  ];

  it.each(CASES)("$name", async ({ text, where }) => {
    const history = path.join(root, "history.jsonl");
    const out = path.join(root, "report.md");
    fs.writeFileSync(history, text);
    fs.rmSync(out, { force: true });
    const line = expectCleanFailure(await runMain(["report", "--history", history, "-o", out, root]));
    expect(line).toContain(`corrupt history file ${history}${where}`);
    expect(fs.readFileSync(history, "utf8")).toBe(text);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("a corrupt cache entry is rebuilt: same report as a cold run, never a stack", () => {
  function packs(dir: string): string[] {
    const packDir = path.join(dir, "facts", "packs");
    return fs
      .readdirSync(packDir)
      .filter((f) => f.endsWith(".pack"))
      .map((f) => path.join(packDir, f))
      .sort();
  }
  function indexFile(dir: string): string {
    const indexDir = path.join(dir, "facts", "index");
    const [name] = fs.readdirSync(indexDir);
    return path.join(indexDir, name as string);
  }
  /** Entries in a pack: one body per line. */
  const entryCount = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean).length;
  const comparable = (r: Report) => ({ ...r, summary: { ...r.summary, durationMs: 0 } });

  it("truncated, emptied, bit-flipped, garbage and binary packs are misses and are rewritten", async () => {
    const cache = tempDir("ssot-cache-");
    const cold = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache });
    const files = packs(cache);
    const total = files.reduce((n, f) => n + entryCount(f), 0);
    expect(total).toBe(cold.project.entries.length);
    // Each damage spoils every entry of its pack (an entry is checked on its own: a flip in one
    // body spoils that body only).
    const damage: ((text: Buffer) => Buffer | string)[] = [
      (b) => b.subarray(0, 10),
      () => "",
      (b) => {
        const copy = Buffer.from(b);
        // One flipped bit in the middle of every body.
        let start = 0;
        for (let nl = copy.indexOf(10); nl >= 0; nl = copy.indexOf(10, nl + 1)) {
          const i = Math.floor((start + nl) / 2);
          copy[i] = (copy[i] ?? 0) ^ 0x01;
          start = nl + 1;
        }
        return copy;
      },
      () => "not\ta\tvalid\tpack\n{}",
      () => Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0xfe, 0x00]),
    ];
    const victims = files.slice(0, damage.length);
    expect(victims.length).toBeGreaterThan(1);
    const damaged = victims.reduce((n, f) => n + entryCount(f), 0);
    for (const [i, file] of victims.entries()) fs.writeFileSync(file, damage[i]?.(fs.readFileSync(file)) ?? "");

    const warnings: string[] = [];
    const healed = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache, warn: (m) => warnings.push(m) });
    expect(healed.project.stats).toMatchObject({ parsed: damaged, cacheHits: total - damaged });
    expect(comparable(healed.report)).toEqual(comparable(cold.report));
    expect(warnings).toEqual([]);
    const warm = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache });
    expect(warm.project.stats).toMatchObject({ parsed: 0, cacheHits: total });
    expect(comparable(warm.report)).toEqual(comparable(cold.report));
  });

  it("entries whose checksum holds but whose facts do not decode (a broken build wrote them) are extracted again", async () => {
    const cache = tempDir("ssot-cache-");
    const cold = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache });
    const total = cold.project.entries.length;
    // A well-formed pack (checksums hold) whose bodies are not facts.
    const written = new PackStore({ dir: cache, namespace: "" }).writePack(["[2,[],[],[1,7]]", '"facts"']);
    expect(written).toHaveLength(2);
    // In-process and through the pool (the worker sends the entry on; the main thread decodes).
    for (const pooled of [false, true]) {
      const index = JSON.parse(fs.readFileSync(indexFile(cache), "utf8")) as { files: Record<string, [string, string, number, number, string]> };
      const victims = Object.keys(index.files).sort().slice(0, 2);
      expect(victims).toHaveLength(2);
      victims.forEach((rel, i) => {
        const [hash] = index.files[rel] ?? [""];
        const w = written?.[i];
        if (w) index.files[rel] = [hash, w.pack, w.offset, w.length, w.sha1];
      });
      fs.writeFileSync(indexFile(cache), JSON.stringify(index));
      const healed = await runCheck({ paths: ["."], cwd: root, jobs: 2, ...(pooled ? { minFilesForPool: 1 } : {}), cacheLocation: cache });
      expect(healed.project.stats).toMatchObject({ threads: pooled ? 2 : 0, parsed: victims.length, cacheHits: total - victims.length });
      expect(comparable(healed.report)).toEqual(comparable(cold.report));
    }
  });

  it("a garbage, re-salted or wrong index is an empty one: everything is extracted again, same report", async () => {
    const cache = tempDir("ssot-cache-");
    const cold = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache });
    const total = cold.project.entries.length;
    const good = fs.readFileSync(indexFile(cache), "utf8");
    const damage = [
      "{ not json",
      good.replace(/"salt":"[0-9a-f]+"/, '"salt":"other-salt"'),
      // Every entry points one byte off: its checksum no longer matches.
      good.replace(/,(\d+),(\d+),"/g, (_m, offset: string, length: string) => `,${Number(offset) + 1},${length},"`),
    ];
    for (const text of damage) {
      fs.writeFileSync(indexFile(cache), text);
      const again = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache });
      expect(again.project.stats).toMatchObject({ parsed: total, cacheHits: 0 });
      expect(comparable(again.report)).toEqual(comparable(cold.report));
    }
  });

  it("an index that became a folder: the run succeeds with the same report (a warning that the cache could not be written)", async () => {
    const cache = tempDir("ssot-cache-");
    const cold = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache });
    const victim = indexFile(cache);
    fs.rmSync(victim);
    fs.mkdirSync(path.join(victim, "blocker"), { recursive: true });
    const warnings: string[] = [];
    const again = await runCheck({ paths: ["."], cwd: root, jobs: 1, cacheLocation: cache, warn: (m) => warnings.push(m) });
    expect(comparable(again.report)).toEqual(comparable(cold.report));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not write the cache .*results are not affected/);
  });

  it("the real binary on a corrupted cache: same JSON as without a cache", () => {
    const cache = tempDir("ssot-cache-");
    const strip = (s: string) => s.replace(/"durationMs": \d+/, "");
    const noCache = cli(["check", "-f", "json", "--no-cache", "."], { cwd: root });
    expect(cli(["check", "-f", "json", "--cache-location", cache, "."], { cwd: root }).status).toBe(noCache.status);
    for (const file of packs(cache)) fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40));
    const r = cli(["check", "-f", "json", "--cache-location", cache, "."], { cwd: root });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(strip(r.stdout)).toBe(strip(noCache.stdout));
  });
});

describe("config errors: exit 2, one line with the file, the key path, what was found and expected, did you mean", () => {
  const CASES: { name: string; config: string; expect: RegExp[] }[] = [
    { name: "a misspelt top-level key", config: "concpets: {}\n", expect: [/concpets/, /did you mean "concepts"\?/] },
    {
      name: "a misspelt concept key",
      config: 'concepts:\n  c:\n    canonical: "a.py::f"\n    sinkOwner: ["x/**"]\n',
      expect: [/concepts\.c\.sinkOwner/, /did you mean "sinkOwners"\?/],
    },
    {
      name: "a misspelt rule id",
      config: "rules:\n  non-canonical-cal: off\n",
      expect: [/rules\.non-canonical-cal/, /did you mean "non-canonical-call"\?/],
    },
    {
      name: "a wrong severity",
      config: "rules:\n  legacy-fallback: fatal\n",
      expect: [/rules\.legacy-fallback/, /found "fatal"/, /expected "error" \| "warning" \| "off"/],
    },
    { name: "a wrong type", config: "exclude: generated\n", expect: [/exclude/, /expected an array of globs/, /"generated"/] },
    {
      name: "a YAML custom tag",
      config: "include: !!js/function 'function () { process.exit(9) }'\n",
      expect: [/custom tag "!!js\/function" is not allowed/],
    },
    { name: "truncated YAML", config: 'concepts:\n  c:\n    canonical: "a.py::f\n', expect: [/invalid YAML/] },
    { name: "binary garbage", config: "\u0000\u0001\u0002\u00ff", expect: [/ssot-audit\.config\.yaml/] },
  ];

  it.each(CASES)("$name", async ({ config, expect: patterns }) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "a.py"), "def f():\n    pass\n");
    fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), config);
    const line = expectCleanFailure(await runMain(["check", "--no-cache", dir]));
    expect(line).toContain("ssot-audit.config.yaml");
    for (const p of patterns) expect(line).toMatch(p);
  });

  it("the real binary: a misspelt key is one line with a suggestion", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), "exlude: []\n");
    const line = expectCleanFailure(cli(["check", "."], { cwd: dir }));
    expect(line).toMatch(/^ssot-audit: ssot-audit\.config\.yaml.*exlude.*did you mean "exclude"\?/);
  });
});
