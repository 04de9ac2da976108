import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../fixtures/helpers.js";

/** Modules from node_modules loaded by importing `entry` (a compiled module, relative to the repo root). */
function loadedPackages(entry: string): string[] {
  const script = `
    import { createRequire } from "node:module";
    await import(${JSON.stringify(`./${entry}`)});
    const cache = createRequire(import.meta.url).cache;
    const names = new Set(Object.keys(cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(k)?.[1]).filter(Boolean));
    process.stdout.write(JSON.stringify([...names].sort()));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

describe("start-up cost", () => {
  it("the CLI loads the TypeScript compiler only when a command needs it (fix, sarif, the type checker, TS extraction)", () => {
    // The compiler is ts-morph's copy, in @ts-morph/common.
    const cli = loadedPackages("dist/src/cli/program.js");
    expect(cli).not.toContain("@ts-morph/common");
    expect(cli).not.toContain("ts-morph");
    // …and the fixer does load it (so the check above is not vacuous).
    expect(loadedPackages("dist/src/fix/engine.js")).toContain("@ts-morph/common");
  });

  it("threads that parse TypeScript load the compiler, not ts-morph's wrapper around it", () => {
    const extractor = loadedPackages("dist/src/languages/typescript/extract.js");
    expect(extractor).toContain("@ts-morph/common");
    expect(extractor).not.toContain("ts-morph");
  });
});
