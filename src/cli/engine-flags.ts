import { type Command, InvalidArgumentError } from "commander";
import type { ProjectOptions } from "../engine/project.js";
import { Timings, timedAsync } from "../engine/timings.js";
import { createProgress } from "../progress/bar.js";

/** The performance flags shared by commands that load a project. */
export interface EngineFlags {
  /** false with `--no-cache`. */
  cache?: boolean;
  cacheLocation?: string;
  jobs?: number;
  /** false with `--no-progress`. */
  progress?: boolean;
  quiet?: boolean;
  /** `--timing`: print each phase's wall-clock time on stderr at the end. */
  timing?: boolean;
}

/** Parses a count flag (`--jobs`, `--top`): a whole number ≥ 1. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, found "${value}"`);
  return n;
}

/** Adds the performance flags (`EngineFlags` without `--quiet`/`--timing`) to a command that loads a project. */
export function addEngineFlags(command: Command): Command {
  return command
    .option("--no-cache", "do not read or write the facts cache")
    .option("--cache-location <dir>", "facts cache folder")
    .option("--jobs <n>", "worker threads", parseCount)
    .option("--no-progress", "no progress bar");
}

/**
 * Project options for the performance flags: the facts cache is on unless `--no-cache`, the
 * progress bar shows on a terminal unless `--no-progress`/`--quiet`. Call `stop()` when the
 * project is loaded (it clears the bar).
 */
export function engineOptions(flags: EngineFlags): {
  options: Pick<ProjectOptions, "cache" | "cacheLocation" | "jobs" | "onProgress" | "timings">;
  stop: () => void;
  timings?: Timings;
} {
  const progress = createProgress({ enabled: flags.progress !== false && !flags.quiet });
  const timings = flags.timing ? new Timings() : undefined;
  return {
    options: {
      cache: flags.cache !== false,
      ...(flags.cache !== false && flags.cacheLocation !== undefined ? { cacheLocation: flags.cacheLocation } : {}),
      ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
      onProgress: progress.onProgress,
      ...(timings ? { timings } : {}),
    },
    stop: progress.stop,
    ...(timings ? { timings } : {}),
  };
}

/** Writes the reports as the run's last phase, then (`--timing`) prints the phases' table on stderr. */
export async function writeReportsTimed(timings: Timings | undefined, write: () => Promise<void> | void): Promise<void> {
  await timedAsync(timings, "write reports", async () => write());
  if (timings) process.stderr.write(formatTimings(timings));
}

/** The `--timing` table: each phase's wall-clock time and what it did, then the total. */
function formatTimings(timings: Timings): string {
  const rows = [...timings.phases.map((p) => [p.name, p.ms, p.detail ?? ""] as const), ["total", timings.elapsedMs, ""] as const];
  const width = Math.max(...rows.map(([name]) => name.length));
  const ms = rows.map(([, t]) => `${Math.round(t).toLocaleString("en-US")} ms`);
  const msWidth = Math.max(...ms.map((m) => m.length));
  const lines = rows.map(([name, , detail], i) => `  ${name.padEnd(width)}  ${(ms[i] ?? "").padStart(msWidth)}${detail ? `  ${detail}` : ""}`);
  return `ssot-audit: timing (wall clock)\n${lines.join("\n")}\n`;
}
