import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDirectory } from "../../src/util/make-directory.js";
import { REPO_ROOT } from "../fixtures/helpers.js";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-mkdir-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** A Linux pseudo file system that answers ENOENT for new folders (where Node's recursive mkdir spins). */
const PROC = process.platform === "linux" && fs.existsSync("/proc/self") ? "/proc" : undefined;

describe("makeDirectory", () => {
  it("creates a folder with its missing parents, and accepts one that exists", () => {
    const deep = path.join(temp, "a", "b", "c");
    makeDirectory(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    makeDirectory(path.join(temp, "a"));
    expect(fs.readdirSync(path.join(temp, "a"))).toEqual(["b"]);
  });

  it("throws the file system's error where a file is in the way", () => {
    const file = path.join(temp, "file");
    fs.writeFileSync(file, "");
    expect(() => makeDirectory(file)).toThrow(expect.objectContaining({ code: "EEXIST" }));
    expect(() => makeDirectory(path.join(file, "sub", "deeper"))).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
    expect(fs.readFileSync(file, "utf8")).toBe("");
  });

  it.runIf(PROC)("throws, instead of spinning, under a file system that answers ENOENT for a parent that exists", () => {
    expect(() => makeDirectory(`${PROC}/ssot-audit-test/x`)).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it.runIf(PROC)("lets a run with such a --cache-location go on uncached, and fails -o there with one line", () => {
    const fixture = "fixtures/python-broadcast";
    const run = (args: string[]) => spawnSync(process.execPath, ["bin/ssot-audit", "check", fixture, ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    const uncached = run(["-f", "json", "--cache-location", `${PROC}/ssot-audit-test`]);
    expect(uncached.status).toBe(1);
    expect(uncached.stderr).toBe(`ssot-audit: cache disabled (cannot write ${PROC}/ssot-audit-test: ENOENT)\n`);
    expect((JSON.parse(uncached.stdout) as { findings: unknown[] }).findings).toHaveLength(36);
    const unwritable = run(["-o", `${PROC}/ssot-audit-test/report.txt`]);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toBe(`ssot-audit: cannot write ${PROC}/ssot-audit-test/report.txt: ENOENT\n`);
  });
});
