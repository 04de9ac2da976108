import { describe, expect, it } from "vitest";
import { languageOf } from "../../src/files/language.js";

describe("languageOf", () => {
  it.each([
    ["a/b.py", "python"],
    ["stubs/x.pyi", "python"],
    ["x.ts", "typescript"],
    ["x.d.ts", "typescript"],
    ["x.tsx", "typescript"],
    ["x.mts", "typescript"],
    ["x.cts", "typescript"],
    ["x.js", "typescript"],
    ["x.jsx", "typescript"],
    ["x.mjs", "typescript"],
    ["x.cjs", "typescript"],
    ["x.json", undefined],
    ["Makefile", undefined],
    ["x.pyc", undefined],
    [".py", undefined],
  ])("%s → %s", (file, language) => {
    expect(languageOf(file)).toBe(language);
  });
});
