import type { ProjectOptions } from "../engine/project.js";
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
}

/**
 * Project options for the performance flags: the facts cache is on unless `--no-cache`, the
 * progress bar shows on a terminal unless `--no-progress`/`--quiet`. Call `stop()` when the
 * project is loaded (it clears the bar).
 */
export function engineOptions(flags: EngineFlags): { options: Pick<ProjectOptions, "cache" | "cacheLocation" | "jobs" | "onProgress">; stop: () => void } {
  const progress = createProgress({ enabled: flags.progress !== false && !flags.quiet });
  return {
    options: {
      cache: flags.cache !== false,
      ...(flags.cache !== false && flags.cacheLocation !== undefined ? { cacheLocation: flags.cacheLocation } : {}),
      ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
      onProgress: progress.onProgress,
    },
    stop: progress.stop,
  };
}
