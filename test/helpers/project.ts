import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type CheckResult, runCheck } from "../../src/engine/check.js";

/** Writes a throwaway project (path → content) into a fresh temp folder and returns its root. */
export function makeProject(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-audit-test-"));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

/** Runs the real pipeline on a throwaway project. */
export async function checkProject(files: Record<string, string>, paths: string[] = ["."]): Promise<CheckResult> {
  const root = makeProject(files);
  try {
    return await runCheck({ paths, cwd: root });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** `[ruleId, file, line]` of every finding, in report order (optionally of one rule). */
export async function findingsOf(files: Record<string, string>, ruleId?: string): Promise<[string, string, number][]> {
  const { report } = await checkProject(files);
  return report.findings.filter((f) => !ruleId || f.ruleId === ruleId).map((f) => [f.ruleId, f.file, f.line]);
}

/** Removes the common indentation of a template literal, so fixtures read naturally in tests. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const min = Math.min(...indents);
  return lines.map((l) => l.slice(min)).join("\n");
}

/** 1-based line of the first line containing `needle` (throws when absent, so tests cannot pass vacuously). */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (const [i, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`lineOf: "${needle}" (occurrence ${occurrence}) not found`);
}
