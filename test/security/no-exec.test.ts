/**
 * The tool never executes what it analyses, nor its config: a project whose every file would
 * leave a marker file if it were run, imported, required or loaded as a plugin (module-level
 * code, `__init__.py`, `setup.py`, `conftest.py`, a `.pth` file, TypeScript with top-level side
 * effects, a tsconfig language-service plugin, package.json lifecycle scripts, a JavaScript
 * "config") goes through every command; no marker may appear. Config is JSON or YAML only:
 * a `.js`/`.mjs`/`.cjs` config is read as YAML text (and rejected), never imported; YAML alias
 * bombs are refused.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_LINE, cleanup, cli, expectCleanFailure, runMain, tempDir, writeFiles } from "../reliability/helpers.js";

afterAll(cleanup);

let root: string;
let markers: string;

/** Code that, if executed in any way, creates `<markers>/<name>`. */
const py = (name: string) => `import pathlib\npathlib.Path(${JSON.stringify(markers)}, ${JSON.stringify(name)}).write_text("ran")\n`;
const js = (name: string) =>
  `require("node:fs").writeFileSync(require("node:path").join(${JSON.stringify(markers)}, ${JSON.stringify(name)}), "ran");\n`;

beforeAll(() => {
  root = tempDir("ssot-noexec-");
  markers = tempDir("ssot-markers-");
  writeFiles(root, {
    "ssot-audit.config.yaml": `concepts:
  broadcast:
    canonical: app/service.py::broadcast_to_user
    sinks: ["**.send_json"]
    delegate:
      python: { import: "from app.service import broadcast_to_user", expression: "broadcast_to_user" }
  push:
    canonical: src/hub.ts::pushToUser
    delegate:
      typescript: { import: { from: "src/hub.ts", name: "pushToUser" }, expression: "pushToUser" }
`,
    "app/__init__.py": py("init.py"),
    "app/service.py": `${py("service.py")}\n\ndef broadcast_to_user(user_id, event):\n    return send(user_id, event)\n`,
    "app/legacy.py": `${py("legacy.py")}\n\ndef _legacy_broadcast_to_user(user_id, event):\n    ws.send_json(event)\n\n\ndef handler(event):\n    _legacy_broadcast_to_user(1, event)\n`,
    "setup.py": py("setup.py"),
    "conftest.py": py("conftest.py"),
    "evil.pth": `import pathlib; pathlib.Path(${JSON.stringify(markers)}, "pth").write_text("ran")\n`,
    "src/hub.ts": `${js("hub.ts")}export function pushToUser(userId: string, event: unknown): void {\n  send(userId, event);\n}\n`,
    "src/legacy.ts": `${js("legacy.ts")}export function legacyPushToUser(userId: string, event: unknown): void {\n  send(userId, event);\n}\nexport function handle(): void {\n  legacyPushToUser("u", {});\n}\n`,
    "src/side-effect.mjs": `import { execFileSync } from "node:child_process";
import fs from "node:fs";\nfs.writeFileSync(${JSON.stringify(path.join(markers, "mjs"))}, "ran");\nexport const x = await import("./hub.ts");\n`,
    "tsconfig.json": JSON.stringify({ compilerOptions: { plugins: [{ name: "./evil-plugin" }] }, extends: "./evil-base.js" }),
    "evil-plugin/index.js": js("plugin"),
    "evil-plugin/package.json": JSON.stringify({ name: "evil-plugin", main: "index.js" }),
    "evil-base.js": js("tsconfig-extends"),
    "package.json": JSON.stringify({ name: "victim", scripts: { preinstall: "touch pwned", prepare: "touch pwned", test: "touch pwned" } }),
    "ssot-audit.config.js": js("config.js"),
    "ssot-audit.config.mjs": `import { execFileSync } from "node:child_process";
import fs from "node:fs";\nfs.writeFileSync(${JSON.stringify(path.join(markers, "config.mjs"))}, "ran");\nexport default {};\n`,
  });
});

const ranAnything = () => fs.readdirSync(markers);

describe("analysed code and config are never executed", () => {
  it("check, discover, fix (dry run and --write), baseline and report leave no marker", () => {
    const runs = [
      cli(["check", "-f", "json", "."], { cwd: root }),
      cli(["discover", "--format", "json", "app", "src"], { cwd: root }),
      cli(["fix", "."], { cwd: root }),
      cli(["fix", "--write", "--allow-dirty", "."], { cwd: root }),
      cli(["baseline", "."], { cwd: root }),
      cli(["report", "-f", "html", "-o", "report.html", "."], { cwd: root }),
    ];
    for (const r of runs) {
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.status === 0 || r.status === 1).toBe(true);
    }
    // The check really analysed the files (so "nothing ran" is not "nothing was read").
    const report = JSON.parse(runs[0]?.stdout ?? "") as { findings: { ruleId: string; file: string }[] };
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(
      expect.arrayContaining([
        "duplicate-implementation app/legacy.py",
        "non-canonical-call app/legacy.py",
        "non-canonical-call src/legacy.ts",
      ]),
    );
    expect(ranAnything()).toEqual([]);
    expect(fs.existsSync(path.join(root, "pwned"))).toBe(false);
  }, 120_000);

  it.each(["ssot-audit.config.js", "ssot-audit.config.mjs"])(
    "a JavaScript config (%s) is read as YAML text and rejected, never imported",
    (config) => {
      const line = expectCleanFailure(cli(["check", "-c", config, "."], { cwd: root }));
      expect(line).toContain(config);
      expect(ranAnything()).toEqual([]);
    },
  );

  it("a git ref cannot smuggle options into git (--changed-since=--output=FILE)", async () => {
    const repo = tempDir("ssot-gitarg-");
    writeFiles(repo, { "a.py": "def f():\n    pass\n" });
    execFileSync("git", ["init", "-q"], { cwd: repo });
    const pwned = path.join(markers, "git-output");
    for (const ref of [`--output=${pwned}`, "-p", "--upload-pack=touch pwned"]) {
      const line = expectCleanFailure(await runMain(["check", "--no-cache", `--changed-since=${ref}`, repo]));
      expect(line).toContain("--changed-since");
    }
    expect(ranAnything()).toEqual([]);
  });

  it("a YAML alias bomb is refused quickly", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), `${lines.join("\n")}\n`);
    const started = Date.now();
    const line = expectCleanFailure(cli(["check", "."], { cwd: dir }));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(line).toMatch(/ssot-audit\.config\.yaml: .*invalid YAML.*alias/i);
  });
});
