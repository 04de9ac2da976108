import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunMemoInput, readRunMemo, runMemoKey, writeRunMemo } from "../../src/cache/run-memo.js";
import { type BaselineEntry, formatBaseline } from "../../src/baseline/file.js";
import { type CheckOptions, type CheckResult, runCheckReport } from "../../src/engine/check.js";
import type { Report } from "../../src/report/types.js";
import { REPO_ROOT, runCli } from "../fixtures/helpers.js";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-run-memo-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const INPUT: RunMemoInput = {
  salt: "s",
  config: { concepts: {} },
  requested: ["."],
  cwd: "",
  files: [
    { rel: "a.py", isTest: false, hash: "1" },
    { rel: "b.py", isTest: true, hash: "2" },
  ],
  skipped: [],
  inlineIgnore: true,
};

function report(findings: number): Report {
  return {
    version: 1,
    tool: { name: "ssot-audit", version: "0" },
    summary: { files: 2, findings, errors: findings, warnings: 0, baselined: 0, suppressed: 0, durationMs: 5 },
    concepts: [],
    findings: [],
    parseErrors: [],
    skipped: [],
    suppressionProblems: [],
  };
}

describe("run memo store", () => {
  it("keys on every input: one changed hash, test flag, path, option or the config misses", () => {
    const key = runMemoKey(INPUT);
    expect(runMemoKey(structuredClone(INPUT))).toBe(key);
    const variants: RunMemoInput[] = [
      { ...INPUT, salt: "t" },
      { ...INPUT, config: { concepts: { x: 1 } } },
      { ...INPUT, requested: ["src"] },
      { ...INPUT, cwd: "src" },
      { ...INPUT, files: [{ rel: "a.py", isTest: false, hash: "9" }, INPUT.files[1] as RunMemoInput["files"][number]] },
      { ...INPUT, files: [{ rel: "a.py", isTest: true, hash: "1" }, INPUT.files[1] as RunMemoInput["files"][number]] },
      { ...INPUT, files: [INPUT.files[0] as RunMemoInput["files"][number]] },
      { ...INPUT, skipped: [{ file: "big.py", reason: "too large" }] },
      { ...INPUT, inlineIgnore: false },
      { ...INPUT, baseline: { rel: "baseline.json", hash: "b" } },
    ];
    const keys = new Set([key, ...variants.map(runMemoKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it("serves what was written under the same key only; a torn entry is a miss", () => {
    const cache = { dir: path.join(temp, "store"), namespace: "p" };
    const key = runMemoKey(INPUT);
    expect(readRunMemo(cache, key)).toBeUndefined();
    writeRunMemo(cache, key, report(3));
    expect(readRunMemo(cache, key)).toEqual(report(3));
    expect(readRunMemo(cache, runMemoKey({ ...INPUT, salt: "other" }))).toBeUndefined();
    expect(readRunMemo({ ...cache, namespace: "q" }, key)).toBeUndefined();
    const [file] = fs.readdirSync(path.join(cache.dir, "runs"));
    const abs = path.join(cache.dir, "runs", file as string);
    fs.writeFileSync(abs, fs.readFileSync(abs, "utf8").replace('"findings":3', '"findings":4'));
    expect(readRunMemo(cache, key)).toBeUndefined();
    fs.writeFileSync(abs, fs.readFileSync(abs, "utf8").slice(0, 40));
    expect(readRunMemo(cache, key)).toBeUndefined();
    writeRunMemo(cache, key, report(3));
    expect(readRunMemo(cache, key)).toEqual(report(3));
  });

  it("keeps only the newest eight entries", () => {
    const cache = { dir: path.join(temp, "prune"), namespace: "p" };
    const keys = Array.from({ length: 10 }, (_, i) => runMemoKey({ ...INPUT, salt: String(i) }));
    const dir = path.join(cache.dir, "runs");
    keys.forEach((key, i) => {
      writeRunMemo(cache, key, report(i));
      // Distinct modification times, oldest first.
      const written = fs
        .readdirSync(dir)
        .map((name) => path.join(dir, name))
        .find((file) => fs.readFileSync(file, "utf8").includes(key));
      if (!written) throw new Error(`entry ${i} not written`);
      fs.utimesSync(written, 1000 + i, 1000 + i);
    });
    expect(fs.readdirSync(dir).length).toBe(8);
    expect(keys.map((key) => readRunMemo(cache, key)?.summary.findings)).toEqual([undefined, undefined, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("run memo in check", () => {
  /** A private copy of the broadcast fixture, and check options on it with a private cache. */
  function setup(name: string): { root: string; options: CheckOptions; warnings: string[] } {
    const root = path.join(temp, name);
    fs.cpSync(path.join(REPO_ROOT, "fixtures/python-broadcast"), root, { recursive: true });
    // A binary file is skipped with a warning, on every run.
    fs.writeFileSync(path.join(root, "netra_backend/blob.py"), Buffer.from([0x61, 0x00, 0x62]));
    const warnings: string[] = [];
    const options: CheckOptions = {
      paths: ["."],
      cwd: root,
      cache: true,
      cacheLocation: path.join(root, ".cache"),
      jobs: 1,
      warn: (m) => warnings.push(m),
    };
    return { root, options, warnings };
  }
  const withoutDuration = (r: Report) => ({ ...r, summary: { ...r.summary, durationMs: 0 } });

  it("returns the previous report when nothing changed, and analyses again after any change", async () => {
    const { root, options, warnings } = setup("check");
    const first = await runCheckReport(options);
    expect(first.analysis).toBeDefined();
    expect(first.report.findings.length).toBeGreaterThan(0);
    expect(warnings).toEqual(["ssot-audit: skipped netra_backend/blob.py: binary file"]);

    warnings.length = 0;
    const second = await runCheckReport(options);
    expect(second.analysis).toBeUndefined();
    expect(second.rootDir).toBe(first.rootDir);
    expect(withoutDuration(second.report)).toEqual(withoutDuration(first.report));
    expect(warnings).toEqual(["ssot-audit: skipped netra_backend/blob.py: binary file"]);

    // One more direct sink call in an existing file: a new finding, not the stored report.
    const file = "netra_backend/app/handlers/status_handler.py";
    const before = fs.readFileSync(path.join(root, file), "utf8");
    fs.writeFileSync(path.join(root, file), `${before}\n\ndef leak():\n    import os\n    return os.environ["SECRET"]\n`);
    const third = await runCheckReport(options);
    expect(third.analysis).toBeDefined();
    const added = third.report.findings.filter((f) => !first.report.findings.some((g) => g.fingerprint === f.fingerprint));
    expect(added.map((f) => [f.ruleId, f.file, f.line])).toEqual([["direct-sink-call", file, before.split("\n").length + 4]]);

    // Back to the first content: the first run's entry is still there.
    fs.writeFileSync(path.join(root, file), before);
    const fourth = await runCheckReport(options);
    expect(fourth.analysis).toBeUndefined();
    expect(withoutDuration(fourth.report)).toEqual(withoutDuration(first.report));
  });

  it("misses when the options that shape the report change, and is off without the cache or when asked", async () => {
    const { options } = setup("options");
    await runCheckReport(options);
    expect((await runCheckReport(options)).analysis).toBeUndefined();
    expect((await runCheckReport({ ...options, inlineIgnore: false })).analysis).toBeDefined();
    expect((await runCheckReport({ ...options, paths: ["netra_backend/app"] })).analysis).toBeDefined();
    expect((await runCheckReport(options, { useMemo: false })).analysis).toBeDefined();
    const uncached = { ...options, cache: false, cacheLocation: undefined } as CheckOptions;
    delete uncached.cacheLocation;
    await runCheckReport(uncached);
    expect((await runCheckReport(uncached)).analysis).toBeDefined();
  });

  it("misses when the baseline file changes", async () => {
    const { root, options } = setup("baseline");
    const baselineFile = path.join(root, "baseline.json");
    const first = await runCheckReport(options);
    const byFingerprint = new Map<string, BaselineEntry>();
    for (const f of first.report.findings) {
      const known = byFingerprint.get(f.fingerprint);
      if (known) known.count++;
      else
        byFingerprint.set(f.fingerprint, {
          ruleId: f.ruleId,
          file: f.file,
          concept: f.concept,
          symbol: f.symbol,
          fingerprint: f.fingerprint,
          count: 1,
          message: f.message,
        });
    }
    const entries = [...byFingerprint.values()].filter((e) => e.count === 1);
    fs.writeFileSync(baselineFile, formatBaseline(entries));
    const withBaseline = await runCheckReport({ ...options, baselineFile });
    expect(withBaseline.analysis).toBeDefined();
    expect((await runCheckReport({ ...options, baselineFile })).analysis).toBeUndefined();
    fs.writeFileSync(baselineFile, formatBaseline(entries.slice(1)));
    const shorter = await runCheckReport({ ...options, baselineFile });
    expect(shorter.analysis).toBeDefined();
    expect(shorter.report.summary.baselined).toBe((withBaseline.report.summary.baselined ?? 0) - 1);
  });

  it("memoises an enriched report (SARIF's fixes) apart from the plain one", async () => {
    const { options } = setup("enriched");
    let applied = 0;
    const enrich = {
      name: "marks",
      apply: async (analysis: CheckResult) => {
        applied++;
        for (const f of analysis.report.findings) f.message = `${f.message} [marked]`;
      },
    };
    const first = await runCheckReport(options, { enrich });
    expect(first.analysis).toBeDefined();
    expect(first.report.findings.every((f) => f.message.endsWith("[marked]"))).toBe(true);
    const second = await runCheckReport(options, { enrich });
    expect(second.analysis).toBeUndefined();
    expect(applied).toBe(1);
    expect(withoutDuration(second.report)).toEqual(withoutDuration(first.report));
    // The plain report is another entry: analysed, not marked.
    const plain = await runCheckReport(options);
    expect(plain.analysis).toBeDefined();
    expect(plain.report.findings.some((f) => f.message.endsWith("[marked]"))).toBe(false);
  });

  it("the CLI's SARIF (fixes included) is the same from the memo as from the analysis", () => {
    const { root } = setup("sarif-cli");
    const run = () => runCli(["check", root, "-f", "sarif", "--cache-location", path.join(root, ".cache")]);
    const first = run();
    // Facts can no longer be cached: a second run that analysed would say so on stderr.
    fs.rmSync(path.join(root, ".cache", "facts"), { recursive: true });
    fs.writeFileSync(path.join(root, ".cache", "facts"), "");
    const second = run();
    expect([first.status, second.status]).toEqual([1, 1]);
    // Only the skipped file's warning, which the memo repeats: no word of the cache.
    expect(second.stderr).toBe("ssot-audit: skipped netra_backend/blob.py: binary file\n");
    const strip = (text: string) => text.replace(/"durationMs": ?\d+/g, "");
    expect(strip(second.stdout)).toBe(strip(first.stdout));
    expect(first.stdout).toContain('"fixes"');
    expect(fs.readdirSync(path.join(root, ".cache", "runs")).length).toBe(1);
  });
});
