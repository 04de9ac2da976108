/** `ssot-audit discover`, and the default command without a config (the real binary). */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DiscoveryReport } from "../../src/discover/types.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin/ssot-audit");

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of a fixture without its config, outside any config's reach. */
function configless(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-discover-"));
  fs.cpSync(path.join(ROOT, "fixtures", fixture), dir, { recursive: true });
  fs.rmSync(path.join(dir, "ssot-audit.config.yaml"), { force: true });
  return dir;
}

describe("ssot-audit discover", () => {
  it("prints the JSON discovery report and exits 0", () => {
    const r = run(["discover", "fixtures/discover-job-family", "-f", "json", "--no-cache"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as DiscoveryReport;
    expect(Object.keys(report)).toEqual(["version", "discovery"]);
    expect(report.version).toBe(1);
    expect(report.discovery.candidates.map((c) => [c.rank, c.kind, c.name, c.suggestedCanonical.symbol])).toEqual([
      [1, "family", "JobScheduler", "UnifiedJobScheduler"],
    ]);
  });

  it("takes the engine flags check takes (--jobs, --no-cache, --no-progress)", () => {
    for (const command of ["discover", "init"]) {
      const dir = configless("discover-job-family");
      const args = command === "init" ? ["init", dir, "--yes"] : ["discover", dir, "-f", "json"];
      const r = run([...args, "--jobs", "1", "--no-cache", "--no-progress"]);
      expect([command, r.status, r.stderr.replace(/^ssot-audit: wrote .*\n/, "")]).toEqual([command, 0, ""]);
    }
  });

  it("prints stylish by default and markdown on request", () => {
    const stylish = run(["discover", "fixtures/discover-renamed-copy", "--no-cache"]);
    expect(stylish.status).toBe(0);
    expect(stylish.stdout).toContain("1. compute_invoice_total  clone  score ");
    expect(stylish.stdout).toContain("keep  billing/invoices.py:8  compute_invoice_total");
    expect(stylish.stdout).toContain("also  orders/summary.py:8  calculate_order_sum");
    const md = run(["discover", "fixtures/discover-renamed-copy", "-f", "markdown", "--no-cache"]);
    expect(md.status).toBe(0);
    expect(md.stdout.startsWith("# SSOT candidates\n")).toBe(true);
  });

  it("limits the output with --top and writes to --output", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-out-"));
    const out = path.join(dir, "d.json");
    const r = run(["discover", "fixtures/python-broadcast", "-f", "json", "--top", "2", "-o", out, "--no-cache"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as DiscoveryReport;
    expect(report.discovery.candidates.map((c) => c.name)).toEqual(["broadcast_to_user", "get_broadcast_service"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [["discover", "-f", "sarif"], 'unknown format "sarif"'],
    [["discover", "no/such/dir"], "path not found: no/such/dir"],
    [["discover", "--top", "0"], 'expected a whole number ≥ 1, found "0"'],
  ])("exits 2 with one clear line for %j", (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("the default command without a config", () => {
  it("runs discovery (exit 0) and says so on stderr", () => {
    const dir = configless("python-broadcast");
    try {
      for (const args of [
        [dir, "-f", "json", "--no-cache"],
        ["check", dir, "-f", "json", "--no-cache"],
      ]) {
        const r = run(args);
        expect(r.status).toBe(0);
        expect(r.stderr).toContain("no ssot-audit.config.{json,yaml,yml} found; running discovery");
        const report = JSON.parse(r.stdout) as DiscoveryReport;
        expect(report.discovery.candidates.map((c) => c.name)).toEqual([
          "broadcast_to_user",
          "get_broadcast_service",
          "WebSocketEventRouter",
        ]);
      }
      expect(run([dir, "--quiet", "--no-cache"]).stderr).toBe("");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still audits with a config, or with --config", () => {
    const dir = configless("python-broadcast");
    try {
      const withConfig = run(["check", "fixtures/python-broadcast", "-f", "json", "--no-cache"]);
      expect(withConfig.status).toBe(1);
      expect(JSON.parse(withConfig.stdout)).toHaveProperty("findings");
      const explicit = run([
        "check",
        dir,
        "-c",
        path.join(ROOT, "fixtures/clean-python/ssot-audit.config.yaml"),
        "-f",
        "json",
        "--no-cache",
      ]);
      expect(explicit.stderr).not.toContain("running discovery");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses shard runs and merges instead of running discovery (exit 2, one line)", () => {
    const dir = configless("python-broadcast");
    try {
      for (const args of [
        ["check", dir, "--facts", path.join(dir, "missing.jsonl")],
        ["check", dir, "--shard", "1/2", "--facts-out", path.join(dir, "f.jsonl")],
      ]) {
        const r = run(args);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/needs the project's config/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
