import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { RULES } from "../../rules/index.js";
import { ConfigError } from "../config/errors.js";
import { type LoadedConfig, defaultConfig, findConfig, loadConfig } from "../config/load.js";
import type { ResolvedConcept } from "../config/schema.js";
import { didYouMean } from "../config/validate.js";
import type { FileFacts } from "../facts/types.js";
import { discoverFiles } from "../files/discover.js";
import { UsageError } from "../files/errors.js";
import { isInside, toPosix } from "../files/paths.js";
import { type ConceptAnalysis, ConceptAnalyzer } from "../model/concepts.js";
import { ProjectModel } from "../model/project.js";
import type { FileEntry } from "../model/types.js";
import type { ConceptSummary, Report } from "../report/types.js";
import { VERSION } from "../version.js";
import { extractFile } from "./extract.js";
import type { Finding, RuleFinding, Severity } from "./types.js";

export interface CheckOptions {
  /** Files or folders to audit, relative to `cwd` (default `.`). */
  paths: string[];
  cwd: string;
  /** Explicit config file (`--config`). */
  configPath?: string;
  /** Diagnostics for stderr (never the report). */
  warn?: (message: string) => void;
}

export interface CheckResult {
  report: Report;
  loaded: LoadedConfig;
  model: ProjectModel;
  concepts: ConceptAnalysis[];
}

/** Resolves the config for a run: `--config`, else the nearest config from the first path upward. */
export function resolveRunConfig(options: Pick<CheckOptions, "paths" | "cwd" | "configPath">): LoadedConfig {
  const first = path.resolve(options.cwd, options.paths[0] ?? ".");
  if (options.configPath) return loadConfig(options.configPath, { cwd: options.cwd });
  if (!fs.existsSync(first)) throw new UsageError(`path not found: ${options.paths[0] ?? "."}`);
  const found = findConfig(first);
  if (found) return loadConfig(found, { cwd: options.cwd });
  const stat = fs.statSync(first);
  return defaultConfig(stat.isDirectory() ? first : path.dirname(first));
}

/**
 * The audit pipeline: files → per-file facts → project model → concept analysis → rules →
 * sorted findings. The whole project under the config's root is analysed (cross-file rules
 * need it); findings are reported only for files under the requested paths.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const warn = options.warn ?? (() => {});
  const loaded = resolveRunConfig(options);
  const { config, rootDir } = loaded;
  const requested = (options.paths.length > 0 ? options.paths : ["."]).map((p) => path.resolve(options.cwd, p));
  for (const p of requested) {
    if (!isInside(rootDir, p)) throw new UsageError(`path ${p} is outside the project root ${rootDir}`);
  }

  const discovery = await discoverFiles({
    rootDir,
    paths: [rootDir],
    include: config.include,
    exclude: config.exclude,
    tests: config.tests,
    maxFileSize: config.maxFileSize,
  });
  const entries: FileEntry[] = [];
  const skipped = [...discovery.skipped];
  for (const source of discovery.files) {
    const outcome = await extractFile(source, { parseBudgetMs: config.parseBudgetMs }, warn);
    if ("skipped" in outcome) {
      skipped.push({ file: source.rel, reason: outcome.skipped });
      continue;
    }
    entries.push({
      facts: outcome.facts,
      isTest: source.isTest,
      reported: requested.some((p) => p === source.path || isInside(p, source.path)),
    });
  }
  for (const s of skipped) warn(`ssot-audit: skipped ${s.file}: ${s.reason}`);

  const model = new ProjectModel(entries);
  const concepts = Object.values(config.concepts).map((concept) => {
    const canonical = findCanonical(model, concept, loaded);
    return new ConceptAnalyzer(model, concept.id, concept, canonical).analyze();
  });

  const findings = runRules(model, concepts, loaded);
  const reportedEntries = entries.filter((e) => e.reported);
  const report: Report = {
    version: 1,
    tool: { name: "ssot-audit", version: VERSION },
    summary: {
      files: reportedEntries.length,
      findings: findings.length,
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warning").length,
      durationMs: Math.round(performance.now() - started),
    },
    concepts: concepts.map((c) => summarizeConcept(c, model)),
    findings,
    parseErrors: reportedEntries
      .flatMap((e) => e.facts.parseErrors.slice(0, 1).map((p) => ({ file: e.facts.file, line: p.line, message: p.message })))
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    skipped: skipped
      .filter((s) => requested.some((p) => isInside(p, path.join(rootDir, s.file)) || p === path.join(rootDir, s.file)))
      .sort((a, b) => a.file.localeCompare(b.file)),
  };
  return { report, loaded, model, concepts };
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
    const hint = didYouMean(concept.canonicalSymbol, names);
    throw new ConfigError(configName, [
      {
        keyPath,
        path: ["concepts", concept.id, "canonical"],
        message: `no definition "${concept.canonicalSymbol}" in ${concept.canonicalFile}${hint ? `; did you mean "${hint}"?` : ""}`,
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
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
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

export type { FileFacts };
