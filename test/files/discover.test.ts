import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TESTS } from "../../src/config/schema.js";
import { type DiscoverOptions, discoverFiles } from "../../src/files/discover.js";
import { UsageError } from "../../src/files/errors.js";

let tmp: string;
let root: string;
let outside: string;

function put(rel: string, content: string | Buffer = "x = 1\n"): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ssot-discover-")));
  root = path.join(tmp, "root");
  outside = path.join(tmp, "outside");
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, "secret.py"), "x = 1\n");

  put(".gitignore", "*.log\n/ignored_root.py\n");
  put("ignored_root.py");
  put("app/main.py");
  put("app/util.ts", "export const a = 1;\n");
  put("app/types.d.ts", "export type A = 1;\n");
  put("app/view.tsx");
  put("app/legacy.mjs");
  put("app/old.cjs");
  put("app/README.md", "# docs\n");
  put("app/data.json", "{}\n");
  put("app/sub/.gitignore", "generated/\n*.gen.py\n!keep.gen.py\n");
  put("app/sub/generated/g.py");
  put("app/sub/x.gen.py");
  put("app/sub/keep.gen.py");
  put("app/sub/ok.py");
  put("app/sub/deeper/.gitignore", "!x.gen.py\n");
  put("app/sub/deeper/x.gen.py");
  put("legacy/old.py");
  for (const dir of [
    "node_modules/pkg",
    ".git/hooks",
    "dist",
    "build",
    ".venv/lib",
    "venv/lib",
    ".env",
    "__pycache__",
    ".tox/py",
    ".mypy_cache",
    "lib/site-packages/pkg",
    "coverage",
    ".next/server",
    "web/node_modules/dep",
  ]) {
    put(`${dir}/x.py`);
  }
  put("env/settings.py");
  put(".hidden/h.py");
  put(".eslintrc.js", "module.exports = {};\n");
  put("tests/test_api.py");
  put("pkg/test_util.py");
  put("pkg/util_test.py");
  put("pkg/conftest.py");
  put("pkg/core.pyi");
  put("web/a.test.ts");
  put("web/b.spec.tsx");
  put("web/c.jsx");
  put("web/__tests__/d.js");
  put("big.py", `# ${"x".repeat(1500)}\n`);
  put("nul.py", Buffer.from([0x78, 0x00, 0x79]));
  fs.symlinkSync("..", path.join(root, "app/loop"));
  fs.symlinkSync(outside, path.join(root, "link_out"));
  fs.symlinkSync(path.join(outside, "secret.py"), path.join(root, "link_out.py"));
  fs.symlinkSync("app/main.py", path.join(root, "alias.py"));
  fs.symlinkSync("does-not-exist.py", path.join(root, "dangling.py"));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function options(overrides: Partial<DiscoverOptions> = {}): DiscoverOptions {
  return {
    rootDir: root,
    paths: [root],
    include: ["**/*"],
    exclude: ["legacy/"],
    tests: [...DEFAULT_TESTS],
    maxFileSize: 1000,
    ...overrides,
  };
}

describe("discoverFiles: walking the root", () => {
  it("returns exactly the sorted source files, honouring excludes, .gitignore and symlinks", async () => {
    const result = await discoverFiles(options());
    expect(result.files.map((f) => f.rel)).toEqual([
      "app/legacy.mjs",
      "app/main.py",
      "app/old.cjs",
      "app/sub/deeper/x.gen.py",
      "app/sub/keep.gen.py",
      "app/sub/ok.py",
      "app/types.d.ts",
      "app/util.ts",
      "app/view.tsx",
      "env/settings.py",
      "nul.py",
      "pkg/conftest.py",
      "pkg/core.pyi",
      "pkg/test_util.py",
      "pkg/util_test.py",
      "tests/test_api.py",
      "web/__tests__/d.js",
      "web/a.test.ts",
      "web/b.spec.tsx",
      "web/c.jsx",
    ]);
    expect(result.skipped).toEqual([{ file: "big.py", reason: "larger than maxFileSize (1503 bytes)" }]);
  });

  it("fills in path, language, size and isTest", async () => {
    const { files } = await discoverFiles(options());
    const byRel = new Map(files.map((f) => [f.rel, f]));
    expect(byRel.get("app/main.py")).toEqual({
      path: path.join(root, "app", "main.py"),
      rel: "app/main.py",
      language: "python",
      size: 6,
      isTest: false,
    });
    expect(byRel.get("app/util.ts")?.language).toBe("typescript");
    expect(byRel.get("web/c.jsx")?.language).toBe("typescript");
    expect(files.filter((f) => f.isTest).map((f) => f.rel)).toEqual([
      "pkg/conftest.py",
      "pkg/test_util.py",
      "pkg/util_test.py",
      "tests/test_api.py",
      "web/__tests__/d.js",
      "web/a.test.ts",
      "web/b.spec.tsx",
    ]);
  });

  it("applies include globs (with negations) to walked files", async () => {
    const { files } = await discoverFiles(options({ include: ["app/**", "pkg/*.py", "!**/*.gen.py"] }));
    expect(files.map((f) => f.rel)).toEqual([
      "app/legacy.mjs",
      "app/main.py",
      "app/old.cjs",
      "app/sub/ok.py",
      "app/types.d.ts",
      "app/util.ts",
      "app/view.tsx",
      "pkg/conftest.py",
      "pkg/test_util.py",
      "pkg/util_test.py",
    ]);
  });

  it("accepts the root given through a symbolic link", async () => {
    const linkedRoot = path.join(tmp, "root-link");
    fs.symlinkSync(root, linkedRoot);
    try {
      const { files } = await discoverFiles(options({ rootDir: linkedRoot, paths: [path.join(root, "pkg")] }));
      expect(files.map((f) => [f.rel, f.path])).toEqual([
        ["pkg/conftest.py", path.join(linkedRoot, "pkg/conftest.py")],
        ["pkg/core.pyi", path.join(linkedRoot, "pkg/core.pyi")],
        ["pkg/test_util.py", path.join(linkedRoot, "pkg/test_util.py")],
        ["pkg/util_test.py", path.join(linkedRoot, "pkg/util_test.py")],
      ]);
    } finally {
      fs.unlinkSync(linkedRoot);
    }
  });
});

describe("discoverFiles: explicit paths", () => {
  it("walks a sub-folder with include, excludes and .gitignore", async () => {
    const result = await discoverFiles(options({ paths: [path.join(root, "app/sub")], include: ["**/*.py", "!**/deeper/**"] }));
    expect(result.files.map((f) => f.rel)).toEqual(["app/sub/keep.gen.py", "app/sub/ok.py"]);
    expect(result.skipped).toEqual([]);
  });

  it("includes explicit files regardless of include, dot files too, and reports those it cannot take", async () => {
    const p = (rel: string) => path.join(root, rel);
    const result = await discoverFiles(
      options({
        include: ["nothing/**"],
        paths: [
          p("app/main.py"),
          p(".eslintrc.js"),
          p(".hidden/h.py"),
          p("alias.py"),
          p("node_modules/pkg/x.py"),
          p("legacy/old.py"),
          p("ignored_root.py"),
          p("app/sub/generated/g.py"),
          p("app/README.md"),
          p("link_out.py"),
          p("link_out"),
          p("dangling.py"),
          p("big.py"),
          p("dist"),
          p("app/sub/generated"),
        ],
      }),
    );
    expect(result.files.map((f) => f.rel)).toEqual([".eslintrc.js", ".hidden/h.py", "app/main.py"]);
    expect(result.skipped).toEqual([
      { file: "app/README.md", reason: "not a Python or TypeScript/JavaScript file" },
      { file: "app/sub/generated", reason: "ignored by .gitignore" },
      { file: "app/sub/generated/g.py", reason: "ignored by .gitignore" },
      { file: "big.py", reason: "larger than maxFileSize (1503 bytes)" },
      { file: "dangling.py", reason: "broken symbolic link" },
      { file: "dist", reason: 'excluded by "**/dist/**"' },
      { file: "ignored_root.py", reason: "ignored by .gitignore" },
      { file: "legacy/old.py", reason: 'excluded by "legacy/**"' },
      { file: "link_out", reason: "symbolic link to a path outside the root" },
      { file: "link_out.py", reason: "symbolic link to a path outside the root" },
      { file: "node_modules/pkg/x.py", reason: 'excluded by "**/node_modules/**"' },
    ]);
  });

  it("adds extraFiles whatever the excludes, and reports the missing ones", async () => {
    const result = await discoverFiles(
      options({
        paths: [path.join(root, "pkg/core.pyi")],
        extraFiles: ["legacy/old.py", path.join(root, "node_modules/pkg/x.py"), "gone.py", path.join(outside, "secret.py")],
      }),
    );
    expect(result.files.map((f) => f.rel)).toEqual(["legacy/old.py", "node_modules/pkg/x.py", "pkg/core.pyi"]);
    expect(result.skipped).toEqual([
      { file: path.join(outside, "secret.py"), reason: "outside the root" },
      { file: "gone.py", reason: "not found" },
    ]);
  });

  it("throws a UsageError for a path that does not exist", async () => {
    const missing = path.join(root, "nope");
    await expect(discoverFiles(options({ paths: [missing] }))).rejects.toThrow(new UsageError(`path not found: ${missing}`));
    await expect(discoverFiles(options({ paths: [missing] }))).rejects.toBeInstanceOf(UsageError);
  });

  it("throws a UsageError for a path outside the root", async () => {
    const other = path.join(outside, "secret.py");
    await expect(discoverFiles(options({ paths: [other] }))).rejects.toThrow(
      new UsageError(`path is outside the project root ${root}: ${other}`),
    );
  });

  it("does not loop on a symlink loop given explicitly", async () => {
    const { files } = await discoverFiles(options({ paths: [path.join(root, "app/loop/pkg")] }));
    expect(files.map((f) => f.rel)).toEqual(["pkg/conftest.py", "pkg/core.pyi", "pkg/test_util.py", "pkg/util_test.py"]);
  });
});
