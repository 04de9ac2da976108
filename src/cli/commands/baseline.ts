import fs from "node:fs";
import path from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { BASELINE_FILE_NAME, formatBaseline, readBaseline } from "../../baseline/file.js";
import { entriesFor, ratchet } from "../../baseline/match.js";
import { runCheck } from "../../engine/check.js";
import { UsageError } from "../../files/errors.js";
import { displayPath } from "../../files/paths.js";
import { scopeOf } from "../../suppress/gate.js";
import { type EngineFlags, engineOptions, addEngineFlags } from "../engine-flags.js";
import { printable } from "../../util/terminal.js";
import { writeFileAtomic } from "../output.js";
import type { SetExit } from "../program.js";
import { plural } from "../../util/text.js";

interface BaselineFlags extends EngineFlags {
  config?: string;
  baseline?: string;
  update?: boolean;
  allowGrowth?: boolean;
  /** false with `--no-inline-ignore`. */
  inlineIgnore?: boolean;
}


/**
 * Writes the baseline when there is none; otherwise updates it under the ratchet: fixed
 * findings drop out, new ones are refused (exit 1, nothing written) unless `--allow-growth`.
 */
async function baseline(paths: string[], flags: BaselineFlags): Promise<number> {
  const cwd = process.cwd();
  const say = (m: string) => {
    if (!flags.quiet) process.stderr.write(`ssot-audit: ${m}\n`);
  };
  const engine = engineOptions(flags);
  const { report, project } = await runCheck({
    paths: paths.length > 0 ? paths : ["."],
    cwd,
    ...(flags.config ? { configPath: flags.config } : {}),
    warn: (m) => {
      if (!flags.quiet) process.stderr.write(`${m}\n`);
    },
    inlineIgnore: flags.inlineIgnore !== false,
    ...engine.options,
  }).finally(engine.stop);
  const file = flags.baseline ? path.resolve(cwd, flags.baseline) : path.join(project.loaded.rootDir, BASELINE_FILE_NAME);
  const shown = displayPath(file, cwd);

  if (!fs.existsSync(file)) {
    if (flags.update) throw new UsageError(`${shown}: no baseline to update; create it with \`ssot-audit baseline\``);
    const entries = entriesFor(report.findings);
    writeFileAtomic(file, formatBaseline(entries));
    say(
      `wrote ${shown}: ${plural(
        entries.reduce((n, e) => n + e.count, 0),
        "finding",
      )} in ${plural(entries.length, "entry", "entries")}`,
    );
    return 0;
  }

  const old = readBaseline(file, shown);
  const result = ratchet(old, report.findings, scopeOf(project), Boolean(flags.allowGrowth));
  if (result.growth.length > 0 && !flags.allowGrowth) {
    const lines = [
      `ssot-audit: ${shown} not updated: ${plural(result.growth.length, "finding")} not in the baseline, which only shrinks:`,
      ...result.growth.map((f) => `  ${printable(f.file)}:${f.line}:${f.column}  ${f.ruleId}  ${printable(f.message)}`),
      "Fix them, suppress them with a reason (ssot-audit-ignore[rule-id]: why), or accept them with: ssot-audit baseline --allow-growth",
    ];
    process.stderr.write(`${lines.join("\n")}\n`);
    return 1;
  }
  const text = formatBaseline(result.entries);
  const total = result.entries.reduce((n, e) => n + e.count, 0);
  const counts = `${plural(total, "finding")} in ${plural(result.entries.length, "entry", "entries")}`;
  if (text === fs.readFileSync(file, "utf8")) {
    say(`${shown} is up to date: ${counts}`);
    return 0;
  }
  writeFileAtomic(file, text);
  say(`updated ${shown}: ${result.removed} fixed removed, ${result.added} added; ${counts}`);
  return 0;
}

/** `ssot-audit baseline [paths...]`. */
export function registerBaseline(program: Command, setExit: SetExit): void {
  const command = program
    .command("baseline")
    .description("write the baseline of accepted findings, or update it (ratchet: it only shrinks unless --allow-growth)")
    .argument("[paths...]", "files or folders to audit", [])
    .option("-c, --config <file>", "config file (default: nearest ssot-audit.config.{json,yaml,yml} from the first path upward)")
    .option("--baseline <file>", `baseline file (default: ${BASELINE_FILE_NAME} beside the config, or in the first path without one)`)
    .option("--update", "update an existing baseline (fails when there is none); fixed findings are removed")
    .option("--allow-growth", "also add findings that are not in the baseline yet")
    .option("--no-inline-ignore", "ignore ssot-audit-ignore comments: baseline every finding")
    .option("--quiet", "no diagnostics on stderr");
  addEngineFlags(command)
    .action(async (paths: string[], flags: BaselineFlags) => {
      setExit(await baseline(paths, flags));
    });
}
