/**
 * Files that vanish or become unreadable between discovery and reading. The first progress
 * callback of the extraction runs after discovery and before any file is read: the tests use it
 * to delete files, or swap them for something else — a folder, a dangling symbolic link, a link to
 * a file outside the root, a link to /dev/zero, a FIFO.
 *
 * Tests run as root, for which `chmod 000` does not make a file unreadable; swapping the file
 * for a folder (EISDIR) or a dangling link (ENOENT) gives the same "cannot read it" path.
 *
 * Every case must end in a skip with a reason — no crash, no hang, and nothing read from outside
 * the root — both in-process and in the worker pool (which runs the compiled code: build first).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import { cleanup, mkfifo, tempDir, writeFiles } from "./helpers.js";

afterAll(cleanup);

const POSIX = process.platform !== "win32";
const SINK = (name: string) => `def ${name}(db):\n    db.insert_audit_row({})\n`;

const CONFIG = `concepts:
  audit-log:
    canonical: audit.py::record_event
    sinks: ["**.insert_audit_row"]
`;

/** How each file is tampered with after discovery, and the skip reason expected. */
const CASES: { file: string; tamper: (abs: string, outside: string) => void; reason: string; posixOnly?: boolean }[] = [
  { file: "deleted.py", tamper: (abs) => fs.rmSync(abs), reason: "unreadable: ENOENT" },
  {
    file: "now_a_folder.py",
    tamper: (abs) => {
      fs.rmSync(abs);
      fs.mkdirSync(abs);
    },
    reason: "unreadable: EISDIR",
  },
  {
    file: "now_dangling.py",
    tamper: (abs) => {
      fs.rmSync(abs);
      fs.symlinkSync("gone-for-good.py", abs);
    },
    reason: "became a symbolic link (not followed)",
    posixOnly: true,
  },
  {
    file: "now_links_out.py",
    tamper: (abs, outside) => {
      fs.rmSync(abs);
      fs.symlinkSync(path.join(outside, "secret.py"), abs);
    },
    reason: "became a symbolic link (not followed)",
    posixOnly: true,
  },
  {
    file: "now_dev_zero.py",
    tamper: (abs) => {
      fs.rmSync(abs);
      fs.symlinkSync("/dev/zero", abs);
    },
    reason: "became a symbolic link (not followed)",
    posixOnly: true,
  },
  {
    file: "now_a_fifo.py",
    tamper: (abs) => {
      fs.rmSync(abs);
      if (!mkfifo(abs)) throw new Error("mkfifo failed");
    },
    reason: "not a regular file",
    posixOnly: true,
  },
];

describe.each([
  { mode: "in-process", options: { jobs: 1 } },
  { mode: "worker pool", options: { jobs: 2, minFilesForPool: 1 } },
])("files that change between discovery and reading ($mode)", ({ options }) => {
  const cases = CASES.filter((c) => POSIX || !c.posixOnly);

  it("are skipped with a reason; the other files are audited as usual", async () => {
    const root = tempDir();
    const outside = tempDir("ssot-outside-");
    writeFiles(outside, { "secret.py": SINK("secret") });
    writeFiles(root, {
      "ssot-audit.config.yaml": CONFIG,
      "audit.py": "def record_event(db, row):\n    db.insert_audit_row(row)\n",
      "steady.py": SINK("steady"),
      ...Object.fromEntries(cases.map((c) => [c.file, SINK(c.file.replace(".py", ""))])),
    });
    let tampered = false;
    const { report, project } = await runCheck({
      paths: ["."],
      cwd: root,
      ...options,
      onProgress: () => {
        if (tampered) return;
        tampered = true;
        for (const c of cases) c.tamper(path.join(root, c.file), outside);
      },
    });
    expect(tampered).toBe(true);
    if (options.jobs > 1) expect(project.stats?.threads).toBeGreaterThan(0);
    expect(report.skipped).toEqual(cases.map((c) => ({ file: c.file, reason: c.reason })).sort((a, b) => (a.file < b.file ? -1 : 1)));
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([["steady.py", 2]]);
    expect(report.summary.files).toBe(2);
  }, 60_000);
});
