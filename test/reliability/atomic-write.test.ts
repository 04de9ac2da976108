/**
 * `util/atomic-write.ts`: the one way the tool replaces files. Old or new content, never a mix;
 * mode kept; nothing left behind on failure; and, in the CLI, a signal while writing finishes the
 * file at hand, removes temp files and exits with 128 + the signal number.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomicSync } from "../../src/util/atomic-write.js";
import { REPO_ROOT, cleanup, tempDir } from "./helpers.js";

afterAll(cleanup);

const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));

describe("writeFileAtomicSync", () => {
  it("creates, replaces, keeps the mode of the file it replaces, and leaves no temp file", () => {
    const dir = tempDir();
    const file = path.join(dir, "out.json");
    writeFileAtomicSync(file, "one");
    expect(fs.readFileSync(file, "utf8")).toBe("one");
    fs.chmodSync(file, 0o640);
    writeFileAtomicSync(file, Buffer.from("two"));
    expect(fs.readFileSync(file, "utf8")).toBe("two");
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    writeFileAtomicSync(file, "three", { mode: 0o600 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it("replaces the file a symbolic link points to, keeping the link", () => {
    const dir = tempDir();
    const real = path.join(dir, "real.json");
    const link = path.join(dir, "link.json");
    fs.writeFileSync(real, "old");
    fs.chmodSync(real, 0o640);
    fs.symlinkSync("real.json", link);
    writeFileAtomicSync(link, "new");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe("real.json");
    expect(fs.readFileSync(real, "utf8")).toBe("new");
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(leftovers(dir)).toEqual([]);
  });

  it.runIf(process.platform !== "win32")("writes into a target that is not a regular file (a named pipe, /dev/null) instead of replacing it", async () => {
    const dir = tempDir();
    const fifo = path.join(dir, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // A reader on the pipe: opening it for writing blocks until one is there.
    const reader = spawn(process.execPath, ["-e", `process.stdout.write(require("fs").readFileSync(${JSON.stringify(fifo)}, "utf8"))`]);
    let received = "";
    reader.stdout.on("data", (d: Buffer) => {
      received += String(d);
    });
    const done = new Promise((resolve) => reader.on("close", resolve));
    writeFileAtomicSync(fifo, "through the pipe");
    await done;
    expect(received).toBe("through the pipe");
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it("throws the file-system error and leaves the target and the folder as they were", () => {
    const dir = tempDir();
    const target = path.join(dir, "is-a-folder");
    fs.mkdirSync(path.join(target, "child"), { recursive: true });
    expect(() => writeFileAtomicSync(target, "x")).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) }),
    );
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
    expect(() => writeFileAtomicSync(path.join(dir, "missing", "x.json"), "x")).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it("a reader polling the file while it is rewritten sees only complete versions", () => {
    const dir = tempDir();
    const file = path.join(dir, "big.txt");
    const versions = ["a", "b", "c", "d"].map((c) => c.repeat(2_000_000));
    writeFileAtomicSync(file, versions[0] ?? "");
    // Another process reads in a loop while this one rewrites: every read is one whole version.
    const reader = spawn(process.execPath, [
      "-e",
      `const fs = require("fs"); const seen = new Set(); const end = Date.now() + 1500;
       while (Date.now() < end) { const t = fs.readFileSync(${JSON.stringify(file)}, "utf8");
         seen.add(t.length === 2000000 && t === t[0].repeat(2000000) ? t[0] : "TORN:" + t.length); }
       process.stdout.write([...seen].join(","));`,
    ]);
    let out = "";
    reader.stdout.on("data", (d: Buffer) => {
      out += String(d);
    });
    const done = new Promise<void>((resolve) => reader.on("exit", () => resolve()));
    const end = Date.now() + 1200;
    let i = 0;
    while (Date.now() < end) writeFileAtomicSync(file, versions[i++ % versions.length] ?? "");
    return done.then(() => {
      expect(out).not.toContain("TORN");
      expect(out.length).toBeGreaterThan(0);
    });
  });

  it("in the CLI, a signal during writes finishes the file at hand, leaves no temp file, and exits 128 + n", async () => {
    const dir = tempDir();
    // A script that writes the same big file in a loop through the CLI's writer, with the CLI's
    // interrupt handling turned on; the test signals it mid-loop.
    const util = pathToFileURL(path.join(REPO_ROOT, "dist/src/util/atomic-write.js")).href;
    const script = `
      import { cleanUpOnInterrupt, writeFileAtomicSync } from ${JSON.stringify(util)};
      cleanUpOnInterrupt();
      const big = "x".repeat(4_000_000);
      let n = 0;
      const loop = () => { writeFileAtomicSync(${JSON.stringify(path.join(dir, "out.txt"))}, big + (n++ % 10)); if (n === 3) process.stdout.write("writing\\n"); setImmediate(loop); };
      loop();
    `;
    for (const [signal, code] of [
      ["SIGTERM", 143],
      ["SIGINT", 130],
    ] as const) {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += String(d);
      });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (status) => resolve(status)));
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toBe(`ssot-audit: interrupted (${signal}); files written so far are complete, the others are unchanged\n`);
      const text = fs.readFileSync(path.join(dir, "out.txt"), "utf8");
      expect(text.length).toBe(4_000_001);
      expect(leftovers(dir)).toEqual([]);
    }
  }, 60_000);
});
