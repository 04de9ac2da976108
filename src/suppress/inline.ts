/**
 * Inline suppressions: `# ssot-audit-ignore[rule-id]: reason` / `// ssot-audit-ignore[rule-id]: reason`
 * on a finding's first line or the line before, and `ssot-audit-ignore-file[rule-id]: reason`
 * for a whole file (comments are parsed into `FileFacts.suppressions` by the front ends).
 *
 * A suppression needs a reason: one without is reported and has no effect, so the finding it
 * meant to hide still counts. Unknown rule ids (reported, with a did-you-mean) match nothing.
 * A suppression (or one rule id of it) that hides no finding is reported as unused.
 */
import { RULE_IDS } from "../config/rule-ids.js";
import { didYouMean } from "../config/validate.js";
import type { Finding } from "../engine/types.js";
import type { Suppression } from "../facts/types.js";
import type { SuppressionProblem } from "../report/types.js";

/** The suppressions of one reported file. */
export interface FileSuppressions {
  file: string;
  suppressions: readonly Suppression[];
}

export interface InlineResult {
  /** The findings, those hidden by a suppression marked `suppressed`. */
  findings: Finding[];
  problems: SuppressionProblem[];
}

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);

interface Candidate {
  s: Suppression;
  /** Valid rule ids it names; undefined = all rules. */
  rules: string[] | undefined;
  /** Rule ids (or "*" for all) that hid at least one finding. */
  used: Set<string>;
}

function marker(s: Suppression): string {
  const name = s.scope === "file" ? "ssot-audit-ignore-file" : "ssot-audit-ignore";
  return s.rules.length > 0 ? `${name}[${s.rules.join(", ")}]` : name;
}

/** Whether a suppression's place covers a line: the whole file, or its own line and the next. */
function coversLine(s: Suppression, line: number): boolean {
  return s.scope === "file" || line === s.line || line === s.line + 1;
}

function covers(c: Candidate, f: Finding): boolean {
  if (c.rules && !c.rules.includes(f.ruleId)) return false;
  return coversLine(c.s, f.line);
}

/**
 * Whether a suppression hides a finding of `ruleId` at `line` — the rule `check` applies, for
 * commands that decide before findings exist (`fix`). A suppression without a reason hides nothing.
 */
export function suppresses(s: Suppression, ruleId: string, line: number): boolean {
  if (!s.reason?.trim()) return false;
  if (s.rules.length > 0 && !s.rules.includes(ruleId)) return false;
  return coversLine(s, line);
}

/** Marks the findings hidden by inline suppressions and lists the suppressions' problems. */
export function applyInlineSuppressions(findings: readonly Finding[], files: readonly FileSuppressions[]): InlineResult {
  const problems: SuppressionProblem[] = [];
  const byFile = new Map<string, Candidate[]>();
  for (const { file, suppressions } of files) {
    const candidates: Candidate[] = [];
    for (const s of suppressions) {
      const problem = (kind: SuppressionProblem["kind"], message: string) => problems.push({ file, line: s.line, kind, message });
      const unknown = s.rules.filter((r) => !KNOWN.has(r));
      for (const id of unknown) {
        const hint = didYouMean(id, RULE_IDS);
        problem(
          "unknown-rule",
          `unknown rule "${id}" in ${marker(s)}; ${hint ? `did you mean "${hint}"?` : `rules: ${RULE_IDS.join(", ")}`}`,
        );
      }
      if (!s.reason) {
        problem("missing-reason", `${marker(s)} has no reason, so it is ignored; write "${marker(s)}: <why this is acceptable>"`);
        continue;
      }
      const rules = s.rules.length > 0 ? s.rules.filter((r) => KNOWN.has(r)) : undefined;
      if (rules?.length === 0) continue; // only unknown ids: already reported, matches nothing
      candidates.push({ s, rules, used: new Set() });
    }
    if (candidates.length > 0) byFile.set(file, candidates);
  }

  const out = findings.map((f) => {
    const candidates = byFile.get(f.file)?.filter((c) => covers(c, f)) ?? [];
    if (candidates.length === 0) return f;
    for (const c of candidates) c.used.add(c.rules ? f.ruleId : "*");
    // The nearest one explains the finding: a line suppression before a file-level one.
    const shown = candidates.find((c) => c.s.scope === "line") ?? candidates[0];
    return shown ? { ...f, suppressed: { kind: "inline" as const, reason: shown.s.reason ?? "", line: shown.s.line } } : f;
  });

  for (const [file, candidates] of byFile) {
    for (const { s, rules, used } of candidates) {
      const where = s.scope === "file" ? "in this file" : `on line ${s.line} or ${s.line + 1}`;
      const idle = rules ? rules.filter((r) => !used.has(r)) : used.size === 0 ? ["*"] : [];
      for (const r of idle) {
        const what = r === "*" ? "no finding" : `no ${r} finding`;
        problems.push({ file, line: s.line, kind: "unused", message: `unused ${marker(s)}: ${what} ${where}` });
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { findings: out, problems };
}
