import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { RULE_IDS } from "../../src/config/rule-ids.js";
import { checkProject } from "../helpers/project.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface DocBlock {
  section: string;
  info: string;
  body: string;
}

/** Fenced code blocks of a rule doc with the `##` section they stand in. */
function docBlocks(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  let section = "";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("## ")) section = line.slice(3).trim();
    const open = /^```(.+)$/.exec(line);
    if (!open) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i] ?? "");
    blocks.push({ section, info: open[1] ?? "", body: `${body.join("\n")}\n` });
  }
  return blocks;
}

describe("rule registry, docs and tests stay in step", () => {
  it("registers exactly the fixed rule ids", () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual([...RULE_IDS].sort());
  });

  for (const id of RULE_IDS) {
    it(`${id} has a module, a doc and a test`, () => {
      for (const file of [`rules/${id}.ts`, `rules/${id}.md`, `test/rules/${id}.test.ts`]) {
        expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
      }
      const doc = fs.readFileSync(path.join(ROOT, `rules/${id}.md`), "utf8");
      expect(doc.startsWith(`# ${id}\n`)).toBe(true);
      for (const section of ["What it reports", "Why", "Incorrect", "Correct", "Options", "How to fix"]) {
        expect(doc, `${id}.md lacks "## ${section}"`).toContain(`\n## ${section}\n`);
      }
    });

    it(`${id}: the doc's incorrect example is reported and its correct example is not`, async () => {
      const blocks = docBlocks(fs.readFileSync(path.join(ROOT, `rules/${id}.md`), "utf8"));
      const config = blocks.find((b) => b.info.endsWith(" config"));
      expect(config, "a ```yaml config block").toBeDefined();
      const files: Record<string, string> = { "ssot-audit.config.yaml": config?.body ?? "" };
      const bySection = new Map<string, string[]>();
      for (const b of blocks) {
        const file = /file=(\S+)/.exec(b.info)?.[1];
        if (!file) continue;
        files[file] = b.body;
        bySection.set(b.section, [...(bySection.get(b.section) ?? []), file]);
      }
      const incorrect = bySection.get("Incorrect") ?? [];
      const correct = bySection.get("Correct") ?? [];
      expect(incorrect.length).toBeGreaterThan(0);
      expect(correct.length).toBeGreaterThan(0);
      const { report } = await checkProject(files);
      const reported = new Set(report.findings.filter((f) => f.ruleId === id).map((f) => f.file));
      for (const f of incorrect) expect(reported.has(f), `${f} should be reported by ${id}`).toBe(true);
      for (const f of correct) expect(reported.has(f), `${f} should not be reported by ${id}`).toBe(false);
    });
  }
});
