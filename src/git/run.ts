import { execFile } from "node:child_process";

const MAX_BUFFER = 256 * 1024 * 1024;

/** Why a git command failed: git is missing, or it ran and exited non-zero (with its stderr). */
export class GitError extends Error {
  override readonly name = "GitError";
  constructor(
    message: string,
    /** `missing`: no git executable on PATH; `failed`: git exited with an error. */
    readonly reason: "missing" | "failed",
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * Runs `git -C <dir> <args…>` without a shell and returns stdout. The arguments are passed as
 * they are, so refs and paths never go through shell parsing.
 */
export function git(dir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", dir, ...args], { maxBuffer: MAX_BUFFER, encoding: "utf8", windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return reject(new GitError("git was not found on PATH", "missing", ""));
      const first = stderr.split("\n").find((l) => l.trim()) ?? error.message;
      reject(new GitError(first.trim(), "failed", stderr));
    });
  });
}
