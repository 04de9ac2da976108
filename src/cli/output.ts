import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../files/errors.js";

/** Writes a file atomically: temp file in the same folder, then rename. */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
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
