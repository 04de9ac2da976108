/**
 * A pathological file costs at most its parse budget in the whole pipeline: an unclosed call
 * near the top of a long run of small methods sends tree-sitter's error recovery into quadratic
 * time (a second or more for this file); with `parseBudgetMs: 20` the file is cut off and
 * reported, in-process and in the worker pool alike. (No timing assertion: the parse error says
 * the budget stopped the parse.)
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import { makeProject } from "../helpers/project.js";

function pathological(kb: number): string {
  const words = ["user", "event", "room", "payload", "token", "order", "queue", "task"];
  let seed = 7;
  const pick = () => {
    seed = (seed * 48271) % 2147483647;
    return words[seed % words.length] ?? "x";
  };
  const lines = ["registry = build_registry(", "    handlers=default_handlers(),", "#    strict=True)", "class Adapter:"];
  let size = 0;
  while (size < kb * 1024) {
    const method = [`    def ${pick()}_${pick()}(self, ${pick()}):`, `        ${pick()} = self.${pick()}`, `        return ${pick()}.${pick()}(${pick()})`];
    for (const l of method) size += l.length + 1;
    lines.push(...method);
  }
  return `${lines.join("\n")}\n`;
}

describe("parse budget", () => {
  const text = pathological(150);
  const root = makeProject({
    "ssot-audit.config.yaml": "parseBudgetMs: 20\n",
    "broken.py": text,
    "fine.py": "def ok():\n    return 1\n",
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const kb = Math.ceil(Buffer.byteLength(text) / 1024);

  it.each([
    ["in-process", { jobs: 1 }],
    ["in the worker pool", { jobs: 2, minFilesForPool: 1 }],
  ])("cuts a pathological file off at its budget and reports it (%s)", async (_how, extra) => {
    const { report, project } = await runCheck({ paths: ["."], cwd: root, ...extra });
    expect(project.stats?.threads).toBe("minFilesForPool" in extra ? 2 : 0);
    expect(report.parseErrors).toEqual([{ file: "broken.py", line: 1, message: `parse budget of 20 ms exceeded (file is ${kb} KB); skipped` }]);
    expect(project.entries.map((e) => [e.facts.file, e.facts.definitions.length])).toEqual([
      ["broken.py", 0],
      ["fine.py", 1],
    ]);
  });
});
