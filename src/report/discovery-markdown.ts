import type { DiscoveryFormatter } from "./discovery-formats.js";

/** Escapes text for a Markdown table cell or inline text. */
function md(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/([*_`[\]<>])/g, "\\$1");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** `discover --format markdown`: a ranked table, then one section per candidate. */
export const discoveryMarkdown: DiscoveryFormatter = (report) => {
  const candidates = report.discovery.candidates;
  const lines: string[] = ["# SSOT candidates", ""];
  if (candidates.length === 0) return `${lines.join("\n")}\nNo SSOT candidates found.\n`;
  lines.push("| # | Candidate | Kind | Score | Definitions | Suggested canonical |", "|---:|---|---|---:|---:|---|");
  for (const k of candidates) {
    const canon = k.suggestedCanonical;
    lines.push(
      `| ${k.rank} | ${code(k.name)} | ${k.kind} | ${k.score} | ${k.definitions.length} | ${code(`${canon.file}::${canon.symbol}`)} |`,
    );
  }
  for (const k of candidates) {
    const canon = k.suggestedCanonical;
    lines.push("", `## ${k.rank}. ${code(k.name)} (${k.kind}, score ${k.score})`, "");
    lines.push(`Suggested canonical: ${code(`${canon.file}::${canon.symbol}`)} (line ${canon.line}) — ${md(canon.why)}.`, "");
    lines.push("Definitions:", "");
    for (const d of k.definitions) lines.push(`- ${code(`${d.file}:${d.line}`)} ${code(d.symbol)}`);
    lines.push("", "Evidence:", "");
    for (const e of k.evidence) lines.push(`- ${md(e)}`);
  }
  return `${lines.join("\n")}\n`;
};
