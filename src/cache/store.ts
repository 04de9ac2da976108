/**
 * The facts cache: the encoded facts (`codec.ts`) of each source file, for the content they were
 * extracted from.
 *
 * - Packs: a worker writes the entries of one batch of files (up to 64) as one immutable pack
 *   file, `facts/packs/<id>.pack` (the bodies, one per line). Creating thousands of small files
 *   costs far more than their bytes on common file systems (about 0.5 ms each for files over a
 *   block, measured on ext4), so a cold run writes tens of packs instead of thousands of files.
 * - Index: the main thread then writes the project's index, `facts/index/<namespace>.json`: for
 *   each file, the content hash its entry was made from and where the entry is (pack, offset,
 *   length, SHA-1). The index names its salt (tool, grammar and codec versions, extractor code,
 *   extraction options); another salt or content is a miss. A project has one index entry per
 *   file however often the file changes.
 * - Integrity: an entry whose bytes do not match their SHA-1 (torn, truncated, edited) is a miss
 *   and is rebuilt; a missing or malformed index is an empty one. Reading never throws.
 * - Concurrency: packs and the index are written to unique temp files and renamed into place
 *   (atomic on POSIX and Windows). Concurrent runs each write their own packs; the last index
 *   written wins, and entries the other run made are misses next time (rebuilt, not wrong).
 * - Size: after writing its index a run deletes packs no index refers to (older than ten
 *   minutes, so a concurrent run's fresh packs survive), and rewrites packs that are mostly
 *   stale, so the cache stays about as large as the project's facts.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { makeDirectory } from "../util/make-directory.js";

const INDEX_MAGIC = "ssot-audit-facts-index/1";
/** Packs younger than this are never deleted (a concurrent run may not have indexed them yet). */
const PACK_GRACE_MS = 10 * 60 * 1000;
/** A pack whose live entries fill less than this share of it is rewritten. */
const MIN_LIVE_SHARE = 0.25;

/** Where a cache lives and which project it serves (plain data: it crosses to worker threads). */
export interface CacheConfig {
  dir: string;
  /** Keeps projects that share a cache folder apart; stable across checkouts in different places. */
  namespace: string;
}

/** Where one file's entry is, and the content it was made from (plain data). */
export interface CacheEntry {
  /** Content hash (SHA-1) of the source the facts were extracted from. */
  hash: string;
  pack: string;
  /** Byte offset and length of the body in the pack. */
  offset: number;
  length: number;
  /** SHA-1 of the body. */
  sha1: string;
}

let tempCounter = 0;

function tempName(file: string): string {
  return `${file}.${process.pid}.${threadId}.${++tempCounter}.tmp`;
}

function sha1(data: string | Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

const PACK_NAME = /^[0-9a-f]{40}\.pack$/;

function packsDir(config: CacheConfig): string {
  return path.join(config.dir, "facts", "packs");
}

/** Reads and writes entries in packs (worker side). */
export class PackStore {
  /** Set after the first failed write; the run goes on without writing. */
  writeError: string | undefined;

  constructor(readonly config: CacheConfig) {}

  /** The body of an entry made from content `hash`, or undefined (a miss). */
  read(entry: CacheEntry | undefined, hash: string): string | undefined {
    if (!entry || entry.hash !== hash || !PACK_NAME.test(entry.pack)) return undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(path.join(packsDir(this.config), entry.pack), "r");
      const bytes = Buffer.alloc(entry.length);
      if (fs.readSync(fd, bytes, 0, entry.length, entry.offset) !== entry.length) return undefined;
      return sha1(bytes) === entry.sha1 ? bytes.toString("utf8") : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /**
   * Writes one pack holding `bodies` and returns each body's entry (without the content hash,
   * which the caller adds), or undefined when the pack could not be written.
   */
  writePack(bodies: readonly string[]): Omit<CacheEntry, "hash">[] | undefined {
    if (this.writeError !== undefined || bodies.length === 0) return undefined;
    const parts: Buffer[] = [];
    const entries: Omit<CacheEntry, "hash">[] = [];
    let offset = 0;
    for (const body of bodies) {
      const bytes = Buffer.from(body, "utf8");
      entries.push({ pack: "", offset, length: bytes.length, sha1: sha1(bytes) });
      parts.push(bytes, NEWLINE);
      offset += bytes.length + 1;
    }
    const data = Buffer.concat(parts);
    const pack = `${sha1(data)}.pack`;
    const file = path.join(packsDir(this.config), pack);
    const temp = tempName(file);
    try {
      makeDirectory(path.dirname(file));
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, file);
    } catch (error) {
      this.writeError = (error as NodeJS.ErrnoException).code ?? String(error);
      removeQuietly(temp);
      return undefined;
    }
    for (const e of entries) e.pack = pack;
    return entries;
  }
}

const NEWLINE = Buffer.from("\n");

/** Removes a temp file if it is there; a folder that cannot hold it cannot hold the file either. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // nothing to remove
  }
}

/** The project's index of entries (main-thread side). */
export class FactsIndex {
  private readonly file: string;

  private constructor(
    readonly config: CacheConfig,
    private readonly salt: string,
    private readonly entries: ReadonlyMap<string, CacheEntry>,
  ) {
    this.file = indexFile(config);
  }

  /** The stored index for `salt`; empty when there is none, it is malformed, or has another salt. */
  static load(config: CacheConfig, salt: string): FactsIndex {
    return new FactsIndex(config, salt, readIndex(indexFile(config), salt) ?? new Map());
  }

  get(rel: string): CacheEntry | undefined {
    return this.entries.get(rel);
  }

  /**
   * Replaces the index by `entries` (every file of this run that has one), then drops packs no
   * index refers to and rewrites mostly stale ones. Returns why it could not, if it could not.
   */
  save(entries: ReadonlyMap<string, CacheEntry>): string | undefined {
    try {
      const compacted = compact(this.config, entries);
      writeIndex(this.file, this.salt, compacted);
      prunePacks(this.config);
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? String(error);
    }
  }
}

function indexFile(config: CacheConfig): string {
  return path.join(config.dir, "facts", "index", `${sha1(config.namespace).slice(0, 20)}.json`);
}

type IndexRow = [hash: string, pack: string, offset: number, length: number, sha1: string];

function readIndex(file: string, salt?: string): Map<string, CacheEntry> | undefined {
  let data: string;
  try {
    data = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(data) as { magic?: unknown; salt?: unknown; files?: unknown };
    if (parsed.magic !== INDEX_MAGIC || (salt !== undefined && parsed.salt !== salt) || typeof parsed.files !== "object" || !parsed.files) return undefined;
    const entries = new Map<string, CacheEntry>();
    for (const [rel, row] of Object.entries(parsed.files as Record<string, unknown>)) {
      if (!Array.isArray(row) || row.length !== 5) continue;
      const [hash, pack, offset, length, bodySha1] = row as IndexRow;
      if (typeof hash !== "string" || typeof pack !== "string" || !Number.isInteger(offset) || !Number.isInteger(length) || typeof bodySha1 !== "string") continue;
      entries.set(rel, { hash, pack, offset, length, sha1: bodySha1 });
    }
    return entries;
  } catch {
    return undefined;
  }
}

function writeIndex(file: string, salt: string, entries: ReadonlyMap<string, CacheEntry>): void {
  const files: Record<string, IndexRow> = {};
  for (const rel of [...entries.keys()].sort()) {
    const e = entries.get(rel) as CacheEntry;
    files[rel] = [e.hash, e.pack, e.offset, e.length, e.sha1];
  }
  makeDirectory(path.dirname(file));
  const temp = tempName(file);
  try {
    fs.writeFileSync(temp, JSON.stringify({ magic: INDEX_MAGIC, salt, files }));
    fs.renameSync(temp, file);
  } finally {
    removeQuietly(temp);
  }
}

/** Packs referred to by any project's index in this cache folder. */
function livePacks(config: CacheConfig): Set<string> {
  const live = new Set<string>();
  const dir = path.join(config.dir, "facts", "index");
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!name.endsWith(".json")) continue;
    for (const e of readIndex(path.join(dir, name))?.values() ?? []) live.add(e.pack);
  }
  return live;
}

function prunePacks(config: CacheConfig): void {
  const dir = packsDir(config);
  if (!fs.existsSync(dir)) return;
  const live = livePacks(config);
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (live.has(name)) continue;
    try {
      const stat = fs.statSync(abs);
      // Stray temp files of a killed run, and unreferenced packs, once they are old enough.
      if ((PACK_NAME.test(name) || name.endsWith(".tmp")) && now - stat.mtimeMs > PACK_GRACE_MS) fs.rmSync(abs, { force: true });
    } catch {
      // Gone already (another run pruned it).
    }
  }
}

/**
 * Rewrites the live entries of packs that are mostly stale (their files changed since) into one
 * new pack, so that old versions do not pile up. Returns the entries, updated.
 */
function compact(config: CacheConfig, entries: ReadonlyMap<string, CacheEntry>): Map<string, CacheEntry> {
  const out = new Map(entries);
  const liveBytes = new Map<string, number>();
  for (const e of entries.values()) liveBytes.set(e.pack, (liveBytes.get(e.pack) ?? 0) + e.length + 1);
  const sparse = new Set<string>();
  for (const [pack, bytes] of liveBytes) {
    try {
      if (bytes < MIN_LIVE_SHARE * fs.statSync(path.join(packsDir(config), pack)).size) sparse.add(pack);
    } catch {
      // A pack that vanished: its entries are misses next time.
    }
  }
  if (sparse.size === 0) return out;
  const store = new PackStore(config);
  const moved: { rel: string; entry: CacheEntry; body: string }[] = [];
  for (const [rel, e] of entries) {
    if (!sparse.has(e.pack)) continue;
    const body = store.read(e, e.hash);
    if (body === undefined) out.delete(rel);
    else moved.push({ rel, entry: e, body });
  }
  const written = store.writePack(moved.map((m) => m.body));
  if (!written) return out;
  moved.forEach((m, i) => {
    const w = written[i];
    if (w) out.set(m.rel, { ...w, hash: m.entry.hash });
  });
  return out;
}

/**
 * The default cache folder: `node_modules/.cache/ssot-audit` in the nearest folder at or above
 * the project root that has a `package.json` (the convention of find-cache-dir, Babel, ESLint
 * loaders), else in the project root itself.
 */
export function defaultCacheDir(rootDir: string): string {
  let dir = rootDir;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return path.join(dir, "node_modules", ".cache", "ssot-audit");
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(rootDir, "node_modules", ".cache", "ssot-audit");
    dir = parent;
  }
}

/**
 * Resolves the cache folder of a run and makes sure it can be written. An explicit
 * `--cache-location` is used as given; the default falls back to `<os tmpdir>/ssot-audit-cache`
 * when it cannot be created. Returns undefined (with a reason) when no folder is writable: the
 * run then goes on without a cache.
 */
export function prepareCache(rootDir: string, location: string | undefined): { config: CacheConfig } | { error: string } {
  const candidates = location !== undefined ? [location] : [defaultCacheDir(rootDir), path.join(os.tmpdir(), "ssot-audit-cache")];
  let lastError = "";
  for (const dir of candidates) {
    try {
      makeDirectory(dir);
      fs.accessSync(dir, fs.constants.W_OK);
      const tag = path.join(dir, "CACHEDIR.TAG");
      if (!fs.existsSync(tag)) {
        fs.writeFileSync(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by ssot-audit; it can be deleted at any time.\n");
      }
      const namespace = path.relative(dir, rootDir).split(path.sep).join("/");
      return { config: { dir, namespace } };
    } catch (error) {
      lastError = `${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
  }
  return { error: lastError };
}
