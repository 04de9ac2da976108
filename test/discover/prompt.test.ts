import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseSelection, promptSelection } from "../../src/discover/prompt.js";
import type { Candidate } from "../../src/discover/types.js";

function candidate(rank: number, name: string): Candidate {
  const loc = { file: `m${rank}.py`, line: 1, symbol: name };
  return {
    rank,
    kind: "same-name",
    name,
    score: 10 - rank,
    definitions: [loc, { ...loc, file: `n${rank}.py` }],
    suggestedCanonical: { ...loc, why: "w" },
    evidence: [],
  };
}

const CANDIDATES = [candidate(1, "alpha"), candidate(2, "beta"), candidate(3, "gamma"), candidate(4, "delta")];

describe("parseSelection", () => {
  it.each([
    ["", [1, 2]],
    ["  ", [1, 2]],
    ["all", [1, 2, 3, 4]],
    ["none", []],
    ["n", []],
    ["3", [3]],
    ["1,3-4", [1, 3, 4]],
    ["4 2 2", [2, 4]],
  ])("%j → %j", (answer, expected) => {
    expect(parseSelection(answer, 4, [1, 2])).toEqual(expected);
  });

  it.each(["5", "0-2", "3-1", "x", "1,,y"])("rejects %j", (answer) => {
    expect(parseSelection(answer, 4, [1, 2])).toHaveProperty("error");
  });
});

/** Runs the dialogue with scripted input lines (the input ends after them). */
async function dialogue(lines: string[], defaults = [1, 2]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  input.end(lines.map((l) => `${l}\n`).join(""));
  const result = await promptSelection({ input, output, candidates: CANDIDATES, defaults }).then(
    (chosen) => ({ chosen }),
    (error: Error) => ({ error: error.message }),
  );
  return { ...result, text };
}

describe("promptSelection", () => {
  it("lists the candidates, marks the defaults and takes them on Enter", async () => {
    const r = await dialogue([""]);
    expect(r).toMatchObject({ chosen: [1, 2] });
    expect(r.text).toContain("ssot-audit found 4 SSOT candidates:");
    expect(r.text).toContain("* 1. alpha (same-name, score 9, 2 definitions) — keep m1.py::alpha");
    expect(r.text).toContain("  3. gamma");
    expect(r.text).toContain('Keep which as concepts? [Enter = 1-2 (*), "all", "none", or e.g. 1,3-4]: ');
  });

  it("asks again after an invalid answer", async () => {
    const r = await dialogue(["7", "2,4"]);
    expect(r).toMatchObject({ chosen: [2, 4] });
    expect(r.text).toContain('"7" is not a number or range between 1 and 4');
  });

  it("chooses nothing when the input ends or the answer is none", async () => {
    expect(await dialogue([])).toMatchObject({ chosen: [] });
    expect(await dialogue(["none"])).toMatchObject({ chosen: [] });
  });

  it("gives up after three invalid answers", async () => {
    const r = await dialogue(["x", "y", "z", "1"]);
    expect(r).toMatchObject({ error: "init: no valid answer after 3 tries; nothing written" });
  });
});
