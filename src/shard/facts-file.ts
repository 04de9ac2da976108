/**
 * Shard facts files: `check --shard i/n --facts-out FILE` writes the facts of one deterministic
 * slice of the project's files; `check --facts a b …` merges the slices and runs the cross-file
 * analysis without parsing anything.
 *
 * Format (JSON Lines, gzip-compressed when the name ends in `.gz`): the first line is a header
 * `{ kind, version, tool, shard: { index, count }, config, files, skipped }`, then one line per
 * file with its facts in the cache's encoding (`cache/codec.ts`: a JSON array, about a third of
 * the facts as plain JSON, and decoded into the compact form a normal run keeps), sorted by
 * path. One line per file keeps every string small however large the shard.
 */
import { CODEC_VERSION, decodeFacts, encodeDecodedFacts } from "../cache/codec.js";
import { StringPool } from "../facts/intern.js";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { LoadedConfig } from "../config/load.js";
import type { FileFacts } from "../facts/types.js";
import { globMatcher } from "../files/discover.js";
import { UsageError } from "../files/errors.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { VERSION } from "../version.js";
import { makeDirectory } from "../util/make-directory.js";

const KIND = "ssot-audit-facts";
/** The lines are the codec's output, so the format changes with it. */
const FORMAT_VERSION = CODEC_VERSION;

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

interface Header {
  kind: string;
  version: number;
  tool: { name: string; version: string };
  shard: ShardSpec;
  /** Digest of the config fields that decide which files exist and what their facts are. */
  config: string;
  files: number;
  skipped: { file: string; reason: string }[];
}

/** Parses `i/n` (1 ≤ i ≤ n). */
export function parseShard(value: string): ShardSpec | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

/** The shard (1-based) a file belongs to: a hash of its root-relative path, stable across machines. */
export function shardOf(rel: string, count: number): number {
  const h = createHash("sha1").update(rel).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

/**
 * Shard runs and merges need the project's config: without one a merge would analyse no concepts
 * and report nothing (a CI job started in the wrong folder would pass silently).
 */
export function requireConfigFile(loaded: LoadedConfig, flag: string): void {
  if (loaded.file !== undefined) return;
  throw new UsageError(
    `${flag} needs the project's config, and no ssot-audit.config.{json,yaml,yml} was found at or above ${loaded.rootDir}: run it in the project (or give its path, or -c FILE)`,
  );
}

/** Digest of what makes two runs see the same files with the same facts. */
export function configDigest(loaded: LoadedConfig): string {
  const c = loaded.config;
  return createHash("sha1")
    .update(JSON.stringify({ include: c.include, exclude: c.exclude, maxFileSize: c.maxFileSize, parseBudgetMs: c.parseBudgetMs }))
    .digest("hex")
    .slice(0, 16);
}

/** Writes a shard facts file atomically (temp file + rename). */
export function writeShardFacts(
  file: string,
  shard: ShardSpec,
  loaded: LoadedConfig,
  facts: readonly FileFacts[],
  skipped: readonly { file: string; reason: string }[],
): void {
  const header: Header = {
    kind: KIND,
    version: FORMAT_VERSION,
    tool: { name: "ssot-audit", version: VERSION },
    shard,
    config: configDigest(loaded),
    files: facts.length,
    skipped: [...skipped],
  };
  const chunks: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const f of facts) chunks.push(Buffer.from(`${encodeDecodedFacts(f)}\n`));
  let data = Buffer.concat(chunks);
  if (file.endsWith(".gz")) data = zlib.gzipSync(data, { level: 6 });
  makeDirectory(path.dirname(file));
  writeFileAtomicSync(file, data);
}

function readLines(file: string, display: string): string[] {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read facts file ${display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = zlib.gunzipSync(data);
    } catch {
      throw new UsageError(`facts file ${display} is not valid gzip`);
    }
  }
  const lines: string[] = [];
  let start = 0;
  for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
    if (nl > start) lines.push(data.toString("utf8", start, nl));
    start = nl + 1;
  }
  if (start < data.length) lines.push(data.toString("utf8", start));
  return lines;
}

/**
 * Reads and merges shard facts files. Refuses (exit 2) files of another tool version or config,
 * an incomplete or repeated set of shards, and a file listed by two shards.
 */
export function readShardFacts(
  files: readonly string[],
  cwd: string,
  loaded: LoadedConfig,
): { files: { facts: FileFacts; isTest: boolean }[]; skipped: { file: string; reason: string }[] } {
  if (files.length === 0) throw new UsageError("--facts needs at least one facts file");
  requireConfigFile(loaded, "--facts");
  const isTest = globMatcher(loaded.config.tests);
  const digest = configDigest(loaded);
  const seenShards = new Map<number, string>();
  const seenFiles = new Set<string>();
  const merged: { facts: FileFacts; isTest: boolean }[] = [];
  const skipped = new Map<string, string>();
  const strings = new StringPool();
  let count: number | undefined;
  for (const name of files) {
    const abs = path.resolve(cwd, name);
    const lines = readLines(abs, name);
    let header: Header;
    try {
      header = JSON.parse(lines[0] ?? "") as Header;
    } catch {
      throw new UsageError(`${name} is not an ssot-audit facts file (bad header)`);
    }
    if (header?.kind !== KIND) throw new UsageError(`${name} is not an ssot-audit facts file`);
    if (header.version !== FORMAT_VERSION) {
      throw new UsageError(`${name} is in facts format ${String(header.version)}; this ssot-audit reads format ${FORMAT_VERSION}: re-run the shards with one version`);
    }
    if (header.tool?.version !== VERSION) throw new UsageError(`${name} was written by ssot-audit ${header.tool?.version}; this is ${VERSION}: re-run the shards with one version`);
    if (header.config !== digest) throw new UsageError(`${name} was written with a different config (include, exclude, maxFileSize or parseBudgetMs differ)`);
    const { index, count: n } = header.shard ?? { index: 0, count: 0 };
    if (count !== undefined && n !== count) throw new UsageError(`${name} is shard ${index}/${n}, but another file is from a run split into ${count} shards`);
    count = n;
    const other = seenShards.get(index);
    if (other !== undefined) throw new UsageError(`${name} and ${other} are both shard ${index}/${n}`);
    seenShards.set(index, name);
    if (lines.length - 1 !== header.files) throw new UsageError(`${name} is truncated: ${lines.length - 1} of ${header.files} files`);
    for (const s of header.skipped ?? []) skipped.set(s.file, s.reason);
    for (let i = 1; i < lines.length; i++) {
      let facts: FileFacts;
      try {
        facts = decodeFacts(lines[i] ?? "", strings);
      } catch {
        throw new UsageError(`${name}: line ${i + 1} is not a file's facts`);
      }
      // The encoded line is not needed any more (a shard's lines are tens of MB).
      lines[i] = "";
      if (seenFiles.has(facts.file)) throw new UsageError(`${facts.file} appears in two facts files`);
      seenFiles.add(facts.file);
      merged.push({ facts, isTest: isTest(facts.file) });
    }
  }
  const missing: number[] = [];
  for (let i = 1; i <= (count ?? 0); i++) if (!seenShards.has(i)) missing.push(i);
  if (missing.length > 0) throw new UsageError(`missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} in --facts`);
  merged.sort((a, b) => (a.facts.file < b.facts.file ? -1 : a.facts.file > b.facts.file ? 1 : 0));
  return { files: merged, skipped: [...skipped].map(([file, reason]) => ({ file, reason })) };
}
