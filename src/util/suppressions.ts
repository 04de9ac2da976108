import type { Span, Suppression } from "../facts/types.js";

/**
 * `ssot-audit-ignore[rule-a, rule-b]: reason` (this line and the next) or
 * `ssot-audit-ignore-file[rule]: reason` (whole file). The bracket list is optional (all rules);
 * the reason follows a colon or ` -- `.
 */
const SUPPRESSION = /ssot-audit-ignore(-file)?(?:\[([^\]]*)\])?\s*(?:(?::|--)\s*(.*))?$/;

/**
 * Parses one comment's text (with its `#`, `//` or `/* *\/` markers still on) into a
 * suppression, or undefined when the comment is not one.
 */
export function parseSuppression(comment: string, span: Span): Suppression | undefined {
  const body = comment
    .replace(/^\s*(#|\/\/|\/\*+)\s*/, "")
    .replace(/\*+\/\s*$/, "")
    .trim();
  if (!body.startsWith("ssot-audit-ignore")) return undefined;
  const m = SUPPRESSION.exec(body);
  if (!m) return undefined;
  const rules = (m[2] ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  const reason = m[3]?.trim();
  return {
    rules,
    ...(reason ? { reason } : {}),
    scope: m[1] ? "file" : "line",
    line: span.line,
    span,
  };
}
