/**
 * Every report format escapes what comes from the analysed code. The files here are named to
 * attack each format — HTML tags and event handlers, Markdown links and tables, GitHub workflow
 * command syntax (`::`, `,`, `%0A`), XML, terminal escapes, newlines — and each holds a finding.
 * Machine formats must keep the exact name (JSON; SARIF as a percent-encoded URI); human formats
 * must show it without letting it act as markup, a command or a control sequence.
 * (The HTML report's CSP and script-embedded JSON: test/report/html.test.ts with fixtures/report-xss.)
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, runMain, tempDir, writeFiles } from "../reliability/helpers.js";

afterAll(cleanup);

const POSIX = process.platform !== "win32";
const NAMES = [
  "<svg onload=alert(1)>.py",
  "<img src=x onerror=alert(2)>.py",
  "[click](javascript:alert(3)).py",
  "a | b | c.py",
  "x`y`*z*.py",
  "forged::error file=evil.py::owned.py",
  "p%0Aq%25.py",
  "a,line=1,title=x.py",
  "&amp;&lt;.py",
  ...(POSIX ? ["line\nbreak.py", "\u001b[2Jclear.py", "cr\rreturn.py"] : []),
];

let root: string;
const out = (name: string) => path.join(root, "out", name);

beforeAll(async () => {
  root = tempDir("ssot-escape-");
  writeFiles(root, {
    "ssot-audit.config.yaml": 'concepts:\n  audit-log:\n    canonical: audit.py::record_event\n    sinks: ["**.insert_audit_row"]\n',
    "audit.py": "def record_event(db, row):\n    db.insert_audit_row(row)\n",
  });
  for (const name of NAMES) fs.writeFileSync(path.join(root, name), "def odd(db):\n    db.insert_audit_row({})\n");
  fs.mkdirSync(path.join(root, "out"));
  const formats = ["json", "sarif", "github", "junit"];
  const r = await runMain(["check", "--no-cache", ...formats.flatMap((f) => ["-f", f, "-o", out(`report.${f}`)]), root]);
  expect(r.status).toBe(1);
  for (const format of ["markdown", "html"]) {
    expect((await runMain(["report", "-f", format, "-o", out(`report.${format}`), root])).status).toBe(0);
  }
}, 60_000);

const read = (format: string) => fs.readFileSync(out(`report.${format}`), "utf8");

describe("reports escape analysed text", () => {
  it("JSON keeps every name exactly", () => {
    const report = JSON.parse(read("json")) as { findings: { file: string }[] };
    expect(report.findings.map((f) => f.file).sort()).toEqual([...NAMES].sort());
  });

  it("SARIF names each file by a percent-encoded URI that decodes to the exact name", () => {
    const sarif = JSON.parse(read("sarif")) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri ?? "") ?? [];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters must be encoded.
    for (const uri of uris) expect(uri).not.toMatch(/[\u0000-\u0020<>"`|[\]{}^\\]/);
    expect(uris.map((u) => decodeURIComponent(u)).sort()).toEqual([...NAMES].sort());
  });

  it("GitHub annotations: one line each, and the file property decodes to the exact name (no forged commands)", () => {
    const lines = read("github").split("\n").filter(Boolean);
    const annotations = lines.filter((l) => l.startsWith("::"));
    expect(annotations).toHaveLength(NAMES.length);
    expect(lines).toHaveLength(NAMES.length + 1);
    const files = annotations.map((l) => {
      const m = /^::error file=([^,]*),line=2,col=5,endLine=2,endColumn=\d+,title=direct-sink-call::[^:]+/.exec(l);
      expect(m, l).not.toBeNull();
      return decodeURIComponent(m?.[1] ?? "");
    });
    expect(files.sort()).toEqual([...NAMES].sort());
  });

  it("JUnit XML has no raw markup from names and only characters XML can hold", () => {
    const xml = read("junit");
    expect(xml).not.toMatch(/<svg|<img/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 cannot hold.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain("&lt;svg onload=alert(1)&gt;.py");
  });

  it("Markdown: no raw tags or links from names, and table rows stay rows", () => {
    const md = read("markdown");
    expect(md).not.toMatch(/<svg|<img|\]\(javascript:/);
    for (const line of md.split("\n").filter((l) => l.startsWith("|"))) expect(line.endsWith("|"), line).toBe(true);
    expect(md).toContain("&#60;svg onload=alert(1)&#62;.py");
  });

  it("HTML: no raw tags from names", () => {
    const html = read("html");
    expect(html).not.toMatch(/<svg onload|<img src=x/);
    expect(html).toContain("&lt;svg onload=alert(1)&gt;.");
  });
});
