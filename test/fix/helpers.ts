/**
 * Plumbing for the fix tests: copy a fixture to a temp folder, run the real binary on it, read
 * trees byte for byte, and compile the results (python3 / tsc).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../fixtures/helpers.js";

export { REPO_ROOT };

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/ssot-audit <args>` (colours off unless `env` turns them on). */
export function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/ssot-audit"), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temp folder (outside any git work tree). */
export function tempDir(prefix = "ssot-fix-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies a repository folder into a fresh temp folder, bytes and modes intact. */
export function copyFixture(rel: string): string {
  const dir = tempDir();
  fs.cpSync(path.join(REPO_ROOT, rel), dir, { recursive: true });
  return dir;
}

/** Every regular file under `dir` (relative `/` paths, sorted) → its bytes; `node_modules` (caches) skipped. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(child);
      } else if (entry.isFile()) out.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk("");
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Compiles Python files (no bytecode written); returns the errors ("" when all compile). */
export function compilePythonIn(dir: string, files: readonly string[]): string {
  const script = [
    "import sys",
    "bad = []",
    "for name in sys.argv[1:]:",
    "    try:",
    "        with open(name, 'rb') as fh:",
    "            compile(fh.read(), name, 'exec', dont_inherit=True)",
    "    except SyntaxError as exc:",
    "        bad.append(f'{name}:{exc.lineno}: {exc.msg}')",
    "print('\\n'.join(bad))",
  ].join("\n");
  const r = spawnSync("python3", ["-c", script, ...files], { cwd: dir, encoding: "utf8" });
  return `${r.stdout}${r.stderr}`.trim();
}

/** Runs a Python snippet with `dir` on the path; returns { status, output }. */
export function runPython(dir: string, code: string): { status: number | null; output: string } {
  const r = spawnSync("python3", ["-c", code], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONPATH: dir },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** `tsc -p <dir>/tsconfig.json --noEmit` with the repository's TypeScript (5.9) and @types. */
export function typeCheck(dir: string): { status: number | null; output: string } {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const r = spawnSync(
    process.execPath,
    [tsc, "-p", path.join(dir, "tsconfig.json"), "--noEmit", "--typeRoots", path.join(REPO_ROOT, "node_modules/@types")],
    {
      cwd: dir,
      encoding: "utf8",
    },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

export function hasPython(): boolean {
  return spawnSync("python3", ["--version"]).status === 0;
}

export function git(dir: string, ...args: string[]): string {
  const r = spawnSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}
