/**
 * JUnit XML for CI test dashboards: one `<testsuite>` per rule, one failing `<testcase>` per
 * active finding, a skipped one per baselined or suppressed finding, and a passing testcase in
 * every suite without failures, so a clean run shows green tests rather than none.
 */
import type { Finding } from "../engine/types.js";
import { isActive } from "../suppress/active.js";
import type { Reporter } from "./types.js";

/** Whether XML 1.0 allows a code point at all (no C0 controls but tab/newline/return, no lone surrogates, no U+FFFE/U+FFFF). */
function allowedInXml(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp >= 0xd800 && cp <= 0xdfff) return false; // a lone surrogate (pairs arrive as one code point)
  return cp !== 0xfffe && cp !== 0xffff;
}

/** Text content: markup characters escaped, characters XML cannot hold replaced by U+FFFD. */
export function escapeXmlText(text: string): string {
  let clean = "";
  for (const ch of text) clean += allowedInXml(ch.codePointAt(0) ?? 0) ? ch : "\uFFFD";
  return clean.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Attribute values (double-quoted): also quotes, and whitespace that attribute normalization would eat. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXmlAttribute(String(v))}"`)
    .join("");
}

function testcase(f: Finding): string {
  const head = `    <testcase${attrs({ name: `${f.file}:${f.line}:${f.column} ${f.symbol || "(module)"}`, classname: `${f.ruleId}.${f.file}`, file: f.file, line: f.line })}>`;
  if (f.suppressed) return `${head}<skipped${attrs({ message: `suppressed inline: ${f.suppressed.reason}` })}/></testcase>`;
  if (f.baselined) return `${head}<skipped${attrs({ message: "in the baseline" })}/></testcase>`;
  const details = [
    `${f.severity}: ${f.message}`,
    `rule: ${f.ruleId}`,
    `concept: ${f.concept}`,
    `at: ${f.file}:${f.line}:${f.column}`,
    `confidence: ${f.confidence}`,
    ...f.related.map((r) => `related: ${r.file}:${r.line} ${r.message}`),
  ].join("\n");
  return `${head}\n      <failure${attrs({ type: f.severity, message: f.message })}>${escapeXmlText(details)}</failure>\n    </testcase>`;
}

export const junitReporter: Reporter = (report, options) => {
  const findings = options.quiet ? report.findings.filter((f) => f.severity === "error") : report.findings;
  const ids = options.rules ? options.rules.map((r) => r.id as string) : [];
  for (const f of findings) if (!ids.includes(f.ruleId)) ids.push(f.ruleId);
  if (ids.length === 0) ids.push("ssot-audit");
  const time = (report.summary.durationMs / 1000).toFixed(3);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const id of ids) {
    const own = findings.filter((f) => f.ruleId === id);
    const failing = own.filter(isActive).length;
    const cases = own.map(testcase);
    if (failing === 0) cases.push(`    <testcase${attrs({ name: own.length === 0 ? "no findings" : "no new findings", classname: id })}/>`);
    tests += cases.length;
    failures += failing;
    skipped += own.length - failing;
    suites.push(
      `  <testsuite${attrs({ name: id, tests: cases.length, failures: failing, errors: 0, skipped: own.length - failing, time: "0" })}>\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: "ssot-audit", tests, failures, errors: 0, skipped, time })}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
};
