/**
 * `--changed-since <ref>`: the files that differ from a git ref — committed since it, staged,
 * unstaged (`git diff --name-only <ref>` compares the ref with the working tree) — plus
 * untracked files that are not ignored. Renames count as a deletion and an addition, so
 * baseline entries of the old path are judged too.
 */
import { UsageError } from "../files/errors.js";
import { displayPath } from "../files/paths.js";
import { relativeTo, repositoryRoot } from "./repo.js";
import { GitError, git } from "./run.js";

/** Splits `-z` output. */
function nulList(out: string): string[] {
  return out.split("\0").filter((p) => p.length > 0);
}

/**
 * Paths (relative to `rootDir`, `/` separators) of the files under `rootDir` changed since `ref`.
 * Throws a `UsageError` outside a git repository, without git, or for a ref that is not a commit.
 */
export async function changedFiles(rootDir: string, ref: string): Promise<Set<string>> {
  if (ref.trim() === "" || ref.startsWith("-")) throw new UsageError(`--changed-since: invalid git ref "${ref}"`);
  try {
    await git(rootDir, ["--version"]);
  } catch (error) {
    if (error instanceof GitError && error.reason === "missing")
      throw new UsageError("--changed-since needs git, which was not found on PATH");
    throw error;
  }
  const top = await repositoryRoot(rootDir);
  if (!top) throw new UsageError(`--changed-since: ${displayPath(rootDir)} is not inside a git repository`);
  try {
    await git(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  } catch (error) {
    if (error instanceof GitError) {
      throw new UsageError(`--changed-since: unknown git ref "${ref}" in ${displayPath(top)} (in a shallow clone, fetch it first)`);
    }
    throw error;
  }
  const diff = await git(top, ["diff", "--name-only", "--no-renames", "-z", "--end-of-options", ref, "--"]);
  const untracked = await git(top, ["ls-files", "--others", "--exclude-standard", "-z"]);
  return new Set(relativeTo(top, rootDir, [...nulList(diff), ...nulList(untracked)]));
}
