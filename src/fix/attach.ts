/**
 * Attaches to each fixable finding the edits `ssot-audit fix` would make for it (first pass,
 * `certain` findings, no suggestions), so reports such as SARIF can carry them. Every fix is
 * self-contained: it includes the import edits it needs were it applied alone.
 */
import path from "node:path";
import type { CheckResult } from "../engine/check.js";
import type { FindingFix } from "../engine/types.js";
import { readSource } from "../files/read.js";
import { LineIndex } from "../util/line-index.js";
import { planPass } from "./plan.js";

export async function attachFixes(result: CheckResult): Promise<void> {
  const { project, concepts, report } = result;
  const texts = new Map<string, string | undefined>();
  const textOf = async (file: string): Promise<string | undefined> => {
    if (!texts.has(file)) {
      const read = await readSource(path.join(project.loaded.rootDir, ...file.split("/")));
      texts.set(file, "skip" in read ? undefined : read.text);
    }
    return texts.get(file);
  };
  const plan = await planPass({
    model: project.model,
    concepts,
    config: project.loaded.config,
    options: { includeLikely: false, unsafe: false, importsPerUnit: true },
    text: textOf,
  });
  for (const filePlan of plan.files) {
    const text = await textOf(filePlan.file);
    if (text === undefined) continue;
    const lines = new LineIndex(text);
    for (const unit of filePlan.units) {
      if (unit.kind !== "fix") continue;
      const finding = report.findings.find(
        (f) => f.file === unit.file && f.ruleId === unit.ruleId && f.concept === unit.concept && f.line === unit.line && !f.fix,
      );
      if (!finding) continue;
      const fix: FindingFix = {
        description: unit.description,
        // The imports this fix needs were it applied alone: the whole pass's removals would
        // drop an import another finding's call still uses.
        replacements: [...unit.edits, ...(filePlan.importsAlone?.get(unit) ?? [])]
          .sort((a, b) => a.start - b.start)
          .map((e) => {
            const span = lines.span(e.start, e.end);
            return { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, text: e.text };
          }),
      };
      finding.fix = fix;
    }
  }
}
