/** Unified diffs of fixed files, optionally coloured (git-style headers so `git apply` takes them). */
import { Chalk } from "chalk";
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";

/** The unified diff of one file (paths root-relative, `a/` and `b/` prefixes). */
export function unifiedDiff(file: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  return `diff --git a/${file} b/${file}\n${patch}`;
}

/** Colours a diff: headers bold, hunks cyan, removals red, additions green. */
export function colorDiff(patch: string, enabled: boolean): string {
  if (!enabled) return patch;
  const c = new Chalk({ level: 1 });
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("diff --git") || line.startsWith("+++ ") || line.startsWith("--- ")) return c.bold(line);
      if (line.startsWith("@@")) return c.cyan(line);
      if (line.startsWith("+")) return c.green(line);
      if (line.startsWith("-")) return c.red(line);
      return line;
    })
    .join("\n");
}
