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
  it("report and fix share the facts cache with check", () => {
    const cache = tempDir();
    const report = run(["report", FIXTURE, "--cache-location", cache, "--jobs", "1", "--no-progress"]);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toContain("websocket-broadcast");
    const written = packs(cache);
    expect(written.length).toBeGreaterThan(0);

    // Served from the cache report just filled: no file is parsed again, so no pack is written.
    const fix = run(["fix", FIXTURE, "--cache-location", cache, "--no-progress"]);
    expect(fix.status, fix.stderr).toBe(0);
    expect(packs(cache)).toEqual(written);
    const check = run(["check", FIXTURE, "--cache-location", cache, "-f", "json"]);
    expect(check.status, check.stderr).toBe(1);
    expect(packs(cache)).toEqual(written);

    // The same diff without the cache.
    const uncached = run(["fix", FIXTURE, "--no-cache"]);
    expect(uncached.stdout).toBe(fix.stdout);
    expect(fix.stdout).toContain("+++ b/");
  });

  it.each([["fix"], ["report"], ["baseline"], ["discover"], ["check"]])("%s rejects --jobs 0 with one line (exit 2)", (command) => {
    const r = run([command, FIXTURE, "--jobs", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain('expected a whole number ≥ 1, found "0"');
  });
});
