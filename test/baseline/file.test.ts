import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BaselineEntry, formatBaseline, readBaseline } from "../../src/baseline/file.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-baseline-file-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function entry(over: Partial<BaselineEntry>): BaselineEntry {
  return {
    fingerprint: "0123456789abcdef0123",
    ruleId: "direct-sink-call",
    concept: "broadcast",
    file: "app/a.py",
    symbol: "f",
    count: 1,
    message: "direct call",
    ...over,
  };
}

function read(text: string): ReturnType<typeof readBaseline> {
  const file = path.join(dir, "b.json");
  fs.writeFileSync(file, text);
  return readBaseline(file, "b.json");
}

describe("baseline file", () => {
  it("is written sorted by file, rule and fingerprint with a fixed key order, and reads back", () => {
    const entries = [
      entry({ file: "b.py", fingerprint: "bbbbbbbbbbbbbbbbbbbb" }),
      entry({ file: "a.py", ruleId: "legacy-fallback", fingerprint: "aaaaaaaaaaaaaaaaaaaa" }),
      entry({ file: "a.py", fingerprint: "cccccccccccccccccccc", count: 2 }),
      entry({ file: "a.py", fingerprint: "1111111111111111111a" }),
    ];
    const text = formatBaseline(entries);
    expect(formatBaseline([...entries].reverse())).toBe(text);
    const parsed = JSON.parse(text) as { version: number; tool: string; entries: BaselineEntry[] };
    expect(Object.keys(parsed)).toEqual(["version", "tool", "entries"]);
    expect(parsed.entries.map((e) => [e.file, e.ruleId, e.fingerprint, e.count])).toEqual([
      ["a.py", "direct-sink-call", "1111111111111111111a", 1],
      ["a.py", "direct-sink-call", "cccccccccccccccccccc", 2],
      ["a.py", "legacy-fallback", "aaaaaaaaaaaaaaaaaaaa", 1],
      ["b.py", "direct-sink-call", "bbbbbbbbbbbbbbbbbbbb", 1],
    ]);
    expect(Object.keys(parsed.entries[0] ?? {})).toEqual(["fingerprint", "ruleId", "concept", "file", "symbol", "count", "message"]);
    expect(text.endsWith("}\n")).toBe(true);
    expect(read(text).entries).toEqual(parsed.entries);
  });

  it.each([
    [
      "truncated",
      (t: string) => t.slice(0, t.length / 2),
      /^b\.json: line \d+, column \d+: invalid JSON \(corrupt or truncated baseline\?\)/,
    ],
    ["empty", () => "", /^b\.json: line 1, column 1: invalid JSON/],
    ["not an object", () => "[]", /^b\.json: not a baseline: expected a JSON object, found \[\]$/],
    [
      "another version",
      (t: string) => t.replace('"version": 1', '"version": 2'),
      /^b\.json: version: unsupported baseline version 2; this ssot-audit reads version 1$/,
    ],
    [
      "another tool",
      (t: string) => t.replace('"tool": "ssot-audit"', '"tool": "eslint"'),
      /^b\.json: tool: expected "ssot-audit", found "eslint"$/,
    ],
    [
      "a zero count",
      (t: string) => t.replace('"count": 1', '"count": 0'),
      /^b\.json: entries\[0\]\.count: expected a whole number ≥ 1, found 0$/,
    ],
    [
      "a fractional count",
      (t: string) => t.replace('"count": 1', '"count": 1.5'),
      /^b\.json: entries\[0\]\.count: expected a whole number ≥ 1, found 1\.5$/,
    ],
    [
      "an unknown rule",
      (t: string) => t.replace('"ruleId": "direct-sink-call"', '"ruleId": "sink"'),
      /^b\.json: entries\[0\]\.ruleId: expected a rule id \(duplicate-implementation, .*\), found "sink"$/,
    ],
    [
      "a bad fingerprint",
      (t: string) => t.replace("0123456789abcdef0123", "XYZ"),
      /^b\.json: entries\[0\]\.fingerprint: expected a fingerprint \(8–64 lowercase hex digits\), found "XYZ"$/,
    ],
    [
      "a missing field",
      (t: string) => t.replace(/\s*"symbol": "f",/, ""),
      /^b\.json: entries\[0\]\.symbol: expected a symbol \(a string\), found nothing$/,
    ],
    [
      "an unknown key",
      (t: string) => t.replace('"count": 1', '"count": 1, "line": 3'),
      /^b\.json: entries\[0\]\.line: unknown key; expected only fingerprint, ruleId, concept, file, symbol, count, message$/,
    ],
    [
      "a duplicate fingerprint",
      (t: string) => t.replace('"file": "app/b.py"', '"file": "app/b.py"').replace("fedcba9876543210fedc", "0123456789abcdef0123"),
      /^b\.json: entries\[1\]\.fingerprint: duplicate of entries\[0\]/,
    ],
  ])("a baseline with %s is a one-line error naming the file and the key", (_what, edit, message) => {
    const good = formatBaseline([entry({}), entry({ file: "app/b.py", fingerprint: "fedcba9876543210fedc" })]);
    expect(() => read(good)).not.toThrow();
    let error: unknown;
    try {
      read(edit(good));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("UsageError");
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("a missing file says how to create it", () => {
    expect(() => readBaseline(path.join(dir, "none.json"), "none.json")).toThrow(
      "none.json: baseline file not found; create it with `ssot-audit baseline`",
    );
  });
});
