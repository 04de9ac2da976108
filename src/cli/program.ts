import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { registerBaseline } from "./commands/baseline.js";
import { registerCheck } from "./commands/check.js";
import { registerDiscover } from "./commands/discover.js";
import { registerInit } from "./commands/init.js";
import { registerFix } from "./commands/fix.js";
import { registerReport } from "./commands/report.js";
import { registerRules } from "./commands/rules.js";
import { isKnownError } from "./errors.js";

/** Sets the process exit code a command ends with. */
export type SetExit = (code: number) => void;

export function buildProgram(setExit: SetExit): Command {
  const program = new Command("ssot-audit")
    .description("Audit Python and TypeScript/JavaScript codebases for single-source-of-truth violations.")
    .version(VERSION, "-v, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  registerCheck(program, setExit);
  registerRules(program, setExit);
  registerDiscover(program, setExit);
  registerInit(program, setExit);
  registerFix(program, setExit);
  registerReport(program, setExit);
  registerBaseline(program, setExit);

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    // For the benchmark on machines without /usr/bin/time: peak memory of the whole process.
    if (process.env.SSOT_AUDIT_REPORT_RSS) process.stderr.write(`ssot-audit: max RSS ${process.resourceUsage().maxRSS} KB\n`);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isKnownError(error)) {
      process.stderr.write(`ssot-audit: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`ssot-audit: internal error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
