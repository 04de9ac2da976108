import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSource } from "../../src/files/read.js";

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-read-"));
});
afterAll(() => {
  fs.chmodSync(dir, 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, bytes: Buffer | string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

const sha1 = (bytes: Buffer | string) => createHash("sha1").update(bytes).digest("hex");

describe("readSource", () => {
  it("reads plain UTF-8 with LF", async () => {
    const text = "def f():\n    return 'é'\n";
    expect(await readSource(file("plain.py", text))).toEqual({
      text,
      hash: sha1(text),
      bom: false,
      eol: "\n",
      encoding: "utf8",
    });
  });

  it("strips a UTF-8 BOM and detects CRLF", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a = 1\r\nb = 2\r\nc = 3\n")]);
    expect(await readSource(file("bom.py", bytes))).toEqual({
      text: "a = 1\r\nb = 2\r\nc = 3\n",
      hash: sha1(bytes),
      bom: true,
      eol: "\r\n",
      encoding: "utf8",
    });
  });

  it("picks the dominant line ending", async () => {
    const result = await readSource(file("mixed.ts", "a;\nb;\r\nc;\n"));
    expect(result).toMatchObject({ eol: "\n" });
    expect(await readSource(file("none.ts", "a;"))).toMatchObject({ eol: "\n" });
  });

  it("decodes UTF-16 LE and BE with a BOM (NUL bytes are not binary there)", async () => {
    const text = "x = 'ü'\r\ny = 2\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    expect(await readSource(file("utf16le.py", le))).toEqual({
      text,
      hash: sha1(le),
      bom: true,
      eol: "\r\n",
      encoding: "utf16le",
    });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
    expect(await readSource(file("utf16be.py", be))).toEqual({
      text,
      hash: sha1(be),
      bom: true,
      eol: "\r\n",
      encoding: "utf16be",
    });
  });

  it("falls back to latin1 for invalid UTF-8", async () => {
    const bytes = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]); // name = 'é' (latin1)
    expect(await readSource(file("latin1.py", bytes))).toEqual({
      text: "name = 'é'\n",
      hash: sha1(bytes),
      bom: false,
      eol: "\n",
      encoding: "latin1",
    });
  });

  it("skips binary files: a NUL byte in the first 8 KB", async () => {
    expect(await readSource(file("nul.py", Buffer.from("import os\n\0\n")))).toEqual({ skip: "binary file" });
    const late = Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0])]);
    expect(await readSource(file("late-nul.py", late))).toMatchObject({ encoding: "utf8" });
  });

  it("never throws for vanished or unreadable files", async () => {
    expect(await readSource(path.join(dir, "vanished.py"))).toEqual({ skip: "unreadable: ENOENT" });
    expect(await readSource(dir)).toEqual({ skip: "unreadable: EISDIR" });
    if (process.getuid?.() !== 0) {
      const locked = file("locked.py", "x = 1\n");
      fs.chmodSync(locked, 0o000);
      expect(await readSource(locked)).toEqual({ skip: "unreadable: EACCES" });
    }
  });
});
