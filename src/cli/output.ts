import path from "node:path";
import { UsageError } from "../files/errors.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { makeDirectory } from "../util/make-directory.js";

/**
 * Writes a report, baseline, history or config file atomically (see `util/atomic-write.ts`),
 * creating its folder. A target that cannot be written is a `UsageError`: one line, exit 2.
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    makeDirectory(dir);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    writeFileAtomicSync(file, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Unwritable targets are the user's to fix: one line, exit 2 (no stack).
    if (code) throw new UsageError(`cannot write ${file}: ${code}`);
    throw error;
  }
}

/** Whether to colour output: a TTY, unless NO_COLOR / --no-color; FORCE_COLOR forces it. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream): boolean {
  if (flag === false) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  if (process.env.NO_COLOR) return false;
  return Boolean(stream.isTTY);
}
