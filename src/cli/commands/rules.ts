import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { RULES } from "../../../rules/index.js";
import { UsageError } from "../../files/errors.js";
import { PACKAGE_ROOT } from "../../version.js";
import type { SetExit } from "../program.js";

function listRules(id: string | undefined): number {
  if (id) {
    const rule = RULES.find((r) => r.meta.id === id);
    if (!rule) throw new UsageError(`unknown rule "${id}"; rules: ${RULES.map((r) => r.meta.id).join(", ")}`);
    process.stdout.write(fs.readFileSync(path.join(PACKAGE_ROOT, "rules", `${id}.md`), "utf8"));
    return 0;
  }
  const width = Math.max(...RULES.map((r) => r.meta.id.length));
  for (const r of RULES) {
    const fix = r.meta.fixable === "code" ? "fixable" : r.meta.fixable === "suggestion" ? "suggestion" : "";
    process.stdout.write(`${r.meta.id.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(7)}  ${fix.padEnd(10)}  ${r.meta.description}\n`);
  }
  process.stdout.write(`\nDocs: ssot-audit rules <id>\n`);
  return 0;
}

/** `ssot-audit rules [id]`. */
export function registerRules(program: Command, setExit: SetExit): void {
  program
    .command("rules")
    .description("list rules, or print one rule's documentation")
    .argument("[id]", "rule id")
    .action((id: string | undefined) => {
      setExit(listRules(id));
    });

}
