/**
 * Plumbing for the reliability and security tests: temp copies of fixtures, the real binary, and
 * assertions that a run failed or succeeded *cleanly* (no stack trace, one clear line).
 */
import { type SpawnSyncOptions, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { vi } from "vitest";
import { main } from "../../src/cli/program.js";
import { REPO_ROOT } from "../fixtures/helpers.js";

export { REPO_ROOT };
export const BIN = path.join(REPO_ROOT, "bin/ssot-audit");

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node [nodeArgs] bin/ssot-audit <args>` in `cwd`, colours off. */
export function cli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; nodeArgs?: string[]; input?: string },
): Run {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  };
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], spawnOptions);
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs the CLI's `main()` in-process (the binary's code, without the start-up cost), capturing stdout and stderr. */
export async function runMain(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const se = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  try {
    const status = await main(args);
    return { status, signal: null, stdout: out.join(""), stderr: err.join("") };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

/** The same, asynchronously (for tests that signal the process). */
export function cliAsync(args: readonly string[], options: { cwd: string; env?: Record<string, string> }) {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A fresh temp folder, removed by `cleanup()`. */
const made: string[] = [];
export function tempDir(prefix = "ssot-rel-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function cleanup(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Copies a repository folder into a fresh temp folder. */
export function copyFixture(rel: string): string {
  const dir = tempDir();
  fs.cpSync(path.join(REPO_ROOT, rel), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Writes files (root-relative path → content) under `root`. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** A stack trace line (`    at fn (file:1:2)`): known errors must never show one. */
export const STACK_LINE = /^\s+at .+[:(]/m;

/** Asserts a clean usage/config failure: exit 2, nothing on stdout, exactly one line on stderr. */
export function expectCleanFailure(run: Run): string {
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  if (run.status !== 2 || lines.length !== 1 || STACK_LINE.test(run.stderr) || run.stdout !== "") {
    throw new Error(
      `expected exit 2 with one line on stderr, got exit ${run.status}\nstderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(0, 2000)}`,
    );
  }
  return lines[0] ?? "";
}

/** Whether `mkfifo` works here (not on Windows). */
export function mkfifo(file: string): boolean {
  const r = spawnSync("mkfifo", [file]);
  return r.status === 0;
}
