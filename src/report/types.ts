import type { Finding } from "../engine/types.js";

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
  summary: { files: number; findings: number; errors: number; warnings: number; durationMs: number };
  concepts: ConceptSummary[];
  findings: Finding[];
  parseErrors: ParseErrorEntry[];
  /** Files left out of the analysis, with the reason (binary, too large, unreadable). */
  skipped: { file: string; reason: string }[];
}

/** Options every reporter receives. Reporters are pure: report in, text out. */
export interface ReporterOptions {
  color: boolean;
  /** Only errors (`--quiet`). */
  quiet: boolean;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;
