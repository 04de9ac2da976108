/**
 * The whole-run memo: the report of the last few `check` runs, keyed by everything that
 * decides it — the tool's code, the config, the files audited (path, test or not, content hash),
 * the requested paths, the baseline's content and the suppression switch. When none of that
 * changed, `check` re-reads and hashes every file, finds the key, and returns the stored report
 * without loading a single file's facts (as `tsc --incremental` does with an unchanged program).
 * Any change — one byte in one file — misses, and the run goes through the facts cache as usual.
 *
 * Entries live in `<cache>/runs/`, are written with temp-and-rename and carry a checksum, like
 * facts entries; a torn or foreign entry is a miss. Only the newest `KEEP` entries are kept.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { threadId } from "node:worker_threads";
import type { Report } from "../report/types.js";
import type { CacheConfig } from "./store.js";
import { makeDirectory } from "../util/make-directory.js";

const MAGIC = "ssot-audit-run/1";
const KEEP = 8;

export interface RunMemoInput {
  /** `analysisSalt()`: tool version, dependency versions, the code itself. */
  salt: string;
  config: unknown;
  /** Requested paths, relative to the root. */
  requested: readonly string[];
  /** The working directory, relative to the root. */
  cwd: string;
  files: readonly { rel: string; isTest: boolean; hash: string }[];
  /** Files discovery skipped (too large …), with the reason. */
  skipped: readonly { file: string; reason: string }[];
  inlineIgnore: boolean;
  baseline?: { rel: string; hash: string };
  /** The root's `tsconfig.json` and the configs it extends, each `path:sha1` (one per line), when there is one (the TypeScript checker reads them). */
  tsconfig?: string;
  /** How the stored report was enriched beyond the analysis (`fixes` for SARIF), if it was. */
  variant?: string;
}

/** The memo key of a run's inputs. */
export function runMemoKey(input: RunMemoInput): string {
  const hash = createHash("sha1");
  const { files, ...rest } = input;
  hash.update(JSON.stringify(rest));
  for (const f of files) hash.update(`\n${f.rel}\0${f.isTest ? 1 : 0}\0${f.hash}`);
  return hash.digest("hex");
}

function entryFile(cache: CacheConfig, key: string): string {
  return path.join(cache.dir, "runs", `${createHash("sha1").update(cache.namespace).update("\0").update(key).digest("hex")}.json`);
}

/** The stored report for `key`, or undefined (missing, torn, foreign or malformed entry). */
export function readRunMemo(cache: CacheConfig, key: string): Report | undefined {
  let data: string;
  try {
    data = fs.readFileSync(entryFile(cache, key), "utf8");
  } catch {
    return undefined;
  }
  const nl = data.indexOf("\n");
  if (nl < 0) return undefined;
  const [magic, storedKey, bodyHash] = data.slice(0, nl).split("\t");
  const body = data.slice(nl + 1);
  if (magic !== MAGIC || storedKey !== key || createHash("sha1").update(body).digest("hex") !== bodyHash) return undefined;
  try {
    const report = JSON.parse(body) as Report;
    if (report?.version !== 1 || !Array.isArray(report.findings) || typeof report.summary !== "object") return undefined;
    return report;
  } catch {
    return undefined;
  }
}

/** Stores a run's report under `key` and drops all but the newest entries. Never throws. */
export function writeRunMemo(cache: CacheConfig, key: string, report: Report): void {
  const file = entryFile(cache, key);
  const body = JSON.stringify(report);
  const temp = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    makeDirectory(path.dirname(file));
    fs.writeFileSync(temp, `${[MAGIC, key, createHash("sha1").update(body).digest("hex")].join("\t")}\n${body}`);
    fs.renameSync(temp, file);
    prune(path.dirname(file));
  } catch {
    // The memo only saves time; a run that cannot write it is still correct.
    fs.rmSync(temp, { force: true });
  }
}

function prune(dir: string): void {
  const entries = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => {
      const abs = path.join(dir, name);
      try {
        return { abs, mtime: fs.statSync(abs).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((e) => e !== undefined)
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(KEEP)) fs.rmSync(old.abs, { force: true });
}
