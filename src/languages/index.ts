import type { Extractor, Language } from "../facts/types.js";
import { pythonExtractor } from "./python/extract.js";
import { typescriptExtractor } from "./typescript/extract.js";

const EXTRACTORS: Record<Language, Extractor> = {
  python: pythonExtractor,
  typescript: typescriptExtractor,
};

export function extractorFor(language: Language): Extractor {
  return EXTRACTORS[language];
}
