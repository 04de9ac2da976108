import type { Finding, RuleMeta } from "../engine/types.js";

/** Per-concept counts (the JSON report's `concepts[]`). */
export interface ConceptSummary {
  id: string;
  description?: string;
  /** `file::Qualified.name` of the canonical implementation. */
  canonical: string;
  /** Implementations of the concept, the canonical included. */
  implementations: number;
  callSites: { canonical: number; nonCanonical: number };
  fallbacks: number;
  sinkCalls: number;
}

export interface ParseErrorEntry {
  file: string;
  line: number;
  message: string;
}

/** The versioned JSON report (DESIGN.md). Every reporter renders this object. */
export interface Report {
  version: 1;
  tool: { name: "ssot-audit"; version: string };
  /**
   * `findings`, `errors` and `warnings` count active findings only (neither baselined nor
   * suppressed); `baselined` and `suppressed` count the others (set by `runCheck`).
   */
  summary: {
    files: number;
    findings: number;
    errors: number;
    warnings: number;
    baselined?: number;
    suppressed?: number;
    durationMs: number;
  };
  concepts: ConceptSummary[];
  findings: Finding[];
  parseErrors: ParseErrorEntry[];
  /** Files left out of the analysis, with the reason (binary, too large, unreadable). */
  skipped: { file: string; reason: string }[];
  /** Inline suppressions that are wrong or useless (no reason, unused, unknown rule id). */
  suppressionProblems?: SuppressionProblem[];
  /** Set when the run used `--baseline`. */
  baseline?: BaselineUse;
  /** Set when the run used `--changed-since`: findings are reported only for files changed since `ref`. */
  changedSince?: { ref: string; files: number };
}

/** A problem with one inline suppression comment. */
export interface SuppressionProblem {
  file: string;
  /** 1-based line of the comment. */
  line: number;
  kind: "missing-reason" | "unused" | "unknown-rule";
  message: string;
}

/** How a baseline file was applied. */
export interface BaselineUse {
  /** The baseline file, relative to the config's folder (or absolute when outside it). */
  file: string;
  /** Entries (with their unmatched count) that no finding matched any more: fixed, or moved to another file/symbol. */
  stale: StaleBaselineEntry[];
}

export interface StaleBaselineEntry {
  fingerprint: string;
  ruleId: string;
  concept: string;
  file: string;
  symbol: string;
  /** How many of the entry's occurrences went unmatched. */
  count: number;
}

/** A rule's metadata and documentation (`rules/<id>.md`), read by the CLI for formats that embed rule help. */
export interface RuleDoc extends RuleMeta {
  /** The rule's Markdown documentation. */
  markdown: string;
}

/** Options every reporter receives. Reporters are pure: report in, text out. */
export interface ReporterOptions {
  color: boolean;
  /** Only errors (`--quiet`). */
  quiet: boolean;
  /** Every rule with its docs (SARIF `tool.driver.rules`, JUnit suites); formatters never read files themselves. */
  rules?: readonly RuleDoc[];
  /**
   * Where paths in SARIF and GitHub output are rooted: the git repository root when there is
   * one, else the config's folder. `rootUri` is its `file://` URI ending in `/`; `prefix` turns
   * a report path (relative to the config's folder) into one relative to that root (`""` or `sub/dir/`).
   */
  location?: { rootUri: string; prefix: string };
}

export type Reporter = (report: Report, options: ReporterOptions) => string;
