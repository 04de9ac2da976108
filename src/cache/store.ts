/**
 * The facts cache: one small file per source path, holding the encoded facts (`codec.ts`) of the
 * content it was extracted from.
 *
 * - Key: the slot is `sha1(namespace, path)`, so a project has one entry per file however often
 *   the file changes (the cache stays as large as the project, not its history). The entry's
 *   header names the salt (tool, grammar and codec versions, extractor code, extraction options)
 *   and the content hash it was made from; a different salt or content is a miss and the entry
 *   is overwritten.
 * - Integrity: the header also holds the body's length and SHA-1; an entry that does not match
 *   (torn, truncated, edited) is a miss and is rebuilt. Reading never throws.
 * - Concurrency: entries are written to a unique temp file and renamed over the slot (atomic on
 *   POSIX and Windows), so a reader sees an old entry, a new one, or none — never half of one.
 *   Concurrent runs writing the same slot both write complete entries; the last rename wins.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";

const MAGIC = "ssot-audit-facts/1";

/** Where a cache lives and which project it serves (plain data: it crosses to worker threads). */
export interface CacheConfig {
  dir: string;
  /** Keeps projects that share a cache folder apart; stable across checkouts in different places. */
  namespace: string;
}

let tempCounter = 0;

export class FactsCache {
  private readonly madeDirs = new Set<string>();
  /** Set after the first failed write; the run goes on without writing. */
  writeError: string | undefined;

  constructor(
    readonly config: CacheConfig,
    private readonly salt: string,
  ) {}

  private slot(rel: string): string {
    const h = createHash("sha1").update(this.config.namespace).update("\0").update(rel).digest("hex");
    return path.join(this.config.dir, "facts", h.slice(0, 2), `${h.slice(2)}.facts`);
  }

  /** The encoded facts stored for `rel` with content hash `hash`, or undefined (miss, stale, corrupt). */
  read(rel: string, hash: string): string | undefined {
    let data: string;
    try {
      data = fs.readFileSync(this.slot(rel), "utf8");
    } catch {
      return undefined;
    }
    const nl = data.indexOf("\n");
    if (nl < 0) return undefined;
    const [magic, salt, contentHash, length, bodyHash] = data.slice(0, nl).split("\t");
    if (magic !== MAGIC || salt !== this.salt || contentHash !== hash) return undefined;
    const body = data.slice(nl + 1);
    if (String(body.length) !== length) return undefined;
    if (createHash("sha1").update(body).digest("hex") !== bodyHash) return undefined;
    return body;
  }

  /** Stores encoded facts; failures (read-only disk, full disk) are remembered, never thrown. */
  write(rel: string, hash: string, body: string): void {
    if (this.writeError !== undefined) return;
    const file = this.slot(rel);
    const dir = path.dirname(file);
    const header = [MAGIC, this.salt, hash, String(body.length), createHash("sha1").update(body).digest("hex")].join("\t");
    const temp = `${file}.${process.pid}.${threadId}.${++tempCounter}.tmp`;
    try {
      if (!this.madeDirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      fs.writeFileSync(temp, `${header}\n${body}`);
      fs.renameSync(temp, file);
    } catch (error) {
      this.writeError = (error as NodeJS.ErrnoException).code ?? String(error);
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // nothing more to do
      }
    }
  }
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
      fs.mkdirSync(dir, { recursive: true });
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
