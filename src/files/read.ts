import { createHash } from "node:crypto";
import fsSync from "node:fs";
import fs from "node:fs/promises";

export type SourceEncoding = "utf8" | "utf16le" | "utf16be" | "latin1";

export interface SourceText {
  /** The decoded text, without a byte order mark. */
  text: string;
  /** SHA-1 (hex) of the file's bytes, as read: a cache key and a "changed since analysis" check. */
  hash: string;
  /** Whether the file started with a byte order mark (UTF-8 or UTF-16); writers should keep it. */
  bom: boolean;
  /** The dominant line ending ("\n" when there are none). */
  eol: "\n" | "\r\n";
  /**
   * How the bytes were decoded. "latin1" means the bytes are not valid UTF-8 and were read as
   * ISO-8859-1, one character per byte (so `Buffer.from(text, "latin1")` gives them back).
   */
  encoding: SourceEncoding;
}

export type ReadResult = SourceText | { skip: string };

/** How far the binary guard looks for a NUL byte. */
const BINARY_SNIFF_BYTES = 8192;

/**
 * How source files are opened. Discovery only returns regular files, but a file can be replaced
 * between discovery and reading: by a symbolic link (perhaps to a file outside the root, or to
 * `/dev/zero`) — not followed (`O_NOFOLLOW`); by a FIFO, whose plain open would block until a
 * writer comes — opened non-blocking, then refused with every other non-regular file.
 */
const OPEN_FLAGS = fsSync.constants.O_RDONLY | (fsSync.constants.O_NOFOLLOW ?? 0) | (fsSync.constants.O_NONBLOCK ?? 0);

/** Why a file could not be read, as a skip reason. */
function unreadable(error: unknown): { skip: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== "string") throw error;
  // O_NOFOLLOW on a symbolic link: ELOOP (Linux, macOS), EMLINK (FreeBSD).
  if (code === "ELOOP" || code === "EMLINK") return { skip: "became a symbolic link (not followed)" };
  return { skip: `unreadable: ${code}` };
}

/** The skip reason for something that is not a regular file (a folder reads as EISDIR, as `readFile` says). */
function notRegular(stats: fsSync.Stats): { skip: string } {
  return { skip: stats.isDirectory() ? "unreadable: EISDIR" : "not a regular file" };
}

/**
 * Read and decode a source file. Never throws for I/O errors (a file that vanished or became
 * unreadable mid-run gives `{ skip: "unreadable: ENOENT" }`; one that became a symbolic link, a
 * FIFO or a folder is skipped too, see OPEN_FLAGS), nor for binary files
 * (`{ skip: "binary file" }`: a NUL byte in the first 8 KB without a UTF-16 byte order mark).
 */
export async function readSource(absPath: string): Promise<ReadResult> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(absPath, OPEN_FLAGS);
  } catch (error) {
    return unreadable(error);
  }
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return notRegular(stats);
    bytes = await handle.readFile();
  } catch (error) {
    return unreadable(error);
  } finally {
    await handle.close();
  }
  return decodeSource(bytes);
}

/** A file's bytes, opened as `readSource` opens it, or why it cannot be read. */
function readBytesSync(absPath: string): Buffer | { skip: string } {
  let fd: number;
  try {
    fd = fsSync.openSync(absPath, OPEN_FLAGS);
  } catch (error) {
    return unreadable(error);
  }
  try {
    const stats = fsSync.fstatSync(fd);
    if (!stats.isFile()) return notRegular(stats);
    return fsSync.readFileSync(fd);
  } catch (error) {
    return unreadable(error);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** `readSource`, synchronously (for worker threads). */
export function readSourceSync(absPath: string): ReadResult {
  const bytes = readBytesSync(absPath);
  return Buffer.isBuffer(bytes) ? decodeSource(bytes) : bytes;
}

/** `SourceText.hash` of a file without decoding it, or why it cannot be read. */
export function hashSourceSync(absPath: string): { hash: string } | { skip: string } {
  const bytes = readBytesSync(absPath);
  return Buffer.isBuffer(bytes) ? { hash: createHash("sha1").update(bytes).digest("hex") } : bytes;
}

/** Decode file bytes (see `readSource`). */
export function decodeSource(bytes: Buffer): ReadResult {
  const hash = createHash("sha1").update(bytes).digest("hex");

  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return finish(bytes.subarray(2).toString("utf16le"), hash, true, "utf16le");
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = Buffer.from(bytes.subarray(2));
    // swap16 needs an even length; a dangling last byte cannot be a character anyway.
    const even = body.subarray(0, body.length - (body.length % 2));
    return finish(Buffer.from(even).swap16().toString("utf16le"), hash, true, "utf16be");
  }

  const hasUtf8Bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasUtf8Bom ? bytes.subarray(3) : bytes;
  if (body.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skip: "binary file" };

  if (hasUtf8Bom) return finish(new TextDecoder("utf-8").decode(body), hash, true, "utf8");
  try {
    return finish(new TextDecoder("utf-8", { fatal: true }).decode(body), hash, false, "utf8");
  } catch {
    return finish(body.toString("latin1"), hash, false, "latin1");
  }
}

function finish(text: string, hash: string, bom: boolean, encoding: SourceEncoding): SourceText {
  return { text, hash, bom, eol: dominantEol(text), encoding };
}

/** "\r\n" if more lines end with CRLF than with a bare LF, else "\n". */
export function dominantEol(text: string): "\n" | "\r\n" {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}
