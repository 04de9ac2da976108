import { type Command, InvalidArgumentError, Option } from "commander";
import { type CheckResult, runCheckReport } from "../../engine/check.js";
import type { Finding } from "../../engine/types.js";
import { UsageError } from "../../files/errors.js";
import { REPORTERS } from "../../report/index.js";
import { renderMigrationReport } from "./report.js";
import type { ReporterOptions } from "../../report/types.js";
import { isActive } from "../../suppress/active.js";
import { useColor, writeFileAtomic } from "../output.js";
import { discoverWithoutConfig } from "./discover.js";
import { loadRuleDocs, planOutputs, reportLocation } from "../report-outputs.js";
import type { SetExit } from "../program.js";
import { engineOptions, writeReportsTimed, addEngineFlags } from "../engine-flags.js";
import { type ShardSpec, parseShard } from "../../shard/facts-file.js";
import { runShard } from "../../shard/run.js";
import { printable } from "../../util/terminal.js";

type FailOn = "error" | "warning" | "never";

interface CheckFlags {
  config?: string;
  /** Repeatable; pairs with `output` by position (see `planOutputs`). */
  format?: string[];
  output?: string[];
  baseline?: string;
  strictBaseline?: boolean;
  changedSince?: string;
  /** false with `--no-inline-ignore`. */
  inlineIgnore?: boolean;
  strictSuppressions?: boolean;
  failOn: FailOn;
  quiet?: boolean;
  color?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  jobs?: number;
  progress?: boolean;
  /** `--timing`: each phase's wall-clock time on stderr. */
  timing?: boolean;
  /** `--shard i/n` (with `--facts-out`): extract one shard's facts, no analysis. */
  shard?: ShardSpec;
  factsOut?: string;
  /** `--facts a b …`: merge shard facts instead of parsing. */
  facts?: string[];
}

/** Formats rendered from the whole check result (the migration report), not just the JSON report. */
const MIGRATION_FORMATS = ["markdown", "html"] as const;
const FORMATS = [...Object.keys(REPORTERS), ...MIGRATION_FORMATS];

function parseFormat(value: string): string {
  if (!FORMATS.includes(value)) {
    throw new InvalidArgumentError(`unknown format "${value}"; expected one of: ${FORMATS.join(", ")}`);
  }
  return value;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}


/** Exit code for a set of findings: 1 when any reaches `--fail-on`. */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === "never") return 0;
  const failing = findings.some((f) => f.severity === "error" || (failOn === "warning" && f.severity === "warning"));
  return failing ? 1 : 0;
}

async function check(paths: string[], flags: CheckFlags): Promise<number> {
  const discovered = await discoverWithoutConfig(paths, flags);
  if (discovered !== undefined) return discovered;
  const cwd = process.cwd();
  const warn = (m: string): void => {
    if (!flags.quiet) process.stderr.write(`${m}\n`);
  };
  if ((flags.shard === undefined) !== (flags.factsOut === undefined)) throw new UsageError("--shard and --facts-out go together");
  if (flags.shard && flags.facts) throw new UsageError("--shard extracts facts and --facts merges them: use one or the other");
  const engine = engineOptions(flags);
  if (flags.shard && flags.factsOut) {
    const shard = await runShard({
      paths: paths.length > 0 ? paths : ["."],
      cwd,
      ...(flags.config ? { configPath: flags.config } : {}),
      warn,
      ...engine.options,
      shard: flags.shard,
      factsOut: flags.factsOut,
    }).finally(engine.stop);
    warn(
      `ssot-audit: shard ${flags.shard.index}/${flags.shard.count}: facts of ${shard.files} of ${shard.total} files written to ${flags.factsOut}`,
    );
    return 0;
  }
  const targets = planOutputs(flags.format ?? [], flags.output ?? [], cwd);
  const needs = new Set(targets.map((t) => t.format));
  // The migration report renders more than the report: it needs the whole analysis, so it never
  // takes a report from the run memo. SARIF carries the edits `fix` would make (GitHub shows
  // them as suggested changes): they are added to the report before it is memoised.
  const needsAnalysis = needs.has("markdown") || needs.has("html");
  const enrich = needs.has("sarif")
    ? {
        name: "fixes",
        apply: async (analysis: CheckResult) => {
          // The fixer loads the TypeScript compiler: only runs that need it pay for it.
          const { attachFixes } = await import("../../fix/attach.js");
          await attachFixes(analysis);
        },
      }
    : undefined;
  const { report, rootDir, analysis } = await runCheckReport(
    {
      paths: paths.length > 0 ? paths : ["."],
      cwd,
      ...(flags.config ? { configPath: flags.config } : {}),
      warn,
      inlineIgnore: flags.inlineIgnore !== false,
      ...(flags.baseline ? { baselineFile: flags.baseline } : {}),
      ...(flags.changedSince ? { changedSince: flags.changedSince } : {}),
      ...engine.options,
      ...(flags.facts ? { factsFiles: flags.facts } : {}),
    },
    { useMemo: !needsAnalysis, ...(enrich ? { enrich } : {}) },
  ).finally(engine.stop);
  const base: ReporterOptions = {
    color: false,
    quiet: Boolean(flags.quiet),
    ...(needs.has("sarif") || needs.has("junit") ? { rules: loadRuleDocs() } : {}),
    ...(needs.has("sarif") || needs.has("github") ? { location: await reportLocation(rootDir) } : {}),
  };
  const writeReport = async (target: (typeof targets)[number]): Promise<void> => {
    if (target.format === "markdown" || target.format === "html") {
      if (!analysis) throw new Error("the migration report needs the whole analysis");
      const { text } = await renderMigrationReport(analysis, { format: target.format });
      if (target.file) writeFileAtomic(target.file, text);
      else process.stdout.write(text);
      return;
    }
    const reporter = REPORTERS[target.format];
    if (!reporter) throw new UsageError(`unknown format "${target.format}"`);
    const text = reporter(report, { ...base, color: !target.file && useColor(flags.color, process.stdout) });
    if (target.file) writeFileAtomic(target.file, text);
    else process.stdout.write(text);
  };
  await writeReportsTimed(engine.timings, async () => {
    for (const target of targets) await writeReport(target);
  });
  // Diagnostics the stylish or github output already printed on stdout are not repeated on stderr.
  const shownOnStdout = targets.some((t) => (t.format === "stylish" || t.format === "github") && !t.file);
  const problems = report.suppressionProblems ?? [];
  const stale = report.baseline?.stale ?? [];
  if (!flags.quiet && !shownOnStdout) {
    for (const p of problems) process.stderr.write(`ssot-audit: ${printable(p.file)}:${p.line}: ${printable(p.message)}\n`);
  }
  if (!flags.quiet && !shownOnStdout && report.baseline && stale.length > 0) {
    const n = stale.reduce((sum, e) => sum + e.count, 0);
    process.stderr.write(
      `ssot-audit: ${n} baselined finding${n === 1 ? "" : "s"} in ${report.baseline.file} no longer found (fixed?); prune with: ssot-audit baseline --update\n`,
    );
  }
  let code = exitCodeFor(report.findings.filter(isActive), flags.failOn);
  if (flags.strictBaseline && stale.length > 0) code = 1;
  if (flags.strictSuppressions && problems.length > 0) code = 1;
  return code;
}

/** `ssot-audit [check] [paths...]`: the default command. */
export function registerCheck(program: Command, setExit: SetExit): void {
  const command = program
    .command("check", { isDefault: true })
    .description("audit paths for SSOT violations (default command)")
    .argument("[paths...]", "files or folders to audit", [])
    .option("-c, --config <file>", "config file (default: nearest ssot-audit.config.{json,yaml,yml} from the first path upward)")
    .addOption(
      new Option(
        "-f, --format <name>",
        `report format: ${FORMATS.join(" | ")} (default: stylish); repeat with -o for several reports`,
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), parseFormat(value)]),
    )
    .option(
      "-o, --output <file>",
      'write the report to a file instead of stdout; pairs with the -f in the same position ("-" = stdout)',
      collect,
    )
    .option("--baseline <file>", "report and fail only on findings not in this baseline (see `ssot-audit baseline`)")
    .option("--strict-baseline", "also fail (exit 1) when baseline entries no longer match any finding")
    .option("--changed-since <git-ref>", "report only findings in files changed since the ref (committed, staged, unstaged, untracked)")
    .option("--no-inline-ignore", "ignore ssot-audit-ignore comments: audit everything")
    .option("--strict-suppressions", "also fail (exit 1) on unused, reason-less or unknown-rule ssot-audit-ignore comments")
    .addOption(
      new Option("--fail-on <severity>", "severities that make the exit code 1").choices(["error", "warning", "never"]).default("error"),
    )
    .option("--quiet", "report errors only, no diagnostics on stderr")
    .option("--no-color", "disable colours");
  addEngineFlags(command)
    .option("--timing", "print each phase's wall-clock time on stderr (finding files, extracting facts, analysis, rules …)")
    .addOption(
      new Option(
        "--shard <i/n>",
        "extract only shard i of n (files split by path hash) and write its facts to --facts-out; no report",
      ).argParser((value: string) => {
        const shard = parseShard(value);
        if (!shard) throw new InvalidArgumentError(`expected i/n with 1 ≤ i ≤ n, found "${value}"`);
        return shard;
      }),
    )
    .option("--facts-out <file>", "with --shard: where to write the shard's facts (.gz compresses)")
    .option("--facts <files...>", "merge the facts files of all shards and analyse them without parsing (give paths before --facts)")
    .action(async (paths: string[], flags: CheckFlags) => {
      setExit(await check(paths, flags));
    });
}
