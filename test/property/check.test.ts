/**
 * Properties of the whole `check` pipeline (discovery → extraction → model → rules → gate →
 * report) over generated projects: it never throws; the same input gives the same report; the
 * JSON and SARIF reports are valid JSON that say exactly what the in-memory report says; and
 * inserting unrelated lines at the top of a file changes no fingerprint — the findings of that
 * file only move down by the number of lines inserted.
 */
import fs from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import type { Finding } from "../../src/engine/types.js";
import { REPORTERS } from "../../src/report/index.js";
import type { Report } from "../../src/report/types.js";
import { fuzzParams, fuzzTimeout, type ProjectFiles, project, writeProject } from "./arbitraries.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

async function check(files: ProjectFiles): Promise<Report> {
  const root = writeProject(files);
  roots.push(root);
  try {
    return (await runCheck({ paths: ["."], cwd: root, jobs: 1 })).report;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The report without its timing. */
function comparable(report: Report): unknown {
  const copy = JSON.parse(JSON.stringify(report)) as { summary: { durationMs?: number } };
  delete copy.summary.durationMs;
  return copy;
}

/** Lines that have nothing to do with any concept, for the top of a file. */
const unrelatedLines = (language: "python" | "typescript"): fc.Arbitrary<string[]> =>
  fc.array(
    language === "python"
      ? fc.constantFrom("", "# unrelated comment", "import json", "UNRELATED = 1", "def unrelated_helper():\n    return json.dumps({})")
      : fc.constantFrom("", "// unrelated comment", "const unrelatedValue = 1;", "function unrelatedHelper(): number {\n  return 2;\n}"),
    { minLength: 1, maxLength: 4 },
  );

/** A finding as it was before `count` lines were inserted at the top of `file`. */
function shiftBack(f: Finding, file: string, count: number): Finding {
  const up = (where: string, line: number) => (where === file ? line - count : line);
  return {
    ...f,
    line: up(f.file, f.line),
    endLine: up(f.file, f.endLine),
    related: f.related.map((r) => ({ ...r, line: up(r.file, r.line) })),
  };
}

describe("check over generated projects", () => {
  it(
    "never throws, is deterministic, and its JSON and SARIF reports are valid JSON",
    async () => {
      let findings = 0;
      const rules = new Set<string>();
      await fc.assert(
        fc.asyncProperty(project, async (files) => {
          const first = await check(files);
          const second = await check(files);
          expect(comparable(second)).toEqual(comparable(first));
          findings += first.findings.length;
          // Every path a report names is one of the project's files (root-relative, never ../).
          for (const f of first.findings)
            for (const file of [f.file, ...f.related.map((r) => r.file)]) expect(files[file], file).toBeDefined();
          for (const f of first.findings) rules.add(f.ruleId);

          const json = REPORTERS.json?.(first, { color: false, quiet: false }) ?? "";
          expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(first)));
          const sarif = JSON.parse(REPORTERS.sarif?.(first, { color: false, quiet: false, rules: [] }) ?? "") as {
            runs: { results: unknown[] }[];
          };
          expect(sarif.runs[0]?.results.length).toBe(first.findings.length);
          for (const format of ["stylish", "github", "junit"])
            expect(typeof REPORTERS[format]?.(first, { color: false, quiet: false })).toBe("string");
        }),
        fuzzParams(25),
      );
      // Not vacuous: the generated projects do trip the rules.
      expect(findings).toBeGreaterThan(25);
      expect(rules.size).toBeGreaterThanOrEqual(4);
    },
    fuzzTimeout(120_000, 25),
  );

  it(
    "fingerprints survive unrelated lines inserted at the top of a file; the findings only move down",
    async () => {
      let moved = 0;
      await fc.assert(
        fc.asyncProperty(
          project,
          fc.nat(),
          unrelatedLines("python"),
          unrelatedLines("typescript"),
          async (files, pick, pyLines, tsLines) => {
            const sources = Object.keys(files).filter((f) => /\.(py|ts)$/.test(f) && files[f] !== "");
            const file = sources[pick % sources.length] ?? "app/service.py";
            const inserted = `${(file.endsWith(".py") ? pyLines : tsLines).join("\n")}\n`;
            const count = inserted.split("\n").length - 1;
            const before = await check(files);
            const after = await check({ ...files, [file]: inserted + (files[file] ?? "") });
            expect(after.findings.map((f) => shiftBack(f, file, count))).toEqual(before.findings);
            expect(after.parseErrors).toEqual(before.parseErrors.map((p) => (p.file === file ? { ...p, line: p.line + count } : p)));
            moved += after.findings.filter((f) => f.file === file).length;
          },
        ),
        fuzzParams(25),
      );
      expect(moved).toBeGreaterThan(0);
    },
    fuzzTimeout(120_000, 25),
  );
});
