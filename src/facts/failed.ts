import type { FileFacts } from "./types.js";

/**
 * The facts of a file the extractor failed on (an internal error, not a syntax error): nothing
 * but one parse error, so one odd file never aborts an audit and is still listed.
 */
export function failedFacts(base: Pick<FileFacts, "file" | "language" | "hash" | "bom" | "eol">, lines: number, message: string): FileFacts {
  return {
    ...base,
    lines,
    definitions: [],
    calls: [],
    references: [],
    imports: [],
    exports: [],
    bindings: [],
    fallbacks: [],
    suppressions: [],
    parseErrors: [{ line: 1, message }],
  };
}
