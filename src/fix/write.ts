/**
 * The last line of defence before a fixed file reaches the disk: it must lie inside the
 * analysed root (also after following symlinks), be byte-for-byte what was analysed, and —
 * inside a git work tree — have no uncommitted changes (unless `--allow-dirty`), so that
 * `git diff` shows exactly the fix and `git checkout` undoes it. Writes are atomic: a temp file
 * in the same folder, fsync, rename; mode, BOM, line endings and encoding are kept.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { type SourceEncoding, decodeSource } from "../files/read.js";
import { isInside } from "../files/paths.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";

const run = promisify(execFile);

export interface WriteTarget {
  /** The real file to replace (symlinks inside the root resolved). */
  real: string;
  encoding: SourceEncoding;
  bom: boolean;
}

export class WriteGuard {
  private gitRoot: string | undefined | null = null;

  constructor(
    private readonly rootDir: string,
    private readonly allowDirty: boolean,
  ) {}

  /** Whether the root lies in a git work tree (`git rev-parse`; no shell). Also says why not. */
  async gitWorkTree(): Promise<{ inside: boolean; why?: string }> {
    if (this.gitRoot !== null) return { inside: this.gitRoot !== undefined };
    try {
      const { stdout } = await run("git", ["rev-parse", "--show-toplevel"], { cwd: this.rootDir });
      this.gitRoot = stdout.trim() || undefined;
      return { inside: this.gitRoot !== undefined };
    } catch (error) {
      this.gitRoot = undefined;
      const code = (error as NodeJS.ErrnoException).code;
      return { inside: false, why: code === "ENOENT" ? "git is not installed" : "not inside a git work tree" };
    }
  }

  /** Why `file` (root-relative) must not be written, or where and how to write it. */
  async check(file: string, analysedHash: string): Promise<{ refuse: string } | { target: WriteTarget }> {
    const abs = path.join(this.rootDir, file);
    let realRoot: string;
    let real: string;
    try {
      realRoot = fs.realpathSync(this.rootDir);
      real = fs.realpathSync(abs);
    } catch (error) {
      return { refuse: `cannot resolve the path (${(error as NodeJS.ErrnoException).code ?? "error"})` };
    }
    if (!isInside(realRoot, real) || real === realRoot) {
      const link = fs.lstatSync(abs).isSymbolicLink();
      return {
        refuse: link
          ? "it is a symlink that leads outside the analysed root"
          : "its real path lies outside the analysed root (a symlinked folder)",
      };
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(real);
    } catch (error) {
      return { refuse: `cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})` };
    }
    if (createHash("sha1").update(bytes).digest("hex") !== analysedHash) return { refuse: "it changed on disk since the analysis" };
    const decoded = decodeSource(bytes);
    if ("skip" in decoded) return { refuse: decoded.skip };
    const git = await this.gitWorkTree();
    if (git.inside && !this.allowDirty) {
      try {
        const { stdout } = await run("git", ["status", "--porcelain", "--untracked-files=all", "--", real], { cwd: path.dirname(real) });
        if (stdout.trim() !== "") {
          const state = stdout.trim().startsWith("??") ? "is not committed (untracked)" : "has uncommitted changes";
          return { refuse: `it ${state}; commit or stash first, or pass --allow-dirty` };
        }
      } catch (error) {
        return { refuse: `git status failed: ${(error as Error).message.split("\n")[0] ?? ""}` };
      }
    }
    return { target: { real, encoding: decoded.encoding, bom: decoded.bom } };
  }
}

/** The bytes of `text` in the file's encoding (with its BOM); undefined when it cannot be encoded. */
export function encodeText(text: string, encoding: SourceEncoding, bom: boolean): Buffer | undefined {
  switch (encoding) {
    case "utf8":
      return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, "utf8")]);
    case "utf16le":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "utf16be":
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
    case "latin1":
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the latin-1 range starts at U+0000.
      return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, "latin1") : undefined;
  }
}

/** Replaces `file` atomically (`util/atomic-write.ts`: temp file in its folder, fsync, rename), keeping its mode and, when allowed, its owner. */
export function writeAtomic(file: string, bytes: Buffer): void {
  const stat = fs.statSync(file);
  writeFileAtomicSync(file, bytes, { mode: stat.mode & 0o7777, owner: { uid: stat.uid, gid: stat.gid } });
}
