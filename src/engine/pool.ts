/**
 * Extraction of many files: in a pool of worker threads (piscina), or in-process for small runs.
 *
 * - `--jobs 1` on a project big enough for a pool still extracts in one worker thread: the
 *   worker's capped heap takes the extraction garbage and the main thread's keeps only facts
 *   (in-process, the bench corpus peaked at 1.4 GB; with one worker at 0.8 GB, and faster).
 * - Largest files first, so that one big file does not start last and stretch the run; small
 *   files travel in batches (fewer thread round trips).
 * - Workers send facts back encoded (`cache/codec.ts`), which the main thread decodes as they
 *   arrive; no source text or syntax tree leaves a worker, and none is kept here.
 * - The worker code is the compiled `dist/src/engine/worker.js`. Running from the TypeScript
 *   sources (tests) uses it too, so run `npm run build` first; without it, extraction runs
 *   in-process (`stats.threads` is 0).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { decodeFacts } from "../cache/codec.js";
import { StringPool } from "../facts/intern.js";
import { cacheSalt } from "../cache/salt.js";
import { type CacheConfig, type CacheEntry, FactsIndex } from "../cache/store.js";
import type { ExtractOptions, FileFacts } from "../facts/types.js";
import type { SourceFile } from "../files/discover.js";
import { PACKAGE_ROOT } from "../version.js";
import { type BatchResult, type BatchTask, type FileResult, type FileTask, runBatch } from "./worker-task.js";

/** Below this many files a pool costs more to start than it saves. */
export const MIN_FILES_FOR_POOL = 50;
/**
 * Old-generation heap limit of a worker thread (MB). A worker keeps ~40 MB live (grammar,
 * compiler) and produces short-lived facts; without a limit V8 lets its heap grow to several
 * times that before collecting, which on 2 workers is a few hundred MB of the run's peak. A batch
 * that does need more (a huge file) is redone on the main thread, which has no such limit.
 */
export const WORKER_HEAP_MB = 256;
/** A batch closes when it reaches this many bytes of source or this many files. */
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 64;

export interface ExtractionProgress {
  total: number;
  /** Files finished (parsed, served from the cache or skipped). */
  done: number;
  cacheHits: number;
}

export interface ExtractionStats {
  files: number;
  /** Files extracted (cache misses). */
  parsed: number;
  cacheHits: number;
  /** Worker threads used; 0 when extraction ran in-process. */
  threads: number;
  /** Why the cache could not be written, if it could not (the run still succeeds). */
  cacheError?: string;
  /** Batches redone on the main thread because a worker ran out of its heap limit. */
  retriedInProcess: number;
}

export interface ExtractAllOptions {
  options: ExtractOptions;
  cache?: CacheConfig;
  /** Worker threads (default: available parallelism); below `minFilesForPool` files, none (in-process). */
  jobs?: number;
  /** `parse`: parse and discard (the benchmark's floor); outcomes are then all undefined. */
  mode?: "extract" | "parse";
  onProgress?: (progress: ExtractionProgress) => void;
  warn?: (message: string) => void;
  /** Fewest files for which a pool is started (default MIN_FILES_FOR_POOL; tests lower it). */
  minFilesForPool?: number;
  /**
   * Project files outside this run (the other shards of a `--shard` run) whose cache index
   * entries stay: without them, the index would keep only this run's files.
   */
  keepIndexed?: readonly string[];
  /** Old-generation heap limit of each worker, MB (default WORKER_HEAP_MB; tests lower it). */
  workerHeapMb?: number;
  /** Content hashes just computed, by root-relative path (see `ProjectOptions.knownHashes`). */
  knownHashes?: ReadonlyMap<string, string>;
  /**
   * Called with each batch's result as it is accepted, before its facts are decoded (tests hold
   * weak references to check that a decoded batch's encoded facts can be collected at once).
   */
  onBatchResult?: (result: BatchResult) => void;
}

export type Outcome = { facts: FileFacts } | { skipped: string } | undefined;

/** The compiled worker entry, or undefined when there is none (running from sources without a build). */
export function workerEntry(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const candidates = here.endsWith(".js") ? [path.join(path.dirname(here), "worker.js")] : [];
  candidates.push(path.join(PACKAGE_ROOT, "dist", "src", "engine", "worker.js"));
  return candidates.find((file) => fs.existsSync(file));
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/**
 * Groups file indexes into batches, largest files first. Batches are small enough that every
 * thread gets several (so small projects still spread over the pool).
 */
function makeBatches(sources: readonly SourceFile[], jobs: number): number[][] {
  const order = sources.map((_, i) => i).sort((a, b) => (sources[b]?.size ?? 0) - (sources[a]?.size ?? 0) || a - b);
  const total = sources.reduce((sum, s) => sum + s.size, 0);
  const maxBytes = Math.max(1, Math.min(BATCH_BYTES, Math.ceil(total / (jobs * 4))));
  const maxFiles = Math.max(1, Math.min(BATCH_FILES, Math.ceil(sources.length / (jobs * 4))));
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const i of order) {
    current.push(i);
    bytes += sources[i]?.size ?? 0;
    if (bytes >= maxBytes || current.length >= maxFiles) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Extracts (or, in `parse` mode, only parses) every source. Outcomes are in the order of
 * `sources`, whatever order the work finished in.
 */
export async function extractAll(sources: readonly SourceFile[], opts: ExtractAllOptions): Promise<{ outcomes: Outcome[]; stats: ExtractionStats }> {
  const mode = opts.mode ?? "extract";
  const jobs = Math.max(1, opts.jobs ?? defaultJobs());
  const batches = makeBatches(sources, jobs);
  const entry = sources.length >= (opts.minFilesForPool ?? MIN_FILES_FOR_POOL) ? workerEntry() : undefined;
  const threads = entry ? Math.min(jobs, batches.length) : 0;
  const outcomes: Outcome[] = new Array<Outcome>(sources.length);
  const stats: ExtractionStats = { files: sources.length, parsed: 0, cacheHits: 0, threads, retriedInProcess: 0 };
  const progress: ExtractionProgress = { total: sources.length, done: 0, cacheHits: 0 };
  const warned = new Set<string>();
  const strings = new StringPool();

  // The cache index is read and written here, once; workers read and write packs.
  const cacheIndex = opts.cache && mode === "extract" ? FactsIndex.load(opts.cache, cacheSalt(opts.options)) : undefined;
  const entries = new Map<string, CacheEntry>();

  /** Files whose cached facts could not be decoded: extracted again at the end. */
  const undecodable: number[] = [];

  const accept = (batch: readonly number[], result: BatchResult): void => {
    opts.onBatchResult?.(result);
    if (result.cacheError !== undefined && stats.cacheError === undefined) stats.cacheError = result.cacheError;
    result.results.forEach((r: FileResult, j) => {
      const index = batch[j];
      if (index === undefined) return;
      if (r.kind === "skipped") outcomes[index] = { skipped: r.reason };
      else if (r.kind === "facts") {
        let facts: FileFacts;
        try {
          facts = decodeFacts(r.encoded, strings);
        } catch (error) {
          // Facts just extracted always decode; cached ones behind a valid checksum may not
          // (written by a broken build).
          if (!r.hit) throw error;
          undecodable.push(index);
          return;
        }
        outcomes[index] = { facts };
        if (r.entry) entries.set((sources[index] as SourceFile).rel, r.entry);
        if (r.hit) stats.cacheHits++;
        else stats.parsed++;
        if (r.warning !== undefined && !warned.has(r.warning)) {
          warned.add(r.warning);
          opts.warn?.(r.warning);
        }
      } else stats.parsed++;
      progress.done++;
    });
    progress.cacheHits = stats.cacheHits;
    opts.onProgress?.(progress);
  };

  const taskOf = (batch: readonly number[], useIndex = true): BatchTask => ({
    mode,
    files: batch.map((i): FileTask => {
      const s = sources[i] as SourceFile;
      return { path: s.path, rel: s.rel, language: s.language };
    }),
    options: opts.options,
    cache: opts.cache ?? null,
    ...(cacheIndex && useIndex ? { cached: batch.map((i) => cacheIndex.get((sources[i] as SourceFile).rel) ?? null) } : {}),
    ...(cacheIndex && useIndex && opts.knownHashes ? { hashes: batch.map((i) => opts.knownHashes?.get((sources[i] as SourceFile).rel) ?? null) } : {}),
  });

  /** Extracts (in-process, ignoring the cache index) the files whose cached facts did not decode. */
  const redoUndecodable = async (): Promise<void> => {
    if (undecodable.length === 0) return;
    const batch = undecodable.splice(0);
    accept(batch, await runBatch(taskOf(batch, false)));
  };

  /** Writes the index of this run's entries (the run's result does not depend on it). */
  const saveIndex = (): void => {
    if (!cacheIndex) return;
    for (const rel of opts.keepIndexed ?? []) {
      const kept = cacheIndex.get(rel);
      if (kept && !entries.has(rel)) entries.set(rel, kept);
    }
    const error = cacheIndex.save(entries);
    if (error !== undefined && stats.cacheError === undefined) stats.cacheError = error;
  };

  opts.onProgress?.(progress);
  if (!entry) {
    for (const batch of batches) accept(batch, await runBatch(taskOf(batch)));
    await redoUndecodable();
    saveIndex();
    return { outcomes, stats };
  }

  const pool = new Piscina<BatchTask, BatchResult>({
    filename: pathToFileURL(entry).href,
    minThreads: threads,
    maxThreads: threads,
    // A second batch waits in each worker, so a worker that finishes one starts the next at once
    // instead of waiting for the main thread (busy decoding facts) to hand it one.
    concurrentTasksPerWorker: 2,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: opts.workerHeapMb ?? WORKER_HEAP_MB },
  });
  const isOutOfMemory = (error: unknown): boolean => (error as { code?: unknown })?.code === "ERR_WORKER_OUT_OF_MEMORY";
  // A worker that runs out of its heap limit during a task rejects the task; one that does so
  // between tasks is reported as a pool error, after which queued tasks may never run. Either
  // way, the batches not yet returned are done on the main thread. Any other error is a bug and
  // ends the run with its stack.
  let poolOutOfMemory: unknown;
  /** How to give up waiting for each batch still in the pool. */
  const abandon = new Set<(error: unknown) => void>();
  pool.on("error", (error: unknown) => {
    if (!isOutOfMemory(error)) throw error;
    poolOutOfMemory = error;
    for (const giveUp of abandon) giveUp(error);
    abandon.clear();
  });
  const runBatchInPool = async (batch: readonly number[]): Promise<BatchResult> => {
    try {
      if (poolOutOfMemory !== undefined) throw poolOutOfMemory;
      // Not `Promise.race` with one shared pending promise: that would keep every batch's result
      // (its encoded facts) reachable until the run ends.
      return await new Promise<BatchResult>((resolve, reject) => {
        abandon.add(reject);
        pool.run(taskOf(batch)).then(
          (result) => {
            abandon.delete(reject);
            resolve(result);
          },
          (error: unknown) => {
            abandon.delete(reject);
            reject(error);
          },
        );
      });
    } catch (error) {
      if (!isOutOfMemory(error)) throw error;
      stats.retriedInProcess++;
      return runBatch(taskOf(batch));
    }
  };
  try {
    await Promise.all(
      batches.map(async (batch) => {
        accept(batch, await runBatchInPool(batch));
      }),
    );
  } finally {
    await pool.destroy();
  }
  await redoUndecodable();
  saveIndex();
  return { outcomes, stats };
}
