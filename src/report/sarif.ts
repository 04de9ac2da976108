/**
 * SARIF 2.1.0 (one run) for code scanning: rules with their docs and `helpUri`, results with
 * `partialFingerprints`, the canonical implementation as a related location, inline
 * suppressions (`inSource`) and baselined findings (`external`, `baselineState: unchanged`),
 * and the run's diagnostics (suppression problems, stale baseline entries, parse errors) as
 * tool execution notifications. URIs are relative to `%SRCROOT%`, which `originalUriBaseIds`
 * maps to the repository root (or the config's folder outside git).
 */
import type * as Sarif from "sarif";
import type { Finding, RelatedLocation } from "../engine/types.js";
import type { Report, Reporter, ReporterOptions, RuleDoc } from "./types.js";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const INFORMATION_URI = "https://github.com/ssot-audit/ssot-audit";
/** The key of ssot-audit's fingerprint in `partialFingerprints`. */
export const FINGERPRINT_KEY = "ssotAudit/v1";
const SRCROOT = "%SRCROOT%";

/** Where a rule's documentation lives in the repository. */
export function ruleHelpUri(id: string): string {
  return `${INFORMATION_URI}/blob/main/rules/${id}.md`;
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

/** SARIF messages are sentences. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The first paragraph after the title of a rule doc. */
function firstParagraph(markdown: string): string | undefined {
  const paragraph = markdown
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .find((p) => p.length > 0 && !p.startsWith("#") && !p.startsWith("```"));
  return paragraph?.replace(/\s*\r?\n\s*/g, " ");
}

function ruleDescriptor(rule: RuleDoc | { id: string }): Sarif.ReportingDescriptor {
  const descriptor: Sarif.ReportingDescriptor = { id: rule.id, name: pascal(rule.id), helpUri: ruleHelpUri(rule.id) };
  if ("markdown" in rule) {
    descriptor.shortDescription = { text: sentence(rule.description) };
    descriptor.fullDescription = { text: sentence(firstParagraph(rule.markdown) ?? rule.description) };
    descriptor.help = { text: rule.markdown, markdown: rule.markdown };
    descriptor.defaultConfiguration = { level: rule.defaultSeverity };
    descriptor.properties = { tags: ["maintainability", "ssot"], fixable: rule.fixable === false ? "no" : rule.fixable };
  } else {
    descriptor.shortDescription = { text: `ssot-audit rule ${rule.id}.` };
  }
  return descriptor;
}

function uriOf(file: string, options: ReporterOptions): string {
  return `${options.location?.prefix ?? ""}${file}`.split("/").map(encodeURIComponent).join("/");
}

function physical(file: string, region: Sarif.Region | undefined, options: ReporterOptions): Sarif.PhysicalLocation {
  return { artifactLocation: { uri: uriOf(file, options), uriBaseId: SRCROOT }, ...(region ? { region } : {}) };
}

function relatedLocation(r: RelatedLocation, index: number, options: ReporterOptions): Sarif.Location {
  return { id: index + 1, physicalLocation: physical(r.file, { startLine: r.line }, options), message: { text: sentence(r.message) } };
}

function result(f: Finding, ruleIndex: number, report: Report, options: ReporterOptions): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text: sentence(f.message) },
    locations: [
      {
        physicalLocation: physical(
          f.file,
          { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          options,
        ),
        ...(f.symbol ? { logicalLocations: [{ fullyQualifiedName: f.symbol }] } : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  if (f.related.length > 0) out.relatedLocations = f.related.map((r, i) => relatedLocation(r, i, options));
  const suppressions: Sarif.Suppression[] = [];
  if (f.suppressed) {
    suppressions.push({
      kind: "inSource",
      status: "accepted",
      justification: f.suppressed.reason,
      location: { physicalLocation: physical(f.file, { startLine: f.suppressed.line }, options) },
    });
  }
  if (f.baselined)
    suppressions.push({
      kind: "external",
      status: "accepted",
      justification: `accepted in the baseline ${report.baseline?.file ?? ""}`.trim(),
    });
  if (suppressions.length > 0) out.suppressions = suppressions;
  if (report.baseline) out.baselineState = f.baselined ? "unchanged" : "new";
  if (f.fix) {
    out.fixes = [
      {
        description: { text: sentence(f.fix.description) },
        artifactChanges: [
          {
            artifactLocation: { uri: uriOf(f.file, options), uriBaseId: SRCROOT },
            replacements: f.fix.replacements.map((r) => ({
              deletedRegion: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
              ...(r.text ? { insertedContent: { text: r.text } } : {}),
            })),
          },
        ],
      },
    ];
  }
  out.properties = { concept: f.concept, confidence: f.confidence, fixable: f.fixable };
  return out;
}

function notifications(report: Report, options: ReporterOptions): Sarif.Notification[] {
  const at = (file: string, line?: number): Sarif.Location[] => [
    { physicalLocation: physical(file, line ? { startLine: line } : undefined, options) },
  ];
  const out: Sarif.Notification[] = [];
  for (const p of report.suppressionProblems ?? []) {
    out.push({
      level: "warning",
      descriptor: { id: `suppression/${p.kind}` },
      message: { text: sentence(p.message) },
      locations: at(p.file, p.line),
    });
  }
  for (const s of report.baseline?.stale ?? []) {
    out.push({
      level: "warning",
      descriptor: { id: "baseline/stale" },
      message: {
        text: `Stale baseline entry: ${s.count} × ${s.ruleId} in ${s.symbol || "module scope"} no longer found; prune it with \`ssot-audit baseline --update\`.`,
      },
      locations: at(s.file),
    });
  }
  for (const p of report.parseErrors) {
    out.push({
      level: "warning",
      descriptor: { id: "parse-error" },
      message: { text: sentence(`Parse error: ${p.message}`) },
      locations: at(p.file, p.line),
    });
  }
  for (const s of report.skipped) {
    out.push({ level: "note", descriptor: { id: "skipped" }, message: { text: sentence(`Skipped: ${s.reason}`) }, locations: at(s.file) });
  }
  return out;
}

/** The SARIF log as an object (the formatter serializes it). */
export function sarifLog(report: Report, options: ReporterOptions): Sarif.Log {
  const findings = options.quiet ? report.findings.filter((f) => f.severity === "error") : report.findings;
  const rules: (RuleDoc | { id: string })[] = options.rules
    ? [...options.rules]
    : [...new Set(findings.map((f) => f.ruleId))].sort().map((id) => ({ id }));
  for (const f of findings) if (!rules.some((r) => r.id === f.ruleId)) rules.push({ id: f.ruleId });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: INFORMATION_URI,
        rules: rules.map(ruleDescriptor),
      },
    },
    ...(options.location ? { originalUriBaseIds: { [SRCROOT]: { uri: options.location.rootUri } } } : {}),
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(report, options) }],
    results: findings.map((f) => result(f, index.get(f.ruleId) ?? 0, report, options)),
    columnKind: "utf16CodeUnits",
  };
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

export const sarifReporter: Reporter = (report, options) => `${JSON.stringify(sarifLog(report, options), null, 2)}\n`;
