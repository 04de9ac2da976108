import type { Extractor, Language } from "../facts/types.js";

/**
 * Each front end is loaded on first use: the TypeScript one loads the TypeScript compiler
 * (a third of a second, ~80 MB), which a run over Python files never needs.
 */
const LOADERS: Record<Language, () => Promise<Extractor>> = {
  python: async () => (await import("./python/extract.js")).pythonExtractor,
  typescript: async () => (await import("./typescript/extract.js")).typescriptExtractor,
};

export function extractorFor(language: Language): Extractor {
  return {
    language,
    extract: async (file, text, options) => (await LOADERS[language]()).extract(file, text, options),
  };
}
