/**
 * The work done for one file, in a worker thread or in-process: read and hash it, look its facts
 * up in the cache, and on a miss extract them (freeing the syntax tree at once) and store them.
 * Extractors are loaded on first use, so a warm run whose files all hit the cache never loads
 * the TypeScript compiler or the tree-sitter grammar.
 */
import { encodeFacts } from "../cache/codec.js";
import { type CacheConfig, type CacheEntry, PackStore } from "../cache/store.js";
import type { ExtractOptions, FileFacts, Language } from "../facts/types.js";
import { readSourceSync } from "../files/read.js";
import { type ExtractedFacts, failedFacts } from "../facts/failed.js";

export interface FileTask {
  /** Absolute path. */
  path: string;
  /** Root-relative `/` path (the facts' `file`). */
  rel: string;
  language: Language;
}

export interface BatchTask {
  /** `extract`: facts (the audit); `parse`: parse and discard (the benchmark's floor). */
  mode: "extract" | "parse";
  files: FileTask[];
  options: ExtractOptions;
  cache: CacheConfig | null;
  /** The cache index's entry of each file (same order as `files`), null when it has none. */
  cached?: (CacheEntry | null)[];
  /**
   * Each file's content hash when the main thread has just computed it (same order as `files`):
   * a file whose cache entry has that hash is served without reading it again.
   */
  hashes?: (string | null)[];
}

export type FileResult =
  | {
      kind: "facts";
      /**
       * The facts encoded (`codec.ts`): cheaper to send between threads than objects, and decoded
       * into the compact form the project model keeps (in-process runs too).
       */
      encoded: string;
      /** Served from the cache. */
      hit: boolean;
      /** Where the facts are in the cache (for the index), when they are. */
      entry?: CacheEntry;
      /** A diagnostic for stderr (an internal extractor error). */
      warning?: string;
    }
  | { kind: "skipped"; reason: string }
  | { kind: "parsed" };

type SyncExtractor = (file: string, text: string, options: ExtractOptions) => ExtractedFacts;
type SyncParser = (file: string, text: string, options: ExtractOptions) => void;

interface LanguageSupport {
  extract: SyncExtractor;
  parse: SyncParser;
}

const loaded = new Map<Language, Promise<LanguageSupport>>();

async function loadPython(): Promise<LanguageSupport> {
  const [{ loadPythonGrammar, pythonParser }, { extractPython, pythonSourceText }, { deleteTrees, parsePython }] = await Promise.all([
    import("../languages/python/grammar.js"),
    import("../languages/python/extract.js"),
    import("../languages/python/parse.js"),
  ]);
  const grammar = await loadPythonGrammar();
  return {
    extract: (file, text, options) => extractPython(grammar, file, text, options),
    // The same parse as the extractor's (budget, and chunks for pathological files), nothing kept.
    parse: (_file, text, options) => deleteTrees(parsePython(pythonParser(grammar), pythonSourceText(text), options.parseBudgetMs)),
  };
}

async function loadTypeScript(): Promise<LanguageSupport> {
  const [{ extractTypeScript }, { typescript }, { scriptKindFor }] = await Promise.all([
    import("../languages/typescript/extract.js"),
    import("../languages/typescript/compiler.js"),
    import("../languages/typescript/syntax.js"),
  ]);
  const ts = typescript();
  return {
    extract: extractTypeScript,
    parse: (file, text) => {
      ts.createSourceFile(
        file,
        text,
        { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
        true,
        scriptKindFor(file) ?? ts.ScriptKind.TS,
      );
    },
  };
}

function support(language: Language): Promise<LanguageSupport> {
  let p = loaded.get(language);
  if (!p) {
    p = language === "python" ? loadPython() : loadTypeScript();
    loaded.set(language, p);
    p.catch(() => loaded.delete(language));
  }
  return p;
}

const stores = new Map<string, PackStore>();

function storeFor(config: CacheConfig | null): PackStore | undefined {
  if (!config) return undefined;
  const key = `${config.dir}\0${config.namespace}`;
  let store = stores.get(key);
  if (!store) {
    store = new PackStore(config);
    stores.set(key, store);
  }
  return store;
}

/** A file's result, and the encoded facts to store when they were extracted (a cache miss). */
async function processFile(
  file: FileTask,
  task: BatchTask,
  store: PackStore | undefined,
  cachedEntry: CacheEntry | undefined,
  knownHash: string | undefined,
): Promise<{ result: FileResult; toStore?: { hash: string; encoded: string } }> {
  // Decoded on the main thread, which asks again without the entry if it cannot be decoded.
  const cacheHit = (hash: string): { result: FileResult } | undefined => {
    if (!cachedEntry) return undefined;
    const cached = store?.read(cachedEntry, hash);
    return cached === undefined ? undefined : { result: { kind: "facts", encoded: cached, hit: true, entry: cachedEntry } };
  };
  const known = task.mode === "extract" && knownHash !== undefined ? cacheHit(knownHash) : undefined;
  if (known) return known;
  const read = readSourceSync(file.path);
  if ("skip" in read) return { result: { kind: "skipped", reason: read.skip } };
  if (task.mode === "parse") {
    (await support(file.language)).parse(file.rel, read.text, task.options);
    return { result: { kind: "parsed" } };
  }
  const hit = cacheHit(read.hash);
  if (hit) return hit;
  const base = { file: file.rel, language: file.language, hash: read.hash, bom: read.bom, eol: read.eol };
  let facts: FileFacts;
  let warning: string | undefined;
  try {
    const lang = await support(file.language);
    facts = { ...lang.extract(file.rel, read.text, task.options), ...base };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    warning = `ssot-audit: internal error while extracting ${file.rel} (please report):\n${err.stack ?? err.message}`;
    facts = failedFacts(base, read.text.split("\n").length, `internal extractor error: ${err.message}`);
  }
  const encoded = encodeFacts(facts, read.text);
  const result: FileResult = { kind: "facts", encoded, hit: false, ...(warning ? { warning } : {}) };
  // Facts from an internal error are not cached: the next run tries again (and reports again).
  return store && warning === undefined ? { result, toStore: { hash: read.hash, encoded } } : { result };
}

export interface BatchResult {
  /** In the batch's order. */
  results: FileResult[];
  /** Why the cache could not be written (first error in this thread), if it could not. */
  cacheError?: string;
}

/** Processes a batch of files; the cache misses' facts go to the cache as one pack. Never rejects for one bad file. */
export async function runBatch(task: BatchTask): Promise<BatchResult> {
  const store = task.mode === "extract" ? storeFor(task.cache) : undefined;
  const results: FileResult[] = [];
  const pending: { index: number; hash: string; encoded: string }[] = [];
  for (let i = 0; i < task.files.length; i++) {
    const file = task.files[i] as FileTask;
    const { result, toStore } = await processFile(file, task, store, task.cached?.[i] ?? undefined, task.hashes?.[i] ?? undefined);
    results.push(result);
    if (toStore) pending.push({ index: i, ...toStore });
  }
  const written = store?.writePack(pending.map((p) => p.encoded));
  if (written) {
    pending.forEach((p, k) => {
      const r = results[p.index];
      const w = written[k];
      if (r?.kind === "facts" && w) r.entry = { ...w, hash: p.hash };
    });
  }
  return store?.writeError !== undefined ? { results, cacheError: store.writeError } : { results };
}
