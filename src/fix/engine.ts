/**
 * The fix engine: analyse, plan, apply in memory, re-parse, re-analyse — until a pass plans
 * nothing more (at most MAX_PASSES) — then, with `--write`, write each changed file through the
 * safety checks of `write.ts`.
 *
 * Every pass works on the texts the previous pass produced; overlapping units wait for the
 * next pass. A file whose result has more syntax errors than the original is reverted and
 * refused (never written). A dry run goes through exactly the same passes.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { RULE_IDS, type RuleId } from "../config/rule-ids.js";
import { didYouMean } from "../config/validate.js";
import { analyzeConcepts } from "../engine/check.js";
import { type Project, type ProjectOptions, loadProject } from "../engine/project.js";
import type { FileFacts } from "../facts/types.js";
import { UsageError } from "../files/errors.js";
import { readSource } from "../files/read.js";
import { extractorFor } from "../languages/index.js";
import type { ConceptAnalysis } from "../model/concepts.js";
import { ProjectModel } from "../model/project.js";
import { LineIndex } from "../util/line-index.js";
import type { FileEntry } from "../model/types.js";
import { resolveLineRefs } from "./fixability.js";
import { type FixOptions, planPass } from "./plan.js";
import { applyEdits, overlaps } from "./text.js";
import type { FixUnit, ManualItem, PlannedFix, Refusal, TextEdit } from "./types.js";
import { WriteGuard, encodeText, writeAtomic } from "./write.js";

export const MAX_PASSES = 10;

import { FIXABLE_RULES } from "./fixable-rules.js";

export { FIXABLE_RULES };

export interface FixRunOptions extends Omit<FixOptions, "rules" | "concepts"> {
  paths: string[];
  cwd: string;
  configPath?: string;
  rules?: readonly string[];
  concepts?: readonly string[];
  write: boolean;
  allowDirty: boolean;
  /** Diagnostics (stderr). */
  warn?: (message: string) => void;
  /** How the project's facts are loaded (`--no-cache`, `--cache-location`, `--jobs`, the progress bar). */
  load?: Pick<ProjectOptions, "cache" | "cacheLocation" | "jobs" | "onProgress">;
}

/** Test seams: both run inside the real pipeline, so tests exercise the real checks. */
export interface FixHooks {
  /** Extra units for a pass (e.g. an edit that breaks the syntax, to prove the re-parse check). */
  extraUnits?: (pass: number, texts: ReadonlyMap<string, string>) => FixUnit[];
  /** Runs after planning, before the first write (e.g. to change a file on disk). */
  beforeWrite?: () => void | Promise<void>;
}

export interface ChangedFile {
  file: string;
  before: string;
  after: string;
  /** Units applied to the file, over all passes. */
  units: number;
}

export interface FixResult {
  rootDir: string;
  /** Concepts the config defines (none: nothing can be fixed; discovery mode). */
  concepts: number;
  files: ChangedFile[];
  fixes: PlannedFix[];
  manual: ManualItem[];
  refused: Refusal[];
  /** Suggestions `--unsafe` would apply (only counted without it). */
  available: number;
  passes: number;
  /** False when the last pass still planned edits (MAX_PASSES reached). */
  stable: boolean;
  /** Root-relative files written (with `write`). */
  written: string[];
  /** Whether the root lies in a git work tree (only checked with `write`). */
  git?: { inside: boolean; why?: string };
}

interface Original {
  text: string;
  facts: FileFacts;
}

function validate(options: FixRunOptions, project: Project): { rules?: Set<RuleId>; concepts?: Set<string> } {
  let rules: Set<RuleId> | undefined;
  if (options.rules && options.rules.length > 0) {
    rules = new Set();
    for (const r of options.rules) {
      if (!(RULE_IDS as readonly string[]).includes(r)) {
        const hint = didYouMean(r, [...RULE_IDS]);
        throw new UsageError(
          `unknown rule "${r}" for --rule${hint ? `; did you mean "${hint}"?` : ""} (fixable: ${FIXABLE_RULES.join(", ")})`,
        );
      }
      if (!FIXABLE_RULES.includes(r as RuleId)) throw new UsageError(`rule "${r}" has no fixes (fixable: ${FIXABLE_RULES.join(", ")})`);
      rules.add(r as RuleId);
    }
  }
  let concepts: Set<string> | undefined;
  if (options.concepts && options.concepts.length > 0) {
    const known = Object.keys(project.loaded.config.concepts);
    for (const c of options.concepts) {
      if (!known.includes(c)) {
        const hint = didYouMean(c, known);
        throw new UsageError(
          `unknown concept "${c}" for --concept${hint ? `; did you mean "${hint}"?` : ""} (concepts: ${known.join(", ") || "none"})`,
        );
      }
    }
    concepts = new Set(options.concepts);
  }
  return { ...(rules ? { rules } : {}), ...(concepts ? { concepts } : {}) };
}

export async function runFix(options: FixRunOptions, hooks: FixHooks = {}): Promise<FixResult> {
  const warn = options.warn ?? (() => {});
  const project = await loadProject({
    paths: options.paths,
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    warn,
    ...options.load,
  });
  const selection = validate(options, project);
  const fixOptions: FixOptions = { ...selection, includeLikely: options.includeLikely, unsafe: options.unsafe };
  const { rootDir, config } = project.loaded;
  const parseOptions = { parseBudgetMs: config.parseBudgetMs };

  const originals = new Map<string, Original>();
  const current = new Map<string, string>();
  const refused = new Map<string, string>();
  const factsNow = new Map<string, FileFacts>(project.entries.map((e) => [e.facts.file, e.facts]));

  /** The analysed text of a file; refuses it when it changed since the analysis. */
  const original = async (file: string): Promise<Original | undefined> => {
    const known = originals.get(file);
    if (known) return known;
    const facts = project.model.entry(file)?.facts;
    if (!facts || refused.has(file)) return undefined;
    const read = await readSource(path.join(rootDir, file));
    if ("skip" in read) {
      refused.set(file, read.skip);
      return undefined;
    }
    if (read.hash !== facts.hash) {
      refused.set(file, "it changed on disk since the analysis");
      return undefined;
    }
    const entry = { text: read.text, facts };
    originals.set(file, entry);
    return entry;
  };
  const textOf = async (file: string): Promise<string | undefined> => {
    if (refused.has(file)) return undefined;
    return current.get(file) ?? (await original(file))?.text;
  };

  let model = project.model;
  let concepts: ConceptAnalysis[] = analyzeConcepts(project, { warn });
  const fixes: PlannedFix[] = [];
  const unitsPerFile = new Map<string, number>();
  let lastManual: ManualItem[] = [];
  /** Per file, the edits of each pass that changed it (to map positions back to the original). */
  const history = new Map<string, TextEdit[][]>();
  let available = 0;
  let passes = 0;
  let stable = false;

  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const plan = await planPass({ model, concepts, config, options: fixOptions, text: textOf });
    if (pass === 1) available = plan.available;
    lastManual = plan.manual;
    const perFile = new Map(plan.files.map((f) => [f.file, { units: f.units, edits: f.edits }]));
    for (const unit of hooks.extraUnits?.(pass, current) ?? []) {
      if ((await textOf(unit.file)) === undefined) continue;
      const slot = perFile.get(unit.file) ?? { units: [], edits: [] };
      if (unit.edits.some((e) => slot.edits.some((x) => overlaps(e, x)))) continue;
      slot.units.push(unit);
      slot.edits.push(...unit.edits);
      perFile.set(unit.file, slot);
    }
    if (perFile.size === 0) {
      stable = true;
      break;
    }
    passes = pass;
    const changed: string[] = [];
    for (const [file, { units, edits }] of perFile) {
      const before = await textOf(file);
      const orig = originals.get(file);
      if (before === undefined || !orig) continue;
      const after = applyEdits(before, edits);
      const facts = await extractorFor(orig.facts.language).extract(file, after, parseOptions);
      if (facts.parseErrors.length > orig.facts.parseErrors.length) {
        const first = facts.parseErrors[0];
        refused.set(
          file,
          `the fixed code would not parse (${first ? `line ${first.line}: ${first.message}` : "syntax error"}); file left untouched`,
        );
        current.delete(file);
        factsNow.set(file, orig.facts);
        for (let i = fixes.length - 1; i >= 0; i--) if (fixes[i]?.file === file) fixes.splice(i, 1);
        unitsPerFile.delete(file);
        history.delete(file);
        changed.push(file);
        continue;
      }
      current.set(file, after);
      history.set(file, [...(history.get(file) ?? []), edits]);
      factsNow.set(file, {
        ...facts,
        hash: createHash("sha1").update(after).digest("hex"),
        ...(orig.facts.bom ? { bom: true } : {}),
        ...(orig.facts.eol ? { eol: orig.facts.eol } : {}),
      });
      unitsPerFile.set(file, (unitsPerFile.get(file) ?? 0) + units.length);
      changed.push(file);
      for (const u of units) {
        fixes.push({
          file,
          line: u.line,
          ruleId: u.ruleId,
          concept: u.concept,
          kind: u.kind,
          description: u.description,
          pass,
          edits: u.edits.map(({ start, end, text }) => ({ start, end, text })),
        });
      }
    }
    if (changed.length === 0) {
      stable = true;
      break;
    }
    // Re-analyse the project with the fixed texts (only the changed files are re-extracted).
    const entries: FileEntry[] = project.entries.map((e) => ({
      facts: factsNow.get(e.facts.file) ?? e.facts,
      isTest: e.isTest,
      reported: e.reported,
    }));
    model = new ProjectModel(entries);
    // The type checker sees the fixed texts; a tsconfig problem was reported in the first pass.
    concepts = analyzeConcepts({ ...project, entries, model }, { sourceText: (file) => current.get(file) });
  }
  if (!stable) warn(`ssot-audit: fixes did not settle after ${MAX_PASSES} passes; showing the result of the last pass`);

  const files: ChangedFile[] = [];
  for (const [file, after] of [...current].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const before = originals.get(file)?.text;
    if (before === undefined || before === after || refused.has(file)) continue;
    files.push({ file, before, after, units: unitsPerFile.get(file) ?? 0 });
  }

  const result: FixResult = {
    rootDir,
    concepts: Object.keys(config.concepts).length,
    files,
    fixes: fixes.filter((f) => !refused.has(f.file)),
    manual: originalLines(lastManual, history, originals),
    refused: [],
    available,
    passes,
    stable,
    written: [],
  };

  if (options.write && files.length > 0) {
    await hooks.beforeWrite?.();
    const guard = new WriteGuard(rootDir, options.allowDirty);
    result.git = await guard.gitWorkTree();
    for (const f of files) {
      const hash = originals.get(f.file)?.facts.hash ?? "";
      const verdict = await guard.check(f.file, hash);
      if ("refuse" in verdict) {
        refused.set(f.file, verdict.refuse);
        continue;
      }
      const bytes = encodeText(f.after, verdict.target.encoding, verdict.target.bom);
      if (!bytes) {
        refused.set(f.file, `the fixed text cannot be encoded in ${verdict.target.encoding}`);
        continue;
      }
      writeAtomic(verdict.target.real, bytes);
      result.written.push(f.file);
    }
  }
  result.refused = [...refused]
    .map(([file, reason]) => ({ file, reason }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return result;
}

/**
 * The manual items of the last pass (planned on the final text: only what is still true), told
 * in terms of the original files: offsets — of the finding and of lines quoted in the reason —
 * are mapped back through every pass's edits.
 */
function originalLines(
  items: readonly ManualItem[],
  history: ReadonlyMap<string, TextEdit[][]>,
  originals: ReadonlyMap<string, Original>,
): ManualItem[] {
  const lines = new Map<string, LineIndex>();
  const out = items.map((m) => {
    const passes = history.get(m.file) ?? [];
    const text = originals.get(m.file)?.text;
    if (text === undefined) return { ...m, reason: resolveLineRefs(m.reason, () => m.line) };
    let li = lines.get(m.file);
    if (!li) {
      li = new LineIndex(text);
      lines.set(m.file, li);
    }
    const index = li;
    const original = (offset: number) => {
      let o = offset;
      for (let i = passes.length - 1; i >= 0; i--) o = mapBack(o, passes[i] ?? []);
      return o;
    };
    const offset = original(m.offset);
    return { ...m, line: index.position(offset).line, offset, reason: resolveLineRefs(m.reason, (o) => index.position(original(o)).line) };
  });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

/** The offset in the text before `edits` of an offset in the text after them. */
export function mapBack(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of [...edits].sort((x, y) => x.start - y.start || x.end - y.end)) {
    const start = e.start + delta;
    if (offset < start) break;
    if (offset < start + e.text.length) return e.start;
    delta += e.text.length - (e.end - e.start);
  }
  return offset - delta;
}
