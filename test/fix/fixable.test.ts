/**
 * `fixable` in `check`'s findings is the fixer's own decision: on every fixture, a
 * non-canonical-call / non-canonical-import finding is `fixable: true` exactly when
 * `ssot-audit fix --include-likely` rewrites it in its first pass.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { runFix } from "../../src/fix/engine.js";
import type { JsonReport } from "../fixtures/helpers.js";
import { checkProject, dedent, makeProject } from "../helpers/project.js";
import { cli } from "./helpers.js";

interface FixJson {
  fixes: { file: string; line: number; ruleId: string; pass: number }[];
}

const FIXABLE_RULES = new Set(["non-canonical-call", "non-canonical-import"]);

describe.each(["fixtures/python-broadcast", "fixtures/ts-broadcast", "fixtures/fix-python-styles/input", "fixtures/fix-ts-styles/input"])(
  "fixable on %s",
  (fixture) => {
    it("is true exactly for the findings fix rewrites", () => {
      const report = JSON.parse(cli(["check", fixture, "-f", "json", "--no-cache"]).stdout) as JsonReport;
      const fixed = JSON.parse(cli(["fix", fixture, "--include-likely", "-f", "json"]).stdout) as FixJson;
      const findings = report.findings.filter((f) => FIXABLE_RULES.has(f.ruleId));
      const rewritten = (f: { file: string; line: number; ruleId: string }) =>
        fixed.fixes.some((x) => x.pass === 1 && x.file === f.file && x.line === f.line && x.ruleId === f.ruleId);
      expect(findings.map((f) => [f.ruleId, f.file, f.line, f.fixable])).toEqual(
        findings.map((f) => [f.ruleId, f.file, f.line, rewritten(f)]),
      );
      // Both outcomes occur on every fixture, so the comparison means something.
      expect(new Set(findings.map((f) => f.fixable))).toEqual(new Set([true, false]));
    });
  },
);

describe("fixable: the one check that needs the text", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });

  it("a plain assignment shadowing the delegate's name is only seen by fix (documented gap: facts keep typed bindings only)", async () => {
    const files = {
      "ssot-audit.config.yaml": dedent(`
        concepts:
          notify:
            canonical: app/service.py::notify_user
            delegate:
              python:
                import: "from app.service import notify_user"
                expression: "notify_user"
      `),
      "app/__init__.py": "",
      "app/service.py": "async def notify_user(user_id):\n    return True\n",
      "app/legacy.py": "async def notify_user_legacy(user_id):\n    return False\n",
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy


        async def a(uid):
            notify_user = 1
            return await notify_user_legacy(uid) or notify_user
      `),
    };
    const { report } = await checkProject(files);
    expect(report.findings.filter((f) => f.ruleId === "non-canonical-call").map((f) => [f.file, f.line, f.fixable])).toEqual([
      ["app/a.py", 6, true],
    ]);
    const root = makeProject(files);
    roots.push(root);
    const result = await runFix({ paths: ["."], cwd: root, includeLikely: false, unsafe: false, write: false, allowDirty: false });
    expect(result.files).toEqual([]);
    expect(result.manual.map((m) => [m.file, m.line, m.reason])).toEqual([
      ["app/a.py", 6, "'notify_user' is also bound at line 5, which could shadow it at the rewritten code"],
      // (the deprecated-module rule is not configured here; only the call is a finding)
    ]);
  });
});
