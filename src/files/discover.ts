/**
 * File discovery: which files of the project are audited.
 *
 * - Directories are walked with fast-glob without following symbolic links (so symlink loops
 *   cannot hang the walk, and nothing outside the root is reached through a link). Symbolic links
 *   met during the walk are left out, files and folders alike: their targets, when inside the
 *   root, are found under their real paths.
 * - Dot files and dot folders are left out of walks; a path given explicitly may be one.
 * - Built-in excludes (BUILTIN_EXCLUDES) and the config's `exclude` apply to every file; an exclude
 *   pattern also excludes everything below a folder it matches.
 * - `.gitignore` files in the root and every folder below it are honoured (deeper files take
 *   precedence, `!negations` work as in git); those above the root are not read.
 * - `include` applies to walked files only: a file given explicitly is audited even if `include`
 *   does not match it (as ESLint does), unless it is excluded or gitignored.
 * - Only Python and TypeScript/JavaScript files (see `languageOf`) are returned; other walked
 *   files are dropped silently, other explicit files are reported in `skipped`.
 *
 * Glob matching outside fast-glob (tests, excludes of explicit files, include within a walked
 * sub-folder) uses picomatch, the matcher fast-glob itself uses, so both agree.
 */
import fs from "node:fs/promises";
import path from "node:path";
import fg from "fast-glob";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { UsageError } from "./errors.js";
import { type Language, languageOf } from "./language.js";
import { displayPath, isInside, toPosix } from "./paths.js";

export interface SourceFile {
  /** Absolute path (under `rootDir`). */
  path: string;
  /** Path relative to `rootDir`, with `/` separators. */
  rel: string;
  language: Language;
  /** Size in bytes. */
  size: number;
  /** Whether the file matches the `tests` globs. */
  isTest: boolean;
}

export interface SkippedFile {
  /** Path relative to `rootDir` (`/` separators), or absolute for a file outside it. */
  file: string;
  reason: string;
}

export interface DiscoveryResult {
  /** Sorted by `rel`. */
  files: SourceFile[];
  /** Files left out with a reason worth telling the user, sorted by `file`. */
  skipped: SkippedFile[];
}

export interface DiscoverOptions {
  /** The project root (the config's folder): every `rel` and glob is relative to it. */
  rootDir: string;
  /** Files or folders to audit (absolute, or relative to the process cwd). */
  paths: string[];
  /** Globs of files to audit in walked folders, relative to rootDir. */
  include: string[];
  /** Globs of files to skip, in addition to BUILTIN_EXCLUDES. */
  exclude: string[];
  /** Globs that mark test files. */
  tests: string[];
  /** Files larger than this (bytes) are skipped. */
  maxFileSize: number;
  /**
   * Files the caller needs whatever the paths are (e.g. the concepts' canonical files), absolute
   * or relative to rootDir. They bypass include, exclude and .gitignore; one that is missing,
   * outside the root or too large is reported in `skipped` rather than thrown about.
   */
  extraFiles?: string[];
}

/** Always excluded. */
export const BUILTIN_EXCLUDES: readonly string[] = [
  "**/node_modules/**",
  "**/.git/**",
  "**/dist/**",
  "**/build/**",
  "**/.venv/**",
  "**/venv/**",
  "**/.env/**",
  "**/__pycache__/**",
  "**/.tox/**",
  "**/.mypy_cache/**",
  "**/site-packages/**",
  "**/coverage/**",
  "**/.next/**",
];

type Kind = "walked" | "explicit" | "extra";

interface Candidate {
  rel: string;
  kind: Kind;
  size: number | undefined;
}

/** Find the files to audit. Throws `UsageError` for a path that does not exist or is outside rootDir. */
export async function discoverFiles(opts: DiscoverOptions): Promise<DiscoveryResult> {
  const rootDir = path.resolve(opts.rootDir);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(rootDir);
  } catch {
    throw new UsageError(`path not found: ${displayPath(rootDir)}`);
  }

  const excludes = expandExcludes([...BUILTIN_EXCLUDES, ...opts.exclude]);
  const excludeMatchers = excludes.map((glob) => ({ glob, match: picomatch(glob, { dot: true }) }));
  const isTest = globMatcher(opts.tests);
  const isIncluded = globMatcher(opts.include);

  const candidates = new Map<string, Candidate>();
  const skipped = new Map<string, string>();
  const walks: { patterns: string[]; filterByInclude: boolean }[] = [];
  const explicitDirs: string[] = [];

  const addCandidate = (candidate: Candidate): void => {
    const existing = candidates.get(candidate.rel);
    // An explicit or extra request wins over a walk (it bypasses include).
    if (existing === undefined || existing.kind === "walked") candidates.set(candidate.rel, candidate);
  };

  // Resolve a requested path to its real location relative to the root.
  const locate = async (
    requested: string,
    kind: "explicit" | "extra",
  ): Promise<{ rel: string; stats: import("node:fs").Stats } | undefined> => {
    const abs = path.resolve(kind === "extra" ? rootDir : process.cwd(), requested);
    const shown = isInside(rootDir, abs) ? toPosix(path.relative(rootDir, abs)) : abs;
    let real: string;
    let isLink: boolean;
    try {
      isLink = (await fs.lstat(abs)).isSymbolicLink();
    } catch {
      if (kind === "extra") {
        skipped.set(shown, "not found");
        return undefined;
      }
      throw new UsageError(`path not found: ${displayPath(abs)}`);
    }
    try {
      real = await fs.realpath(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
      skipped.set(shown, isLink && code === "ENOENT" ? "broken symbolic link" : `unreadable: ${code}`);
      return undefined;
    }
    if (!isInside(realRoot, real)) {
      if (isInside(rootDir, abs)) {
        skipped.set(shown, "symbolic link to a path outside the root");
        return undefined;
      }
      if (kind === "extra") {
        skipped.set(shown, "outside the root");
        return undefined;
      }
      throw new UsageError(`path is outside the project root ${displayPath(rootDir)}: ${displayPath(abs)}`);
    }
    const stats = await fs.stat(real);
    return { rel: toPosix(path.relative(realRoot, real)), stats };
  };

  for (const requested of opts.paths) {
    const found = await locate(requested, "explicit");
    if (found === undefined) continue;
    const { rel, stats } = found;
    if (stats.isDirectory()) {
      if (rel === "") walks.push({ patterns: opts.include, filterByInclude: false });
      else {
        walks.push({ patterns: [`${fg.escapePath(rel)}/**/*`], filterByInclude: true });
        explicitDirs.push(rel);
      }
    } else if (stats.isFile()) {
      addCandidate({ rel, kind: "explicit", size: stats.size });
    } else {
      skipped.set(rel, "not a regular file");
    }
  }
  for (const requested of opts.extraFiles ?? []) {
    const found = await locate(requested, "extra");
    if (found === undefined) continue;
    if (found.stats.isFile()) addCandidate({ rel: found.rel, kind: "extra", size: found.stats.size });
    else skipped.set(found.rel, "not a regular file");
  }

  for (const walk of walks) {
    const entries = await fg(walk.patterns, {
      cwd: rootDir,
      ignore: excludes,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
      suppressErrors: true,
      throwErrorOnBrokenSymbolicLink: false,
      unique: true,
      stats: true,
    });
    for (const entry of entries) {
      const rel = entry.path;
      if (rel.startsWith("../") || path.posix.isAbsolute(rel)) continue;
      if (languageOf(rel) === undefined) continue;
      if (walk.filterByInclude && !isIncluded(rel)) continue;
      addCandidate({ rel, kind: "walked", size: entry.stats?.size });
    }
  }

  const gitignore = new GitignoreRules(rootDir);
  await gitignore.load([...candidates.keys(), ...explicitDirs.map((dir) => `${dir}/-`)]);

  // Tell why a folder given explicitly yields nothing.
  for (const dir of explicitDirs) {
    const exclude = excludeMatchers.find((m) => m.match(dir) || m.match(`${dir}/`));
    if (exclude !== undefined) skipped.set(dir, `excluded by ${JSON.stringify(exclude.glob)}`);
    else if (gitignore.ignoresDir(dir)) skipped.set(dir, "ignored by .gitignore");
  }

  const files: SourceFile[] = [];
  for (const candidate of candidates.values()) {
    const { rel, kind } = candidate;
    const language = languageOf(rel);
    if (language === undefined) {
      skipped.set(rel, "not a Python or TypeScript/JavaScript file");
      continue;
    }
    if (kind !== "extra") {
      const exclude = excludeMatchers.find((m) => m.match(rel));
      if (exclude !== undefined) {
        if (kind === "explicit") skipped.set(rel, `excluded by ${JSON.stringify(exclude.glob)}`);
        continue;
      }
      if (gitignore.ignores(rel)) {
        if (kind === "explicit") skipped.set(rel, "ignored by .gitignore");
        continue;
      }
    }
    const absolute = path.join(rootDir, ...rel.split("/"));
    let size = candidate.size;
    if (size === undefined) {
      try {
        size = (await fs.stat(absolute)).size;
      } catch (error) {
        skipped.set(rel, `unreadable: ${(error as NodeJS.ErrnoException).code ?? "unknown error"}`);
        continue;
      }
    }
    if (size > opts.maxFileSize) {
      skipped.set(rel, `larger than maxFileSize (${size} bytes)`);
      continue;
    }
    files.push({ path: absolute, rel, language, size, isTest: isTest(rel) });
  }

  files.sort((a, b) => compareStrings(a.rel, b.rel));
  const skippedList = [...skipped].map(([file, reason]) => ({ file, reason }));
  skippedList.sort((a, b) => compareStrings(a.file, b.file));
  return { files, skipped: skippedList };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `dir/` → `dir/**`; and each pattern also covers everything below a folder it matches. */
function expandExcludes(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of globs) {
    const glob = raw.endsWith("/") ? `${raw}**` : raw;
    out.add(glob);
    if (!glob.endsWith("/**")) out.add(`${glob}/**`);
  }
  return [...out];
}

/** A matcher for a glob list where `!pattern` entries subtract, as in fast-glob. */
export function globMatcher(globs: readonly string[]): (rel: string) => boolean {
  const positive = globs.filter((g) => !g.startsWith("!"));
  const negative = globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1));
  const matchPositive = positive.length > 0 ? picomatch(positive, { dot: true }) : () => false;
  const matchNegative = negative.length > 0 ? picomatch(negative, { dot: true }) : () => false;
  return (rel) => matchPositive(rel) && !matchNegative(rel);
}

/** The .gitignore files of the root and the folders below it, evaluated as git does. */
class GitignoreRules {
  /** Folder (rel, "" for the root) → its rules, or null if it has no .gitignore. */
  private readonly rules = new Map<string, Ignore | null>();
  private readonly dirIgnored = new Map<string, boolean>();

  constructor(private readonly rootDir: string) {}

  /** Read the .gitignore files of every folder on the way to the given files. */
  async load(rels: readonly string[]): Promise<void> {
    const dirs = new Set<string>([""]);
    for (const rel of rels) {
      let dir = path.posix.dirname(rel);
      while (dir !== "." && !dirs.has(dir)) {
        dirs.add(dir);
        dir = path.posix.dirname(dir);
      }
    }
    const pending = [...dirs];
    const BATCH = 64;
    for (let i = 0; i < pending.length; i += BATCH) {
      await Promise.all(
        pending.slice(i, i + BATCH).map(async (dir) => {
          try {
            const text = await fs.readFile(path.join(this.rootDir, dir, ".gitignore"), "utf8");
            this.rules.set(dir, ignore().add(text));
          } catch {
            this.rules.set(dir, null);
          }
        }),
      );
    }
  }

  /** Whether the file (rel to the root) is ignored, by its own rules or through a folder. */
  ignores(rel: string): boolean {
    const dir = path.posix.dirname(rel);
    if (dir !== "." && this.isDirIgnored(dir)) return true;
    return this.match(rel, false);
  }

  /** Whether a folder (rel to the root) is ignored. */
  ignoresDir(dir: string): boolean {
    return this.isDirIgnored(dir);
  }

  private isDirIgnored(dir: string): boolean {
    const cached = this.dirIgnored.get(dir);
    if (cached !== undefined) return cached;
    const parent = path.posix.dirname(dir);
    const result = (parent !== "." && this.isDirIgnored(parent)) || this.match(dir, true);
    this.dirIgnored.set(dir, result);
    return result;
  }

  /** Apply the rules of every .gitignore above `rel`, shallowest first; the last decisive one wins. */
  private match(rel: string, isDir: boolean): boolean {
    let ignored = false;
    const segments = rel.split("/");
    for (let depth = 0; depth < segments.length; depth++) {
      const base = segments.slice(0, depth).join("/");
      const rules = this.rules.get(base);
      if (rules === undefined || rules === null) continue;
      const relToBase = segments.slice(depth).join("/") + (isDir ? "/" : "");
      const result = rules.test(relToBase);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}
