import { describe, expect, it } from "vitest";
import type { Baseline, BaselineEntry } from "../../src/baseline/file.js";
import { applyBaseline, entriesFor, ratchet } from "../../src/baseline/match.js";
import type { Finding } from "../../src/engine/types.js";

function finding(fingerprint: string, line: number, file = "a.py"): Finding {
  return {
    ruleId: "direct-sink-call",
    severity: "error",
    concept: "c",
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 9,
    symbol: "f",
    message: `use at ${line}`,
    confidence: "certain",
    fingerprint,
    fixable: false,
    related: [],
  };
}

function entry(fingerprint: string, count: number, file = "a.py"): BaselineEntry {
  return { fingerprint, ruleId: "direct-sink-call", concept: "c", file, symbol: "f", count, message: "m" };
}

function baseline(...entries: BaselineEntry[]): Baseline {
  return { version: 1, tool: "ssot-audit", entries };
}

const all = () => true;

describe("applyBaseline", () => {
  it("covers as many occurrences as the count, in report order; the rest are new", () => {
    const findings = [finding("aaaaaaaa", 3), finding("aaaaaaaa", 8), finding("bbbbbbbb", 9)];
    const r = applyBaseline(findings, baseline(entry("aaaaaaaa", 1), entry("bbbbbbbb", 1)), all);
    expect(r.findings.map((f) => [f.line, f.baselined ?? false])).toEqual([
      [3, true],
      [8, false],
      [9, true],
    ]);
    expect(r.stale).toEqual([]);
  });

  it("lists entries left unmatched as stale, with the missing count, only for files in scope", () => {
    const r = applyBaseline(
      [finding("aaaaaaaa", 3)],
      baseline(entry("aaaaaaaa", 3), entry("cccccccc", 1, "gone.py"), entry("dddddddd", 1, "elsewhere.py")),
      (file) => file !== "elsewhere.py",
    );
    expect(r.stale).toEqual([
      { fingerprint: "aaaaaaaa", ruleId: "direct-sink-call", concept: "c", file: "a.py", symbol: "f", count: 2 },
      { fingerprint: "cccccccc", ruleId: "direct-sink-call", concept: "c", file: "gone.py", symbol: "f", count: 1 },
    ]);
  });

  it("never lets a suppressed finding consume an entry", () => {
    const suppressed = { ...finding("aaaaaaaa", 2), suppressed: { kind: "inline" as const, reason: "ok", line: 1 } };
    const r = applyBaseline([suppressed, finding("aaaaaaaa", 5)], baseline(entry("aaaaaaaa", 1)), all);
    expect(r.findings.map((f) => [f.line, f.baselined ?? false])).toEqual([
      [2, false],
      [5, true],
    ]);
  });
});

describe("entriesFor and ratchet", () => {
  it("groups active findings by fingerprint with counts", () => {
    const suppressed = { ...finding("cccccccc", 1), suppressed: { kind: "inline" as const, reason: "ok", line: 1 } };
    expect(entriesFor([finding("aaaaaaaa", 3), finding("aaaaaaaa", 8), finding("bbbbbbbb", 9), suppressed])).toEqual([
      { ...entry("aaaaaaaa", 2), message: "use at 3" },
      { ...entry("bbbbbbbb", 1), message: "use at 9" },
    ]);
  });

  it("shrinks: fixed occurrences drop out, entries of files outside the run stay", () => {
    const old = baseline(entry("aaaaaaaa", 2), entry("bbbbbbbb", 1), entry("cccccccc", 4, "other.py"));
    const r = ratchet(old, [finding("aaaaaaaa", 3)], (file) => file === "a.py", false);
    expect(r.entries).toEqual([entry("aaaaaaaa", 1), entry("cccccccc", 4, "other.py")]);
    expect([r.removed, r.added, r.growth]).toEqual([2, 0, []]);
  });

  it("refuses growth (new fingerprints, or more of an old one) unless allowed", () => {
    const old = baseline(entry("aaaaaaaa", 1), entry("bbbbbbbb", 1));
    const findings = [finding("aaaaaaaa", 3), finding("aaaaaaaa", 7), finding("dddddddd", 9)];
    const refused = ratchet(old, findings, all, false);
    expect(refused.growth.map((f) => f.line)).toEqual([7, 9]);
    expect(refused.entries).toEqual([entry("aaaaaaaa", 1)]);

    const grown = ratchet(old, findings, all, true);
    expect(grown.growth.map((f) => f.line)).toEqual([7, 9]);
    expect(grown.entries).toEqual([entry("aaaaaaaa", 2), { ...entry("dddddddd", 1), message: "use at 9" }]);
    expect([grown.removed, grown.added]).toEqual([1, 2]);
  });
});
