/**
 * The CI gate end to end: the real binary on real git repositories in temp folders —
 * baseline, ratchet, stale entries, --changed-since, several outputs, suppressions.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TempRepo } from "../git/repo.js";
import { dedent, lineOf } from "../helpers/project.js";
import { MULTITOOL_UNAVAILABLE, multitoolValidate, schemaErrors } from "../report/sarif-validators.js";

const BIN = path.resolve(import.meta.dirname, "../../bin/ssot-audit");
const BASELINE = ".ssot-audit-baseline.json";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  symbol: string;
  fingerprint: string;
  baselined?: true;
  suppressed?: { kind: string; reason: string; line: number };
}
interface JsonReport {
  summary: { findings: number; errors: number; warnings: number; baselined: number; suppressed: number };
  findings: JsonFinding[];
  baseline?: { file: string; stale: { file: string; symbol: string; ruleId: string; count: number }[] };
  suppressionProblems: { file: string; line: number; kind: string; message: string }[];
}

function json(r: Run): JsonReport {
  return JSON.parse(r.stdout) as JsonReport;
}

/** `[ruleId, file, line]` of the findings that count (neither baselined nor suppressed). */
function active(report: JsonReport): [string, string, number][] {
  return report.findings.filter((f) => !f.baselined && !f.suppressed).map((f) => [f.ruleId, f.file, f.line]);
}

const repos: TempRepo[] = [];
function repo(files: Record<string, string>, options?: { init?: boolean }): TempRepo {
  const r = new TempRepo(files, options);
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
});

const CONFIG = dedent(`
  concepts:
    broadcast:
      canonical: app/broadcast.py::BroadcastService.broadcast_to_user
      sinks: ["**.send_json"]
`);
const CANONICAL = dedent(`
  class BroadcastService:
      async def broadcast_to_user(self, user_id, event):
          return 1


  def get_broadcast_service():
      return BroadcastService()
`);
const LEGACY = dedent(`
  class LegacyRouter:
      async def broadcast_to_user(self, user_id, event):
          print(user_id, event)
`);
const HANDLERS = dedent(`
  from app.broadcast import get_broadcast_service


  async def on_message(websocket, event):
      await websocket.send_json(event)


  async def on_close(websocket):
      await websocket.send_json({"bye": True})


  class Presence:
      async def ping(self, websocket):
          await websocket.send_json({"ping": 1})
`);
/** The same violations: moved, reformatted, with unrelated lines above and between. */
const HANDLERS_EDITED = dedent(`
  """Handlers for the socket events."""
  import logging

  from app.broadcast import get_broadcast_service

  log = logging.getLogger(__name__)


  class Presence:
      async def ping(self, websocket):
          log.debug("ping")
          await websocket.send_json(
              {"ping": 1}
          )


  async def on_close(websocket):
      log.info("closing")
      await websocket.send_json({"bye": True})


  async def on_message(websocket, event):
      await websocket.send_json(event)
`);

/** A committed project with a baseline of its four findings. */
function baselined(): TempRepo {
  const r = repo({
    "ssot-audit.config.yaml": CONFIG,
    "app/__init__.py": "",
    "app/broadcast.py": CANONICAL,
    "app/legacy.py": LEGACY,
    "app/handlers.py": HANDLERS,
  });
  const b = run(r.root, "baseline");
  expect(b.status).toBe(0);
  expect(b.stderr).toBe(`ssot-audit: wrote ${BASELINE}: 4 findings in 4 entries\n`);
  r.commit("baseline");
  return r;
}

function checkBaseline(r: TempRepo, ...extra: string[]): Run {
  return run(r.root, "check", "--baseline", BASELINE, "-f", "json", ...extra);
}

describe("baseline: only new findings count", () => {
  it("writes a sorted baseline with counts, and a check against it is clean", () => {
    const r = baselined();
    const file = JSON.parse(r.read(BASELINE)) as {
      version: number;
      tool: string;
      entries: { fingerprint: string; file: string; ruleId: string; symbol: string; count: number }[];
    };
    expect([file.version, file.tool]).toEqual([1, "ssot-audit"]);
    // Sorted by file, rule id and fingerprint; one entry per fingerprint with its count.
    const keys = file.entries.map((e) => [e.file, e.ruleId, e.fingerprint].join("\0"));
    expect(keys).toEqual([...keys].sort());
    expect(file.entries.map((e) => [e.file, e.ruleId, e.symbol, e.count]).sort()).toEqual([
      ["app/handlers.py", "direct-sink-call", "Presence.ping", 1],
      ["app/handlers.py", "direct-sink-call", "on_close", 1],
      ["app/handlers.py", "direct-sink-call", "on_message", 1],
      ["app/legacy.py", "duplicate-implementation", "LegacyRouter.broadcast_to_user", 1],
    ]);

    const c = checkBaseline(r);
    expect(c.status).toBe(0);
    const report = json(c);
    expect(report.summary).toMatchObject({ findings: 0, errors: 0, warnings: 0, baselined: 4, suppressed: 0 });
    expect(report.findings.every((f) => f.baselined === true)).toBe(true);
    expect(report.baseline).toEqual({ file: BASELINE, stale: [] });
    expect(c.stderr).toBe("");
  });

  it("moving code, reformatting and adding unrelated lines above report nothing new", () => {
    const r = baselined();
    r.write({ "app/handlers.py": HANDLERS_EDITED, "app/legacy.py": `# Kept until the migration is done.\nimport logging\n\n\n${LEGACY}` });
    const c = checkBaseline(r, "--strict-baseline");
    expect(c.status).toBe(0);
    expect(json(c).summary).toMatchObject({ findings: 0, baselined: 4 });
    const stylish = run(r.root, "check", "--baseline", BASELINE);
    expect(stylish.status).toBe(0);
    expect(stylish.stdout).toContain("✔ no SSOT violations in 4 files");
    expect(stylish.stdout).toContain("not shown: 4 baselined (in .ssot-audit-baseline.json)");
  });

  it("a new violation exits 1 and reports exactly it", () => {
    const r = baselined();
    const code = `${HANDLERS}\n\nasync def on_open(websocket):\n    await websocket.send_json({"hi": 1})\n`;
    r.write({ "app/handlers.py": code });
    const c = checkBaseline(r);
    expect(c.status).toBe(1);
    expect(active(json(c))).toEqual([["direct-sink-call", "app/handlers.py", lineOf(code, '{"hi": 1}')]]);
    expect(json(c).summary).toMatchObject({ findings: 1, errors: 1, baselined: 4 });
  });

  it("a second copy of a baselined violation exits 1 and reports exactly the copy", () => {
    const r = baselined();
    const code = HANDLERS.replace(
      "    await websocket.send_json(event)\n",
      "    await websocket.send_json(event)\n    await websocket.send_json(event)\n",
    );
    r.write({ "app/handlers.py": code });
    const c = checkBaseline(r);
    expect(c.status).toBe(1);
    expect(active(json(c))).toEqual([["direct-sink-call", "app/handlers.py", lineOf(code, "await websocket.send_json(event)", 2)]]);
  });

  it("a fix plus a new violation in the same file still fails, and the fixed entry is stale", () => {
    const r = baselined();
    const code = HANDLERS.replace('    await websocket.send_json({"bye": True})\n', "    return None\n").concat(
      '\n\nasync def on_open(websocket):\n    await websocket.send_json({"hi": 1})\n',
    );
    r.write({ "app/handlers.py": code });
    const c = checkBaseline(r);
    expect(c.status).toBe(1);
    const report = json(c);
    expect(active(report)).toEqual([["direct-sink-call", "app/handlers.py", lineOf(code, '{"hi": 1}')]]);
    expect(report.baseline?.stale.map((s) => [s.file, s.ruleId, s.symbol, s.count])).toEqual([
      ["app/handlers.py", "direct-sink-call", "on_close", 1],
    ]);
  });

  it("stale entries warn, fail with --strict-baseline, and baseline --update prunes them", () => {
    const r = baselined();
    r.write({ "app/handlers.py": HANDLERS.replace('    await websocket.send_json({"bye": True})\n', "    return None\n") });
    const c = checkBaseline(r);
    expect(c.status).toBe(0);
    expect(c.stderr).toBe(
      `ssot-audit: 1 baselined finding in ${BASELINE} no longer found (fixed?); prune with: ssot-audit baseline --update\n`,
    );
    const stylish = run(r.root, "check", "--baseline", BASELINE);
    expect(stylish.stdout).toContain(
      "1 baselined finding in .ssot-audit-baseline.json no longer found (fixed?); prune it with: ssot-audit baseline --update",
    );
    expect(stylish.stdout).toContain("  app/handlers.py  direct-sink-call  on_close");
    expect(checkBaseline(r, "--strict-baseline").status).toBe(1);

    const before = r.read(BASELINE);
    const u = run(r.root, "baseline", "--update");
    expect(u.status).toBe(0);
    expect(u.stderr).toBe(`ssot-audit: updated ${BASELINE}: 1 fixed removed, 0 added; 3 findings in 3 entries\n`);
    const after = r.read(BASELINE);
    expect(after.length).toBeLessThan(before.length);
    expect(after).not.toContain('"on_close"');
    expect(checkBaseline(r, "--strict-baseline").status).toBe(0);
    // Small diffs: the update only removed lines.
    expect(r.git("diff", "--numstat", "--", BASELINE).trim()).toMatch(/^0\t\d+\t/);
  });

  it("the ratchet refuses growth without --allow-growth", () => {
    const r = baselined();
    const code = `${HANDLERS}\n\nasync def on_open(websocket):\n    await websocket.send_json({"hi": 1})\n`;
    r.write({ "app/handlers.py": code });
    const before = r.read(BASELINE);
    for (const args of [["baseline"], ["baseline", "--update"]]) {
      const u = run(r.root, ...args);
      expect(u.status).toBe(1);
      expect(u.stderr.split("\n")).toEqual([
        `ssot-audit: ${BASELINE} not updated: 1 finding not in the baseline, which only shrinks:`,
        `  app/handlers.py:${lineOf(code, '{"hi": 1}')}:11  direct-sink-call  direct call of sink '**.send_json' (websocket.send_json) bypasses 'broadcast'; go through the canonical implementation`,
        "Fix them, suppress them with a reason (ssot-audit-ignore[rule-id]: why), or accept them with: ssot-audit baseline --allow-growth",
        "",
      ]);
      expect(r.read(BASELINE)).toBe(before);
    }
    const g = run(r.root, "baseline", "--update", "--allow-growth");
    expect(g.status).toBe(0);
    expect(g.stderr).toBe(`ssot-audit: updated ${BASELINE}: 0 fixed removed, 1 added; 5 findings in 5 entries\n`);
    expect(checkBaseline(r).status).toBe(0);
  });

  it("keeps entries of files outside the audited paths when updating a subfolder", () => {
    const r = baselined();
    r.write({ "app/legacy.py": "X = 1\n" });
    // Only app/handlers.py is audited: legacy.py's fixed entry is out of scope and stays.
    const u = run(r.root, "baseline", "--update", "app/handlers.py");
    expect(u.stderr).toBe(`ssot-audit: ${BASELINE} is up to date: 4 findings in 4 entries\n`);
    expect(u.status).toBe(0);
    expect(run(r.root, "check", "--baseline", BASELINE, "--strict-baseline", "app/handlers.py").status).toBe(0);
    expect(checkBaseline(r, "--strict-baseline").status).toBe(1);
  });

  it.each([
    [
      "truncated",
      (t: string) => t.slice(0, 200),
      new RegExp(
        `^ssot-audit: ${BASELINE.replace(".", "\\.")}: line \\d+, column \\d+: invalid JSON \\(corrupt or truncated baseline\\?\\)`,
      ),
    ],
    [
      "hand-edited",
      (t: string) => t.replace('"count": 1', '"count": "one"'),
      /^ssot-audit: \.ssot-audit-baseline\.json: entries\[0\]\.count: expected a whole number ≥ 1, found "one"$/,
    ],
  ])("a %s baseline exits 2 with one line naming the file and the problem", (_what, edit, message) => {
    const r = baselined();
    r.write({ [BASELINE]: edit(r.read(BASELINE)) });
    const c = checkBaseline(r);
    expect(c.status).toBe(2);
    expect(c.stdout).toBe("");
    expect(c.stderr.trim().split("\n")).toHaveLength(1);
    expect(c.stderr.trim()).toMatch(message);
    expect(run(r.root, "baseline", "--update").status).toBe(2);
  });

  it("usage errors: a missing baseline file, --update without a baseline", () => {
    const r = repo({ "ssot-audit.config.yaml": CONFIG, "app/broadcast.py": CANONICAL });
    const c = run(r.root, "check", "--baseline", "nope.json");
    expect([c.status, c.stderr]).toEqual([2, "ssot-audit: nope.json: baseline file not found; create it with `ssot-audit baseline`\n"]);
    const u = run(r.root, "baseline", "--update");
    expect([u.status, u.stderr]).toEqual([2, `ssot-audit: ${BASELINE}: no baseline to update; create it with \`ssot-audit baseline\`\n`]);
  });
});

describe("--changed-since", () => {
  const sink = (name: string) => `async def ${name}(websocket):\n    await websocket.send_json({})\n`;

  function project(prefix = ""): TempRepo {
    const r = repo({
      [`${prefix}ssot-audit.config.yaml`]: CONFIG,
      [`${prefix}app/broadcast.py`]: CANONICAL,
      [`${prefix}app/committed.py`]: sink("a"),
      [`${prefix}app/staged.py`]: sink("b"),
      [`${prefix}app/unstaged.py`]: sink("c"),
      [`${prefix}app/untouched.py`]: sink("d"),
      "outside.py": "X = 1\n",
    });
    r.commit("base");
    r.git("tag", "base");
    r.write({ [`${prefix}app/committed.py`]: `${sink("a")}\n\n${sink("a2")}` });
    r.commit("a2");
    r.write({ [`${prefix}app/staged.py`]: `# staged\n${sink("b")}` });
    r.git("add", "-A");
    r.write({
      [`${prefix}app/unstaged.py`]: `# unstaged\n${sink("c")}`,
      [`${prefix}app/untracked.py`]: sink("e"),
      "outside.py": "X = 2\n",
    });
    return r;
  }

  it("reports only files changed since the ref: committed, staged, unstaged and untracked", () => {
    const r = project();
    const c = run(r.root, "check", "--changed-since", "base", "-f", "json");
    expect(c.status).toBe(1);
    expect(active(json(c))).toEqual([
      ["direct-sink-call", "app/committed.py", 2],
      ["direct-sink-call", "app/committed.py", 6],
      ["direct-sink-call", "app/staged.py", 3],
      ["direct-sink-call", "app/unstaged.py", 3],
      ["direct-sink-call", "app/untracked.py", 2],
    ]);
    expect(active(json(run(r.root, "check", "--changed-since", "HEAD", "-f", "json"))).map((f) => f[1])).toEqual([
      "app/staged.py",
      "app/unstaged.py",
      "app/untracked.py",
    ]);
    const all = run(r.root, "check", "-f", "json");
    expect(active(json(all)).map((f) => f[1])).toContain("app/untouched.py");
  });

  it("maps paths when the config lives in a subfolder of the repository, and GitHub paths are repository-relative", () => {
    const r = project("svc/");
    const cwd = path.join(r.root, "svc");
    const c = run(cwd, "check", "--changed-since", "HEAD", "-f", "json");
    expect(active(json(c)).map((f) => f[1])).toEqual(["app/staged.py", "app/unstaged.py", "app/untracked.py"]);
    const gh = run(cwd, "check", "--changed-since", "HEAD", "-f", "github");
    expect(gh.status).toBe(1);
    expect(gh.stdout.split("\n").filter((l) => l.startsWith("::"))).toEqual([
      "::error file=svc/app/staged.py,line=3,col=11,endLine=3,endColumn=34,title=direct-sink-call::direct call of sink '**.send_json' (websocket.send_json) bypasses 'broadcast'; go through the canonical implementation",
      "::error file=svc/app/unstaged.py,line=3,col=11,endLine=3,endColumn=34,title=direct-sink-call::direct call of sink '**.send_json' (websocket.send_json) bypasses 'broadcast'; go through the canonical implementation",
      "::error file=svc/app/untracked.py,line=2,col=11,endLine=2,endColumn=34,title=direct-sink-call::direct call of sink '**.send_json' (websocket.send_json) bypasses 'broadcast'; go through the canonical implementation",
    ]);
  });

  it("judges baseline entries of changed files only", () => {
    const r = project();
    expect(run(r.root, "baseline").status).toBe(0);
    r.write({ "app/untouched.py": "X = 1\n" }); // fixed, but then it is changed, so judged
    const c = run(r.root, "check", "--changed-since", "HEAD", "--baseline", BASELINE, "-f", "json");
    expect(json(c).baseline?.stale.map((s) => s.file)).toEqual(["app/untouched.py"]);
    r.git("add", "-A");
    r.commit("fix d");
    r.write({ "app/committed.py": "X = 1\n" });
    const d = run(r.root, "check", "--changed-since", "HEAD", "--baseline", BASELINE, "-f", "json");
    // app/untouched.py is unchanged since HEAD now: its stale entry is not judged in this run.
    expect(json(d).baseline?.stale.map((s) => s.file)).toEqual(["app/committed.py", "app/committed.py"]);
  });

  it("is a usage error outside a git repository and for an unknown ref", () => {
    const plain = repo({ "ssot-audit.config.yaml": CONFIG, "app/broadcast.py": CANONICAL }, { init: false });
    const o = run(plain.root, "check", "--changed-since", "main");
    expect(o.status).toBe(2);
    expect(o.stderr).toBe(`ssot-audit: --changed-since: ${plain.root} is not inside a git repository\n`);
    const r = project();
    const u = run(r.root, "check", "--changed-since", "no-such-ref");
    expect(u.status).toBe(2);
    expect(u.stderr).toBe(`ssot-audit: --changed-since: unknown git ref "no-such-ref" in ${r.root} (in a shallow clone, fetch it first)\n`);
  });
});

describe("several outputs in one run", () => {
  it("pairs -f with -o by position; the last format may go to stdout", () => {
    const r = repo({
      "ssot-audit.config.yaml": CONFIG,
      "app/broadcast.py": CANONICAL,
      "app/h.py": "async def f(ws):\n    await ws.send_json({})\n",
    });
    const c = run(
      r.root,
      "check",
      "-f",
      "json",
      "-o",
      "out/a.json",
      "-f",
      "sarif",
      "-o",
      "out/b.sarif",
      "-f",
      "junit",
      "-o",
      "out/c.xml",
      "-f",
      "github",
    );
    expect(c.status).toBe(1);
    expect(c.stdout.startsWith("::error file=app/h.py,line=2,")).toBe(true);
    expect(json({ ...c, stdout: r.read("out/a.json") }).summary.findings).toBe(1);
    const sarif = JSON.parse(r.read("out/b.sarif")) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]?.results).toHaveLength(1);
    expect(schemaErrors(sarif)).toEqual([]);
    if (!MULTITOOL_UNAVAILABLE) expect(multitoolValidate(sarif).filter((x) => x.level !== "note")).toEqual([]);
    expect(r.read("out/c.xml")).toContain('<testsuite name="direct-sink-call" tests="1" failures="1"');

    // One -f and one -o pair in any order; "-o -" is stdout.
    const swapped = run(r.root, "check", "-o", "out/d.json", "-f", "json");
    expect([swapped.status, swapped.stdout]).toEqual([1, ""]);
    expect(json({ ...swapped, stdout: r.read("out/d.json") }).summary.findings).toBe(1);
    const dash = run(r.root, "check", "-f", "json", "-o", "-", "-f", "sarif", "-o", "out/e.sarif");
    expect(json(dash).summary.findings).toBe(1);
    expect(fs.existsSync(path.join(r.root, "out/e.sarif"))).toBe(true);
  });

  it.each([
    [
      ["-f", "json", "-f", "sarif", "-f", "github", "-o", "a.json"],
      '3 --format but 1 --output: give each -f its own -o (they pair up in order; "-o -" is stdout); only the last -f may omit -o to print to stdout',
    ],
    [["-o", "a.json", "-o", "b.json"], "1 --format but 2 --output"],
    [["-f", "json", "-o", "-", "-f", "sarif"], "json and sarif would both print to stdout; give all but one an -o <file>"],
    [["-f", "json", "-o", "x.json", "-f", "sarif", "-o", "x.json"], "--output x.json is given twice"],
  ])("count mismatches are usage errors: %j", (args, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-ci-"));
    try {
      fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), CONFIG);
      fs.mkdirSync(path.join(dir, "app"));
      fs.writeFileSync(path.join(dir, "app/broadcast.py"), CANONICAL);
      const c = run(dir, "check", ...args);
      expect(c.status).toBe(2);
      expect(c.stdout).toBe("");
      expect(c.stderr.trim().split("\n")).toHaveLength(1);
      expect(c.stderr).toContain(message);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("inline suppressions from the command line", () => {
  const code = dedent(`
    async def a(ws, e):
        await ws.send_json(e)  # ssot-audit-ignore[direct-sink-call]: the transport adapter


    async def b(ws, e):
        # ssot-audit-ignore[direct-sink-call]: nothing here any more
        return e
  `);

  it("hides suppressed findings behind a note, shows suppression problems, and --strict-suppressions fails on them", () => {
    const r = repo({ "ssot-audit.config.yaml": CONFIG, "app/broadcast.py": CANONICAL, "app/h.py": code });
    const s = run(r.root, "check");
    expect(s.status).toBe(0);
    expect(s.stdout).toContain(
      `suppression app/h.py:${lineOf(code, "nothing here")} unused ssot-audit-ignore[direct-sink-call]: no direct-sink-call finding on line 6 or 7`,
    );
    expect(s.stdout).toContain("not shown: 1 suppressed inline");
    expect(s.stderr).toBe("");
    const j = run(r.root, "check", "-f", "json");
    expect(j.stderr).toBe(
      "ssot-audit: app/h.py:6: unused ssot-audit-ignore[direct-sink-call]: no direct-sink-call finding on line 6 or 7\n",
    );
    expect(json(j).findings.map((f) => f.suppressed)).toEqual([{ kind: "inline", reason: "the transport adapter", line: 2 }]);
    expect(run(r.root, "check", "--strict-suppressions").status).toBe(1);
    expect(run(r.root, "check", "--no-inline-ignore").status).toBe(1);
    // Suppressed findings never enter a baseline.
    expect(run(r.root, "baseline").stderr).toBe(`ssot-audit: wrote ${BASELINE}: 0 findings in 0 entries\n`);
  });
});
