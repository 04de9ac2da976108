import path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { runCheck } from "../../engine/check.js";
import type { Finding } from "../../engine/types.js";
import { UsageError } from "../../files/errors.js";
import { REPORTERS } from "../../report/index.js";
import { useColor, writeFileAtomic } from "../output.js";
import type { SetExit } from "../program.js";

type FailOn = "error" | "warning" | "never";

interface CheckFlags {
  config?: string;
  format: string;
  output?: string;
  failOn: FailOn;
  quiet?: boolean;
  color?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  jobs?: number;
  progress?: boolean;
}

function parseFormat(value: string): string {
  if (!(value in REPORTERS)) {
    throw new InvalidArgumentError(`unknown format "${value}"; expected one of: ${Object.keys(REPORTERS).join(", ")}`);
  }
  return value;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, found "${value}"`);
  return n;
}

/** Exit code for a set of findings: 1 when any reaches `--fail-on`. */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === "never") return 0;
  const failing = findings.some((f) => f.severity === "error" || (failOn === "warning" && f.severity === "warning"));
  return failing ? 1 : 0;
}

async function check(paths: string[], flags: CheckFlags): Promise<number> {
  const cwd = process.cwd();
  const result = await runCheck({
    paths: paths.length > 0 ? paths : ["."],
    cwd,
    ...(flags.config ? { configPath: flags.config } : {}),
    warn: (m) => {
      if (!flags.quiet) process.stderr.write(`${m}\n`);
    },
  });
  const reporter = REPORTERS[flags.format];
  if (!reporter) throw new UsageError(`unknown format "${flags.format}"`);
  const toFile = Boolean(flags.output);
  const text = reporter(result.report, {
    color: !toFile && useColor(flags.color, process.stdout),
    quiet: Boolean(flags.quiet),
  });
  if (flags.output) writeFileAtomic(path.resolve(cwd, flags.output), text);
  else process.stdout.write(text);
  return exitCodeFor(result.report.findings, flags.failOn);
}

/** `ssot-audit [check] [paths...]`: the default command. */
export function registerCheck(program: Command, setExit: SetExit): void {
  program
    .command("check", { isDefault: true })
    .description("audit paths for SSOT violations (default command)")
    .argument("[paths...]", "files or folders to audit", [])
    .option("-c, --config <file>", "config file (default: nearest ssot-audit.config.{json,yaml,yml} from the first path upward)")
    .addOption(new Option("-f, --format <name>", `report format: ${Object.keys(REPORTERS).join(" | ")}`).default("stylish").argParser(parseFormat))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .addOption(new Option("--fail-on <severity>", "severities that make the exit code 1").choices(["error", "warning", "never"]).default("error"))
    .option("--quiet", "report errors only, no diagnostics on stderr")
    .option("--no-color", "disable colours")
    .option("--no-cache", "do not read or write the facts cache")
    .option("--cache-location <dir>", "facts cache folder")
    .option("--jobs <n>", "worker threads", parsePositiveInt)
    .option("--no-progress", "no progress bar")
    .action(async (paths: string[], flags: CheckFlags) => {
      setExit(await check(paths, flags));
    });

}
