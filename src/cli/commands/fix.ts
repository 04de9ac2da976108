import path from "node:path";
import { Chalk } from "chalk";
import { type Command, Option } from "commander";
import { toPosix } from "../../files/paths.js";
import { colorDiff, unifiedDiff } from "../../fix/diff.js";
import type { FixResult } from "../../fix/engine.js";
import { FIXABLE_RULES } from "../../fix/fixable-rules.js";
import { printable } from "../../util/terminal.js";
import { useColor } from "../output.js";
import { type EngineFlags, addEngineFlags, engineOptions } from "../engine-flags.js";
import type { SetExit } from "../program.js";
import { plural } from "../../util/text.js";

interface FixFlags extends EngineFlags {
  write?: boolean;
  rule: string[];
  concept: string[];
  includeLikely?: boolean;
  unsafe?: boolean;
  allowDirty?: boolean;
  config?: string;
  format: "diff" | "json";
  color?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}


/** The JSON output: planned edits, manual items, refusals (and, per file, the diff). */
function toJson(result: FixResult, write: boolean): string {
  return `${JSON.stringify(
    {
      version: 1,
      fixes: result.fixes,
      manual: result.manual.map(({ file, line, reason, ruleId, concept }) => ({ file, line, reason, ruleId, concept })),
      refused: result.refused,
      files: result.files.map((f) => ({ file: f.file, fixes: f.units, diff: unifiedDiff(f.file, f.before, f.after) })),
      suggestionsAvailable: result.available,
      passes: result.passes,
      stable: result.stable,
      ...(write ? { written: result.written } : {}),
    },
    null,
    2,
  )}\n`;
}

function manualLines(result: FixResult, c: InstanceType<typeof Chalk>): string[] {
  if (result.manual.length === 0) return [];
  const lines = [c.bold(`# ${plural(result.manual.length, "finding")} need${result.manual.length === 1 ? "s" : ""} manual migration:`)];
  for (const m of result.manual) lines.push(`#   ${printable(m.file)}:${m.line}  ${c.dim(m.ruleId)}  ${printable(m.reason)}`);
  return lines;
}

async function fix(paths: string[], flags: FixFlags): Promise<number> {
  const cwd = process.cwd();
  const warn = (m: string) => {
    if (!flags.quiet) process.stderr.write(`${m}\n`);
  };
  const write = Boolean(flags.write);
  // The fixer loads the TypeScript compiler: loaded only when `fix` runs.
  const { runFix } = await import("../../fix/engine.js");
  const engine = engineOptions(flags);
  const result = await runFix({
    paths: paths.length > 0 ? paths : ["."],
    cwd,
    ...(flags.config ? { configPath: flags.config } : {}),
    rules: flags.rule,
    concepts: flags.concept,
    includeLikely: Boolean(flags.includeLikely),
    unsafe: Boolean(flags.unsafe),
    write,
    allowDirty: Boolean(flags.allowDirty),
    warn,
    load: engine.options,
  }).finally(engine.stop);
  const err = new Chalk({ level: useColor(flags.color, process.stderr) ? 1 : 0 });
  const out = new Chalk({ level: useColor(flags.color, process.stdout) ? 1 : 0 });
  const root = toPosix(path.relative(cwd, result.rootDir)) || ".";

  if (flags.format === "json") {
    process.stdout.write(toJson(result, write));
  } else if (!write) {
    const parts = result.files.map((f) => colorDiff(unifiedDiff(f.file, f.before, f.after), out.level > 0));
    const manual = manualLines(result, out);
    process.stdout.write(parts.join(""));
    if (manual.length > 0) process.stdout.write(`${parts.length > 0 ? "\n" : ""}${manual.join("\n")}\n`);
  }

  const edits = result.files.reduce((n, f) => n + f.units, 0);
  const summary: string[] = [];
  if (result.concepts === 0)
    summary.push(
      err.yellow(`ssot-audit fix: the config defines no concepts, so there is nothing to fix (ssot-audit init writes one from discovery)`),
    );
  if (write) {
    if (result.git && !result.git.inside)
      summary.push(err.yellow(`ssot-audit: ${result.git.why ?? "not inside a git work tree"}: writing without version-control safety net`));
    const written = new Set(result.written);
    const units = result.files.filter((f) => written.has(f.file)).reduce((n, f) => n + f.units, 0);
    summary.push(
      result.files.length === 0
        ? `ssot-audit fix: nothing to fix under ${root}`
        : `ssot-audit fix: wrote ${plural(result.written.length, "file")} (${plural(units, "fix", "fixes")}) under ${root}`,
    );
    for (const f of result.written) summary.push(`  ${err.green("fixed")}    ${printable(f)}`);
  } else {
    summary.push(
      `ssot-audit fix: ${plural(edits, "fix", "fixes")} in ${plural(result.files.length, "file")} under ${root} (dry run; --write applies them)`,
    );
  }
  for (const r of result.refused) summary.push(`  ${err.red("skipped")}  ${printable(r.file)}: ${printable(r.reason)}`);
  if (result.manual.length > 0 && (write || flags.format === "json"))
    summary.push(`  ${plural(result.manual.length, "finding")} need${result.manual.length === 1 ? "s" : ""} manual migration (see the dry run)`);
  if (result.available > 0)
    summary.push(
      `  ${plural(result.available, "suggestion")} available with --unsafe (duplicate bodies → delegates, try/except and try/catch fallbacks collapsed)`,
    );
  if (!flags.quiet || write) process.stderr.write(`${summary.join("\n")}\n`);
  return write && result.refused.length > 0 ? 1 : 0;
}

/** `ssot-audit fix [paths...]`: dry-run diff by default, `--write` applies. */
export function registerFix(program: Command, setExit: SetExit): void {
  const command = program
    .command("fix")
    .description("rewrite non-canonical call sites and imports to the canonical implementation (dry run: unified diff)")
    .argument("[paths...]", "files or folders whose findings to fix", [])
    .option("--write", "apply the fixes (atomic writes; refuses files with uncommitted changes)")
    .option("--rule <id>", `only fixes of this rule (repeatable): ${FIXABLE_RULES.join(", ")}`, collect, [])
    .option("--concept <id>", "only fixes for this concept (repeatable)", collect, [])
    .option("--include-likely", "also fix findings resolved by name only (confidence likely)")
    .option("--unsafe", "also apply suggestions: duplicate bodies become delegates, try/except (try/catch) fallbacks collapse to the canonical side")
    .option("--allow-dirty", "write files that have uncommitted changes")
    .option("-c, --config <file>", "config file (default: nearest ssot-audit.config.{json,yaml,yml} from the first path upward)")
    .addOption(new Option("-f, --format <name>", "output: diff (dry run) or json").choices(["diff", "json"]).default("diff"))
    .option("--no-color", "disable colours")
    .option("--quiet", "no diagnostics on stderr (the --write summary is still printed)");
  addEngineFlags(command)
    .action(async (paths: string[], flags: FixFlags) => {
      setExit(await fix(paths, flags));
    });
}
