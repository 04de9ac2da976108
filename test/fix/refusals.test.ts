/**
 * Every refusal of the fixer, on real files: unmappable arguments, a dirty file in a real git
 * repository, a file changed between planning and writing, a symlink (file or folder) that
 * leads out of the root, and a result that would not parse. In each case the refused file is
 * left byte-for-byte untouched while the other fixes are still written.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runFix, type FixRunOptions } from "../../src/fix/engine.js";
import { dedent, makeProject } from "../helpers/project.js";
import { cli, git, readTree, tempDir } from "./helpers.js";

const CONFIG = dedent(`
  concepts:
    notify:
      canonical: app/service.py::Service.notify_user
      delegate:
        python:
          import: "from app.service import get_service"
          expression: "get_service().notify_user"
`);

const SERVICE = dedent(`
  class Service:
      async def notify_user(self, user_id: str, text: str) -> bool:
          return True


  _service = Service()


  def get_service() -> Service:
      return _service
`);

const LEGACY = dedent(`
  async def notify_user_legacy(user_id: str, text: str) -> bool:
      return False


  class UserChannel:
      def __init__(self, user_id: str) -> None:
          self.user_id = user_id

      async def notify_user(self, text: str) -> bool:
          return False
`);

const HANDLERS = dedent(`
  from app.legacy import notify_user_legacy


  async def on_login(user_id: str) -> bool:
      return await notify_user_legacy(user_id, "welcome back")
`);

const OTHER = dedent(`
  from app.legacy import notify_user_legacy


  async def on_logout(user_id: str) -> bool:
      return await notify_user_legacy(user_id, "bye")
`);

const FIXED_HANDLERS = dedent(`
  from app.service import get_service


  async def on_login(user_id: str) -> bool:
      return await get_service().notify_user(user_id, "welcome back")
`);

function project(extra: Record<string, string> = {}): string {
  return makeProject({
    "ssot-audit.config.yaml": CONFIG,
    "app/__init__.py": "",
    "app/service.py": SERVICE,
    "app/legacy.py": LEGACY,
    "app/handlers.py": HANDLERS,
    "app/other.py": OTHER,
    ...extra,
  });
}

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function options(root: string, extra: Partial<FixRunOptions> = {}): FixRunOptions {
  roots.push(root);
  return { paths: ["."], cwd: root, includeLikely: false, unsafe: false, write: true, allowDirty: false, ...extra };
}

const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), "utf8");

describe("fix refusals", () => {
  it("leaves a call with unmappable arguments alone and says why", async () => {
    const root = project({
      "app/profile.py": dedent(`
        from app.legacy import UserChannel


        async def on_rename(user_id: str) -> bool:
            return await UserChannel(user_id).notify_user("renamed")
      `),
    });
    const before = read(root, "app/profile.py");
    const result = await runFix(options(root));
    expect(read(root, "app/profile.py")).toBe(before);
    expect(result.manual.map((m) => [m.file, m.line, m.ruleId, m.reason])).toEqual([
      [
        "app/profile.py",
        5,
        "non-canonical-call",
        "the canonical 'Service.notify_user' requires 'user_id', which this call to 'UserChannel.notify_user' does not pass (it takes 1 parameter; it may take 'user_id' from self)",
      ],
    ]);
    // The mappable calls elsewhere were still fixed.
    expect(result.written).toEqual(["app/handlers.py", "app/other.py"]);
    expect(read(root, "app/handlers.py")).toBe(FIXED_HANDLERS);
  });

  describe("inside a git work tree", () => {
    function repo(): string {
      const root = project();
      git(root, "init", "-q");
      git(root, "add", "-A");
      git(root, "commit", "-q", "-m", "init");
      roots.push(root);
      return root;
    }

    it("refuses files with uncommitted changes (exit 1) and writes the clean ones", () => {
      const root = repo();
      const dirty = `${HANDLERS}# work in progress\n`;
      fs.writeFileSync(path.join(root, "app/handlers.py"), dirty);
      const run = cli(["fix", root, "--write"]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("skipped  app/handlers.py: it has uncommitted changes; commit or stash first, or pass --allow-dirty");
      expect(run.stderr).toContain("fixed    app/other.py");
      expect(run.stderr).not.toContain("not inside a git work tree");
      expect(read(root, "app/handlers.py")).toBe(dirty);
      expect(read(root, "app/other.py")).toContain('await get_service().notify_user(user_id, "bye")');
    });

    it("refuses untracked files too", () => {
      const root = repo();
      fs.writeFileSync(path.join(root, "app/new.py"), OTHER);
      const run = cli(["fix", root, "--write", "-f", "json"]);
      expect(run.status).toBe(1);
      const out = JSON.parse(run.stdout) as { refused: { file: string; reason: string }[]; written: string[] };
      expect(out.refused).toEqual([
        { file: "app/new.py", reason: "it is not committed (untracked); commit or stash first, or pass --allow-dirty" },
      ]);
      expect(out.written).toEqual(["app/handlers.py", "app/other.py"]);
      expect(read(root, "app/new.py")).toBe(OTHER);
    });

    it("writes dirty files with --allow-dirty", () => {
      const root = repo();
      fs.writeFileSync(path.join(root, "app/handlers.py"), `${HANDLERS}# work in progress\n`);
      // No facts cache: it would show in `git status` as an untracked node_modules/.
      const run = cli(["fix", root, "--write", "--allow-dirty", "--no-cache"]);
      expect(run.status, run.stderr).toBe(0);
      expect(read(root, "app/handlers.py")).toBe(`${FIXED_HANDLERS}# work in progress\n`);
      // The dry run never asks git: it writes nothing.
      expect(git(root, "status", "--porcelain")).toBe(" M app/handlers.py\n M app/other.py\n");
    });
  });

  it("skips a file that changed on disk between planning and writing", async () => {
    const root = project();
    const changed = `${HANDLERS}# edited while the fixer ran\n`;
    const result = await runFix(options(root), {
      beforeWrite: () => fs.writeFileSync(path.join(root, "app/handlers.py"), changed),
    });
    expect(result.refused).toEqual([{ file: "app/handlers.py", reason: "it changed on disk since the analysis" }]);
    expect(read(root, "app/handlers.py")).toBe(changed);
    expect(result.written).toEqual(["app/other.py"]);
  });

  it("never writes through a symlink that leads out of the root", async () => {
    const root = project();
    const outside = tempDir("ssot-outside-");
    roots.push(outside);
    const target = path.join(outside, "handlers.py");
    const result = await runFix(options(root), {
      // Swap the analysed file for a link to an identical file outside the root (same hash).
      beforeWrite: () => {
        fs.writeFileSync(target, HANDLERS);
        fs.rmSync(path.join(root, "app/handlers.py"));
        fs.symlinkSync(target, path.join(root, "app/handlers.py"));
      },
    });
    expect(result.refused).toEqual([{ file: "app/handlers.py", reason: "it is a symlink that leads outside the analysed root" }]);
    expect(fs.readFileSync(target, "utf8")).toBe(HANDLERS);
    expect(fs.lstatSync(path.join(root, "app/handlers.py")).isSymbolicLink()).toBe(true);
    expect(result.written).toEqual(["app/other.py"]);
  });

  it("never writes through a symlinked folder that leads out of the root", async () => {
    const root = project({ "app/deep/__init__.py": "", "app/deep/more.py": OTHER });
    const outside = tempDir("ssot-outside-");
    roots.push(outside);
    const result = await runFix(options(root), {
      beforeWrite: () => {
        fs.cpSync(path.join(root, "app/deep"), path.join(outside, "deep"), { recursive: true });
        fs.rmSync(path.join(root, "app/deep"), { recursive: true });
        fs.symlinkSync(path.join(outside, "deep"), path.join(root, "app/deep"));
      },
    });
    expect(result.refused).toEqual([
      { file: "app/deep/more.py", reason: "its real path lies outside the analysed root (a symlinked folder)" },
    ]);
    expect(fs.readFileSync(path.join(outside, "deep/more.py"), "utf8")).toBe(OTHER);
  });

  it("refuses a file whose fixed text would not parse, and leaves it untouched", async () => {
    const root = project();
    const result = await runFix(options(root), {
      // An edit that breaks the syntax, planned with the real ones (proves the re-parse check).
      extraUnits: (pass) =>
        pass === 1
          ? [
              {
                file: "app/handlers.py",
                ruleId: "non-canonical-call",
                concept: "notify",
                line: 1,
                kind: "fix",
                description: "broken on purpose",
                edits: [{ file: "app/handlers.py", start: 0, end: 0, text: "def (:\n" }],
                needs: [],
                removed: [],
              },
            ]
          : [],
    });
    expect(result.refused).toEqual([
      { file: "app/handlers.py", reason: "the fixed code would not parse (line 1: syntax error); file left untouched" },
    ]);
    expect(read(root, "app/handlers.py")).toBe(HANDLERS);
    expect(result.files.map((f) => f.file)).toEqual(["app/other.py"]);
    expect(result.fixes.map((f) => f.file)).toEqual(["app/other.py"]);
    expect(result.written).toEqual(["app/other.py"]);
  });

  it("refuses the broken TypeScript result too (same check, other parser)", async () => {
    const root = makeProject({
      "ssot-audit.config.yaml": dedent(`
        concepts:
          push:
            canonical: src/hub.ts::Hub.push
            delegate:
              typescript:
                import: { from: "src/hub.ts", name: "hub" }
                expression: "hub.push"
      `),
      "src/hub.ts": "export class Hub {\n  async push(userId: string): Promise<void> {}\n}\nexport const hub = new Hub();\n",
      "src/legacy.ts": "export async function pushLegacy(userId: string): Promise<void> {}\n",
      "src/a.ts":
        'import { pushLegacy } from "./legacy";\n\nexport async function a(u: string): Promise<void> {\n  await pushLegacy(u);\n}\n',
    });
    const before = read(root, "src/a.ts");
    const result = await runFix(options(root), {
      extraUnits: (pass) =>
        pass === 1
          ? [
              {
                file: "src/a.ts",
                ruleId: "non-canonical-call",
                concept: "push",
                line: 4,
                kind: "fix",
                description: "broken on purpose",
                edits: [{ file: "src/a.ts", start: before.length, end: before.length, text: "export function (\n" }],
                needs: [],
                removed: [],
              },
            ]
          : [],
    });
    expect(result.refused.map((r) => r.file)).toEqual(["src/a.ts"]);
    expect(result.refused[0]?.reason).toMatch(/^the fixed code would not parse \(line 6: .*\); file left untouched$/);
    expect(read(root, "src/a.ts")).toBe(before);
    expect(result.written).toEqual([]);
  });

  it("keeps the file mode and leaves no temp file behind", async () => {
    const root = project();
    fs.chmodSync(path.join(root, "app/handlers.py"), 0o750);
    const result = await runFix(options(root));
    expect(result.written).toEqual(["app/handlers.py", "app/other.py"]);
    expect(fs.statSync(path.join(root, "app/handlers.py")).mode & 0o777).toBe(0o750);
    expect([...readTree(root).keys()].filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});
