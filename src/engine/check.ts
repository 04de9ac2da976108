import { createHash } from "node:crypto";
import path from "node:path";
import { RULES } from "../../rules/index.js";
import { ConfigError } from "../config/errors.js";
import type { LoadedConfig } from "../config/load.js";
import type { ResolvedConcept } from "../config/schema.js";
import { didYouMean } from "../config/validate.js";
import { type ConceptAnalysis, ConceptAnalyzer, analyzeAll } from "../model/concepts.js";
import type { ProjectModel } from "../model/project.js";
import { toPosix } from "../files/paths.js";
import { changedFiles } from "../git/changed.js";
import { isActive } from "../suppress/active.js";
import { type GateResult, applyGate, loadBaselineOption, restrictToChanged } from "../suppress/gate.js";
import { type DiscoveredFiles, type Project, type ProjectOptions, discoverProject, loadProject, resolveRequest, resolveRunConfig } from "./project.js";
import type { CacheConfig } from "../cache/store.js";
import type { ConceptSummary, Report } from "../report/types.js";
import { VERSION } from "../version.js";
import type { Finding, RuleFinding, Severity } from "./types.js";
import { compareText } from "../util/text.js";
import { analysisSalt } from "../cache/salt.js";
import { prepareCache } from "../cache/store.js";
import { readRunMemo, runMemoKey, writeRunMemo } from "../cache/run-memo.js";
import { hashSourceSync } from "../files/read.js";
import { printable } from "../util/terminal.js";
import { type TypeCheckOptions, applyTypedCallTargets, projectTsconfig, tsconfigInputs } from "./typed-calls.js";
import { type Timings, count, timed, timedAsync } from "./timings.js";

export interface CheckOptions extends ProjectOptions {
  /** Apply inline `ssot-audit-ignore` comments (default true; false: `--no-inline-ignore`). */
  inlineIgnore?: boolean;
  /** `--baseline FILE` (relative to `cwd`): findings it covers are marked `baselined`. */
  baselineFile?: string;
  /** `--changed-since REF`: report only files changed since the git ref (the analysis stays whole-project). */
  changedSince?: string;
}

export interface CheckResult {
  report: Report;
  project: Project;
  concepts: ConceptAnalysis[];
}

export interface AnalyzeOptions extends TypeCheckOptions {
  /**
   * Resolve the concepts' unresolved TS/JS call sites with the type checker when the root has a
   * `tsconfig.json` (default true; `engine/typed-calls.ts`). Off for snapshots of past commits,
   * whose files are not the ones on disk.
   */
  typeCheck?: boolean;
  /** Records the type checker's and the analysis's time (`--timing`). */
  timings?: Timings;
}

/** Analyses every configured concept of a loaded project. */
export function analyzeConcepts(project: Project, options: AnalyzeOptions = {}): ConceptAnalysis[] {
  const { model, loaded } = project;
  const analyzers = Object.values(loaded.config.concepts).map((concept) => {
    const canonical = findCanonical(model, concept, loaded);
    return new ConceptAnalyzer(model, concept.id, concept, canonical);
  });
  if (options.typeCheck !== false) {
    const start = performance.now();
    const typed = applyTypedCallTargets(model, loaded.rootDir, analyzers, options);
    // Only where it could run (a tsconfig.json).
    if (typed) options.timings?.record("type checker", performance.now() - start, `${typed.resolved} of ${typed.asked} call sites resolved`);
  }
  const n = analyzers.length;
  return timed(options.timings, "analyse concepts", () => analyzeAll(model, analyzers), () => count(n, "concept"));
}

/**
 * The audit pipeline: files → per-file facts → project model → concept analysis → rules →
 * sorted findings → report.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  // Usage problems (unknown ref, bad baseline) are reported before the expensive analysis.
  const changed = options.changedSince ? await changedFiles(resolveRunConfig(options).rootDir, options.changedSince) : undefined;
  const baseline = options.baselineFile ? loadBaselineOption(options.baselineFile, options.cwd) : undefined;
  const project = await loadProject({ ...options, checkFiles: requireCanonicalFiles });
  if (changed) restrictToChanged(project, changed);
  const { timings } = options;
  const concepts = analyzeConcepts(project, { ...(options.warn ? { warn: options.warn } : {}), ...(timings ? { timings } : {}) });
  const findings = timed(timings, "rules", () => runRules(project.model, concepts, project.loaded), (f) => count(f.length, "finding"));
  const gate = timed(timings, "suppressions, baseline", () =>
    applyGate(project, findings, {
      inlineIgnore: options.inlineIgnore !== false,
      ...(baseline ? { baseline } : {}),
      ...(changed ? { changed } : {}),
    }),
  );
  const report = buildReport(project, concepts, gate.findings, performance.now() - started, gate);
  if (options.changedSince) report.changedSince = { ref: options.changedSince, files: report.summary.files };
  return { report, project, concepts };
}

/** A check's report, and the full analysis behind it unless the report came from the run memo. */
export interface CheckReportResult {
  report: Report;
  rootDir: string;
  /** Absent when the report was served from the run memo (nothing changed since a previous run). */
  analysis?: CheckResult;
}

/**
 * `runCheck` for callers that may do with the report alone (`useMemo`: every format but the
 * migration report's; SARIF's fixes come through `enrich`): with the cache on, a run whose inputs all equal a previous run's returns
 * that run's report from the run memo (`cache/run-memo.ts`) without loading any facts. Runs that
 * depend on git state (`--changed-since`) or on shard files (`--facts`) always analyse.
 */
export async function runCheckReport(options: CheckOptions, { useMemo = true, enrich }: ReportOptions = {}): Promise<CheckReportResult> {
  const started = performance.now();
  const memo =
    useMemo && options.cache && !options.changedSince && !options.factsFiles
      ? await timedAsync(options.timings, "find & hash files", () => memoKeyFor(options, enrich?.name), (m) => (m ? `${count(m.hashes.size, "file")} (run memo key)` : undefined))
      : undefined;
  if (memo) {
    const report = timed(options.timings, "run memo", () => readRunMemo(memo.cache, memo.key), (r) => (r ? "hit: the previous run's report" : "miss"));
    if (report) {
      // The warnings the analysis would print.
      for (const note of memo.notes) options.warn?.(note);
      for (const s of report.skipped) options.warn?.(`ssot-audit: skipped ${printable(s.file)}: ${s.reason}`);
      report.summary.durationMs = Math.round(performance.now() - started);
      return { report, rootDir: memo.rootDir };
    }
  }
  // A run that warned about more than skipped files (an extractor's internal error …) is not
  // memoised: the next run must warn again.
  let warnings = 0;
  const warn = (m: string): void => {
    warnings++;
    options.warn?.(m);
  };
  // The memo's key hashed every file: cache hits need not be read again.
  const analysis = await runCheck({ ...options, warn, ...(memo ? { knownHashes: memo.hashes, discovered: memo.sources } : {}) });
  if (enrich) await timedAsync(options.timings, "fixes for the report", () => enrich.apply(analysis));
  if (memo && warnings === memo.notes.length + analysis.report.skipped.length) writeRunMemo(memo.cache, memo.key, analysis.report);
  return { report: analysis.report, rootDir: analysis.project.loaded.rootDir, analysis };
}

export interface ReportOptions {
  /** Whether the report may come from the run memo (default true). */
  useMemo?: boolean;
  /**
   * Adds to the report what only the analysis can (the fixes SARIF carries), before it is
   * memoised; `name` keeps reports enriched differently apart in the memo.
   */
  enrich?: { name: string; apply: (analysis: CheckResult) => Promise<void> };
}

/** The run memo's key for a check: discovers the files and hashes each (no parsing). */
async function memoKeyFor(
  options: CheckOptions,
  variant: string | undefined,
): Promise<{ key: string; cache: CacheConfig; rootDir: string; notes: string[]; hashes: Map<string, string>; sources: DiscoveredFiles } | undefined> {
  // Warnings about the config (printed by the analysis itself on a miss).
  const notes: string[] = [];
  const { loaded, requested } = resolveRequest({ ...options, warn: (m) => notes.push(m) });
  const location = options.cacheLocation !== undefined ? path.resolve(options.cwd, options.cacheLocation) : undefined;
  const prepared = prepareCache(loaded.rootDir, location);
  if (!("config" in prepared)) return undefined;
  const sources = await discoverProject(loaded);
  // Before hashing every file: a config naming a missing canonical file fails at once (with the
  // config's warnings, which the analysis would have printed first).
  try {
    requireCanonicalFiles(sources, loaded);
  } catch (error) {
    for (const note of notes) options.warn?.(note);
    throw error;
  }
  const files: { rel: string; isTest: boolean; hash: string }[] = [];
  for (const source of sources.files) {
    const read = hashSourceSync(source.path);
    // Unreadable now: let the full run decide what that means.
    if (!("hash" in read)) return undefined;
    files.push({ rel: source.rel, isTest: source.isTest, hash: read.hash });
  }
  let baseline: { rel: string; hash: string } | undefined;
  if (options.baselineFile) {
    const abs = path.resolve(options.cwd, options.baselineFile);
    const read = hashSourceSync(abs);
    if (!("hash" in read)) return undefined;
    baseline = { rel: toPosix(path.relative(loaded.rootDir, abs)), hash: read.hash };
  }
  // The type checker reads the root's tsconfig.json and what it extends (`engine/typed-calls.ts`).
  let tsconfig: string | undefined;
  const tsconfigFile = projectTsconfig(loaded.rootDir);
  if (tsconfigFile) {
    const inputs = tsconfigInputs(loaded.rootDir, tsconfigFile);
    if (!inputs) return undefined;
    tsconfig = inputs.map((i) => `${i.rel}:${i.hash}`).join("\n");
  }
  const key = runMemoKey({
    salt: analysisSalt({ parseBudgetMs: loaded.config.parseBudgetMs }),
    config: loaded.config,
    requested: requested.map((p) => toPosix(path.relative(loaded.rootDir, p))),
    // Paths in messages (the baseline's, the config's) are relative to the working directory.
    cwd: toPosix(path.relative(loaded.rootDir, options.cwd)),
    files,
    skipped: sources.skipped,
    inlineIgnore: options.inlineIgnore !== false,
    ...(baseline ? { baseline } : {}),
    ...(tsconfig ? { tsconfig } : {}),
    ...(variant ? { variant } : {}),
  });
  return { key, cache: prepared.config, rootDir: loaded.rootDir, notes, hashes: new Map(files.map((f) => [f.rel, f.hash])), sources };
}

/** Assembles the versioned report from the analysis. */
export function buildReport(
  project: Project,
  concepts: ConceptAnalysis[],
  findings: Finding[],
  durationMs: number,
  gate?: Pick<GateResult, "suppressionProblems" | "baseline">,
): Report {
  const reportedEntries = project.entries.filter((e) => e.reported);
  const active = findings.filter(isActive);
  return {
    version: 1,
    tool: { name: "ssot-audit", version: VERSION },
    summary: {
      files: reportedEntries.length,
      findings: active.length,
      errors: active.filter((f) => f.severity === "error").length,
      warnings: active.filter((f) => f.severity === "warning").length,
      baselined: findings.filter((f) => f.baselined).length,
      suppressed: findings.filter((f) => f.suppressed).length,
      durationMs: Math.round(durationMs),
    },
    concepts: concepts.map((c) => summarizeConcept(c, project.model)),
    findings,
    parseErrors: reportedEntries
      .flatMap((e) => e.facts.parseErrors.slice(0, 1).map((p) => ({ file: e.facts.file, line: p.line, message: p.message })))
      .sort((a, b) => compareText(a.file, b.file) || a.line - b.line),
    skipped: project.skipped,
    suppressionProblems: gate?.suppressionProblems ?? [],
    ...(gate?.baseline ? { baseline: gate.baseline } : {}),
  };
}

/** The config error of a concept whose canonical file is not among the project's files (`files`). */
function canonicalFileMissing(concept: ResolvedConcept, loaded: LoadedConfig, files: readonly string[]): ConfigError {
  const similar = didYouMean(concept.canonicalFile, files);
  return new ConfigError(configNameOf(loaded), [
    {
      keyPath: `concepts.${concept.id}.canonical`,
      path: ["concepts", concept.id, "canonical"],
      message: `file "${concept.canonicalFile}" is not among the analysed files (relative to ${toPosix(loaded.rootDir)})${similar ? `; did you mean "${similar}"?` : ""}`,
    },
  ]);
}

function configNameOf(loaded: LoadedConfig): string {
  return loaded.file ? toPosix(path.relative(process.cwd(), loaded.file)) : "config";
}

/**
 * Stops a run whose config names a canonical file the project does not have as soon as the
 * files are found, before any is parsed (on a large project, that is a minute sooner).
 */
export function requireCanonicalFiles(files: DiscoveredFiles, loaded: LoadedConfig): void {
  const rels = files.files.map((f) => f.rel);
  const found = new Set(rels);
  for (const concept of Object.values(loaded.config.concepts)) {
    if (!found.has(concept.canonicalFile)) throw canonicalFileMissing(concept, loaded, rels);
  }
}

function findCanonical(model: ProjectModel, concept: ResolvedConcept, loaded: LoadedConfig) {
  const configName = configNameOf(loaded);
  const keyPath = `concepts.${concept.id}.canonical`;
  const entry = model.entry(concept.canonicalFile);
  if (!entry) throw canonicalFileMissing(concept, loaded, [...model.files.keys()]);
  const def = model.definition(concept.canonicalFile, concept.canonicalSymbol);
  if (!def) {
    const names = entry.facts.definitions.map((d) => d.qualifiedName);
    const similar = didYouMean(concept.canonicalSymbol, names);
    let suggestion = similar ? `; did you mean "${similar}"?` : "";
    // `Service.method` where Service inherits the method: name it where it is defined.
    const dot = concept.canonicalSymbol.lastIndexOf(".");
    const cls = dot > 0 ? model.definition(concept.canonicalFile, concept.canonicalSymbol.slice(0, dot)) : undefined;
    if (cls?.kind === "class") {
      const inherited = model.member(
        { kind: "instance", cls: { file: concept.canonicalFile, def: cls } },
        concept.canonicalSymbol.slice(dot + 1),
      );
      if (inherited.kind === "def") suggestion = `; it is inherited: use "${inherited.ref.file}::${inherited.ref.def.qualifiedName}"`;
    }
    throw new ConfigError(configName, [
      {
        keyPath,
        path: ["concepts", concept.id, "canonical"],
        message: `no definition "${concept.canonicalSymbol}" in ${concept.canonicalFile}${suggestion}`,
      },
    ]);
  }
  return { file: concept.canonicalFile, def };
}

function runRules(model: ProjectModel, concepts: ConceptAnalysis[], loaded: LoadedConfig): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const setting = loaded.config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (setting === "off") continue;
    for (const raw of rule.check({ model, concepts })) {
      const entry = model.entry(raw.file);
      if (!entry || !entry.reported || entry.isTest) continue;
      findings.push(toFinding(rule.meta.id, setting, raw));
    }
  }
  return sortFindings(dedupe(findings));
}

function toFinding(ruleId: Finding["ruleId"], severity: Severity, raw: RuleFinding): Finding {
  return {
    ruleId,
    severity,
    concept: raw.concept,
    file: raw.file,
    line: raw.span.line,
    column: raw.span.column,
    endLine: raw.span.endLine,
    endColumn: raw.span.endColumn,
    symbol: raw.symbol,
    message: raw.message,
    confidence: raw.confidence,
    fingerprint: fingerprint(ruleId, raw),
    fixable: raw.fixable,
    related: raw.related,
  };
}

/** Stable across unrelated edits: never includes a line number. */
export function fingerprint(ruleId: string, raw: Pick<RuleFinding, "concept" | "file" | "symbol" | "fingerprintText">): string {
  return createHash("sha256")
    .update([ruleId, raw.concept, raw.file, raw.symbol, raw.fingerprintText].join("\0"))
    .digest("hex")
    .slice(0, 20);
}

/** The same rule reporting the same node twice (e.g. two concepts sharing a sink) is one finding per concept. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.concept}\0${f.file}\0${f.line}\0${f.column}\0${f.endLine}\0${f.endColumn}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.concept.localeCompare(b.concept) ||
      a.message.localeCompare(b.message),
  );
}

function summarizeConcept(c: ConceptAnalysis, model: ProjectModel): ConceptSummary {
  const counted = (file: string) => {
    const e = model.entry(file);
    return Boolean(e?.reported && !e.isTest);
  };
  return {
    id: c.id,
    ...(c.config.description ? { description: c.config.description } : {}),
    canonical: `${c.canonical.file}::${c.canonical.def.qualifiedName}`,
    implementations: 1 + c.implementations.filter((i) => counted(i.ref.file)).length,
    callSites: {
      canonical: c.calls.filter((k) => k.target === "canonical" && counted(k.file)).length,
      nonCanonical: c.calls.filter((k) => k.target === "implementation" && counted(k.file)).length,
    },
    fallbacks: c.fallbacks.filter((f) => counted(f.file)).length,
    sinkCalls: c.sinkUses.filter((s) => counted(s.file)).length,
  };
}
