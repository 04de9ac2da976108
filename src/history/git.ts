/**
 * `--git-history N`: the migration trend read from past commits, without touching the work
 * tree. For each sampled commit the project's files are listed with `git ls-tree`, their
 * blobs are read with one `git cat-file --batch` process per commit (what `git show
 * <rev>:<path>` prints, without a process per file), and the same extractors, model and
 * concept analysis as a normal run turn them into a snapshot.
 *
 * Bounds: at most MAX_GIT_SAMPLES commits; files larger than `maxFileSize` are skipped; facts
 * of blobs unchanged since the previous sample are reused, and only the previous sample's facts
 * are kept, so memory stays at about one project's facts.
 *
 * The current config is applied to every commit (the trend measures today's concepts against
 * past code). A concept whose canonical did not exist yet at a commit is left out of that
 * snapshot. Tracked files are analysed as committed; `.gitignore` is not consulted.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { ConfigError } from "../config/errors.js";
import type { LoadedConfig } from "../config/load.js";
import { analyzeConcepts, buildReport } from "../engine/check.js";
import type { Project } from "../engine/project.js";
import type { FileFacts } from "../facts/types.js";
import { BUILTIN_EXCLUDES, globMatcher } from "../files/discover.js";
import { UsageError } from "../files/errors.js";
import { languageOf } from "../files/language.js";
import { isInside, toPosix } from "../files/paths.js";
import { decodeSource } from "../files/read.js";
import { extractorFor } from "../languages/index.js";
import type { ConceptAnalysis } from "../model/concepts.js";
import { ProjectModel } from "../model/project.js";
import type { FileEntry } from "../model/types.js";
import { sampleEvenly } from "./sample.js";
import { type Snapshot, snapshotOf } from "./snapshot.js";
import { GitError, git as runGit } from "../git/run.js";
import { failedFacts } from "../facts/failed.js";

/** The most commits `--git-history` analyses in one run. */
export const MAX_GIT_SAMPLES = 100;

/** Runs git (no shell) and returns stdout; a failure becomes a `UsageError` with git's first stderr line. */
async function git(args: readonly string[], cwd: string): Promise<string> {
  try {
    return await runGit(cwd, args);
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(`git ${args[0] ?? ""} failed in ${cwd}: ${error.message}`);
    throw error;
  }
}

/** The commit checked out in `dir` (full id), or null outside a git repository or before the first commit. */
export async function headCommit(dir: string): Promise<string | null> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], dir)).trim() || null;
  } catch {
    return null;
  }
}

export interface CommitRef {
  commit: string;
  /** Committer date, ISO 8601 in UTC. */
  date: string;
}

/** The first-parent ancestors of HEAD (HEAD itself excluded), oldest first. */
export async function pastCommits(dir: string): Promise<CommitRef[]> {
  const out = await git(["log", "--first-parent", "--format=%H %cI", "HEAD"], dir);
  const commits = out
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const [commit = "", date = ""] = l.split(" ");
      return { commit, date: new Date(date).toISOString() };
    });
  return commits.slice(1).reverse();
}

export interface GitHistoryOptions {
  loaded: LoadedConfig;
  /** Absolute paths whose files are counted (the run's `requested` paths). */
  requested: string[];
  /** How many past commits to sample (1..MAX_GIT_SAMPLES). */
  count: number;
  /** Progress and notices for stderr. */
  warn?: (message: string) => void;
}

interface TreeFile {
  rel: string;
  oid: string;
  language: "python" | "typescript";
  isTest: boolean;
}

/** Snapshots of `count` past commits sampled evenly from HEAD's first-parent history, oldest first. */
export async function gitHistory(options: GitHistoryOptions): Promise<Snapshot[]> {
  const { loaded, count } = options;
  const warn = options.warn ?? (() => {});
  const rootDir = fs.realpathSync(loaded.rootDir);
  if ((await headCommit(rootDir)) === null) {
    throw new UsageError(`--git-history needs a git repository with commits: ${rootDir} is not inside one`);
  }
  const top = fs.realpathSync((await git(["rev-parse", "--show-toplevel"], rootDir)).trim());
  const prefix = toPosix(path.relative(top, rootDir));
  const commits = sampleEvenly(await pastCommits(rootDir), count);
  if (commits.length === 0) warn("ssot-audit: --git-history: HEAD has no earlier commits to sample");

  const selectFile = fileSelector(loaded);
  const requested = options.requested.map((p) => (fs.existsSync(p) ? fs.realpathSync(p) : p));
  const isRequested = (rel: string) => {
    const abs = path.join(rootDir, ...rel.split("/"));
    return requested.some((p) => p === abs || isInside(p, abs));
  };
  let previous = new Map<string, FileFacts>();
  const snapshots: Snapshot[] = [];
  for (const [i, ref] of commits.entries()) {
    warn(`ssot-audit: --git-history: analysing commit ${i + 1}/${commits.length} ${ref.commit.slice(0, 10)} (${ref.date})`);
    const files = (await listTree(top, ref.commit, prefix, loaded.config.maxFileSize)).flatMap((f) => {
      const selected = selectFile(f.rel);
      return selected ? [{ ...f, ...selected }] : [];
    });
    const current = new Map<string, FileFacts>();
    const missing = files.filter((f) => {
      const known = previous.get(cacheKey(f));
      if (known) current.set(cacheKey(f), known);
      return !known;
    });
    const blobs = await readBlobs(
      top,
      missing.map((f) => f.oid),
    );
    for (const f of missing) {
      const bytes = blobs.get(f.oid);
      const facts = bytes ? await extractBlob(f, bytes, loaded.config.parseBudgetMs, warn) : undefined;
      if (facts) current.set(cacheKey(f), facts);
    }
    const entries: FileEntry[] = files.flatMap((f) => {
      const facts = current.get(cacheKey(f));
      return facts ? [{ facts, isTest: f.isTest, reported: isRequested(f.rel) }] : [];
    });
    snapshots.push(analyzeSnapshot(loaded, options.requested, entries, ref));
    previous = current;
  }
  return snapshots;
}

function cacheKey(f: TreeFile): string {
  return `${f.oid}\0${f.rel}`;
}

/** The same selection as file discovery: language, dot folders, built-in and configured excludes, include, tests. */
function fileSelector(loaded: LoadedConfig): (rel: string) => Pick<TreeFile, "language" | "isTest"> | undefined {
  const excludes = [...BUILTIN_EXCLUDES, ...loaded.config.exclude].flatMap((raw) => {
    const glob = raw.endsWith("/") ? `${raw}**` : raw;
    return glob.endsWith("/**") ? [glob] : [glob, `${glob}/**`];
  });
  const isExcluded = picomatch(excludes, { dot: true });
  const isIncluded = globMatcher(loaded.config.include);
  const isTest = globMatcher(loaded.config.tests);
  return (rel) => {
    const language = languageOf(rel);
    if (!language || rel.split("/").some((s) => s.startsWith("."))) return undefined;
    if (isExcluded(rel) || !isIncluded(rel)) return undefined;
    return { language, isTest: isTest(rel) };
  };
}

/** Regular files under `prefix` at `commit`, with paths relative to the prefix. */
async function listTree(top: string, commit: string, prefix: string, maxSize: number): Promise<{ rel: string; oid: string }[]> {
  const out = await git(["ls-tree", "-r", "-z", "-l", "--full-tree", commit, ...(prefix ? ["--", `${prefix}/`] : [])], top);
  const files: { rel: string; oid: string }[] = [];
  for (const record of out.split("\0")) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(\S+)\t(.*)$/s.exec(record);
    if (!m) continue;
    const [, mode = "", type, oid = "", size, full = ""] = m;
    // Regular files only: no symbolic links (120000), no submodules.
    if (type !== "blob" || !mode.startsWith("100") || Number(size) > maxSize) continue;
    const rel = prefix ? full.slice(prefix.length + 1) : full;
    if (prefix && !full.startsWith(`${prefix}/`)) continue;
    files.push({ rel, oid });
  }
  return files;
}

/** Reads blobs by object id through one `git cat-file --batch` process. */
function readBlobs(top: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: top, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new UsageError(`git cat-file failed in ${top}: ${stderr.trim() || `exit code ${code}`}`));
        return;
      }
      try {
        resolve(parseBatch(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(`${unique.join("\n")}\n`);
  });
}

/** Parses `git cat-file --batch` output: `<oid> <type> <size>\n<content>\n` per object. */
export function parseBatch(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = out.subarray(at, eol).toString("utf8");
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) {
      // `<oid> missing`: skip the line.
      at = eol + 1;
      continue;
    }
    const size = Number(m[3]);
    blobs.set(m[1] ?? "", out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

/**
 * Extracts one blob's facts, as a normal run does: a binary blob is skipped (undefined), and
 * an extractor failure becomes a parse error.
 */
async function extractBlob(f: TreeFile, bytes: Buffer, parseBudgetMs: number, warn: (m: string) => void): Promise<FileFacts | undefined> {
  const read = decodeSource(bytes);
  if ("skip" in read) return undefined;
  const base = { file: f.rel, language: f.language, hash: read.hash, bom: read.bom, eol: read.eol };
  try {
    const facts = await extractorFor(f.language).extract(f.rel, read.text, { parseBudgetMs });
    return { ...facts, ...base };
  } catch (error) {
    warn(`ssot-audit: internal error while extracting ${f.rel} from git (please report): ${(error as Error).message}`);
    return failedFacts(base, read.text.split("\n").length, `internal extractor error: ${(error as Error).message}`);
  }
}

/** Runs each concept's analysis on one commit's files; a concept without its canonical there is left out. */
function analyzeSnapshot(loaded: LoadedConfig, requested: string[], entries: FileEntry[], ref: CommitRef): Snapshot {
  const project: Project = { loaded, requested, entries, skipped: [], model: new ProjectModel(entries) };
  const analyses: ConceptAnalysis[] = [];
  for (const concept of Object.values(loaded.config.concepts)) {
    const single: LoadedConfig = { ...loaded, config: { ...loaded.config, concepts: { [concept.id]: concept } } };
    try {
      // Parse-only: the type checker would read today's files, not this commit's.
      analyses.push(...analyzeConcepts({ ...project, loaded: single }, { typeCheck: false }));
    } catch (error) {
      if (error instanceof ConfigError) continue;
      throw error;
    }
  }
  return snapshotOf(buildReport(project, analyses, [], 0), ref.date, ref.commit);
}
