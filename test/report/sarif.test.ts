import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_FILE_NAME, formatBaseline } from "../../src/baseline/file.js";
import { entriesFor } from "../../src/baseline/match.js";
import { loadRuleDocs, reportLocation } from "../../src/cli/report-outputs.js";
import { runCheck } from "../../src/engine/check.js";
import { FINGERPRINT_KEY, SARIF_SCHEMA_URI, sarifLog } from "../../src/report/sarif.js";
import type { Report } from "../../src/report/types.js";
import { dedent, lineOf, makeProject } from "../helpers/project.js";
import { MULTITOOL_UNAVAILABLE, multitoolValidate, schemaErrors } from "./sarif-validators.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const rules = loadRuleDocs();

async function sarifFor(root: string, options: { baselineFile?: string } = {}): Promise<{ log: Sarif.Log; report: Report }> {
  const { report, project } = await runCheck({ paths: ["."], cwd: root, ...options });
  const location = await reportLocation(project.loaded.rootDir);
  return { log: sarifLog(report, { color: false, quiet: false, rules, location }), report };
}

function run0(log: Sarif.Log): Sarif.Run {
  const run = log.runs[0];
  if (!run) throw new Error("no run");
  return run;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

describe("SARIF output of the fixtures", () => {
  it.each(["python-broadcast", "ts-broadcast", "edge-cases", "clean-python"])("%s passes the SARIF 2.1.0 JSON schema", async (fixture) => {
    const { log } = await sarifFor(path.join(REPO, "fixtures", fixture));
    expect(schemaErrors(log)).toEqual([]);
  });

  it.skipIf(MULTITOOL_UNAVAILABLE !== undefined)(
    "python-broadcast, ts-broadcast and edge-cases pass sarif-multitool validate with no errors or warnings",
    async () => {
      for (const fixture of ["python-broadcast", "ts-broadcast", "edge-cases"]) {
        const { log } = await sarifFor(path.join(REPO, "fixtures", fixture));
        const problems = multitoolValidate(log).filter((r) => r.level !== "note");
        expect({ fixture, problems }).toEqual({ fixture, problems: [] });
      }
    },
  );

  it("describes every rule with its docs and helpUri, and every finding as a result", async () => {
    const root = path.join(REPO, "fixtures/python-broadcast");
    const { log, report } = await sarifFor(root);
    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const run = run0(log);
    expect(run.tool.driver).toMatchObject({
      name: "ssot-audit",
      version: report.tool.version,
      informationUri: "https://github.com/ssot-audit/ssot-audit",
    });
    const descriptors = run.tool.driver.rules ?? [];
    expect(descriptors.map((r) => r.id)).toEqual([
      "duplicate-implementation",
      "legacy-fallback",
      "direct-sink-call",
      "non-canonical-call",
      "non-canonical-import",
    ]);
    for (const d of descriptors) {
      const doc = fs.readFileSync(path.join(REPO, "rules", `${d.id}.md`), "utf8");
      expect(d.help).toEqual({ text: doc, markdown: doc });
      expect(d.helpUri).toBe(`https://github.com/ssot-audit/ssot-audit/blob/main/rules/${d.id}.md`);
      expect(d.shortDescription?.text).toMatch(/\.$/);
      expect(d.fullDescription?.text.length).toBeGreaterThan(20);
    }

    // The repository root is %SRCROOT%; URIs are relative to it.
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(REPO).href}/` } });
    const results = run.results ?? [];
    expect(results).toHaveLength(report.findings.length);
    for (const [i, r] of results.entries()) {
      const f = report.findings[i];
      if (!f) throw new Error("result without finding");
      expect(descriptors[r.ruleIndex ?? -1]?.id).toBe(f.ruleId);
      expect(r.level).toBe(f.severity);
      expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: f.fingerprint });
      expect(r.locations?.[0]?.physicalLocation).toEqual({
        artifactLocation: { uri: `fixtures/python-broadcast/${f.file}`, uriBaseId: "%SRCROOT%" },
        region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
      });
      // The first related location is the canonical implementation.
      expect(r.relatedLocations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
        `fixtures/python-broadcast/${f.concept === "env-config" ? "netra_backend/app/config.py" : "netra_backend/app/services/websocket_broadcast_service.py"}`,
      );
      expect(r.properties).toEqual({ concept: f.concept, confidence: f.confidence, fixable: f.fixable });
      expect(r.suppressions).toBeUndefined();
      expect(r.fixes).toBeUndefined();
    }
  });
});

describe("SARIF suppressions and notifications", () => {
  const config = dedent(`
    concepts:
      broadcast:
        canonical: app/broadcast.py::BroadcastService.broadcast_to_user
        sinks: ["**.send_json"]
  `);
  const canonical = dedent(`
    class BroadcastService:
        async def broadcast_to_user(self, user_id, event):
            return 1
  `);
  const code = dedent(`
    async def a(ws, e):
        await ws.send_json(e)  # ssot-audit-ignore[direct-sink-call]: the transport adapter, see ADR 7


    async def b(ws, e):
        await ws.send_json(e)


    async def c(ws, e):
        # ssot-audit-ignore[direct-sink-cal]: typo
        await ws.send_json(e)
  `);

  it("marks inline suppressions inSource, baselined findings external/unchanged, and reports problems as notifications", async () => {
    const root = makeProject({ "ssot-audit.config.yaml": config, "app/broadcast.py": canonical, "app/h.py": code });
    temps.push(root);
    const first = await runCheck({ paths: ["."], cwd: root });
    // Accept b's finding in the baseline, plus an entry for code that no longer exists.
    const accepted = entriesFor(first.report.findings.filter((f) => f.symbol === "b"));
    const stale = { ...accepted[0], fingerprint: "ffffffffffffffffffff", symbol: "gone", file: "app/h.py" } as (typeof accepted)[number];
    fs.writeFileSync(path.join(root, BASELINE_FILE_NAME), formatBaseline([...accepted, stale]));

    const { log, report } = await sarifFor(root, { baselineFile: BASELINE_FILE_NAME });
    expect(schemaErrors(log)).toEqual([]);
    if (!MULTITOOL_UNAVAILABLE) expect(multitoolValidate(log).filter((r) => r.level !== "note")).toEqual([]);

    const run = run0(log);
    const results = run.results ?? [];
    expect(results.map((r) => [r.locations?.[0]?.physicalLocation?.region?.startLine, r.baselineState, r.suppressions ?? null])).toEqual([
      [
        lineOf(code, "await ws.send_json(e)", 1),
        "new",
        [
          {
            kind: "inSource",
            status: "accepted",
            justification: "the transport adapter, see ADR 7",
            location: {
              physicalLocation: {
                artifactLocation: { uri: "app/h.py", uriBaseId: "%SRCROOT%" },
                region: { startLine: lineOf(code, "ADR 7") },
              },
            },
          },
        ],
      ],
      [
        lineOf(code, "await ws.send_json(e)", 2),
        "unchanged",
        [{ kind: "external", status: "accepted", justification: "accepted in the baseline .ssot-audit-baseline.json" }],
      ],
      [lineOf(code, "await ws.send_json(e)", 3), "new", null],
    ]);
    expect(report.summary).toMatchObject({ findings: 1, suppressed: 1, baselined: 1 });

    const notes = run.invocations?.[0]?.toolExecutionNotifications ?? [];
    expect(
      notes.map((n) => [
        n.descriptor?.id,
        n.level,
        n.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
        n.locations?.[0]?.physicalLocation?.region?.startLine,
      ]),
    ).toEqual([
      ["suppression/unknown-rule", "warning", "app/h.py", lineOf(code, "direct-sink-cal]")],
      ["baseline/stale", "warning", "app/h.py", undefined],
    ]);
    expect(notes[0]?.message.text).toContain('did you mean "direct-sink-call"?');
    expect(notes[1]?.message.text).toContain("ssot-audit baseline --update");
  });

  it("encodes file names into valid relative URIs", async () => {
    const root = makeProject({
      "ssot-audit.config.yaml": config,
      "app/broadcast.py": canonical,
      "app/odd dir/h#1%.py": "async def a(ws, e):\n    await ws.send_json(e)\n",
    });
    temps.push(root);
    const { log } = await sarifFor(root);
    expect(schemaErrors(log)).toEqual([]);
    expect(run0(log).results?.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)).toEqual(["app/odd%20dir/h%231%25.py"]);
  });
});

describe("the validators themselves", () => {
  it("catch a broken log (so the checks above cannot pass vacuously)", async () => {
    const { log } = await sarifFor(path.join(REPO, "fixtures/python-broadcast"));
    const broken = JSON.parse(JSON.stringify(log)) as Sarif.Log;
    const result = run0(broken).results?.[0];
    if (!result) throw new Error("fixture without results");
    (result as { level: string }).level = "fatal";
    expect(schemaErrors(broken).join("\n")).toContain("/runs/0/results/0/level");
    if (!MULTITOOL_UNAVAILABLE) {
      const region = result.locations?.[0]?.physicalLocation;
      if (region) region.region = {};
      (result as { level: string }).level = "error";
      expect(
        multitoolValidate(broken)
          .filter((r) => r.level === "error")
          .map((r) => r.ruleId),
      ).toContain("SARIF1007");
    }
  });
});
