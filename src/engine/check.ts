import { createHash } from "node:crypto";
import path from "node:path";
import { RULES } from "../../rules/index.js";
import { ConfigError } from "../config/errors.js";
import type { LoadedConfig } from "../config/load.js";
import type { ResolvedConcept } from "../config/schema.js";
import { didYouMean } from "../config/validate.js";
import { type ConceptAnalysis, ConceptAnalyzer } from "../model/concepts.js";
import type { ProjectModel } from "../model/project.js";
import { toPosix } from "../files/paths.js";
import { changedFiles } from "../git/changed.js";
import { isActive } from "../suppress/active.js";
import { type GateResult, applyGate, loadBaselineOption, restrictToChanged } from "../suppress/gate.js";
import { type Project, type ProjectOptions, loadProject, resolveRunConfig } from "./project.js";
import type { ConceptSummary, Report } from "../report/types.js";
import { VERSION } from "../version.js";
import type { Finding, RuleFinding, Severity } from "./types.js";
import { compareText } from "../util/text.js";

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

/** Analyses every configured concept of a loaded project. */
export function analyzeConcepts(project: Project): ConceptAnalysis[] {
  const { model, loaded } = project;
  return Object.values(loaded.config.concepts).map((concept) => {
    const canonical = findCanonical(model, concept, loaded);
    return new ConceptAnalyzer(model, concept.id, concept, canonical).analyze();
  });
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
  const project = await loadProject(options);
  if (changed) restrictToChanged(project, changed);
  const concepts = analyzeConcepts(project);
  const findings = runRules(project.model, concepts, project.loaded);
  const gate = applyGate(project, findings, {
    inlineIgnore: options.inlineIgnore !== false,
    ...(baseline ? { baseline } : {}),
    ...(changed ? { changed } : {}),
  });
  const report = buildReport(project, concepts, gate.findings, performance.now() - started, gate);
  if (options.changedSince) report.changedSince = { ref: options.changedSince, files: report.summary.files };
  return { report, project, concepts };
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


function findCanonical(model: ProjectModel, concept: ResolvedConcept, loaded: LoadedConfig) {
  const configName = loaded.file ? toPosix(path.relative(process.cwd(), loaded.file)) : "config";
  const keyPath = `concepts.${concept.id}.canonical`;
  const entry = model.entry(concept.canonicalFile);
  if (!entry) {
    throw new ConfigError(configName, [
      { keyPath, path: ["concepts", concept.id, "canonical"], message: `file "${concept.canonicalFile}" is not among the analysed files (relative to ${toPosix(loaded.rootDir)})` },
    ]);
  }
  const def = model.definition(concept.canonicalFile, concept.canonicalSymbol);
  if (!def) {
    const names = entry.facts.definitions.map((d) => d.qualifiedName);
    const similar = didYouMean(concept.canonicalSymbol, names);
    let suggestion = similar ? `; did you mean "${similar}"?` : "";
    // `Service.method` where Service inherits the method: name it where it is defined.
    const dot = concept.canonicalSymbol.lastIndexOf(".");
    const cls = dot > 0 ? model.definition(concept.canonicalFile, concept.canonicalSymbol.slice(0, dot)) : undefined;
    if (cls?.kind === "class") {
      const inherited = model.member({ kind: "instance", cls: { file: concept.canonicalFile, def: cls } }, concept.canonicalSymbol.slice(dot + 1));
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
  return createHash("sha256").update([ruleId, raw.concept, raw.file, raw.symbol, raw.fingerprintText].join("\0")).digest("hex").slice(0, 20);
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

