import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import type { Finding } from "../../src/engine/types.js";
import type { Suppression } from "../../src/facts/types.js";
import { applyInlineSuppressions } from "../../src/suppress/inline.js";
import { dedent, lineOf, makeProject } from "../helpers/project.js";

function finding(ruleId: Finding["ruleId"], line: number, file = "app/x.py"): Finding {
  return {
    ruleId,
    severity: "error",
    concept: "c",
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 5,
    symbol: "",
    message: `${ruleId} at ${line}`,
    confidence: "certain",
    fingerprint: `${ruleId}-${line}`,
    fixable: false,
    related: [],
  };
}

function sup(line: number, rules: string[], reason: string | undefined, scope: "line" | "file" = "line"): Suppression {
  return { rules, ...(reason ? { reason } : {}), scope, line, span: { line, column: 1, endLine: line, endColumn: 2, start: 0, end: 1 } };
}

describe("applyInlineSuppressions", () => {
  it("hides a finding on the comment's line or the next one, not two lines below", () => {
    const findings = [finding("direct-sink-call", 3), finding("direct-sink-call", 4), finding("direct-sink-call", 5)];
    const r = applyInlineSuppressions(findings, [{ file: "app/x.py", suppressions: [sup(3, ["direct-sink-call"], "transport layer")] }]);
    expect(r.findings.map((f) => [f.line, f.suppressed ?? null])).toEqual([
      [3, { kind: "inline", reason: "transport layer", line: 3 }],
      [4, { kind: "inline", reason: "transport layer", line: 3 }],
      [5, null],
    ]);
    expect(r.problems).toEqual([]);
  });

  it("only hides the rules it names; an empty list names all rules", () => {
    const findings = [finding("direct-sink-call", 2), finding("legacy-fallback", 2), finding("non-canonical-call", 9)];
    const r = applyInlineSuppressions(findings, [
      { file: "app/x.py", suppressions: [sup(1, ["legacy-fallback"], "migrating"), sup(8, [], "all of them")] },
    ]);
    expect(r.findings.map((f) => [f.ruleId, f.suppressed?.reason ?? null])).toEqual([
      ["direct-sink-call", null],
      ["legacy-fallback", "migrating"],
      ["non-canonical-call", "all of them"],
    ]);
  });

  it("a file-level suppression hides the rule everywhere in its file only; a line suppression explains first", () => {
    const findings = [finding("direct-sink-call", 10), finding("direct-sink-call", 40), finding("direct-sink-call", 3, "app/y.py")];
    const r = applyInlineSuppressions(findings, [
      { file: "app/x.py", suppressions: [sup(1, ["direct-sink-call"], "generated code", "file"), sup(40, ["direct-sink-call"], "here")] },
    ]);
    expect(r.findings.map((f) => [f.file, f.line, f.suppressed ?? null])).toEqual([
      ["app/x.py", 10, { kind: "inline", reason: "generated code", line: 1 }],
      ["app/x.py", 40, { kind: "inline", reason: "here", line: 40 }],
      ["app/y.py", 3, null],
    ]);
    expect(r.problems).toEqual([]);
  });

  it("a suppression without a reason has no effect and is reported", () => {
    const r = applyInlineSuppressions(
      [finding("direct-sink-call", 2)],
      [{ file: "app/x.py", suppressions: [sup(1, ["direct-sink-call"], undefined)] }],
    );
    expect(r.findings[0]?.suppressed).toBeUndefined();
    expect(r.problems).toEqual([
      {
        file: "app/x.py",
        line: 1,
        kind: "missing-reason",
        message:
          'ssot-audit-ignore[direct-sink-call] has no reason, so it is ignored; write "ssot-audit-ignore[direct-sink-call]: <why this is acceptable>"',
      },
    ]);
  });

  it("reports unused suppressions, per rule id, line- and file-level", () => {
    const r = applyInlineSuppressions(
      [finding("direct-sink-call", 6)],
      [
        {
          file: "app/x.py",
          suppressions: [
            sup(1, ["legacy-fallback"], "nothing to hide", "file"),
            sup(5, ["direct-sink-call", "non-canonical-call"], "half used"),
            sup(20, [], "stale"),
          ],
        },
      ],
    );
    expect(r.findings[0]?.suppressed?.reason).toBe("half used");
    expect(r.problems.map((p) => [p.line, p.kind, p.message])).toEqual([
      [1, "unused", "unused ssot-audit-ignore-file[legacy-fallback]: no legacy-fallback finding in this file"],
      [5, "unused", "unused ssot-audit-ignore[direct-sink-call, non-canonical-call]: no non-canonical-call finding on line 5 or 6"],
      [20, "unused", "unused ssot-audit-ignore: no finding on line 20 or 21"],
    ]);
  });

  it("reports unknown rule ids with a did-you-mean, and they hide nothing", () => {
    const r = applyInlineSuppressions(
      [finding("direct-sink-call", 2), finding("legacy-fallback", 2)],
      [{ file: "app/x.py", suppressions: [sup(1, ["direct-sink-cal", "legacy-fallback"], "typo"), sup(9, ["no-such-thing-at-all"], "x")] }],
    );
    expect(r.findings.map((f) => [f.ruleId, Boolean(f.suppressed)])).toEqual([
      ["direct-sink-call", false],
      ["legacy-fallback", true],
    ]);
    expect(r.problems).toEqual([
      {
        file: "app/x.py",
        line: 1,
        kind: "unknown-rule",
        message: 'unknown rule "direct-sink-cal" in ssot-audit-ignore[direct-sink-cal, legacy-fallback]; did you mean "direct-sink-call"?',
      },
      {
        file: "app/x.py",
        line: 9,
        kind: "unknown-rule",
        message:
          'unknown rule "no-such-thing-at-all" in ssot-audit-ignore[no-such-thing-at-all]; rules: duplicate-implementation, legacy-fallback, direct-sink-call, non-canonical-call, non-canonical-import',
      },
    ]);
  });
});

describe("inline suppressions through the pipeline (real extractors)", () => {
  const config = dedent(`
    concepts:
      broadcast:
        canonical: app/broadcast.py::BroadcastService.broadcast_to_user
        sinks: ["**.send_json"]
      push:
        canonical: web/hub.ts::Hub.push
        sinks: ["**.socket.send"]
  `);
  const hub = "export class Hub {\n  push(user: string): number {\n    return 1;\n  }\n}\n";
  const canonical = dedent(`
    class BroadcastService:
        async def broadcast_to_user(self, user_id, event):
            return 1
  `);
  const py = dedent(`
    async def a(ws, e):
        await ws.send_json(e)  # ssot-audit-ignore[direct-sink-call]: the transport adapter


    async def b(ws, e):
        # ssot-audit-ignore[direct-sink-call]
        await ws.send_json(e)


    async def c(ws, e):
        # ssot-audit-ignore[direct-sink-cal]: typo in the id
        await ws.send_json(e)
        # ssot-audit-ignore[legacy-fallback]: nothing below
        return 1
  `);
  const ts = dedent(`
    // ssot-audit-ignore-file[direct-sink-call]: generated socket shim
    export function a(conn: { socket: { send(x: string): void } }): void {
      conn.socket.send("a");
    }
    export function b(conn: { socket: { send(x: string): void } }): void {
      conn.socket.send("b");
    }
  `);
  const tsLine = dedent(`
    export function c(conn: { socket: { send(x: string): void } }): void {
      // ssot-audit-ignore[direct-sink-call]: measured, see PR 12
      conn.socket.send("c");
      conn.socket.send("d");
    }
  `);
  const files = { "ssot-audit.config.yaml": config, "app/broadcast.py": canonical, "app/h.py": py, "web/a.ts": ts, "web/c.ts": tsLine, "web/hub.ts": hub };

  async function run(inlineIgnore: boolean) {
    const root = makeProject(files);
    try {
      return (await runCheck({ paths: ["."], cwd: root, inlineIgnore })).report;
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  it("applies Python # and TypeScript // comments, line and file level, and reports the problems", async () => {
    const report = await run(true);
    expect(report.findings.map((f) => [f.file, f.line, f.suppressed?.reason ?? null])).toEqual([
      ["app/h.py", lineOf(py, "await ws.send_json(e)", 1), "the transport adapter"],
      ["app/h.py", lineOf(py, "await ws.send_json(e)", 2), null],
      ["app/h.py", lineOf(py, "await ws.send_json(e)", 3), null],
      ["web/a.ts", lineOf(ts, 'send("a")'), "generated socket shim"],
      ["web/a.ts", lineOf(ts, 'send("b")'), "generated socket shim"],
      ["web/c.ts", lineOf(tsLine, 'send("c")'), "measured, see PR 12"],
      ["web/c.ts", lineOf(tsLine, 'send("d")'), null],
    ]);
    expect(report.summary).toMatchObject({ findings: 3, errors: 3, warnings: 0, suppressed: 4, baselined: 0 });
    expect(report.suppressionProblems?.map((p) => [p.file, p.line, p.kind])).toEqual([
      ["app/h.py", lineOf(py, "# ssot-audit-ignore[direct-sink-call]", 2), "missing-reason"],
      ["app/h.py", lineOf(py, "direct-sink-cal]"), "unknown-rule"],
      ["app/h.py", lineOf(py, "[legacy-fallback]"), "unused"],
    ]);
    expect(report.suppressionProblems?.[1]?.message).toContain('did you mean "direct-sink-call"?');
  });

  it("--no-inline-ignore audits everything and reports no suppression problems", async () => {
    const report = await run(false);
    expect(report.findings.filter((f) => f.suppressed)).toEqual([]);
    expect(report.summary).toMatchObject({ findings: 7, errors: 7, suppressed: 0 });
    expect(report.suppressionProblems).toEqual([]);
  });
});
