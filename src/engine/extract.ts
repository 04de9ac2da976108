import type { ExtractOptions, FileFacts } from "../facts/types.js";
import type { SourceFile } from "../files/discover.js";
import { readSource } from "../files/read.js";
import { extractorFor } from "../languages/index.js";

export type ExtractOutcome = { facts: FileFacts } | { skipped: string };

/**
 * Reads one file and extracts its facts. Syntax errors become `parseErrors`; an internal
 * extractor failure is recorded the same way (with its stack on stderr) so one odd file never
 * aborts a whole audit.
 */
export async function extractFile(source: SourceFile, options: ExtractOptions, warn: (message: string) => void): Promise<ExtractOutcome> {
  const read = await readSource(source.path);
  if ("skip" in read) return { skipped: read.skip };
  const base = { file: source.rel, language: source.language, hash: read.hash, bom: read.bom, eol: read.eol };
  try {
    const facts = await extractorFor(source.language).extract(source.rel, read.text, options);
    return { facts: { ...facts, ...base } };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    warn(`ssot-audit: internal error while extracting ${source.rel} (please report):\n${err.stack ?? err.message}`);
    return {
      facts: {
        ...base,
        lines: read.text.split("\n").length,
        definitions: [],
        calls: [],
        references: [],
        imports: [],
        exports: [],
        bindings: [],
        fallbacks: [],
        suppressions: [],
        parseErrors: [{ line: 1, message: `internal extractor error: ${err.message}` }],
      },
    };
  }
}
