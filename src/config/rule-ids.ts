/** The fixed rule ids (DESIGN.md). The rule registry in `rules/index.ts` must list exactly these. */
export const RULE_IDS = [
  "duplicate-implementation",
  "legacy-fallback",
  "direct-sink-call",
  "non-canonical-call",
  "non-canonical-import",
] as const;

export type RuleId = (typeof RULE_IDS)[number];
