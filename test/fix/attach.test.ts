/**
 * The fixes `check` attaches to findings (SARIF `fixes`): each one must work applied alone, as a
 * code-scanning UI applies one result's fix at a time.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import type { FindingFix } from "../../src/engine/types.js";
import { attachFixes } from "../../src/fix/attach.js";
import { dedent, makeProject } from "../helpers/project.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** The text with one fix's replacements applied (1-based lines and columns). */
function applyFix(text: string, fix: FindingFix): string {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => (starts[line - 1] ?? text.length) + column - 1;
  let out = text;
  for (const r of [...fix.replacements].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column))) {
    out = out.slice(0, offset(r.line, r.column)) + r.text + out.slice(offset(r.endLine, r.endColumn));
  }
  return out;
}

describe("fixes attached to findings", () => {
  it("are self-contained: one call's fix adds the import it needs and removes none another call still uses", async () => {
    const app = dedent(`
      import { legacyPushToUser } from "./legacy";

      export function login(userId: string): number {
        return legacyPushToUser(userId);
      }

      export function logout(userId: string): number {
        return legacyPushToUser(userId);
      }
    `);
    const root = makeProject({
      "ssot-audit.config.yaml":
        'concepts:\n  push:\n    canonical: src/hub.ts::Hub.pushToUser\n    delegate:\n      typescript: { import: { from: "src/hub.ts", name: "hub" }, expression: "hub.pushToUser" }\n',
      "src/hub.ts": "export class Hub {\n  pushToUser(userId: string): number {\n    return userId.length;\n  }\n}\nexport const hub = new Hub();\n",
      "src/legacy.ts": "export function legacyPushToUser(userId: string): number {\n  return userId.length + 1;\n}\n",
      "src/app.ts": app,
    });
    roots.push(root);
    const result = await runCheck({ paths: ["."], cwd: root });
    await attachFixes(result);
    const fixes = result.report.findings.filter((f) => f.file === "src/app.ts" && f.fix).map((f) => [f.line, applyFix(app, f.fix as FindingFix)]);
    const importHub = 'import { legacyPushToUser } from "./legacy";\nimport { hub } from "./hub";\n';
    expect(fixes).toEqual([
      [4, app.replace('import { legacyPushToUser } from "./legacy";\n', importHub).replace("return legacyPushToUser(userId);", "return hub.pushToUser(userId);")],
      [8, app.replace('import { legacyPushToUser } from "./legacy";\n', importHub).replace(/(logout[\s\S]*?)return legacyPushToUser\(userId\);/, "$1return hub.pushToUser(userId);")],
    ]);
  });
});
