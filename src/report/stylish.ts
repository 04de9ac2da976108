import { Chalk } from "chalk";
import { isActive } from "../suppress/active.js";
import { printable } from "../util/terminal.js";
import type { Reporter } from "./types.js";

/**
 * Human output grouped by file (ESLint-style), then a per-concept summary: implementations,
 * canonical vs non-canonical call sites, fallbacks and sink calls.
 */
export const stylishReporter: Reporter = (report, options) => {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  // Baselined and suppressed findings are summed up in one note, not listed.
  const findings = report.findings.filter((f) => isActive(f) && (!options.quiet || f.severity === "error"));
  const lines: string[] = [];
  const byFile = new Map<string, typeof findings>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, list] of byFile) {
    lines.push(c.underline(printable(file)));
    const rows = list.map((f) => [
      `${f.line}:${f.column}`,
      f.severity === "error" ? c.red("error") : c.yellow("warning"),
      printable(f.message) + (f.confidence === "likely" ? c.dim(" (likely)") : ""),
      c.dim(f.ruleId),
    ]);
    const w0 = Math.max(...rows.map((r) => r[0]?.length ?? 0));
    const w1 = Math.max(...list.map((f) => f.severity.length));
    for (const [i, r] of rows.entries()) {
      const sev = list[i]?.severity ?? "error";
      lines.push(`  ${c.dim((r[0] ?? "").padEnd(w0))}  ${r[1]}${" ".repeat(w1 - sev.length)}  ${r[2]}  ${r[3]}`);
    }
    lines.push("");
  }
  for (const p of report.parseErrors) lines.push(`${c.yellow("parse error")} ${printable(p.file)}:${p.line} ${printable(p.message)}`);
  if (report.parseErrors.length > 0) lines.push("");
  const problems = options.quiet ? [] : (report.suppressionProblems ?? []);
  for (const p of problems) lines.push(`${c.yellow("suppression")} ${printable(p.file)}:${p.line} ${printable(p.message)}`);
  if (problems.length > 0) lines.push("");
  const stale = options.quiet ? [] : (report.baseline?.stale ?? []);
  if (report.baseline && stale.length > 0) {
    const n = stale.reduce((sum, s) => sum + s.count, 0);
    lines.push(
      c.yellow(
        `${n} baselined finding${n === 1 ? "" : "s"} in ${report.baseline.file} no longer found (fixed?); prune ${n === 1 ? "it" : "them"} with: ssot-audit baseline --update`,
      ),
    );
    for (const s of stale)
      lines.push(`  ${printable(s.file)}  ${s.ruleId}  ${printable(s.symbol) || "(module)"}${s.count > 1 ? ` ×${s.count}` : ""}`);
    lines.push("");
  }

  if (report.concepts.length > 0) {
    lines.push(c.bold("Concepts"));
    for (const k of report.concepts) {
      lines.push(`  ${c.bold(k.id)} ${c.dim(`canonical ${k.canonical}`)}`);
      lines.push(
        `    implementations ${k.implementations}  call sites ${k.callSites.canonical} canonical / ${k.callSites.nonCanonical} non-canonical  fallbacks ${k.fallbacks}  sink calls ${k.sinkCalls}`,
      );
    }
    lines.push("");
  }
  const { errors, warnings } = report.summary;
  const shownWarnings = options.quiet ? 0 : warnings;
  const total = errors + shownWarnings;
  if (total === 0) {
    lines.push(c.green(`✔ no SSOT violations in ${report.summary.files} file${report.summary.files === 1 ? "" : "s"}`));
  } else {
    const text = `✖ ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${shownWarnings} warning${shownWarnings === 1 ? "" : "s"}) in ${report.summary.files} file${report.summary.files === 1 ? "" : "s"}`;
    lines.push(errors > 0 ? c.red.bold(text) : c.yellow.bold(text));
  }
  const hidden = [
    report.summary.baselined ? `${report.summary.baselined} baselined (in ${report.baseline?.file ?? "the baseline"})` : "",
    report.summary.suppressed ? `${report.summary.suppressed} suppressed inline` : "",
  ].filter(Boolean);
  if (hidden.length > 0) lines.push(c.dim(`  not shown: ${hidden.join(", ")}`));
  if (report.changedSince) lines.push(c.dim(`  only files changed since ${report.changedSince.ref}`));
  return `${lines.join("\n")}\n`;
};
