import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/ssot-audit");

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ssot-audit check (the real binary)", () => {
  it("exits 1 with findings, and the JSON report on stdout parses", () => {
    const r = run(["check", "fixtures/python-broadcast", "-f", "json"]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { version: number; findings: unknown[] };
    expect(report.version).toBe(1);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it("is the default command and exits 0 on a clean fixture", () => {
    const r = run(["fixtures/clean-python"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("no SSOT violations");
  });

  it("--fail-on never exits 0 and --fail-on warning fails on warnings only", () => {
    expect(run(["fixtures/python-broadcast", "--fail-on", "never", "-f", "json"]).status).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-"));
    fs.writeFileSync(
      path.join(dir, "ssot-audit.config.yaml"),
      "concepts:\n  c:\n    canonical: a.py::f\n    deprecatedModules: [old]\n",
    );
    fs.writeFileSync(path.join(dir, "a.py"), "def f():\n    return 1\n");
    fs.writeFileSync(path.join(dir, "old.py"), "X = 1\n");
    fs.writeFileSync(path.join(dir, "b.py"), "from old import X\n");
    expect(run([dir]).status).toBe(0);
    expect(run([dir, "--fail-on", "warning"]).status).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("says which config it uses when one folder has several", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-"));
    fs.writeFileSync(path.join(dir, "ssot-audit.config.json"), "{}\n");
    fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), "concepts: {}\n");
    fs.writeFileSync(path.join(dir, "a.py"), "x = 1\n");
    const r = run(["check", dir, "-f", "json"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("using ssot-audit.config.json; ignoring ssot-audit.config.yaml in the same folder");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the report to --output and nothing to stdout", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-"));
    const out = path.join(dir, "report.json");
    const r = run(["fixtures/clean-python", "-f", "json", "-o", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect((JSON.parse(fs.readFileSync(out, "utf8")) as { version: number }).version).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports only under the given subfolder, using the config found upward", () => {
    const r = run(["fixtures/python-broadcast/netra_backend/app/handlers", "-f", "json"]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { file: string }[] };
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.file.startsWith("netra_backend/app/handlers/"))).toBe(true);
  });

  it.each([
    [["check", "--format", "xml"], 'unknown format "xml"'],
    [["check", "-c", "fixtures/clean-python/ssot-audit.config.yaml", "fixtures/python-broadcast"], "is outside the project root"],
    [["check", "--bogus"], "unknown option '--bogus'"],
    [["check", "no/such/dir"], "path not found: no/such/dir"],
    [["check", "fixtures/bad-config"], "concepts.websocket-broadcast.sinkz"],
    [["rules", "no-such-rule"], 'unknown rule "no-such-rule"'],
  ])("exits 2 with one clear line for %j", (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("renders the migration report as check formats markdown and html", () => {
    const md = run(["check", "fixtures/python-broadcast", "-f", "markdown"]);
    expect(md.status).toBe(1);
    expect(md.stdout.startsWith("## SSOT migration report")).toBe(true);
    const html = run(["check", "fixtures/clean-python", "-f", "html"]);
    expect(html.status).toBe(0);
    expect(html.stdout.toLowerCase().startsWith("<!doctype html>")).toBe(true);
  });

  it("puts the fixer's edits into SARIF results as fixes, and the log stays valid", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-"));
    const out = path.join(dir, "report.sarif");
    expect(run(["check", "fixtures/python-broadcast", "-f", "sarif", "-o", out]).status).toBe(1);
    type Result = { properties: { fixable: boolean }; fixes?: { artifactChanges: { replacements: { insertedContent?: { text: string } }[] }[] }[] };
    const log = JSON.parse(fs.readFileSync(out, "utf8")) as { runs: { results: Result[] }[] };
    const results = log.runs[0]?.results ?? [];
    const withFixes = results.filter((r) => r.fixes);
    expect(withFixes.length).toBeGreaterThan(0);
    expect(withFixes.every((r) => r.properties.fixable)).toBe(true);
    const inserted = withFixes.flatMap((r) => r.fixes?.[0]?.artifactChanges[0]?.replacements.map((x) => x.insertedContent?.text) ?? []);
    expect(inserted).toContain("get_broadcast_service().broadcast_to_user");
    const validate = spawnSync(path.join(ROOT, "node_modules/.bin/sarif-multitool"), ["validate", out], { encoding: "utf8" });
    expect(validate.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the rules and prints a rule's doc", () => {
    const list = run(["rules"]);
    expect(list.status).toBe(0);
    for (const id of ["duplicate-implementation", "legacy-fallback", "direct-sink-call", "non-canonical-call", "non-canonical-import"]) {
      expect(list.stdout).toContain(id);
    }
    const doc = run(["rules", "legacy-fallback"]);
    expect(doc.status).toBe(0);
    expect(doc.stdout.startsWith("# legacy-fallback\n")).toBe(true);
  });
});

describe("--timing", () => {
  /** The table's rows as [phase, detail] (times vary; each must be a number of ms). */
  const rows = (stderr: string): [string, string][] => {
    const lines = stderr.split("\n").filter(Boolean);
    const start = lines.indexOf("ssot-audit: timing (wall clock)");
    expect(start).toBeGreaterThanOrEqual(0);
    return lines.slice(start + 1).map((line) => {
      const m = /^ {2}(\S.*?) +([\d,]+) ms(?: {2}(.*))?$/.exec(line);
      expect(m, line).not.toBeNull();
      return [m?.[1] ?? "", m?.[3] ?? ""];
    });
  };

  it("prints each phase of a check on stderr, cold then from the run memo, and leaves stdout alone", () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-timing-"));
    try {
      const args = ["check", "fixtures/python-broadcast", "-f", "json", "--timing", "--cache-location", cache];
      const cold = run(args);
      expect(cold.status).toBe(1);
      expect((JSON.parse(cold.stdout) as { findings: unknown[] }).findings).toHaveLength(36);
      expect(rows(cold.stderr)).toEqual([
        ["find & hash files", "23 files (run memo key)"],
        ["run memo", "miss"],
        // The files just found and hashed are not searched for again.
        ["extract facts", "23 files: 23 parsed, 0 from the cache; in-process"],
        ["build model", ""],
        ["analyse concepts", "2 concepts"],
        ["rules", "36 findings"],
        ["suppressions, baseline", ""],
        ["write reports", ""],
        ["total", ""],
      ]);
      const warm = run(args);
      const withoutDuration = (stdout: string) => stdout.replace(/"durationMs": \d+/, "");
      expect(withoutDuration(warm.stdout)).toBe(withoutDuration(cold.stdout));
      expect(rows(warm.stderr)).toEqual([
        ["find & hash files", "23 files (run memo key)"],
        ["run memo", "hit: the previous run's report"],
        ["write reports", ""],
        ["total", ""],
      ]);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it("shows the type checker where a tsconfig.json lets it run, and discovery's phases", () => {
    const typed = run(["check", "fixtures/ts-typed-calls", "-f", "json", "--timing", "--no-cache"]);
    expect(rows(typed.stderr).map(([phase]) => phase)).toEqual([
      "find files",
      "extract facts",
      "build model",
      "type checker",
      "analyse concepts",
      "rules",
      "suppressions, baseline",
      "write reports",
      "total",
    ]);
    expect(rows(typed.stderr)[3]).toEqual(["type checker", "10 of 13 call sites resolved"]);
    const discovery = run(["discover", "fixtures/discover-typescript", "-f", "json", "--timing", "--no-cache"]);
    expect(discovery.status).toBe(0);
    expect(rows(discovery.stderr)).toEqual([
      ["find files", "11 files"],
      ["extract facts", "11 files: 11 parsed, 0 from the cache; in-process"],
      ["build model", ""],
      ["discover candidates", "2 candidates"],
      ["write reports", ""],
      ["total", ""],
    ]);
    expect(run(["check", "fixtures/python-broadcast", "-f", "json", "--no-cache"]).stderr).not.toContain("timing");
  });
});
