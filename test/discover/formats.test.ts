/** The discovery formatters: JSON's exact shape, and golden files for stylish and markdown. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DiscoveryReport } from "../../src/discover/types.js";
import { DISCOVERY_FORMATS } from "../../src/report/discovery-formats.js";

const REPORT: DiscoveryReport = {
  version: 1,
  discovery: {
    candidates: [
      {
        rank: 1,
        kind: "same-name",
        name: "broadcast_to_user",
        score: 21.5,
        definitions: [
          { file: "app/router.py", line: 27, symbol: "Router.broadcast_to_user" },
          { file: "app/service.py", line: 26, symbol: "Service.broadcast_to_user" },
        ],
        suggestedCanonical: {
          file: "app/service.py",
          line: 26,
          symbol: "Service.broadcast_to_user",
          why: "its module docstring says 'SSOT'",
        },
        evidence: ["2 modules", "bodies 92% similar", "module docstring of app/router.py says 'Legacy'", "12 call sites"],
      },
      {
        rank: 2,
        kind: "family",
        name: "JobScheduler",
        score: 9.1,
        definitions: [
          { file: "jobs/a.py", line: 3, symbol: "JobScheduler" },
          { file: "jobs/b.py", line: 5, symbol: "UnifiedJobScheduler" },
        ],
        suggestedCanonical: {
          file: "jobs/b.py",
          line: 5,
          symbol: "UnifiedJobScheduler",
          why: "1 definition already delegates to it (Wrapper)",
        },
        evidence: ["2 modules", "variants: UnifiedJobScheduler (unified)", "uses `a|b` and *stars*"],
      },
    ],
  },
};

const GOLDEN = path.join(import.meta.dirname, "golden");

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (on purpose). */
function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}

function format(name: string, report: DiscoveryReport = REPORT, color = false): string {
  const f = DISCOVERY_FORMATS[name];
  if (!f) throw new Error(`no formatter ${name}`);
  return f(report, { color });
}

describe("discovery formatters", () => {
  it("json prints exactly DESIGN.md's shape, keys in order", () => {
    const text = format("json");
    expect(JSON.parse(text)).toEqual(REPORT);
    expect(Object.keys(JSON.parse(text))).toEqual(["version", "discovery"]);
    const first = (JSON.parse(text) as DiscoveryReport).discovery.candidates[0];
    expect(Object.keys(first ?? {})).toEqual(["rank", "kind", "name", "score", "definitions", "suggestedCanonical", "evidence"]);
    expect(Object.keys(first?.suggestedCanonical ?? {})).toEqual(["file", "line", "symbol", "why"]);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("json drops anything outside the contract", () => {
    const extra = structuredClone(REPORT) as DiscoveryReport & { extra?: number };
    extra.extra = 1;
    (extra.discovery.candidates[0] as unknown as Record<string, unknown>).internal = true;
    expect(JSON.parse(format("json", extra))).toEqual(REPORT);
  });

  it("stylish matches its golden file, and colours only when asked", () => {
    golden("discovery.stylish.golden", format("stylish"));
    expect(format("stylish")).not.toContain("\u001b[");
    expect(format("stylish", REPORT, true)).toContain("\u001b[");
  });

  it("markdown matches its golden file", () => {
    golden("discovery.markdown.golden", format("markdown"));
  });

  it("says so when there is nothing", () => {
    const empty: DiscoveryReport = { version: 1, discovery: { candidates: [] } };
    expect(format("stylish", empty)).toBe("No SSOT candidates found.\n");
    expect(format("markdown", empty)).toBe("# SSOT candidates\n\nNo SSOT candidates found.\n");
    expect(JSON.parse(format("json", empty))).toEqual(empty);
  });
});
