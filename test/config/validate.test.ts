import { describe, expect, it } from "vitest";
import { parseSymbolRef, sinkPatternError } from "../../src/config/schema.js";
import { didYouMean, levenshtein } from "../../src/config/validate.js";

describe("did you mean", () => {
  it("computes edit distances", () => {
    expect(levenshtein("sinkz", "sinks")).toBe(1);
    expect(levenshtein("", "abc")).toBe(3);
    expect(levenshtein("kitten", "sitting")).toBe(3);
  });

  it("suggests within distance 2, or a third of the length, or by prefix", () => {
    expect(didYouMean("sinkz", ["sinks", "sinkOwners"])).toBe("sinks");
    expect(didYouMean("sinkowner", ["sinks", "sinkOwners"])).toBe("sinkOwners");
    expect(didYouMean("duplicate-implementations", ["duplicate-implementation"])).toBe("duplicate-implementation");
    expect(didYouMean("non-canonical-imprts", ["non-canonical-call", "non-canonical-import"])).toBe("non-canonical-import");
    expect(didYouMean("warn", ["error", "warning", "off"])).toBe("warning");
    expect(didYouMean("xyz", ["include", "exclude"])).toBeUndefined();
  });
});

describe("symbol references and sinks", () => {
  it("parses and normalises references", () => {
    expect(parseSymbolRef("a\\b/./c.py::A.b")).toEqual({ file: "a/b/c.py", symbol: "A.b" });
    expect(parseSymbolRef("src/x.tsx::default")).toEqual({ file: "src/x.tsx", symbol: "default" });
    expect(parseSymbolRef("a/../b.py::f")).toEqual({ file: "b.py", symbol: "f" });
    expect(parseSymbolRef("C:\\x\\a.py::f")).toEqual({
      error: 'expected a path relative to the config folder before "::", found "C:\\\\x\\\\a.py::f"',
    });
  });

  it("validates sink syntax", () => {
    for (const ok of ["**.send_json", "io.to().emit", "os.environ", "process.env", "*.x", "a.**.b()"]) {
      expect(sinkPatternError(ok), ok).toBeUndefined();
    }
    for (const bad of ["", "a..b", "a.", ".a", "a b", "a.(x)", "a.b(1)", "*", "**.*"]) {
      expect(sinkPatternError(bad), bad).toBeDefined();
    }
  });
});
