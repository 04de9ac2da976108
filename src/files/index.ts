export {
  BUILTIN_EXCLUDES,
  type DiscoverOptions,
  type DiscoveryResult,
  discoverFiles,
  globMatcher,
  type SkippedFile,
  type SourceFile,
} from "./discover.js";
export { UsageError } from "./errors.js";
export { type Language, languageOf, SOURCE_EXTENSIONS } from "./language.js";
export { displayPath, isInside, toPosix } from "./paths.js";
export { decodeSource, dominantEol, type ReadResult, readSource, type SourceEncoding, type SourceText } from "./read.js";
