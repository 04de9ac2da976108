/**
 * The codec generates its encoders, decoders and fact constructors with `new Function`; where
 * code generation from strings is disallowed (`node --disallow-code-generation-from-strings`,
 * which worker threads inherit) it falls back to loops over the fields. The reports must be the
 * same either way, in-process and through the worker pool.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../fixtures/helpers.js";

function report(nodeFlags: string[], args: string[]): { status: number | null; stderr: string; report: Record<string, unknown> } {
  const run = spawnSync(process.execPath, [...nodeFlags, "bin/ssot-audit", ...args, "--format", "json", "--no-cache"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(run.stdout) as { summary?: Record<string, unknown> } & Record<string, unknown>;
  // The one field that differs between runs (`check` only).
  if (parsed.summary) delete parsed.summary.durationMs;
  return { status: run.status, stderr: run.stderr, report: parsed };
}

describe("without code generation from strings", () => {
  it.each([
    // In-process (too few files for the pool), Python and TypeScript.
    [["check", "fixtures/python-broadcast"]],
    [["check", "fixtures/ts-broadcast"]],
    // Enough files for the worker pool.
    [["discover", "fixtures/discover-noisy-codebase", "--jobs", "2"]],
  ])("%j gives the same report", (args) => {
    const normal = report([], args);
    const disallowed = report(["--disallow-code-generation-from-strings"], args);
    expect(disallowed.stderr).toBe(normal.stderr);
    expect(disallowed.status).toBe(normal.status);
    expect(disallowed.report).toEqual(normal.report);
  });
});
