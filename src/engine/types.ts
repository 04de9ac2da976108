import type { RuleId } from "../config/rule-ids.js";
import type { Span } from "../facts/types.js";
import type { ConceptAnalysis, Confidence } from "../model/concepts.js";
import type { ProjectModel } from "../model/project.js";

export type Severity = "error" | "warning";

export interface RelatedLocation {
  file: string;
  line: number;
  message: string;
}

/** What a rule reports; the engine adds the rule id, severity, position and fingerprint. */
export interface RuleFinding {
  concept: string;
  file: string;
  span: Span;
  /** Qualified name of the enclosing (or reported) definition; empty at module level. */
  symbol: string;
  message: string;
  confidence: Confidence;
  /**
   * The node's normalized content for the fingerprint (member paths, names, kinds — never
   * line numbers or whitespace), so fingerprints survive unrelated edits and reformatting.
   */
  fingerprintText: string;
  fixable: boolean;
  related: RelatedLocation[];
}

export interface RuleContext {
  model: ProjectModel;
  concepts: readonly ConceptAnalysis[];
}

export interface RuleMeta {
  id: RuleId;
  /** One line: what the rule finds. */
  description: string;
  defaultSeverity: Severity;
  /** `code`: `fix` rewrites it; `suggestion`: only with `--unsafe`; false: no fix. */
  fixable: "code" | "suggestion" | false;
}

export interface RuleModule {
  meta: RuleMeta;
  check(context: RuleContext): RuleFinding[];
}

/** One finding as reported (the JSON report's `findings[]` entries). */
export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  concept: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  symbol: string;
  message: string;
  confidence: Confidence;
  fingerprint: string;
  fixable: boolean;
  related: RelatedLocation[];
  /** The edits `ssot-audit fix` would make for this finding (set when SARIF output is requested). */
  fix?: FindingFix;
  /** Covered by the `--baseline` file: still listed, but not counted as active and never failing. */
  baselined?: true;
  /** Silenced by an inline `ssot-audit-ignore` comment: still listed, but not counted as active and never failing. */
  suppressed?: FindingSuppression;
}

/** A self-contained fix: its replacements (with the imports it needs) in the finding's file. */
export interface FindingFix {
  description: string;
  /** 1-based regions of the current file and the text that replaces each. */
  replacements: { line: number; column: number; endLine: number; endColumn: number; text: string }[];
}

/** How a finding was suppressed in the source (`ssot-audit-ignore[rule]: reason`). */
export interface FindingSuppression {
  kind: "inline";
  /** The reason written after the colon. */
  reason: string;
  /** 1-based line of the suppression comment. */
  line: number;
}
