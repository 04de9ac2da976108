import fs from "node:fs";
import path from "node:path";
import { CONFIG_FILE_NAMES, type LoadedConfig, defaultConfig, findConfig, loadConfig } from "../config/load.js";
import { prepareCache } from "../cache/store.js";
import { type SourceFile, discoverFiles } from "../files/discover.js";
import { UsageError } from "../files/errors.js";
import { isInside } from "../files/paths.js";
import { printable } from "../util/terminal.js";
import { ProjectModel } from "../model/project.js";
import type { FileEntry } from "../model/types.js";
import type { FileFacts } from "../facts/types.js";
import type { CacheConfig } from "../cache/store.js";
import { readShardFacts } from "../shard/facts-file.js";
import { type ExtractionProgress, type ExtractionStats, extractAll } from "./pool.js";
import { type Timings, count, timed, timedAsync } from "./timings.js";

export interface ProjectOptions {
  /** Files or folders to audit, relative to `cwd` (default `.`). */
  paths: string[];
  cwd: string;
  /** Explicit config file (`--config`). */
  configPath?: string;
  /** Analyse the first path as a project without config, ignoring any config file (`init`). */
  ignoreConfig?: boolean;
  /** Diagnostics for stderr (never the report). */
  warn?: (message: string) => void;
  /** Worker threads for extraction (`--jobs`; default: available parallelism); small projects are extracted in-process. */
  jobs?: number;
  /** Read and write the facts cache (default false here; the CLI turns it on unless `--no-cache`). */
  cache?: boolean;
  /** Cache folder (`--cache-location`, relative to `cwd`); default `node_modules/.cache/ssot-audit` (see `cache/store.ts`). */
  cacheLocation?: string;
  /** Called as files finish extracting (for a progress bar). */
  onProgress?: (progress: ExtractionProgress) => void;
  /** Fewest files for which the worker pool starts (default 50; tests lower it to exercise the pool). */
  minFilesForPool?: number;
  /** Old-generation heap limit of each worker thread, MB (tests lower it to exercise the fallback). */
  workerHeapMb?: number;
  /**
   * Content hashes of the project's files computed moments ago (the run memo's key), by
   * root-relative path: a file whose facts cache entry has that hash is served from the cache
   * without being read again.
   */
  knownHashes?: ReadonlyMap<string, string>;
  /** The project's files as found moments ago (for the run memo's key): not searched for again. */
  discovered?: DiscoveredFiles;
  /** Checks the files found before any is extracted (throws to stop the run early: a config that names a missing file). */
  checkFiles?: (files: DiscoveredFiles, loaded: LoadedConfig) => void;
  /** Merge these shard facts files (`--facts`) instead of discovering and extracting files. */
  factsFiles?: string[];
  /** Records how long each phase takes (`--timing`). */
  timings?: Timings;
}

/** The analysed project: config, every file's facts, and the model built from them. */
export interface Project {
  loaded: LoadedConfig;
  /** Absolute paths the user asked about; findings outside them are not reported. */
  requested: string[];
  entries: FileEntry[];
  skipped: { file: string; reason: string }[];
  model: ProjectModel;
  /** How extraction went (absent when the facts came from `--facts` files). */
  stats?: ExtractionStats;
}

/** Resolves the config for a run: `--config`, else the nearest config from the first path upward. */
export function resolveRunConfig(options: Pick<ProjectOptions, "paths" | "cwd" | "configPath" | "ignoreConfig">): LoadedConfig {
  const first = path.resolve(options.cwd, options.paths[0] ?? ".");
  if (!fs.existsSync(first)) throw new UsageError(`path not found: ${options.paths[0] ?? "."}`);
  if (options.configPath) return loadConfig(options.configPath, { cwd: options.cwd });
  const found = options.ignoreConfig ? undefined : findConfig(first);
  if (found) return loadConfig(found, { cwd: options.cwd });
  return defaultConfig(fs.statSync(first).isDirectory() ? first : path.dirname(first));
}

/**
 * Discovers and extracts every file under the config's root — the whole project, because
 * cross-file resolution needs it — and marks which files lie under the requested paths.
 */
export async function loadProject(options: ProjectOptions): Promise<Project> {
  const warn = options.warn ?? (() => {});
  const { loaded, requested, isRequested } = resolveRequest(options);
  const { rootDir } = loaded;
  let entries: FileEntry[];
  let skipped: { file: string; reason: string }[];
  let stats: ExtractionStats | undefined;
  const { timings } = options;
  if (options.factsFiles) {
    const factsFiles = options.factsFiles;
    const merged = timed(timings, "read shard facts", () => readShardFacts(factsFiles, options.cwd, loaded), (m) => `${count(m.files.length, "file")}`);
    entries = merged.files.map((f) => ({ facts: f.facts, isTest: f.isTest, reported: isRequested(path.join(rootDir, ...f.facts.file.split("/"))) }));
    skipped = merged.skipped;
  } else {
    const sources = options.discovered ?? (await timedAsync(timings, "find files", () => discoverProject(loaded), (found) => count(found.files.length, "file")));
    options.checkFiles?.(sources, loaded);
    const extracted = await timedAsync(timings, "extract facts", () => extractSources(sources.files, loaded, options), ({ stats: s }) => extractionDetail(s));
    entries = extracted.files.map((f) => ({ facts: f.facts, isTest: f.isTest, reported: isRequested(f.path) }));
    skipped = [...sources.skipped, ...extracted.skipped];
    stats = extracted.stats;
  }
  const reportedSkips = skipped.filter((s) => isRequested(path.join(rootDir, s.file))).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const s of reportedSkips) warn(`ssot-audit: skipped ${printable(s.file)}: ${s.reason}`);
  const model = timed(timings, "build model", () => new ProjectModel(entries));
  return { loaded, requested, entries, skipped: reportedSkips, model, ...(stats ? { stats } : {}) };
}

/** `3,903 files: 3,890 parsed, 13 from the cache; 2 threads`. */
function extractionDetail(stats: ExtractionStats): string {
  const threads = stats.threads === 0 ? "in-process" : count(stats.threads, "thread");
  return `${count(stats.files, "file")}: ${stats.parsed.toLocaleString("en-US")} parsed, ${stats.cacheHits.toLocaleString("en-US")} from the cache; ${threads}`;
}

/** The run's config and the absolute paths it asks about (validated: they exist, inside the root). */
export function resolveRequest(options: ProjectOptions): { loaded: LoadedConfig; requested: string[]; isRequested: (abs: string) => boolean } {
  const loaded = resolveRunConfig(options);
  if (loaded.file) {
    // Several config files in one folder: the first of CONFIG_FILE_NAMES wins; say so.
    const ignored = CONFIG_FILE_NAMES.map((n) => path.join(path.dirname(loaded.file ?? ""), n)).filter((f) => f !== loaded.file && fs.existsSync(f));
    if (ignored.length > 0) options.warn?.(`ssot-audit: using ${path.basename(loaded.file)}; ignoring ${ignored.map((f) => path.basename(f)).join(", ")} in the same folder`);
  }
  const { rootDir } = loaded;
  const requested = (options.paths.length > 0 ? options.paths : ["."]).map((p) => path.resolve(options.cwd, p));
  for (const p of requested) {
    if (!fs.existsSync(p)) throw new UsageError(`path not found: ${path.relative(options.cwd, p) || "."}`);
    if (p !== rootDir && !isInside(rootDir, p)) {
      throw new UsageError(`${path.relative(options.cwd, p)} is outside the project root ${path.relative(options.cwd, rootDir) || "."} (the config's folder)`);
    }
  }
  const isRequested = (abs: string) => requested.some((p) => p === abs || isInside(p, abs));
  return { loaded, requested, isRequested };
}

/** What `discoverProject` finds: the source files, and those skipped (too large, binary …). */
export type DiscoveredFiles = Awaited<ReturnType<typeof discoverFiles>>;

/** Every source file of the project (the whole root: cross-file resolution needs it). */
export function discoverProject(loaded: LoadedConfig): Promise<DiscoveredFiles> {
  const { config, rootDir } = loaded;
  return discoverFiles({
    rootDir,
    paths: [rootDir],
    include: config.include,
    exclude: config.exclude,
    tests: config.tests,
    maxFileSize: config.maxFileSize,
  });
}

/** One extracted file, in discovery order. */
export interface ExtractedFile {
  facts: FileFacts;
  isTest: boolean;
  /** Absolute path. */
  path: string;
}

/**
 * Extracts the facts of the given files — through the cache and the worker pool as the options
 * say — keeping discovery order. Only facts are kept: no source text, no syntax tree.
 */
export async function extractSources(
  sources: readonly SourceFile[],
  loaded: LoadedConfig,
  options: Pick<ProjectOptions, "cwd" | "jobs" | "cache" | "cacheLocation" | "onProgress" | "warn" | "minFilesForPool" | "workerHeapMb" | "knownHashes">,
  /** Other project files, whose cache entries stay (see `ExtractAllOptions.keepIndexed`). */
  keepIndexed: readonly string[] = [],
): Promise<{ files: ExtractedFile[]; skipped: { file: string; reason: string }[]; stats: ExtractionStats }> {
  const warn = options.warn ?? (() => {});
  let cache: CacheConfig | undefined;
  if (options.cache || options.cacheLocation !== undefined) {
    const location = options.cacheLocation !== undefined ? path.resolve(options.cwd, options.cacheLocation) : undefined;
    const prepared = prepareCache(loaded.rootDir, location);
    if ("config" in prepared) cache = prepared.config;
    else warn(`ssot-audit: cache disabled (cannot write ${prepared.error})`);
  }
  const { outcomes, stats } = await extractAll(sources, {
    options: { parseBudgetMs: loaded.config.parseBudgetMs },
    ...(cache ? { cache, keepIndexed, ...(options.knownHashes ? { knownHashes: options.knownHashes } : {}) } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.minFilesForPool !== undefined ? { minFilesForPool: options.minFilesForPool } : {}),
    ...(options.workerHeapMb !== undefined ? { workerHeapMb: options.workerHeapMb } : {}),
    warn,
  });
  if (stats.cacheError !== undefined) warn(`ssot-audit: could not write the cache in ${cache?.dir ?? "?"} (${stats.cacheError}); results are not affected`);
  const files: ExtractedFile[] = [];
  const skipped: { file: string; reason: string }[] = [];
  sources.forEach((source, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    if ("skipped" in outcome) skipped.push({ file: source.rel, reason: outcome.skipped });
    else files.push({ facts: outcome.facts, isTest: source.isTest, path: source.path });
  });
  return { files, skipped, stats };
}
