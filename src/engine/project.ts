import fs from "node:fs";
import path from "node:path";
import { type LoadedConfig, defaultConfig, findConfig, loadConfig } from "../config/load.js";
import { discoverFiles } from "../files/discover.js";
import { UsageError } from "../files/errors.js";
import { isInside } from "../files/paths.js";
import { ProjectModel } from "../model/project.js";
import type { FileEntry } from "../model/types.js";
import { extractFile } from "./extract.js";

export interface ProjectOptions {
  /** Files or folders to audit, relative to `cwd` (default `.`). */
  paths: string[];
  cwd: string;
  /** Explicit config file (`--config`). */
  configPath?: string;
  /** Diagnostics for stderr (never the report). */
  warn?: (message: string) => void;
}

/** The analysed project: config, every file's facts, and the model built from them. */
export interface Project {
  loaded: LoadedConfig;
  /** Absolute paths the user asked about; findings outside them are not reported. */
  requested: string[];
  entries: FileEntry[];
  skipped: { file: string; reason: string }[];
  model: ProjectModel;
}

/** Resolves the config for a run: `--config`, else the nearest config from the first path upward. */
export function resolveRunConfig(options: Pick<ProjectOptions, "paths" | "cwd" | "configPath">): LoadedConfig {
  const first = path.resolve(options.cwd, options.paths[0] ?? ".");
  if (!fs.existsSync(first)) throw new UsageError(`path not found: ${options.paths[0] ?? "."}`);
  if (options.configPath) return loadConfig(options.configPath, { cwd: options.cwd });
  const found = findConfig(first);
  if (found) return loadConfig(found, { cwd: options.cwd });
  return defaultConfig(fs.statSync(first).isDirectory() ? first : path.dirname(first));
}

/**
 * Discovers and extracts every file under the config's root — the whole project, because
 * cross-file resolution needs it — and marks which files lie under the requested paths.
 */
export async function loadProject(options: ProjectOptions): Promise<Project> {
  const warn = options.warn ?? (() => {});
  const loaded = resolveRunConfig(options);
  const { config, rootDir } = loaded;
  const requested = (options.paths.length > 0 ? options.paths : ["."]).map((p) => path.resolve(options.cwd, p));
  for (const p of requested) {
    if (!fs.existsSync(p)) throw new UsageError(`path not found: ${path.relative(options.cwd, p) || "."}`);
    if (p !== rootDir && !isInside(rootDir, p)) {
      throw new UsageError(`${path.relative(options.cwd, p)} is outside the project root ${path.relative(options.cwd, rootDir) || "."} (the config's folder)`);
    }
  }
  const isRequested = (abs: string) => requested.some((p) => p === abs || isInside(p, abs));

  const discovery = await discoverFiles({
    rootDir,
    paths: [rootDir],
    include: config.include,
    exclude: config.exclude,
    tests: config.tests,
    maxFileSize: config.maxFileSize,
  });
  const entries: FileEntry[] = [];
  const skipped = [...discovery.skipped];
  for (const source of discovery.files) {
    const outcome = await extractFile(source, { parseBudgetMs: config.parseBudgetMs }, warn);
    if ("skipped" in outcome) skipped.push({ file: source.rel, reason: outcome.skipped });
    else entries.push({ facts: outcome.facts, isTest: source.isTest, reported: isRequested(source.path) });
  }
  const reportedSkips = skipped.filter((s) => isRequested(path.join(rootDir, s.file))).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const s of reportedSkips) warn(`ssot-audit: skipped ${s.file}: ${s.reason}`);
  return { loaded, requested, entries, skipped: reportedSkips, model: new ProjectModel(entries) };
}
