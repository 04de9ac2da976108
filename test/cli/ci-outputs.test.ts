import path from "node:path";
import { describe, expect, it } from "vitest";
import { planOutputs } from "../../src/cli/report-outputs.js";

const cwd = path.resolve("/work/x");

describe("planOutputs (-f/-o pairing)", () => {
  it("defaults to stylish on stdout, and pairs one -f with one -o", () => {
    expect(planOutputs([], [], cwd)).toEqual([{ format: "stylish" }]);
    expect(planOutputs([], ["r.txt"], cwd)).toEqual([{ format: "stylish", file: path.join(cwd, "r.txt") }]);
    expect(planOutputs(["json"], ["out/r.json"], cwd)).toEqual([{ format: "json", file: path.join(cwd, "out/r.json") }]);
  });

  it("pairs the n-th format with the n-th output; the last format may print to stdout; '-' is stdout", () => {
    expect(planOutputs(["json", "sarif", "github"], ["a.json", "b.sarif"], cwd)).toEqual([
      { format: "json", file: path.join(cwd, "a.json") },
      { format: "sarif", file: path.join(cwd, "b.sarif") },
      { format: "github" },
    ]);
    expect(planOutputs(["stylish", "sarif"], ["-", "b.sarif"], cwd)).toEqual([
      { format: "stylish" },
      { format: "sarif", file: path.join(cwd, "b.sarif") },
    ]);
  });

  it("rejects counts that do not pair, two reports on stdout and one file twice", () => {
    expect(() => planOutputs(["json", "sarif", "junit"], ["a"], cwd)).toThrow("3 --format but 1 --output");
    expect(() => planOutputs(["json"], ["a", "b"], cwd)).toThrow("1 --format but 2 --output");
    expect(() => planOutputs(["json", "sarif"], ["-"], cwd)).toThrow("json and sarif would both print to stdout");
    expect(() => planOutputs(["json", "sarif"], ["a", "./a"], cwd)).toThrow("--output a is given twice");
  });
});
