import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type CheckResult, runCheck } from "../../engine/check.js";
import type { Finding } from "../../engine/types.js";
import { UsageError } from "../../files/errors.js";
import { displayPath } from "../../files/paths.js";
import { readSource } from "../../files/read.js";
import { MAX_GIT_SAMPLES, gitHistory, headCommit } from "../../history/git.js";
import { type Snapshot, type TrendPoint, snapshotOf } from "../../history/snapshot.js";
import { appendSnapshot, readHistory } from "../../history/store.js";
import { renderHtml } from "../../report/html.js";
import { DEFAULT_MARKDOWN_MAX_SIZE, MIN_MARKDOWN_MAX_SIZE, renderMarkdown } from "../../report/markdown.js";
import { isActive } from "../../suppress/active.js";
import { type MigrationReportInput, type Snippet, buildMigrationModel, snippetKey } from "../../report/migration.js";
import { writeFileAtomic } from "../output.js";
import { type EngineFlags, addEngineFlags, engineOptions } from "../engine-flags.js";
import type { SetExit } from "../program.js";
import { makeDirectory } from "../../util/make-directory.js";

export type Format = "markdown" | "html";

interface ReportFlags extends EngineFlags {
  config?: string;
  format?: Format;
  output?: string;
  history?: string;
  gitHistory?: number;
  maxSize?: number;
}

/** Findings that get a code snippet in the HTML report (the rest link to file:line only). */
const MAX_SNIPPETS = 2_000;
/** Lines shown before and after the finding. */
const SNIPPET_CONTEXT = 2;
/** Lines of the finding itself shown at most (a duplicate's whole body is not). */
const SNIPPET_SPAN = 5;
const SNIPPET_LINE_CHARS = 240;

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, found "${value}"`,
      );
    }
    return n;
  };
}

/** The report date: `SOURCE_DATE_EPOCH` (seconds, for reproducible output) or now. */
export function reportDate(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

/** A few lines around each finding, read from the files (the HTML formatter never reads files). */
export async function readSnippets(rootDir: string, findings: readonly Finding[]): Promise<Record<string, Snippet>> {
  const snippets: Record<string, Snippet> = {};
  const byFile = new Map<string, Finding[]>();
  for (const f of findings.slice(0, MAX_SNIPPETS)) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, list] of byFile) {
    const read = await readSource(path.join(rootDir, ...file.split("/")));
    if ("skip" in read) continue;
    const lines = read.text.split(/\r?\n/);
    for (const f of list) {
      const start = Math.max(1, f.line - SNIPPET_CONTEXT);
      const last = Math.min(Math.max(f.line, f.endLine), f.line + SNIPPET_SPAN - 1);
      const end = Math.min(lines.length, last + SNIPPET_CONTEXT);
      snippets[snippetKey(file, f.line)] = {
        startLine: start,
        lines: lines.slice(start - 1, end).map((l) => (l.length > SNIPPET_LINE_CHARS ? `${l.slice(0, SNIPPET_LINE_CHARS)}…` : l)),
      };
    }
  }
  return snippets;
}

/** History lines, then commits sampled from git (unless already in the history), then this run. */
export function assembleTrend(history: readonly Snapshot[], sampled: readonly Snapshot[], current: Snapshot): TrendPoint[] {
  const recorded = new Set(history.map((s) => s.commit).filter((c) => c !== null));
  const points: TrendPoint[] = [
    ...history.map((s): TrendPoint => ({ ...s, source: "history" })),
    ...sampled.filter((s) => !recorded.has(s.commit ?? "")).map((s): TrendPoint => ({ ...s, source: "git" })),
  ];
  // Stable: history lines keep their order among equal dates.
  points.sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  return [...points, { ...current, source: "current" }];
}

export interface MigrationReportOptions {
  format: Format;
  /** Earlier snapshots (`--history` lines) and sampled commits (`--git-history`) for the trend. */
  history?: readonly Snapshot[];
  sampled?: readonly Snapshot[];
  /** Markdown size limit (default DEFAULT_MARKDOWN_MAX_SIZE). */
  maxSize?: number;
}

/**
 * Renders the migration report of a check result — reads the code snippets for HTML and the
 * current commit — and returns it with this run's snapshot. Usable by any command that has a
 * `CheckResult` (e.g. `check -f markdown|html`).
 */
export async function renderMigrationReport(
  result: CheckResult,
  options: MigrationReportOptions,
): Promise<{ text: string; current: Snapshot }> {
  const { rootDir } = result.project.loaded;
  const date = reportDate();
  const current = snapshotOf(result.report, date, await headCommit(rootDir));
  const input: MigrationReportInput = {
    report: result.report,
    model: buildMigrationModel(result),
    trend: assembleTrend(options.history ?? [], options.sampled ?? [], current),
    generatedAt: date,
    commit: current.commit,
    project: path.basename(rootDir),
    ...(options.format === "html" ? { snippets: await readSnippets(rootDir, result.report.findings.filter(isActive)) } : {}),
  };
  const text =
    options.format === "html" ? renderHtml(input) : renderMarkdown(input, { maxSize: options.maxSize ?? DEFAULT_MARKDOWN_MAX_SIZE });
  return { text, current };
}

async function report(paths: string[], flags: ReportFlags): Promise<number> {
  const cwd = process.cwd();
  const format: Format = flags.format ?? (flags.output && /\.html?$/i.test(flags.output) ? "html" : "markdown");
  if (flags.maxSize !== undefined && format !== "markdown") throw new UsageError("--max-size applies to the markdown format only");
  const warn = (m: string) => {
    if (!flags.quiet) process.stderr.write(`${m}\n`);
  };
  const historyFile = flags.history ? path.resolve(cwd, flags.history) : undefined;
  const historyShown = historyFile ? displayPath(historyFile, cwd) : "";
  // Fail on a corrupt history before spending time on the analysis.
  const history = historyFile ? readHistory(historyFile, historyShown) : [];

  const engine = engineOptions(flags);
  const result = await runCheck({
    paths: paths.length > 0 ? paths : ["."],
    cwd,
    ...(flags.config ? { configPath: flags.config } : {}),
    warn,
    ...engine.options,
  }).finally(engine.stop);
  const sampled = flags.gitHistory
    ? await gitHistory({ loaded: result.project.loaded, requested: result.project.requested, count: flags.gitHistory, warn })
    : [];
  const { text, current } = await renderMigrationReport(result, {
    format,
    history,
    sampled,
    ...(flags.maxSize !== undefined ? { maxSize: flags.maxSize } : {}),
  });
  if (flags.output) writeFileAtomic(path.resolve(cwd, flags.output), text);
  else process.stdout.write(text);
  if (historyFile) {
    makeDirectory(path.dirname(historyFile));
    appendSnapshot(historyFile, historyShown, current);
  }
  return 0;
}

/** `ssot-audit report [paths...]`: the migration report (Markdown or HTML); exit 0 unless usage/config error. */
export function registerReport(program: Command, setExit: SetExit): void {
  const command = program
    .command("report")
    .description("migration report per concept: progress, what is left, trend (markdown or html)")
    .argument("[paths...]", "files or folders to report on", [])
    .option("-c, --config <file>", "config file (default: nearest ssot-audit.config.{json,yaml,yml} from the first path upward)")
    .addOption(
      new Option("-f, --format <name>", "markdown | html (default: html when -o ends in .html, else markdown)").choices([
        "markdown",
        "html",
      ]),
    )
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--history <file>", "append this run's counts to a JSON Lines history file and draw the trend from it")
    .option(
      "--git-history <n>",
      `also sample n past commits (first-parent, at most ${MAX_GIT_SAMPLES}) from git blobs for the trend`,
      intIn(1, MAX_GIT_SAMPLES),
    )
    .option(
      "--max-size <chars>",
      `markdown: cut the report at this many characters (default ${DEFAULT_MARKDOWN_MAX_SIZE.toLocaleString("en-US")})`,
      intIn(MIN_MARKDOWN_MAX_SIZE, 100_000_000),
    )
    .option("--quiet", "no progress or diagnostics on stderr");
  addEngineFlags(command)
    .action(async (paths: string[], flags: ReportFlags) => {
      setExit(await report(paths, flags));
    });
}
