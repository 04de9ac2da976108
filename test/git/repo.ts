/** Real git repositories in temp folders, for the baseline / --changed-since tests. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The env git runs with: no user or system config, no inherited repository. */
const GIT_ENV: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: os.devNull };
  for (const key of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES"]) delete env[key];
  return env;
})();

export class TempRepo {
  readonly root: string;

  constructor(files: Record<string, string> = {}, options: { init?: boolean } = {}) {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ssot-git-")));
    if (options.init !== false) this.git("init", "-q", "-b", "main");
    this.write(files);
  }

  /** Runs git in the repository and returns stdout. */
  git(...args: string[]): string {
    return execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=Test", "-c", "commit.gpgsign=false", ...args], {
      cwd: this.root,
      env: GIT_ENV,
      encoding: "utf8",
    });
  }

  write(files: Record<string, string>): void {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(this.root, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
  }

  read(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), "utf8");
  }

  remove(rel: string): void {
    fs.rmSync(path.join(this.root, rel));
  }

  /** Stages everything and commits. */
  commit(message = "change"): void {
    this.git("add", "-A");
    this.git("commit", "-q", "--allow-empty", "-m", message);
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
