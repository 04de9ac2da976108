import fs from "node:fs";
import path from "node:path";
import { isInside, toPosix } from "../files/paths.js";
import { GitError, git } from "./run.js";

/** The top folder of the git work tree holding `dir` (real path), or undefined outside one (or without git). */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  try {
    const top = (await git(dir, ["rev-parse", "--show-toplevel"])).trim();
    return top ? fs.realpathSync(top) : undefined;
  } catch (error) {
    if (error instanceof GitError) return undefined;
    throw error;
  }
}

/** `dir` relative to `root` as a path prefix: `""` when equal, else `sub/dir/`. */
export function prefixWithin(root: string, dir: string): string {
  const rel = toPosix(path.relative(root, fs.realpathSync(dir)));
  return rel === "" ? "" : `${rel}/`;
}

/**
 * Maps paths relative to the repository root (as git prints them) to paths relative to
 * `rootDir`; paths outside `rootDir` are dropped.
 */
export function relativeTo(repoRoot: string, rootDir: string, repoPaths: readonly string[]): string[] {
  const base = fs.realpathSync(rootDir);
  const out: string[] = [];
  for (const p of repoPaths) {
    const abs = path.join(repoRoot, p);
    if (isInside(base, abs) && abs !== base) out.push(toPosix(path.relative(base, abs)));
  }
  return out;
}
