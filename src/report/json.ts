import type { Reporter } from "./types.js";

/** The versioned JSON report of DESIGN.md, pretty-printed. */
export const jsonReporter: Reporter = (report, options) => {
  const findings = options.quiet ? report.findings.filter((f) => f.severity === "error") : report.findings;
  return `${JSON.stringify({ ...report, findings }, null, 2)}\n`;
};
