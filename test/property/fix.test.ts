/**
 * Properties of `fix --write` over generated projects (with and without `--unsafe`, with and
 * without `--include-likely`):
 * - what it writes is exactly what the dry run showed;
 * - every written file still parses: our front ends find no new syntax error, and `python3`
 *   compiles every Python file it wrote that compiled before (when python3 is available);
 * - `check` afterwards never reports more than before: in total, and for every rule, concept,
 *   file and enclosing symbol;
 * - it is idempotent: a second `fix --write` plans and writes nothing, and no byte changes.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import { runFix } from "../../src/fix/engine.js";
import { pythonExtractor } from "../../src/languages/python/extract.js";
import { typescriptExtractor } from "../../src/languages/typescript/extract.js";
import { isActive } from "../../src/suppress/active.js";
import { fuzzParams, fuzzTimeout, project, writeProject } from "./arbitraries.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

const HAS_PYTHON = spawnSync("python3", ["--version"]).status === 0;

/** The Python files python3 refuses to compile (the generators may write `await` outside `async def`). */
function pythonCompileErrors(root: string, files: readonly string[]): string[] {
  if (!HAS_PYTHON || files.length === 0) return [];
  const script = [
    "import sys",
    "for name in sys.argv[1:]:",
    "    try:",
    "        compile(open(name, 'rb').read(), name, 'exec', dont_inherit=True)",
    "    except SyntaxError as exc:",
    "        print(name)",
  ].join("\n");
  const r = spawnSync("python3", ["-c", script, ...files], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
}

function snapshot(root: string, files: readonly string[]): Map<string, string> {
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));
}

describe("fix --write over generated projects", () => {
  it(
    "writes what the dry run showed, output re-parses, check never gets worse, and a second run changes nothing",
    async () => {
      let written = 0;
      await fc.assert(
        fc.asyncProperty(project, fc.boolean(), fc.boolean(), async (files, unsafe, includeLikely) => {
          const root = writeProject(files, "ssot-prop-fix-");
          roots.push(root);
          const sources = Object.keys(files).filter((f) => /\.(py|ts)$/.test(f));
          const options = { paths: ["."], cwd: root, includeLikely, unsafe, allowDirty: true };

          const before = await runCheck({ paths: ["."], cwd: root, jobs: 1 });
          const pyFiles = sources.filter((f) => f.endsWith(".py"));
          const uncompilable = new Set(pythonCompileErrors(root, pyFiles));
          const dry = await runFix({ ...options, write: false });
          // The dry run writes nothing.
          expect(snapshot(root, sources)).toEqual(new Map(sources.map((f) => [f, files[f]])));

          const fixed = await runFix({ ...options, write: true });
          expect(fixed.refused).toEqual([]);
          expect(fixed.written).toEqual(dry.files.map((f) => f.file));
          written += fixed.written.length;
          const now = snapshot(root, sources);
          for (const f of dry.files) expect(now.get(f.file)).toBe(f.after);
          for (const f of sources) if (!fixed.written.includes(f)) expect(now.get(f)).toBe(files[f]);

          // Re-parses: no new syntax error in our front ends; python3 compiles what we wrote.
          for (const file of fixed.written) {
            const extractor = file.endsWith(".py") ? pythonExtractor : typescriptExtractor;
            const was = await extractor.extract(file, files[file] ?? "", { parseBudgetMs: 5000 });
            const is = await extractor.extract(file, now.get(file) ?? "", { parseBudgetMs: 5000 });
            expect(is.parseErrors.length, `${file}:\n${now.get(file)}`).toBeLessThanOrEqual(was.parseErrors.length);
          }
          const broken = pythonCompileErrors(
            root,
            fixed.written.filter((f) => f.endsWith(".py")),
          );
          expect(
            broken.filter((f) => !uncompilable.has(f)),
            broken.map((f) => `${f}:\n${now.get(f)}`).join("\n"),
          ).toEqual([]);

          // Never worse: for every rule, concept, file and enclosing symbol, at most as many
          // findings as before. (Not "the same fingerprints": a fallback whose body was fixed is the
          // same finding with new node text.)
          const after = await runCheck({ paths: ["."], cwd: root, jobs: 1 });
          const activeBefore = before.report.findings.filter(isActive);
          const activeAfter = after.report.findings.filter(isActive);
          expect(activeAfter.length).toBeLessThanOrEqual(activeBefore.length);
          const counts = (list: typeof activeBefore) => {
            const m = new Map<string, number>();
            for (const f of list)
              m.set(`${f.ruleId} ${f.concept} ${f.file} ${f.symbol}`, (m.get(`${f.ruleId} ${f.concept} ${f.file} ${f.symbol}`) ?? 0) + 1);
            return m;
          };
          const was = counts(activeBefore);
          const worse = [...counts(activeAfter)].filter(([key, n]) => n > (was.get(key) ?? 0));
          expect(worse, JSON.stringify(activeAfter, null, 1)).toEqual([]);

          // Idempotent.
          const again = await runFix({ ...options, write: true });
          expect([again.files, again.written, again.refused]).toEqual([[], [], []]);
          expect(snapshot(root, sources)).toEqual(now);
          fs.rmSync(root, { recursive: true, force: true });
        }),
        fuzzParams(20),
      );
      // Not vacuous: the generated projects do get fixed.
      expect(written).toBeGreaterThan(5);
    },
    fuzzTimeout(180_000, 20),
  );
});
