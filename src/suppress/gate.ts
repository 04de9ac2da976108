/**
 * The post-analysis stage of `check`: which findings count. Inline suppressions first (a
 * suppressed finding never consumes a baseline entry), then the baseline. With
 * `--changed-since` the project's unchanged files were already marked as not reported, so
 * their findings never get here and their baseline entries are not judged.
 */
import path from "node:path";
import { type Baseline, readBaseline } from "../baseline/file.js";
import { applyBaseline, type InScope } from "../baseline/match.js";
import type { Project } from "../engine/project.js";
import type { Finding } from "../engine/types.js";
import { displayPath, isInside, toPosix } from "../files/paths.js";
import type { BaselineUse, SuppressionProblem } from "../report/types.js";
import { applyInlineSuppressions } from "./inline.js";

export interface GateOptions {
  /** Apply `ssot-audit-ignore` comments (false: `--no-inline-ignore`). */
  inlineIgnore: boolean;
  /** The baseline to apply, with its absolute path. */
  baseline?: { file: string; data: Baseline };
  /** Files changed since the `--changed-since` ref (relative to the config's folder). */
  changed?: ReadonlySet<string>;
}

export interface GateResult {
  findings: Finding[];
  suppressionProblems: SuppressionProblem[];
  baseline?: BaselineUse;
}

/** Reads `--baseline FILE` (relative to `cwd`); errors name the file as the user wrote it. */
export function loadBaselineOption(file: string, cwd: string): { file: string; data: Baseline } {
  const abs = path.resolve(cwd, file);
  return { file: abs, data: readBaseline(abs, displayPath(abs, cwd)) };
}

/**
 * Marks project entries outside the changed set as not reported (their findings, parse errors
 * and skips are not reported), keeping the whole project for cross-file analysis.
 */
export function restrictToChanged(project: Project, changed: ReadonlySet<string>): void {
  for (const entry of project.entries) {
    if (!changed.has(entry.facts.file)) entry.reported = false;
  }
  project.skipped = project.skipped.filter((s) => changed.has(s.file));
}

/**
 * Whether a file's baseline entries are judged in this run: it was audited (reported, not a
 * test), or it no longer exists in the project but lies under the requested paths (and, with
 * `--changed-since`, among the changed files — a deleted file is).
 */
export function scopeOf(project: Project, changed?: ReadonlySet<string>): InScope {
  const root = project.loaded.rootDir;
  return (file) => {
    const entry = project.model.entry(file);
    if (entry) return entry.reported && !entry.isTest;
    if (changed && !changed.has(file)) return false;
    const abs = path.join(root, file);
    return project.requested.some((p) => p === abs || isInside(p, abs));
  };
}

/** Applies inline suppressions and the baseline to the rules' findings. */
export function applyGate(project: Project, findings: readonly Finding[], options: GateOptions): GateResult {
  let out = [...findings];
  let suppressionProblems: SuppressionProblem[] = [];
  if (options.inlineIgnore) {
    const files = project.entries
      .filter((e) => e.reported && !e.isTest && e.facts.suppressions.length > 0)
      .map((e) => ({ file: e.facts.file, suppressions: e.facts.suppressions }));
    const inline = applyInlineSuppressions(out, files);
    out = inline.findings;
    suppressionProblems = inline.problems;
  }
  if (!options.baseline) return { findings: out, suppressionProblems };
  const matched = applyBaseline(out, options.baseline.data, scopeOf(project, options.changed));
  const rel = path.relative(project.loaded.rootDir, options.baseline.file);
  const shown = rel.startsWith("..") || path.isAbsolute(rel) ? toPosix(options.baseline.file) : toPosix(rel);
  return { findings: matched.findings, suppressionProblems, baseline: { file: shown, stale: matched.stale } };
}
