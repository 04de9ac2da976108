import fs from "node:fs";
import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { DiscoveryReport } from "../../discover/types.js";
import { type DiscoveryRun, runDiscovery } from "../../discover/run.js";
import { engineOptions, writeReportsTimed, addEngineFlags, parseCount } from "../engine-flags.js";
import type { Timings } from "../../engine/timings.js";
import { findConfig } from "../../config/load.js";
import type { ProjectOptions } from "../../engine/project.js";
import { UsageError } from "../../files/errors.js";
import { DISCOVERY_FORMATS } from "../../report/discovery-formats.js";
import { useColor, writeFileAtomic } from "../output.js";
import type { SetExit } from "../program.js";

export interface DiscoverFlags {
  config?: string;
  format: string;
  output?: string;
  top?: number;
  quiet?: boolean;
  color?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  jobs?: number;
  /** false with `--no-progress`. */
  progress?: boolean;
  /** `--timing`: each phase's wall-clock time on stderr. */
  timing?: boolean;
}

function parseDiscoveryFormat(value: string): string {
  if (!(value in DISCOVERY_FORMATS)) {
    throw new InvalidArgumentError(`unknown format "${value}"; expected one of: ${Object.keys(DISCOVERY_FORMATS).join(", ")}`);
  }
  return value;
}


/**
 * Runs discovery with the CLI's flags — shared by `discover`, `init` and `check` falling back to
 * discovery: the cache and `--jobs` as given, a progress bar on a terminal (cleared once the
 * project is loaded) unless `--no-progress`/`--quiet`.
 */
export function discoverWithFlags(
  paths: string[],
  flags: Pick<DiscoverFlags, "config" | "quiet" | "cache" | "cacheLocation" | "jobs" | "progress" | "timing">,
  extra: Partial<ProjectOptions> = {},
): Promise<DiscoveryRun & { phases?: Timings }> {
  const engine = engineOptions(flags);
  const run = runDiscovery({
    paths: paths.length > 0 ? paths : ["."],
    cwd: process.cwd(),
    ...(flags.config ? { configPath: flags.config } : {}),
    warn: (m) => {
      if (!flags.quiet) process.stderr.write(`${m}\n`);
    },
    ...engine.options,
    ...extra,
  }).finally(engine.stop);
  // `--timing`'s phases, for the caller to print after writing the reports.
  return run.then((r) => ({ ...r, ...(engine.timings ? { phases: engine.timings } : {}) }));
}


/** Prints (or writes) a discovery report in one format. */
export function writeDiscovery(report: DiscoveryReport, format: string, output: string | undefined, color: boolean | undefined): void {
  const formatter = DISCOVERY_FORMATS[format];
  if (!formatter)
    throw new UsageError(`unknown discovery format "${format}"; expected one of: ${Object.keys(DISCOVERY_FORMATS).join(", ")}`);
  const text = formatter(report, { color: !output && useColor(color, process.stdout) });
  if (output) writeFileAtomic(path.resolve(process.cwd(), output), text);
  else process.stdout.write(text);
}

/** `ssot-audit discover [paths...]`: always exit 0 once the report is out. */
export async function discover(paths: string[], flags: DiscoverFlags): Promise<number> {
  const run = await discoverWithFlags(paths, flags);
  const { report } = run;
  const shown: DiscoveryReport = flags.top
    ? { version: 1, discovery: { candidates: report.discovery.candidates.slice(0, flags.top) } }
    : report;
  await writeReportsTimed(run.phases, () => writeDiscovery(shown, flags.format, flags.output, flags.color));
  return 0;
}

/** The flags of the default command that matter when it falls back to discovery. */
export interface CheckFallbackFlags extends Pick<DiscoverFlags, "config" | "quiet" | "color" | "cache" | "cacheLocation" | "jobs" | "progress" | "timing"> {
  format?: string | string[];
  output?: string | string[];
  baseline?: string;
  changedSince?: string;
  /** `--facts` / `--shard`: only an audit merges or writes shard facts. */
  facts?: string[];
  shard?: unknown;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * DESIGN: "With no config, the main command runs discovery." Runs discovery instead of the audit
 * when there is no `--config` and no config file from the first path upward, unless the run asks
 * for something only an audit gives (a baseline, changed files, shard facts, a format discovery
 * has not).
 * Returns the exit code (0), or undefined when the audit should run.
 */
export async function discoverWithoutConfig(paths: string[], flags: CheckFallbackFlags): Promise<number | undefined> {
  if (flags.config || flags.baseline || flags.changedSince || flags.facts || flags.shard) return undefined;
  const first = path.resolve(process.cwd(), paths[0] ?? ".");
  if (!fs.existsSync(first) || findConfig(first)) return undefined;
  const formats = asList(flags.format);
  const outputs = asList(flags.output);
  const targets = (formats.length > 0 ? formats : ["stylish"]).map((format, i) => ({
    format,
    output: outputs[i] === "-" ? undefined : outputs[i],
  }));
  if (!targets.every((t) => t.format in DISCOVERY_FORMATS)) return undefined;
  if (!flags.quiet) {
    process.stderr.write(
      "ssot-audit: no ssot-audit.config.{json,yaml,yml} found; running discovery (`ssot-audit init` writes a config from it)\n",
    );
  }
  const run = await discoverWithFlags(paths, flags);
  await writeReportsTimed(run.phases, () => {
    for (const t of targets) writeDiscovery(run.report, t.format, t.output, flags.color);
  });
  return 0;
}

/** `ssot-audit discover [paths...]`. */
export function registerDiscover(program: Command, setExit: SetExit): void {
  const command = program
    .command("discover")
    .description("zero-config discovery of SSOT candidates: duplicate names, clones, classes, name families, leftover fallbacks")
    .argument("[paths...]", "files or folders to report on (the whole project is analysed)", [])
    .option("-c, --config <file>", "use this config's include/exclude/tests globs (default: the nearest config, if any)")
    .addOption(
      new Option("-f, --format <name>", `output format: ${Object.keys(DISCOVERY_FORMATS).join(" | ")}`)
        .default("stylish")
        .argParser(parseDiscoveryFormat),
    )
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--top <n>", "show only the best n candidates", parseCount)
    .option("--quiet", "no diagnostics on stderr")
    .option("--no-color", "disable colours");
  addEngineFlags(command)
    .option("--timing", "print each phase's wall-clock time on stderr (finding files, extracting facts, discovery …)")
    .action(async (paths: string[], flags: DiscoverFlags) => {
      setExit(await discover(paths, flags));
    });
}
