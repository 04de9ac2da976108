/**
 * GitHub Actions workflow commands: one `::error`/`::warning` annotation per active finding
 * (`::error file=app/x.py,line=3,col=5,endLine=3,endColumn=9,title=rule-id::message`), plus
 * warnings for suppression problems, stale baseline entries and parse errors. Paths are
 * relative to the repository root (the `location.prefix` computed by the CLI), which is what
 * pull-request annotations need. Baselined and suppressed findings are not annotated.
 */
import { isActive } from "../suppress/active.js";
import type { Reporter } from "./types.js";
import { plural } from "../util/text.js";

/** Escapes a command's message (as `@actions/core` does). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a command property value: the message escapes plus `:` and `,`, which delimit properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

type Properties = Record<string, string | number | undefined>;

function command(name: "error" | "warning" | "notice", properties: Properties, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}


export const githubReporter: Reporter = (report, options) => {
  const prefix = options.location?.prefix ?? "";
  const lines: string[] = [];
  const active = report.findings.filter((f) => isActive(f) && (!options.quiet || f.severity === "error"));
  for (const f of active) {
    lines.push(
      command(
        f.severity,
        { file: prefix + f.file, line: f.line, col: f.column, endLine: f.endLine, endColumn: f.endColumn, title: f.ruleId },
        f.confidence === "likely" ? `${f.message} (likely)` : f.message,
      ),
    );
  }
  if (!options.quiet) {
    for (const p of report.suppressionProblems ?? []) {
      lines.push(command("warning", { file: prefix + p.file, line: p.line, title: "ssot-audit suppression" }, p.message));
    }
    for (const s of report.baseline?.stale ?? []) {
      lines.push(
        command(
          "warning",
          { file: prefix + s.file, title: "ssot-audit stale baseline entry" },
          `${plural(s.count, "baselined finding")} of ${s.ruleId} in ${s.symbol || "module scope"} no longer found; prune with: ssot-audit baseline --update`,
        ),
      );
    }
    for (const p of report.parseErrors)
      lines.push(command("warning", { file: prefix + p.file, line: p.line, title: "ssot-audit parse error" }, p.message));
  }
  const { errors, warnings } = report.summary;
  const hidden = [
    report.summary.baselined ? `${report.summary.baselined} baselined` : "",
    report.summary.suppressed ? `${report.summary.suppressed} suppressed` : "",
  ].filter(Boolean);
  lines.push(
    `ssot-audit: ${plural(errors, "error")}, ${plural(options.quiet ? 0 : warnings, "warning")}${hidden.length > 0 ? ` (${hidden.join(", ")})` : ""}`,
  );
  return `${lines.join("\n")}\n`;
};
