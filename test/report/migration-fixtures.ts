/** Shared plumbing for the report tests: the real pipeline on fixtures, with a stable date, commit and duration. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CheckResult, runCheck } from "../../src/engine/check.js";
import { type Snapshot, snapshotOf } from "../../src/history/snapshot.js";
import { parseHistory } from "../../src/history/store.js";
import { assembleTrend, readSnippets } from "../../src/cli/commands/report.js";
import { type MigrationReportInput, buildMigrationModel } from "../../src/report/migration.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const HISTORY_FIXTURE = path.join(REPO_ROOT, "fixtures/report-python-broadcast/history.jsonl");
export const GOLDEN_MARKDOWN = path.join(REPO_ROOT, "fixtures/report-python-broadcast/expected.md");

/** The injected run: what the golden file was made with. */
export const STABLE = { date: "2026-11-27T09:00:00.000Z", commit: "0123456789abcdef0123456789abcdef01234567", durationMs: 812 };

export async function checkFixture(fixture: string, cwd = REPO_ROOT): Promise<CheckResult> {
  return runCheck({ paths: [fixture], cwd });
}

export function exampleHistory(): Snapshot[] {
  return parseHistory(fs.readFileSync(HISTORY_FIXTURE, "utf8"), "history.jsonl");
}

/** The report input for a check result, with the stable date, commit and duration and the given history. */
export async function reportInput(result: CheckResult, history: Snapshot[], withSnippets = false): Promise<MigrationReportInput> {
  const report = { ...result.report, summary: { ...result.report.summary, durationMs: STABLE.durationMs } };
  return {
    report,
    model: buildMigrationModel(result),
    trend: assembleTrend(history, [], snapshotOf(report, STABLE.date, STABLE.commit)),
    generatedAt: STABLE.date,
    commit: STABLE.commit,
    project: path.basename(result.project.loaded.rootDir),
    ...(withSnippets ? { snippets: await readSnippets(result.project.loaded.rootDir, result.report.findings) } : {}),
  };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real binary. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/ssot-audit"), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = "ssot-report-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The odd file names of `fixtures/report-xss`, created at test time (see its README). */
export const XSS_FILE = "app/<img src=x onerror=alert(1)>.py";
export const PIPE_FILE = "app/we|ird`name`.py";

/** Copies `fixtures/report-xss` to a temp folder and creates its odd-named files. */
export function makeXssProject(): string {
  const dir = tempDir("ssot-report-xss-");
  fs.cpSync(path.join(REPO_ROOT, "fixtures/report-xss"), dir, { recursive: true });
  fs.renameSync(path.join(dir, "app/payload.py.txt"), path.join(dir, XSS_FILE));
  fs.renameSync(path.join(dir, "app/sink.py.txt"), path.join(dir, PIPE_FILE));
  return dir;
}
