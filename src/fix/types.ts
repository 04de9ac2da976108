/**
 * The fixer's data model. Fixes are data: text edits computed from facts (and, for layout
 * details such as where an import goes, from the file's text), applied by one engine
 * (`engine.ts`) that sorts them, defers overlapping ones to another pass, re-parses the result
 * and writes atomically (`write.ts`).
 */
import type { RuleId } from "../config/rule-ids.js";

/** Replace `[start, end)` of a file's BOM-less text with `text`. Offsets are UTF-16 code units. */
export interface TextEdit {
  /** Root-relative `/` path. */
  file: string;
  start: number;
  end: number;
  text: string;
}

/**
 * One fix: the edits that rewrite one finding. A unit is applied whole or not at all (when one
 * of its edits overlaps an edit already accepted in this pass it waits for the next pass).
 */
export interface FixUnit {
  file: string;
  ruleId: RuleId;
  concept: string;
  /** 1-based line of the finding in the text the unit was planned on. */
  line: number;
  /** `fix` is applied by `fix --write`; `suggestion` only with `--unsafe`. */
  kind: "fix" | "suggestion";
  /** One line: what the unit does. */
  description: string;
  edits: TextEdit[];
  /** Imports the rewritten code needs (deduplicated and placed per file by the planner). */
  needs: ImportNeed[];
  /**
   * Ranges of the planned-on text whose code the unit removes or replaces; names referenced
   * only there may leave an import unused.
   */
  removed: { start: number; end: number }[];
  /**
   * Offset of code the unit adds that runs at import time (a module-level or class-body call):
   * an import it needs must come before it.
   */
  moduleLevelAt?: number;
}

/** An import a unit needs, planned per file so that several units share one insertion. */
export type ImportNeed =
  | { kind: "python" /** The statement, e.g. `from a.b import c`. */; statement: string }
  | {
      kind: "typescript";
      /** The module specifier as it should be written in this file. */
      specifier: string;
      /** The imported name (`default` for a default import). */
      imported: string;
      /** The local binding. */
      local: string;
      /** A complete statement from the config (string form), inserted verbatim. */
      statement?: string;
    };

/** A finding the fixer will not rewrite, and why. */
export interface ManualItem {
  file: string;
  /** 1-based line in the original file. */
  line: number;
  /** Offset of the finding in the text it was planned on (mapped back to the original by the engine). */
  offset: number;
  reason: string;
  ruleId: RuleId;
  concept: string;
}

/** A file the fixer left untouched, and why. */
export interface Refusal {
  file: string;
  reason: string;
}

/** What one planned unit looks like in the JSON output. */
export interface PlannedFix {
  file: string;
  line: number;
  ruleId: RuleId;
  concept: string;
  kind: "fix" | "suggestion";
  description: string;
  /** The pass (1-based) that applied it; edits are offsets into the text as it was at that pass. */
  pass: number;
  edits: { start: number; end: number; text: string }[];
}
