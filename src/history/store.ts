/**
 * The `--history` file: JSON Lines, one snapshot per run, oldest first. Appending reads the
 * whole file, validates every line, and writes the old lines plus the new one to a temporary
 * file that is renamed over the original, so a crash never leaves half a line behind.
 * Concurrent writers to the same file are not serialised: the last rename wins.
 */
import fs from "node:fs";
import { writeFileAtomic } from "../cli/output.js";
import { UsageError } from "../files/errors.js";
import { type Snapshot, snapshotSchema } from "./snapshot.js";

/**
 * Parses history text. Blank lines are ignored; anything else that is not a valid snapshot
 * throws a `UsageError` naming the file (`shown`) and the 1-based line number.
 */
export function parseHistory(text: string, shown: string): Snapshot[] {
  const snapshots: Snapshot[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    const where = `${shown}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`corrupt history file ${where}: invalid JSON (${(error as Error).message})`);
    }
    const parsed = snapshotSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue && issue.path.length > 0 ? `"${issue.path.join(".")}": ` : "";
      throw new UsageError(`corrupt history file ${where}: ${key}${issue?.message ?? "not a snapshot"}`);
    }
    snapshots.push(parsed.data);
  }
  return snapshots;
}

/** Reads a history file; a file that does not exist yet is an empty history. */
export function readHistory(file: string, shown: string): Snapshot[] {
  const text = readText(file, shown);
  return text === undefined ? [] : parseHistory(text, shown);
}

/** Appends one snapshot atomically and returns the whole history, the new snapshot last. */
export function appendSnapshot(file: string, shown: string, snapshot: Snapshot): Snapshot[] {
  const text = readText(file, shown) ?? "";
  const history = parseHistory(text, shown);
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  writeFileAtomic(file, `${prefix}${JSON.stringify(snapshot)}\n`);
  return [...history, snapshot];
}

function readText(file: string, shown: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new UsageError(`cannot read history file ${shown}: ${code === "EISDIR" ? "is a directory" : (code ?? String(error))}`);
  }
}
