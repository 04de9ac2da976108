/** `ssot-audit init` (the real binary): writes a config `check` can run, never overwrites by accident. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";

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

function copy(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-init-"));
  fs.cpSync(path.join(ROOT, "fixtures", fixture), dir, { recursive: true });
  fs.rmSync(path.join(dir, "ssot-audit.config.yaml"), { force: true });
  return dir;
}

function conceptIds(dir: string): string[] {
  return Object.keys(loadConfig(path.join(dir, "ssot-audit.config.yaml")).config.concepts);
}

describe("ssot-audit init", () => {
  it("writes a config from the top candidates that `check` then runs on", () => {
    const dir = copy("python-broadcast");
    try {
      const r = run(["init", dir, "--yes", "--no-cache"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(
        /^Wrote .*ssot-audit\.config\.yaml with 3 concepts from 3 candidates\. Review it, then run: ssot-audit check\n$/,
      );
      expect(conceptIds(dir)).toEqual(["broadcast-to-user", "get-broadcast-service", "web-socket-event-router"]);
      const check = run(["check", dir, "-f", "json", "--no-cache"]);
      expect(check.status).toBe(1);
      const report = JSON.parse(check.stdout) as { concepts: { id: string }[]; findings: { ruleId: string; symbol: string }[] };
      expect(report.concepts.map((c) => c.id)).toEqual(["broadcast-to-user", "get-broadcast-service", "web-socket-event-router"]);
      expect(report.findings.filter((f) => f.ruleId === "legacy-fallback").length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the top N, and does not ask when stdin is not a terminal", () => {
    const dir = copy("python-broadcast");
    try {
      expect(run(["init", "--top", "1", "--no-cache"], dir).status).toBe(0);
      expect(conceptIds(dir)).toEqual(["broadcast-to-user"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to overwrite a config without --force (exit 2, one line), and replaces it with --force", () => {
    const dir = copy("discover-job-family");
    try {
      fs.writeFileSync(path.join(dir, "ssot-audit.config.json"), '{ "concepts": {} }\n');
      const refused = run(["init", dir, "--yes", "--no-cache"]);
      expect(refused.status).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain("ssot-audit.config.json already exists; use --force to overwrite it");
      expect(fs.existsSync(path.join(dir, "ssot-audit.config.yaml"))).toBe(false);

      const forced = run(["init", dir, "--yes", "--force", "--no-cache"]);
      expect(forced.status).toBe(0);
      expect(forced.stdout).toContain("(replaced ssot-audit.config.json)");
      expect(fs.existsSync(path.join(dir, "ssot-audit.config.json"))).toBe(false);
      expect(conceptIds(dir)).toEqual(["job-scheduler"]);
      expect(loadConfig(path.join(dir, "ssot-audit.config.yaml")).config.concepts["job-scheduler"]?.canonical).toBe(
        "jobs/unified_scheduler.py::UnifiedJobScheduler",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ignores a parent folder's config and an invalid one it is told to replace", () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cli-init-parent-"));
    const dir = path.join(parent, "svc");
    fs.cpSync(path.join(ROOT, "fixtures/discover-renamed-copy"), dir, { recursive: true });
    fs.writeFileSync(path.join(parent, "ssot-audit.config.yaml"), "concepts: {}\n");
    fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), "concepts: [broken\n");
    try {
      const r = run(["init", dir, "--yes", "--force", "--no-cache"]);
      expect(r.status).toBe(0);
      expect(loadConfig(path.join(dir, "ssot-audit.config.yaml")).config.concepts["compute-invoice-total"]?.canonical).toBe(
        "billing/invoices.py::compute_invoice_total",
      );
      expect(run(["check", dir, "--no-cache"]).status).toBe(1);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it("writes a config without concepts when there is nothing to consolidate", () => {
    const dir = copy("discover-near-misses");
    try {
      const r = run(["init", dir, "--yes", "--no-cache"]);
      expect(r.status).toBe(0);
      expect(conceptIds(dir)).toEqual([]);
      expect(run(["check", dir, "--no-cache"]).status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [["init", "no/such/dir"], "path not found: no/such/dir"],
    [["init", "README.md"], "init expects a folder, found the file README.md"],
    [["init", "--top", "x"], 'expected a whole number ≥ 1, found "x"'],
  ])("exits 2 with one clear line for %j", (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
