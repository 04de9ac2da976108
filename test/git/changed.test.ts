import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { changedFiles } from "../../src/git/changed.js";
import { TempRepo } from "./repo.js";

const repos: TempRepo[] = [];
function repo(files: Record<string, string>, options?: { init?: boolean }): TempRepo {
  const r = new TempRepo(files, options);
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
});

const sorted = (s: Set<string>) => [...s].sort();

describe("changedFiles", () => {
  it("lists committed, staged, unstaged and untracked changes since the ref, not ignored or untouched files", async () => {
    const r = repo({
      ".gitignore": "*.log\n",
      "a.py": "1\n",
      "b.py": "1\n",
      "c.py": "1\n",
      "d.py": "1\n",
      "same.py": "1\n",
      "old.py": "1\n",
    });
    r.commit("base");
    r.git("tag", "base");
    r.write({ "a.py": "2\n" });
    r.commit("committed change");
    r.write({ "b.py": "2\n" });
    r.git("add", "b.py"); // staged
    r.write({ "c.py": "2\n" }); // unstaged
    r.write({ "new dir/e f.py": "1\n", "debug.log": "x\n" }); // untracked; ignored
    r.git("mv", "d.py", "renamed.py");
    r.remove("old.py");
    expect(sorted(await changedFiles(r.root, "base"))).toEqual(["a.py", "b.py", "c.py", "d.py", "new dir/e f.py", "old.py", "renamed.py"]);
    expect(sorted(await changedFiles(r.root, "HEAD"))).toEqual(["b.py", "c.py", "d.py", "new dir/e f.py", "old.py", "renamed.py"]);
  });

  it("maps paths from the repository root to the config's folder and drops those outside it", async () => {
    const r = repo({ "svc/app/a.py": "1\n", "svc/app/b.py": "1\n", "web/x.ts": "1\n", "top.py": "1\n" });
    r.commit("base");
    r.write({ "svc/app/a.py": "2\n", "web/x.ts": "2\n", "top.py": "2\n", "svc/new.py": "1\n" });
    expect(sorted(await changedFiles(path.join(r.root, "svc"), "HEAD"))).toEqual(["app/a.py", "new.py"]);
  });

  it("is a usage error outside a git repository, for an unknown ref and for an option-like ref", async () => {
    const plain = repo({ "a.py": "1\n" }, { init: false });
    await expect(changedFiles(plain.root, "HEAD")).rejects.toThrow(/^--changed-since: .* is not inside a git repository$/);
    const r = repo({ "a.py": "1\n" });
    r.commit("base");
    await expect(changedFiles(r.root, "no-such-branch")).rejects.toThrow(
      /^--changed-since: unknown git ref "no-such-branch" in .* \(in a shallow clone, fetch it first\)$/,
    );
    await expect(changedFiles(r.root, "--output=/tmp/x")).rejects.toThrow('--changed-since: invalid git ref "--output=/tmp/x"');
    await expect(changedFiles(r.root, "no-such-branch")).rejects.toMatchObject({ name: "UsageError" });
  });
});
