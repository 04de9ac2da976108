import type { RuleId } from "../config/rule-ids.js";

/** Rules that have fixes (`fix`) or suggestions (`--unsafe`). A module of its own: the CLI lists them without loading the fixer. */
export const FIXABLE_RULES: readonly RuleId[] = ["non-canonical-call", "non-canonical-import", "duplicate-implementation", "legacy-fallback"];
