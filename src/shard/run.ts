import path from "node:path";
import { type ProjectOptions, discoverProject, extractSources, resolveRequest } from "../engine/project.js";
import type { ExtractionStats } from "../engine/pool.js";
import { type ShardSpec, requireConfigFile, shardOf, writeShardFacts } from "./facts-file.js";

export interface ShardRunOptions extends ProjectOptions {
  shard: ShardSpec;
  /** Where to write the shard's facts (relative to `cwd`; `.gz` compresses). */
  factsOut: string;
}

/**
 * `check --shard i/n --facts-out FILE`: discovers the whole project, extracts the files of one
 * shard (a hash of each path decides its shard, so every machine agrees) and writes their facts.
 * No analysis runs: the cross-file rules need every shard (`check --facts …`).
 */
export async function runShard(options: ShardRunOptions): Promise<{ files: number; total: number; stats: ExtractionStats; out: string }> {
  const { loaded } = resolveRequest(options);
  requireConfigFile(loaded, "--shard");
  const discovery = await discoverProject(loaded);
  const inShard = (f: { rel: string }) => shardOf(f.rel, options.shard.count) === options.shard.index;
  const mine = discovery.files.filter(inShard);
  const others = discovery.files.filter((f) => !inShard(f)).map((f) => f.rel);
  const extracted = await extractSources(mine, loaded, options, others);
  const out = path.resolve(options.cwd, options.factsOut);
  writeShardFacts(
    out,
    options.shard,
    loaded,
    extracted.files.map((f) => f.facts),
    [...discovery.skipped, ...extracted.skipped],
  );
  return { files: mine.length, total: discovery.files.length, stats: extracted.stats, out };
}
