/**
 * What of the TypeScript configuration the run memo is keyed by (`tsconfigInputs`): the root's
 * tsconfig.json and the configs it extends that the type checker may read.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tsconfigExtends, tsconfigInputs } from "../../src/engine/typed-calls.js";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-tsconfig-inputs-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** A project folder (under a parent that is outside it) with these files. */
function project(name: string, files: Record<string, string>): string {
  const root = path.join(temp, name, "root");
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return root;
}

describe("tsconfigExtends", () => {
  it("reads one entry or a list, past comments", () => {
    expect(tsconfigExtends('{ "extends": "./base.json" }')).toEqual(["./base.json"]);
    expect(tsconfigExtends('{\n  // "extends": "./commented.json",\n  /* "extends": "./blocked" */ "extends": ["./a", "@tsconfig/node20/tsconfig.json"]\n}')).toEqual([
      "./a",
      "@tsconfig/node20/tsconfig.json",
    ]);
  });

  it("has none when the key is absent, only in a string, or empty", () => {
    expect(tsconfigExtends('{ "compilerOptions": { "strict": true } }')).toEqual([]);
    expect(tsconfigExtends('{ "description": "see \\"extends\\": \\"./x\\" // not a comment" }')).toEqual([]);
    expect(tsconfigExtends('{ "extends": "" }')).toEqual([]);
  });
});

describe("tsconfigInputs", () => {
  it("follows extends through the root, in order, with or without .json, cycles once", () => {
    const root = project("chain", {
      "tsconfig.json": '{ "extends": ["./configs/base", "./tsconfig.json"] }',
      "configs/base.json": '{ "extends": "../shared/strict.json", "compilerOptions": {} }',
      "shared/strict.json": '{ "extends": "../tsconfig.json" }',
    });
    const inputs = tsconfigInputs(root, path.join(root, "tsconfig.json"));
    expect(inputs?.map((i) => i.rel)).toEqual(["tsconfig.json", "configs/base.json", "shared/strict.json"]);
    expect(inputs?.every((i) => /^[0-9a-f]{40}$/.test(i.hash))).toBe(true);
  });

  it("leaves out packages, node_modules, files outside the root and missing files", () => {
    const root = project("outside", {
      "tsconfig.json": '{ "extends": ["@tsconfig/node20", "./node_modules/x/tsconfig.json", "../outer.json", "./missing", "./ok"] }',
      "node_modules/x/tsconfig.json": "{}",
      "ok.json": "{}",
    });
    fs.writeFileSync(path.join(root, "..", "outer.json"), "{}");
    expect(tsconfigInputs(root, path.join(root, "tsconfig.json"))?.map((i) => i.rel)).toEqual(["tsconfig.json", "ok.json"]);
  });

  it("changes its hashes when an extended config changes", () => {
    const root = project("edit", { "tsconfig.json": '{ "extends": "./base.json" }', "base.json": '{ "compilerOptions": { "paths": {} } }' });
    const before = tsconfigInputs(root, path.join(root, "tsconfig.json"));
    fs.writeFileSync(path.join(root, "base.json"), "{}");
    const after = tsconfigInputs(root, path.join(root, "tsconfig.json"));
    expect(after?.[0]).toEqual(before?.[0]);
    expect(after?.[1]?.hash).not.toBe(before?.[1]?.hash);
  });
});
