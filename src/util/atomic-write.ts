/**
 * Atomic file replacement, for every file the tool writes on the user's behalf (reports, the
 * baseline, the history file, `init`'s config, fixed sources): a temp file in the target's folder
 * (same file system, so the rename is atomic), written, fsync'ed, renamed over the target, then
 * the folder fsync'ed. A reader — or a run killed at any instant, power loss included — sees the
 * old content or the new, never a mix. (Cache entries use their own temp-and-rename, without
 * fsync: they are checksummed, and a torn one is rebuilt; see `cache/store.ts`.)
 *
 * Interruptions: once the CLI calls `cleanUpOnInterrupt()`, the first write installs SIGINT,
 * SIGTERM and SIGHUP handlers that remove the temp files in flight and exit with 128 + the
 * signal's number. Writes are synchronous, so such a handler runs between two writes, never
 * inside one: every file is old or new, and no temp file is left behind. The handlers are only
 * installed when writing starts, so Ctrl-C during the analysis keeps its default, immediate effect.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface AtomicWriteOptions {
  /** File mode of the result (default: the existing target's mode, else 0o666 minus the umask). */
  mode?: number;
  /** Give the result this owner (best effort: only root may give a file away). */
  owner?: { uid: number; gid: number };
}

/** Temp files being written right now (removed by the interrupt handlers). */
const inFlight = new Set<string>();
let cleanUpEnabled = false;
let handlersInstalled = false;

/** Asks for interrupt handling (see the file comment); the CLI calls it once at start-up. */
export function cleanUpOnInterrupt(): void {
  cleanUpEnabled = true;
}

function installHandlers(): void {
  if (!cleanUpEnabled || handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      for (const tmp of inFlight) fs.rmSync(tmp, { force: true });
      process.stderr.write(`ssot-audit: interrupted (${signal}); files written so far are complete, the others are unchanged\n`);
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  }
}

/** The temp file for `target`: hidden, in the same folder, unique per process and call. */
function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.ssot-audit-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Replaces (or creates) `file` atomically with `data`. The folder must exist. Throws the
 * file-system error (with its `code`) when the file cannot be written; nothing is left behind then.
 * A symbolic link is followed (the file it points to is replaced, the link kept); a target that is
 * not a regular file (`/dev/null`, a named pipe) is written into, since it cannot be replaced.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  let target = path.resolve(file);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(target);
  } catch {
    // A new file.
  }
  if (existing && !existing.isFile() && !existing.isDirectory()) {
    // A device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe): written into.
    // Renaming a file over it would replace the device node itself (for everyone, as root).
    fs.writeFileSync(target, data);
    return;
  }
  // A symbolic link stays a link: the file it points to is the one replaced.
  if (existing) target = fs.realpathSync(target);
  const dir = path.dirname(target);
  let mode = options.mode;
  if (mode === undefined && existing) mode = existing.mode & 0o7777;
  installHandlers();
  const tmp = tempPathFor(target);
  inFlight.add(tmp);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", mode ?? 0o666);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    // openSync's mode is filtered by the umask; an existing file's mode is kept as it was.
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    if (options.owner) {
      try {
        fs.chownSync(tmp, options.owner.uid, options.owner.gid);
      } catch {
        // Only root may give a file away; the mode is what matters.
      }
    }
    fs.renameSync(tmp, target);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing
      }
    }
    fs.rmSync(tmp, { force: true });
    throw error;
  } finally {
    inFlight.delete(tmp);
  }
  fsyncDir(dir);
}

/** Makes a rename durable. Some platforms cannot open or fsync a folder; the rename is still atomic. */
function fsyncDir(dir: string): void {
  let dfd: number | undefined;
  try {
    dfd = fs.openSync(dir, "r");
    fs.fsyncSync(dfd);
  } catch {
    // not supported here
  } finally {
    if (dfd !== undefined) fs.closeSync(dfd);
  }
}
