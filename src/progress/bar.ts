/**
 * The extraction progress bar: on stderr, only when stderr is a terminal, only once the run has
 * taken longer than about a second (short runs stay silent), and never with `--no-progress` or
 * `--quiet`. Shows files done / total, cache hits and elapsed time.
 */
import cliProgress from "cli-progress";
import type { ExtractionProgress } from "../engine/pool.js";

/** How long a run goes before the bar appears. */
const SHOW_AFTER_MS = 1000;

export interface ProgressDisplay {
  onProgress: (progress: ExtractionProgress) => void;
  /** Removes the bar (if shown). Safe to call more than once. */
  stop: () => void;
}

export interface ProgressOptions {
  enabled: boolean;
  stream?: NodeJS.WriteStream;
  /** For tests: the clock, and the delay before the bar shows. */
  now?: () => number;
  showAfterMs?: number;
}

export function createProgress(options: ProgressOptions): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled || !stream.isTTY) return { onProgress: () => {}, stop: () => {} };
  const now = options.now ?? (() => performance.now());
  const started = now();
  const showAfter = options.showAfterMs ?? SHOW_AFTER_MS;
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  return {
    onProgress: (p) => {
      if (stopped) return;
      if (p.done >= p.total) {
        // Extraction is over: clear the bar before anything else is printed.
        stopped = true;
        bar?.stop();
        return;
      }
      const payload = { hits: p.cacheHits, elapsed: `${Math.round((now() - started) / 1000)}s` };
      if (!bar) {
        if (now() - started < showAfter) return;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: "ssot-audit {bar} {value}/{total} files | {hits} cached | {elapsed}",
            hideCursor: true,
            clearOnComplete: true,
            barsize: 30,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.done, payload);
        return;
      }
      bar.update(p.done, payload);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
