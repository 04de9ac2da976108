/**
 * The hostile-input corpus (fixtures/hostile, see its README) plus what cannot be committed,
 * made at test time in a temp copy: a 50 MB generated file, file names with spaces, newlines,
 * tabs, quotes, shell syntax, HTML, terminal escapes, bidi overrides and non-Latin scripts,
 * symbolic links (a loop, links out of the root, a dangling link, a link to a file inside it)
 * and a FIFO. One run of the real binary must report exactly the findings of the readable
 * files, list the rest as skipped or unparsable, print one notice per skipped file and no stack.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Run, STACK_LINE, cleanup, cli, copyFixture, expectCleanFailure, mkfifo, tempDir, writeFiles } from "./helpers.js";

const SINK_PY = "def odd(db):\n    db.insert_audit_row({})\n";
const POSIX = process.platform !== "win32";

/** Odd names, each holding one sink call at 2:5. */
const ODD_NAMES = [
  "name with spaces.py",
  "ünïcödé-模块-🙂.py",
  "<img src=x onerror=alert(1)>.py",
  '"quote\'s".py',
  "$(touch pwned).py",
  "`touch pwned2`.py",
  "-rf.py",
  "--config=evil.py",
  ...(POSIX ? ["new\nline.py", "tab\tname.py", "\u001b[31mred\u001b[0m.py", "\u001b]0;title\u0007.py", "invoice\u202ecod.py"] : []),
];

const HUGE = "generated/huge_bundle.py";
const HUGE_SIZE = 50 * 1024 * 1024;

interface Report {
  summary: { files: number; findings: number };
  findings: { ruleId: string; file: string; line: number; column: number; concept: string }[];
  parseErrors: { file: string; line: number; message: string }[];
  skipped: { file: string; reason: string }[];
}

let root: string;
let outside: string;
let fifo = false;
let run: Run;
let report: Report;

beforeAll(() => {
  root = copyFixture("fixtures/hostile");
  outside = tempDir("ssot-outside-");
  // Findings outside the root must never be reported, however they are linked in.
  writeFiles(outside, { "secret.py": SINK_PY, "pkg/leak.py": SINK_PY });

  // 50 MB of valid Python, made at test time (never committed): skipped by size, never read.
  fs.mkdirSync(path.join(root, "generated"));
  const line = Buffer.from("x_0000000 = broadcast(1)  # generated\n");
  const chunk = Buffer.alloc(line.length * 4096);
  for (let i = 0; i < 4096; i++) line.copy(chunk, i * line.length);
  const fd = fs.openSync(path.join(root, HUGE), "w");
  for (let written = 0; written < HUGE_SIZE; written += chunk.length)
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, HUGE_SIZE - written));
  fs.closeSync(fd);

  for (const name of ODD_NAMES) fs.writeFileSync(path.join(root, name), SINK_PY);

  if (POSIX) {
    fs.symlinkSync(outside, path.join(root, "linked_outside"), "dir");
    fs.symlinkSync(path.join(outside, "secret.py"), path.join(root, "linked_secret.py"));
    fs.symlinkSync("does-not-exist.py", path.join(root, "dangling.py"));
    fs.symlinkSync("audit.py", path.join(root, "alias_of_audit.py"));
    fs.mkdirSync(path.join(root, "loop"));
    fs.symlinkSync("..", path.join(root, "loop", "self"), "dir");
    fs.symlinkSync("../loop", path.join(root, "loop", "again"), "dir");
    fifo = mkfifo(path.join(root, "fifo.py"));
  }

  run = cli(["check", "-f", "json", "."], { cwd: root });
  report = JSON.parse(run.stdout) as Report;
}, 120_000);
afterAll(cleanup);

/** `[ruleId, file, line, column]` of every finding, in report order. */
const tuples = (r: Report) => r.findings.map((f) => [f.ruleId, f.file, f.line, f.column]);

const EXPECTED_FINDINGS = [
  // Committed corpus (fixtures/hostile/README.md):
  ["direct-sink-call", "invalid_utf8.py", 5, 5], // read as Latin-1: the bytes are not UTF-8
  ["direct-sink-call", "lone_cr.py", 4, 5], // CR-only line endings count as lines
  ["direct-sink-call", "mixed_endings.py", 5, 5], // LF, CRLF and a lone CR
  ["direct-sink-call", "src/crlf.ts", 3, 3],
  ["direct-sink-call", "src/long_line.ts", 3, 3], // after a 100,000-character line
  ["direct-sink-call", "src/nul_late.ts", 4, 3], // a NUL byte after the first 8 KB is text
  ["direct-sink-call", "src/unterminated.ts", 2, 3], // before the unterminated template
  ["direct-sink-call", "src/utf16be_bom.ts", 3, 3],
  ["direct-sink-call", "unterminated.py", 2, 5], // before the unterminated string…
  ["direct-sink-call", "unterminated.py", 6, 5], // …and in the def tree-sitter recovers after it
  ["direct-sink-call", "utf16le_bom.py", 5, 9],
  // Odd names, each exactly as on disk:
  ...ODD_NAMES.map((name) => ["direct-sink-call", name, 2, 5]),
].sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : String(a[1]) > String(b[1]) ? 1 : Number(a[2]) - Number(b[2])));

describe("fixtures/hostile + generated hostile files", () => {
  it("reports exactly the findings of the readable files, with exact names and positions", () => {
    expect(tuples(report)).toEqual(EXPECTED_FINDINGS);
    // Nothing from outside the root, through any link, nor twice through the in-root alias.
    expect(report.findings.filter((f) => /secret|leak|linked|alias|loop/.test(f.file))).toEqual([]);
  });

  it("lists unparsable files once, with a reason, and does not crash on 10,000-level nesting", () => {
    expect(report.parseErrors.map((p) => [p.file, p.line, p.message])).toEqual([
      ["deep_nesting.py", 1, "file is nested too deeply to analyse; skipped"],
      ["src/deep_nesting.ts", 1, "file is nested too deeply to analyse; skipped"],
      ["src/unterminated.ts", 3, "Expression expected."],
      ["unterminated.py", 3, "syntax error"],
    ]);
  });

  it("skips binary files and the 50 MB file with a reason, and says so on stderr — once each, no stack", () => {
    expect(report.skipped).toEqual([
      { file: "binary_image.py", reason: "binary file" },
      { file: HUGE, reason: `larger than maxFileSize (${HUGE_SIZE} bytes)` },
      { file: "nul_early.py", reason: "binary file" },
      { file: "src/binary_blob.ts", reason: "binary file" },
    ]);
    expect(run.stderr.split("\n").filter(Boolean)).toEqual(report.skipped.map((s) => `ssot-audit: skipped ${s.file}: ${s.reason}`));
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.status).toBe(1);
  });

  it("counts the analysed files: every readable source, each once", () => {
    // audit.py, src/audit.ts, deep_nesting ×2, invalid_utf8, lone_cr, mixed_endings, crlf, long_line,
    // nul_late, unterminated ×2, utf16 ×2 — plus the odd names. No links, no FIFO, no skipped file.
    expect(report.summary.files).toBe(14 + ODD_NAMES.length);
  });

  it("never runs anything named in a file name", () => {
    expect(fs.existsSync(path.join(root, "pwned"))).toBe(false);
    expect(fs.existsSync(path.join(root, "pwned2"))).toBe(false);
  });

  it.runIf(POSIX)("does not block on a FIFO with a source extension", () => {
    expect(fifo).toBe(true);
    expect(report.findings.some((f) => f.file === "fifo.py")).toBe(false);
  });

  it.runIf(POSIX)("stylish output shows control characters in names as escapes (no terminal escapes, no split lines)", () => {
    const stylish = cli(["check", "."], { cwd: root });
    expect(stylish.status).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters.
    expect(stylish.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(stylish.stdout).toContain("new\\nline.py");
    expect(stylish.stdout).toContain("tab\\tname.py");
    expect(stylish.stdout).toContain("\\x1b[31mred\\x1b[0m.py");
    expect(stylish.stdout).toContain("\\x1b]0;title\\x07.py");
    expect(stylish.stdout).toContain("invoice\\u202ecod.py");
    expect(stylish.stdout).toContain("ünïcödé-模块-🙂.py");
  });

  it("maxFileSize is configurable: a lower limit skips the 100,000-character-line file too", () => {
    const config = fs.readFileSync(path.join(root, "ssot-audit.config.yaml"), "utf8");
    fs.writeFileSync(path.join(root, "small.config.yaml"), `${config}maxFileSize: 50000\n`);
    const small = cli(["check", "-c", "small.config.yaml", "-f", "json", "."], { cwd: root });
    const r = JSON.parse(small.stdout) as Report;
    expect(r.skipped).toContainEqual({ file: "src/long_line.ts", reason: "larger than maxFileSize (100100 bytes)" });
    expect(r.findings.some((f) => f.file === "src/long_line.ts")).toBe(false);
    expect(tuples(r)).toEqual(EXPECTED_FINDINGS.filter((f) => f[1] !== "src/long_line.ts"));
    expect(small.stderr).toContain("ssot-audit: skipped src/long_line.ts: larger than maxFileSize (100100 bytes)");
  });

  it("an invalid maxFileSize is a config error naming the key, exit 2", () => {
    fs.writeFileSync(path.join(root, "bad.config.yaml"), 'maxFileSize: "50MB"\n');
    const line = expectCleanFailure(cli(["check", "-c", "bad.config.yaml", "."], { cwd: root }));
    expect(line).toMatch(/^ssot-audit: bad\.config\.yaml.*maxFileSize/);
    expect(line).toContain('"50MB"');
  });

  it.runIf(POSIX)("an explicit path that is a symbolic link out of the root is not followed", () => {
    for (const target of ["linked_secret.py", "linked_outside", "linked_outside/pkg"]) {
      const r = cli(["check", "-f", "json", target], { cwd: root });
      expect(r.stderr).not.toMatch(STACK_LINE);
      const out = JSON.parse(r.stdout) as Report;
      expect([out.findings, out.summary.files]).toEqual([[], 0]);
    }
  });
});
