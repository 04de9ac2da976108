import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/ssot-audit");
const FIXTURE = "fixtures/python-broadcast";

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The facts packs in a cache folder (a run that parses files writes new ones; one served from the cache does not). */
function packs(cache: string): string[] {
  const dir = path.join(cache, "facts", "packs");
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-engine-flags-"));
  temps.push(dir);
  return dir;
}

describe("the performance flags on every command that loads a project", () => {
  it("report and fix write the facts cache where told, and read what the other wrote", () => {
    // A cold run parses every file and writes packs at its --cache-location; a run over a cache
    // another command filled parses nothing, so it writes none (one that ignored the cache would
    // write nothing there either: hence both halves, for each command).
    const fixFirst = tempDir();
    const coldFix = run(["fix", FIXTURE, "--cache-location", fixFirst, "--no-progress"]);
    expect(coldFix.status, coldFix.stderr).toBe(0);
    const fixPacks = packs(fixFirst);
    expect(fixPacks.length).toBeGreaterThan(0);
    const warmReport = run(["report", FIXTURE, "--cache-location", fixFirst, "--no-progress"]);
    expect(warmReport.status, warmReport.stderr).toBe(0);
    expect(packs(fixFirst)).toEqual(fixPacks);

    const reportFirst = tempDir();
    const coldReport = run(["report", FIXTURE, "--cache-location", reportFirst, "--jobs", "1", "--no-progress"]);
    expect(coldReport.status, coldReport.stderr).toBe(0);
    // The same report, but for its header line (time of day, duration).
    const body = (markdown: string) => markdown.replace(/^<sub>.*<\/sub>$/m, "");
    expect(body(coldReport.stdout)).toBe(body(warmReport.stdout));
    const reportPacks = packs(reportFirst);
    expect(reportPacks.length).toBeGreaterThan(0);
    const warmFix = run(["fix", FIXTURE, "--cache-location", reportFirst, "--no-progress"]);
    expect(warmFix.status, warmFix.stderr).toBe(0);
    expect(packs(reportFirst)).toEqual(reportPacks);
    const check = run(["check", FIXTURE, "--cache-location", reportFirst, "-f", "json"]);
    expect(check.status, check.stderr).toBe(1);
    expect(packs(reportFirst)).toEqual(reportPacks);

    // The same diff cold, warm and without the cache.
    const uncached = run(["fix", FIXTURE, "--no-cache"]);
    expect(uncached.stdout).toContain("+++ b/");
    expect(coldFix.stdout).toBe(uncached.stdout);
    expect(warmFix.stdout).toBe(uncached.stdout);
  });

  it.each([["fix"], ["report"], ["baseline"], ["discover"], ["check"]])("%s rejects --jobs 0 with one line (exit 2)", (command) => {
    const r = run([command, FIXTURE, "--jobs", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain('expected a whole number ≥ 1, found "0"');
  });
});
