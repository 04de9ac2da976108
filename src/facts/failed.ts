import type { FileFacts, ParseErrorFact } from "./types.js";

/** What an extractor returns: the facts without what the engine adds (hash, BOM, line ending). */
export type ExtractedFacts = Omit<FileFacts, "hash" | "bom" | "eol">;

/** A file's facts with nothing in them but `parseErrors`: the start of every extraction, and what a file that could not be analysed gets. */
export function emptyFacts(file: string, language: FileFacts["language"], lines: number, parseErrors: ParseErrorFact[] = []): ExtractedFacts {
  return {
    file,
    language,
    lines,
    definitions: [],
    calls: [],
    references: [],
    imports: [],
    exports: [],
    bindings: [],
    fallbacks: [],
    suppressions: [],
    parseErrors,
  };
}

/** The parse error of a file whose parse ran out of its budget (both front ends). */
export function budgetExceeded(budgetMs: number, text: string): ParseErrorFact {
  const kb = Math.max(1, Math.ceil(Buffer.byteLength(text, "utf8") / 1024));
  return { line: 1, message: `parse budget of ${budgetMs} ms exceeded (file is ${kb} KB); skipped` };
}

/**
 * The parse error of a file whose parser or extractor failed (both front ends): a stack overflow
 * (recursive parsers and walks, on pathologically nested code) says so in the same words for
 * Python and TypeScript; anything else is an internal error, given with its message.
 */
export function extractionFailed(stage: string, error: unknown): ParseErrorFact {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return { line: 1, message: "file is nested too deeply to analyse; skipped" };
  return { line: 1, message: `${stage} failed: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * The facts of a file the extractor failed on (an internal error, not a syntax error): nothing
 * but one parse error, so one odd file never aborts an audit and is still listed.
 */
export function failedFacts(base: Pick<FileFacts, "file" | "language" | "hash" | "bom" | "eol">, lines: number, message: string): FileFacts {
  return { ...emptyFacts(base.file, base.language, lines, [{ line: 1, message }]), ...base };
}
