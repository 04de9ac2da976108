import type { DiscoveryReport } from "../discover/types.js";
import type { DiscoveryFormatter } from "./discovery-formats.js";

/**
 * `discover --format json`: exactly DESIGN.md's shape — `{ version, discovery: { candidates } }`
 * with each candidate's keys in the documented order.
 */
export const discoveryJson: DiscoveryFormatter = (report) => {
  const out: DiscoveryReport = {
    version: 1,
    discovery: {
      candidates: report.discovery.candidates.map((c) => ({
        rank: c.rank,
        kind: c.kind,
        name: c.name,
        score: c.score,
        definitions: c.definitions.map((d) => ({ file: d.file, line: d.line, symbol: d.symbol })),
        suggestedCanonical: {
          file: c.suggestedCanonical.file,
          line: c.suggestedCanonical.line,
          symbol: c.suggestedCanonical.symbol,
          why: c.suggestedCanonical.why,
        },
        evidence: [...c.evidence],
      })),
    },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
