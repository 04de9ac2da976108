/**
 * `ssot-audit fix` through the real binary: the dry-run diff (golden), that it applies with
 * `git apply` to exactly what `--write` writes, colours, the JSON output, narrowing by rule,
 * concept and path, and usage errors (exit 2).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { cli, copyFixture, readTree, REPO_ROOT, tempDir } from "./helpers.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

function golden(file: string, actual: string): string {
  const abs = path.join(REPO_ROOT, file);
  if (UPDATE) fs.writeFileSync(abs, actual);
  return fs.readFileSync(abs, "utf8");
}

interface FixJson {
  version: number;
  fixes: {
    file: string;
    line: number;
    ruleId: string;
    concept: string;
    kind: string;
    description: string;
    pass: number;
    edits: { start: number; end: number; text: string }[];
  }[];
  manual: { file: string; line: number; reason: string; ruleId: string; concept: string }[];
  refused: { file: string; reason: string }[];
  files: { file: string; fixes: number; diff: string }[];
  suggestionsAvailable: number;
}

describe.each([
  { fixture: "fixtures/python-broadcast", golden: "fixtures/fix-python-broadcast", summary: "7 fixes in 4 files", suggestions: 4 },
  { fixture: "fixtures/ts-broadcast", golden: "fixtures/fix-ts-broadcast", summary: "3 fixes in 2 files", suggestions: 4 },
])("ssot-audit fix $fixture (dry run)", ({ fixture, golden: goldenDir, summary, suggestions }) => {
  it("prints the unified diff and the manual list, exits 0 and writes nothing", () => {
    const before = readTree(path.join(REPO_ROOT, fixture));
    const run = cli(["fix", fixture]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(golden(`${goldenDir}/expected.diff`, run.stdout));
    expect(run.stderr).toBe(
      `ssot-audit fix: ${summary} under ${fixture} (dry run; --write applies them)\n` +
        `  ${suggestions} suggestions available with --unsafe (duplicate bodies → delegates, try/except and try/catch fallbacks collapsed)\n`,
    );
    expect(readTree(path.join(REPO_ROOT, fixture))).toEqual(before);
  });

  it("prints a diff that `git apply` turns into exactly what --write writes", () => {
    const dir = copyFixture(fixture);
    try {
      const patch = cli(["fix", fixture]).stdout;
      const apply = spawnSync("git", ["apply", "--whitespace=nowarn", "-"], { cwd: dir, input: patch, encoding: "utf8" });
      expect(apply.stderr).toBe("");
      expect(apply.status).toBe(0);
      const expected = readTree(path.join(REPO_ROOT, goldenDir, "expected"));
      const after = readTree(dir);
      for (const [file, bytes] of expected) expect(after.get(file)?.toString(), file).toBe(bytes.toString());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ssot-audit fix output", () => {
  it("colours the diff only when asked (FORCE_COLOR) and never with --no-color", () => {
    const plain = cli(["fix", "fixtures/ts-broadcast"]);
    expect(plain.stdout).not.toContain("\u001b[");
    const coloured = cli(["fix", "fixtures/ts-broadcast"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    expect(coloured.stdout).toContain("\u001b[32m+  return hub.pushToUser(userId, event);\u001b[39m");
    expect(coloured.stdout).toContain("\u001b[31m-  return legacyRouter.pushToUser(userId, event);\u001b[39m");
    expect(stripVTControlCharacters(coloured.stdout)).toBe(plain.stdout);
    const off = cli(["fix", "fixtures/ts-broadcast", "--no-color"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    expect(off.stdout).toBe(plain.stdout);
  });

  it("prints planned edits, manual items and refusals as JSON", () => {
    const run = cli(["fix", "fixtures/ts-broadcast", "-f", "json"]);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as FixJson;
    expect(out.version).toBe(1);
    expect(out.refused).toEqual([]);
    expect(out.suggestionsAvailable).toBe(4);
    expect(out.fixes.map((f) => [f.file, f.line, f.ruleId, f.kind, f.pass, f.description])).toEqual([
      ["src/handlers/agent.ts", 29, "non-canonical-call", "fix", 1, "legacyPushToUser(…) → hub.pushToUser(…)"],
      ["src/handlers/agent.ts", 35, "non-canonical-call", "fix", 1, "legacyRouter.pushToUser(…) → hub.pushToUser(…)"],
      ["src/notify/legacy-router.ts", 32, "non-canonical-call", "fix", 1, "legacyRouter.pushToUser(…) → hub.pushToUser(…)"],
    ]);
    const source = fs.readFileSync(path.join(REPO_ROOT, "fixtures/ts-broadcast/src/handlers/agent.ts"), "utf8");
    const edit = out.fixes[0]?.edits[0];
    expect(edit && source.slice(edit.start, edit.end)).toBe("legacyPushToUser");
    expect(edit?.text).toBe("hub.pushToUser");
    expect(out.manual.map((m) => [m.file, m.line, m.ruleId, m.concept])).toEqual([
      ["src/handlers/agent.ts", 4, "non-canonical-import", "user-push"],
      ["src/handlers/session.ts", 10, "non-canonical-call", "user-push"],
      ["src/notify/user-router.ts", 21, "non-canonical-call", "user-push"],
    ]);
    expect(out.files.map((f) => [f.file, f.fixes])).toEqual([
      ["src/handlers/agent.ts", 2],
      ["src/notify/legacy-router.ts", 1],
    ]);
    expect(out.files[1]?.diff).toContain('+import { hub } from "./hub";\n');
  });
});

describe("ssot-audit fix summary", () => {
  const project = (calls: number): string => {
    const dir = tempDir();
    const files: Record<string, string> = {
      "ssot-audit.config.yaml":
        'concepts:\n  notify:\n    canonical: app/canon.py::notify\n    delegate:\n      python: { import: "from app.canon import notify", expression: "notify" }\n',
      "app/__init__.py": "",
      "app/canon.py": "def notify(user):\n    return user\n",
      "app/old.py": "def notify_legacy(user, retries):\n    return user\n",
      "app/use.py": `from app.old import notify_legacy\n\n\ndef go(u):\n${"    notify_legacy(u, 3)\n".repeat(calls)}`,
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  };

  it.each([
    [1, "1 finding needs manual migration"],
    [2, "2 findings need manual migration"],
  ])("says how many findings need manual migration, in the dry run and with --write (%i)", (calls, words) => {
    const dir = project(calls);
    try {
      const dry = cli(["fix", "."], { cwd: dir });
      expect(dry.status).toBe(0);
      expect(dry.stdout.split("\n")[0]).toBe(`# ${words}:`);
      const json = cli(["fix", ".", "-f", "json"], { cwd: dir });
      expect(json.stderr).toBe(`ssot-audit fix: 0 fixes in 0 files under . (dry run; --write applies them)\n  ${words} (see the dry run)\n`);
      const write = cli(["fix", ".", "--write"], { cwd: dir });
      expect(write.status).toBe(0);
      expect(write.stderr).toBe(`ssot-audit fix: nothing to fix under .\n  ${words} (see the dry run)\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ssot-audit fix scope", () => {
  const files = (args: string[]) =>
    (JSON.parse(cli(["fix", ...args, "-f", "json"]).stdout) as FixJson).fixes.map((f) => `${f.ruleId} ${f.file}:${f.line}`);

  it("--rule keeps one rule's fixes", () => {
    expect(files(["fixtures/fix-python-styles/input", "--rule", "non-canonical-import"])).toEqual([
      "non-canonical-import shop/orders/settings_view.py:3",
      "non-canonical-import shop/orders/settings_view.py:5",
    ]);
  });

  it("--concept keeps one concept's fixes", () => {
    expect(files(["fixtures/fix-ts-styles/input", "--concept", "audit-trail"])).toEqual(["non-canonical-call src/app/admin.ts:10"]);
  });

  it("paths keep the findings of those files (the whole project is still analysed)", () => {
    expect(files(["fixtures/python-broadcast/netra_backend/app/handlers/thread_handler.py"])).toEqual([
      "non-canonical-call netra_backend/app/handlers/thread_handler.py:12",
      "non-canonical-call netra_backend/app/handlers/thread_handler.py:19",
    ]);
  });

  it("--include-likely also fixes calls resolved by name only", () => {
    const without = files(["fixtures/python-broadcast/netra_backend/app/handlers/session_handler.py"]);
    const withLikely = files(["fixtures/python-broadcast/netra_backend/app/handlers/session_handler.py", "--include-likely"]);
    expect(without).toEqual([]);
    expect(withLikely).toEqual(["non-canonical-call netra_backend/app/handlers/session_handler.py:30"]);
  });
});

describe("ssot-audit fix usage errors (exit 2)", () => {
  it.each([
    [["--rule", "non-canonical-cal"], 'ssot-audit: unknown rule "non-canonical-cal" for --rule; did you mean "non-canonical-call"?'],
    [["--rule", "direct-sink-call"], 'ssot-audit: rule "direct-sink-call" has no fixes'],
    [
      ["--concept", "websocket-broadcst"],
      'ssot-audit: unknown concept "websocket-broadcst" for --concept; did you mean "websocket-broadcast"?',
    ],
    [["-f", "xml"], "error: option '-f, --format <name>' argument 'xml' is invalid. Allowed choices are diff, json."],
  ])("%j", (args, message) => {
    const run = cli(["fix", "fixtures/python-broadcast", ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe("");
  });

  it("a path that does not exist", () => {
    const run = cli(["fix", "fixtures/nope"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("ssot-audit: path not found: fixtures/nope\n");
  });
});
