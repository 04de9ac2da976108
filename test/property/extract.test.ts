/**
 * Properties of the two front ends over generated programs, damaged programs, syntax soups,
 * arbitrary text and arbitrary bytes:
 * - extraction never throws (syntax problems become `parseErrors`);
 * - it is deterministic (same text → same facts);
 * - facts are plain JSON (they are cached and sent between threads), with every position inside
 *   the text (0 ≤ start ≤ end ≤ length, 1 ≤ line ≤ endLine ≤ lines + 1) and offsets agreeing with
 *   line/column.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FileFacts } from "../../src/facts/types.js";
import { decodeSource } from "../../src/files/read.js";
import { pythonExtractor } from "../../src/languages/python/extract.js";
import { typescriptExtractor } from "../../src/languages/typescript/extract.js";
import { LineIndex } from "../../src/util/line-index.js";
import { anyBytes, anyText, fuzzParams, fuzzTimeout, mutated, pythonProgram, tokenSoup, typescriptProgram } from "./arbitraries.js";

type Facts = Omit<FileFacts, "hash" | "bom" | "eol">;
const OPTIONS = { parseBudgetMs: 5000 };

/** Problems with the facts of `text` (empty when they are well-formed). */
function factsProblems(facts: Facts, text: string): string[] {
  const problems: string[] = [];
  // A position at the very end of a text that ends with a newline is on the line after the last.
  const maxLine = facts.lines + 1;
  const index = new LineIndex(text);
  const walk = (value: unknown, where: string): void => {
    if (value === null || typeof value === "string" || typeof value === "boolean") return;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) problems.push(`${where}: not a finite number (${value})`);
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${where}[${i}]`);
      return;
    }
    if (typeof value === "object") {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) problems.push(`${where}: not a plain object`);
      const o = value as Record<string, unknown>;
      if (typeof o.start === "number" && typeof o.end === "number") {
        if (!(o.start >= 0 && o.start <= o.end && o.end <= text.length))
          problems.push(`${where}: offsets ${o.start}..${o.end} outside 0..${text.length}`);
      }
      if (typeof o.line === "number") {
        if (!(Number.isInteger(o.line) && o.line >= 1 && o.line <= maxLine))
          problems.push(`${where}: line ${o.line} outside 1..${maxLine}`);
        if (typeof o.endLine === "number" && !(o.endLine >= o.line && o.endLine <= maxLine))
          problems.push(`${where}: endLine ${o.endLine} (line ${o.line}, last ${maxLine})`);
        if (typeof o.column === "number" && !(Number.isInteger(o.column) && o.column >= 1)) problems.push(`${where}: column ${o.column}`);
        // Spans carry both forms: they must name the same place.
        if (typeof o.start === "number" && typeof o.column === "number") {
          const at = index.position(o.start);
          if (at.line !== o.line || at.column !== o.column)
            problems.push(`${where}: ${o.line}:${o.column} but offset ${o.start} is ${at.line}:${at.column}`);
        }
      }
      for (const [k, v] of Object.entries(o)) if (v !== undefined) walk(v, `${where}.${k}`);
      return;
    }
    if (value !== undefined) problems.push(`${where}: ${typeof value} is not JSON`);
  };
  walk(facts, "facts");
  return problems;
}

/** Extracts twice; asserts no throw, same result, well-formed facts. */
async function assertSound(extractor: typeof pythonExtractor, file: string, text: string): Promise<void> {
  const first = await extractor.extract(file, text, OPTIONS);
  const second = await extractor.extract(file, text, OPTIONS);
  expect(second).toEqual(first);
  expect(factsProblems(first, text)).toEqual([]);
  expect(JSON.parse(JSON.stringify(first))).toEqual(first);
}

const FRONT_ENDS = [
  { name: "python", extractor: pythonExtractor, file: "app/mod.py", program: pythonProgram },
  { name: "typescript", extractor: typescriptExtractor, file: "src/mod.ts", program: typescriptProgram },
] as const;

describe.each(FRONT_ENDS)("$name extractor", ({ extractor, file, program }) => {
  it(
    "generated programs: no throw, deterministic, well-formed facts, and no parse errors",
    async () => {
      await fc.assert(
        fc.asyncProperty(program, async (text) => {
          await assertSound(extractor, file, text);
          // The generators only write valid programs: a parse error here is a front-end bug.
          expect((await extractor.extract(file, text, OPTIONS)).parseErrors).toEqual([]);
        }),
        fuzzParams(100),
      );
    },
    fuzzTimeout(60_000, 100),
  );

  it(
    "damaged programs and syntax soups: no throw, deterministic, well-formed facts",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutated(program), tokenSoup), async (text) => assertSound(extractor, file, text)),
        fuzzParams(200),
      );
    },
    fuzzTimeout(60_000, 200),
  );

  it(
    "arbitrary text (lone surrogates, control characters) and the same file as .js/.tsx/.pyi",
    async () => {
      const files = extractor === pythonExtractor ? ["a.py", "a.pyi"] : ["a.ts", "a.tsx", "a.js", "a.mjs", "a.d.ts"];
      await fc.assert(
        fc.asyncProperty(anyText, fc.constantFrom(...files), async (text, name) => assertSound(extractor, name, text)),
        fuzzParams(150),
      );
    },
    fuzzTimeout(60_000, 150),
  );

  it(
    "arbitrary bytes, decoded as the reader decodes files: no throw",
    async () => {
      await fc.assert(
        fc.asyncProperty(anyBytes, async (bytes) => {
          const decoded = decodeSource(Buffer.from(bytes));
          if ("skip" in decoded) {
            expect(decoded.skip).toBe("binary file");
            return;
          }
          await assertSound(extractor, file, decoded.text);
        }),
        fuzzParams(150),
      );
    },
    fuzzTimeout(60_000, 150),
  );
});

describe("decodeSource", () => {
  it("never throws, and what it decodes as UTF-8 or Latin-1 round-trips to the same bytes", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const buffer = Buffer.from(bytes);
        const decoded = decodeSource(buffer);
        if ("skip" in decoded) return;
        if (decoded.encoding === "latin1") expect(Buffer.from(decoded.text, "latin1").equals(buffer)).toBe(true);
        if (decoded.encoding === "utf8" && !decoded.bom) expect(Buffer.from(decoded.text, "utf8").equals(buffer)).toBe(true);
      }),
      fuzzParams(500),
    );
  });
});
