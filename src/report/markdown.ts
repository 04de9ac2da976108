/**
 * The migration report as GitHub-flavoured Markdown for a pull-request comment: an overview
 * table with text progress bars, the trend, and one collapsible `<details>` section per
 * concept (remaining-work checklist, other implementations and their callers, fallbacks, sink
 * uses by file, deprecated imports). Output longer than `maxSize` characters is cut at a line
 * boundary, open sections are closed, and a note says so.
 *
 * Analysed text (file names, symbols, code) is always rendered as `<code>` with every
 * character that Markdown or HTML could interpret written as a character reference, so a pipe
 * cannot split a table cell, a backtick cannot open a code span and `<` cannot open a tag; and
 * GitHub does not turn `@name` or `#1` inside `<code>` into mentions or links.
 */
import { sampleEvenly } from "../history/sample.js";
import { remainingOf } from "../history/snapshot.js";
import {
  type MigrationConcept,
  type MigrationReportInput,
  describeTask,
  fallbackKindLabel,
  formatDate,
  formatDuration,
  formatPercent,
  plural,
} from "./migration.js";

/** GitHub's limit for an issue or pull-request comment body is 65,536 characters. */
export const DEFAULT_MARKDOWN_MAX_SIZE = 65_000;
/** Below this the report cannot hold its heading, overview and the truncation note. */
export const MIN_MARKDOWN_MAX_SIZE = 2_000;

export interface MarkdownOptions {
  /** Maximum length in characters (UTF-16 code units, which never undercounts). */
  maxSize?: number;
}

const BAR_CELLS = 20;
const SPARK = "▁▂▃▄▅▆▇█";
const MAX_SPARK_POINTS = 24;

/** Escapes analysed text for Markdown and HTML contexts alike (one line; see the file comment). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t\u2028\u2029]+/g, " ")
    .replace(/[&<>"'|`*~[\]\\${}!#]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (c) => `&#${c.codePointAt(0)};`);
}

/** Analysed text as inline code. */
export function mdCode(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}

/** A text progress bar: `█████░░░░░░░░░░░░░░░ 25%`. */
export function textBar(progress: number | undefined): string {
  if (progress === undefined) return "no call sites";
  const filled = Math.round(progress * BAR_CELLS);
  return `${"█".repeat(filled)}${"░".repeat(BAR_CELLS - filled)} ${formatPercent(progress)}`;
}

/** A sparkline of non-negative values, scaled from 0 to the largest value. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(...values, 0);
  return values.map((v) => SPARK[max === 0 ? 0 : Math.round((v / max) * (SPARK.length - 1))] ?? "").join("");
}

export function renderMarkdown(input: MigrationReportInput, options: MarkdownOptions = {}): string {
  const maxSize = options.maxSize ?? DEFAULT_MARKDOWN_MAX_SIZE;
  const lines = [
    ...header(input),
    ...overview(input),
    ...trend(input),
    ...input.model.concepts.flatMap((c) => conceptSection(c)),
    ...footer(input),
  ];
  return fitToSize(lines, maxSize);
}

function header(input: MigrationReportInput): string[] {
  const { report } = input;
  const s = report.summary;
  const meta = [
    `ssot-audit ${escapeMarkdown(report.tool.version)}`,
    plural(s.files, "file"),
    `${plural(s.findings, "finding")} (${plural(s.errors, "error")}, ${plural(s.warnings, "warning")})`,
    ...(input.commit ? [`commit ${mdCode(input.commit.slice(0, 10))}`] : []),
    formatDate(input.generatedAt),
    formatDuration(s.durationMs),
  ];
  return [`## SSOT migration report${input.project ? ` — ${mdCode(input.project)}` : ""}`, "", `<sub>${meta.join(" · ")}</sub>`, ""];
}

function overview(input: MigrationReportInput): string[] {
  const { concepts, totals } = input.model;
  if (concepts.length === 0)
    return ["No concepts are configured: nothing to migrate. Run `ssot-audit init` to write a config from discovery.", ""];
  const rows = concepts.map(
    (c) =>
      `| ${mdCode(c.id)} | ${textBar(c.progress)} | ${c.summary.callSites.canonical} | ${c.summary.callSites.nonCanonical} | ${c.implementations.length} | ${c.summary.fallbacks} | ${c.summary.sinkCalls} | **${c.remaining}** |`,
  );
  const all = totals.canonical + totals.nonCanonical;
  const total =
    concepts.length > 1
      ? [
          `| **All concepts** | ${textBar(all > 0 ? totals.canonical / all : undefined)} | ${totals.canonical} | ${totals.nonCanonical} | ${totals.duplicates} | ${totals.fallbacks} | ${totals.sinkCalls} | **${totals.remaining}** |`,
        ]
      : [];
  return [
    "| Concept | Call sites on the canonical | Canonical | Non-canonical | Duplicates | Fallbacks | Sink uses | Open items |",
    "| :-- | :-- | --: | --: | --: | --: | --: | --: |",
    ...rows,
    ...total,
    "",
    "<sub>Open items = call sites on other implementations + other implementations + fallbacks + direct sink uses.</sub>",
    "",
  ];
}

function trend(input: MigrationReportInput): string[] {
  const points = input.trend;
  if (points.length < 2) return [];
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return [];
  const rows = input.model.concepts.flatMap((c) => {
    const series = points.flatMap((p) => {
      const counts = p.concepts[c.id];
      return counts ? [remainingOf(counts)] : [];
    });
    const start = series[0];
    const end = series[series.length - 1];
    if (start === undefined || end === undefined) return [];
    const change = end - start;
    const changeText = change === 0 ? "±0" : change < 0 ? `▼ ${-change}` : `▲ ${change}`;
    return [`| ${mdCode(c.id)} | ${sparkline(sampleEvenly(series, MAX_SPARK_POINTS))} | ${start} | ${end} | ${changeText} |`];
  });
  if (rows.length === 0) return [];
  return [
    `### Trend`,
    "",
    `Open items over ${plural(points.length, "snapshot")}, ${formatDate(first.date)} → ${formatDate(last.date)}.`,
    "",
    "| Concept | Open items | First | Now | Change |",
    "| :-- | :-- | --: | --: | --: |",
    ...rows,
    "",
  ];
}

function conceptSection(c: MigrationConcept): string[] {
  const headline = [
    c.progress === undefined ? "no call sites yet" : `${formatPercent(c.progress)} of call sites on the canonical`,
    plural(c.remaining, "open item"),
  ].join(", ");
  const lines = ["<details>", `<summary><b>${mdCode(c.id)}</b> — ${headline}</summary>`, ""];
  if (c.description) lines.push(`_${escapeMarkdown(c.description)}_`, "");
  const canonicalCalls = c.canonicalCallers.reduce((n, g) => n + g.sites.length, 0);
  lines.push(
    `**Canonical:** ${mdCode(c.canonical.symbol)} in ${mdCode(`${c.canonical.file}:${c.canonical.line}`)} — ${plural(canonicalCalls, "call site")} in ${plural(c.canonicalCallers.length, "file")}${c.delegates.length > 0 ? `, ${plural(c.delegates.length, "thin delegate")}` : ""}.`,
    "",
  );

  lines.push("#### Remaining work", "");
  if (c.tasks.length === 0) lines.push("Nothing left: every call site uses the canonical. ✔", "");
  else lines.push(...c.tasks.map((t) => `- [ ] ${describeTask(t, mdCode, escapeMarkdown)}`), "");

  if (c.implementations.length > 0) {
    lines.push(
      "#### Other implementations and their callers",
      "",
      "| Implementation | Where | Why | Callers | Fallbacks to it |",
      "| :-- | :-- | :-- | --: | --: |",
      ...c.implementations.map(
        (i) =>
          `| ${mdCode(i.symbol)} | ${mdCode(`${i.file}:${i.line}`)} | ${i.reason === "name" ? "same name" : `near-clone (${Math.round((i.similarity ?? 0) * 100)}%)`} | ${i.callers.length} | ${i.fallbacks} |`,
      ),
      "",
    );
    for (const i of c.implementations.filter((impl) => impl.callers.length > 0)) {
      lines.push(`${mdCode(i.symbol)} is called from:`, "");
      lines.push(
        ...i.callers.map(
          (k) =>
            `- ${mdCode(`${k.file}:${k.line}`)}${k.symbol ? ` in ${mdCode(k.symbol)}` : ""}${k.confidence === "likely" ? " (likely)" : ""}`,
        ),
        "",
      );
    }
  }
  if (c.unattributedCalls.length > 0) {
    lines.push("Calls matched by name only:", "");
    lines.push(
      ...c.unattributedCalls.map(
        (k) => `- ${mdCode(k.callee)} at ${mdCode(`${k.file}:${k.line}`)}${k.symbol ? ` in ${mdCode(k.symbol)}` : ""}`,
      ),
      "",
    );
  }
  if (c.fallbacks.length > 0) {
    lines.push(
      "#### Fallbacks",
      "",
      "| Where | Kind | In | Reaches |",
      "| :-- | :-- | :-- | :-- |",
      ...c.fallbacks.map(
        (f) =>
          `| ${mdCode(`${f.file}:${f.line}`)} | ${escapeMarkdown(fallbackKindLabel(f.kind, f.file))} | ${f.symbol ? mdCode(f.symbol) : "module"} | ${f.reaches.map((r) => mdCode(r.label)).join(", ")} |`,
      ),
      "",
    );
  }
  if (c.sinksByFile.length > 0) {
    lines.push(
      "#### Direct sink uses by file",
      "",
      "| File | Uses | Lines |",
      "| :-- | --: | :-- |",
      ...c.sinksByFile.map(
        (g) => `| ${mdCode(g.file)} | ${g.uses.length} | ${g.uses.map((u) => `${u.line} ${mdCode(u.text)}`).join(", ")} |`,
      ),
      "",
    );
  }
  if (c.deprecatedImports.length > 0) {
    lines.push(
      "#### Imports from deprecated modules",
      "",
      "| Where | Module | Names |",
      "| :-- | :-- | :-- |",
      ...c.deprecatedImports.map((d) => `| ${mdCode(`${d.file}:${d.line}`)} | ${mdCode(d.module)} | ${d.names.map(mdCode).join(", ")} |`),
      "",
    );
  }
  lines.push("</details>", "");
  return lines;
}

function footer(input: MigrationReportInput): string[] {
  const { parseErrors } = input.report;
  if (parseErrors.length === 0) return [];
  return [
    `<sub>${plural(parseErrors.length, "file")} could not be parsed completely: ${parseErrors.map((p) => mdCode(`${p.file}:${p.line}`)).join(", ")}.</sub>`,
    "",
  ];
}

/**
 * Joins the lines; when that exceeds `maxSize`, keeps as many whole lines as fit together with
 * the closing tags of the sections left open and a note. Never cuts between a table's header
 * and its delimiter row.
 */
function fitToSize(lines: readonly string[], maxSize: number): string {
  const full = `${lines.join("\n")}\n`;
  if (full.length <= maxSize) return full;
  const note = (omitted: number) =>
    `> [!NOTE]\n> Report cut at ${maxSize.toLocaleString("en-US")} characters (GitHub's comment limit): ${plural(omitted, "more line")} not shown. ` +
    "Run `ssot-audit report -f html` for the full report, or raise `--max-size`.\n";
  let size = 0;
  let depth = 0;
  let best = { count: 0, depth: 0 };
  for (const [i, line] of lines.entries()) {
    size += line.length + 1;
    if (line === "<details>") depth++;
    if (line === "</details>") depth--;
    const next = lines[i + 1];
    const splitsTable = next !== undefined && /^\| :?-/.test(next);
    const closing = "</details>\n".repeat(depth).length + 1;
    if (size + closing + note(lines.length - i - 1).length > maxSize) break;
    if (!splitsTable) best = { count: i + 1, depth };
  }
  const kept = lines.slice(0, best.count);
  return `${kept.join("\n")}\n${"</details>\n".repeat(best.depth)}\n${note(lines.length - best.count)}`;
}
