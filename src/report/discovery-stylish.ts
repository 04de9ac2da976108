import { Chalk } from "chalk";
import { printable } from "../util/terminal.js";
import type { DiscoveryFormatter } from "./discovery-formats.js";

/**
 * Human output: one block per candidate, best first — kind, name and score, the suggested
 * canonical with why, the other definitions, then the evidence.
 */
export const discoveryStylish: DiscoveryFormatter = (report, options) => {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const candidates = report.discovery.candidates;
  if (candidates.length === 0) return `${c.green("No SSOT candidates found.")}\n`;
  const lines: string[] = [];
  const width = String(candidates.length).length;
  for (const k of candidates) {
    const pad = " ".repeat(width + 2);
    lines.push(
      `${c.bold(`${String(k.rank).padStart(width)}.`)} ${c.bold(printable(k.name))}  ${c.cyan(k.kind)}  ${c.dim(`score ${k.score}`)}`,
    );
    const canon = k.suggestedCanonical;
    lines.push(`${pad}${c.green("keep")}  ${printable(canon.file)}:${canon.line}  ${printable(canon.symbol)}`);
    lines.push(`${pad}      ${c.dim(canon.why)}`);
    for (const d of k.definitions) {
      if (d.file === canon.file && d.line === canon.line && d.symbol === canon.symbol) continue;
      lines.push(`${pad}${c.yellow("also")}  ${printable(d.file)}:${d.line}  ${printable(d.symbol)}`);
    }
    for (const e of k.evidence) lines.push(`${pad}${c.dim("·")} ${printable(e)}`);
    lines.push("");
  }
  const n = candidates.length;
  lines.push(c.bold(`${n} SSOT candidate${n === 1 ? "" : "s"}`) + c.dim(" — `ssot-audit init` writes a config from the best ones"));
  return `${lines.join("\n")}\n`;
};
