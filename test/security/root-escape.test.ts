/**
 * Nothing reaches outside the project root (the config's folder): paths in the config (`../`,
 * absolute, Windows-style, through a symbolic link), in a baseline, on the command line, and the
 * paths the reports name. Each escape attempt in the config is exit 2 with one line naming the key.
 * (Fixes refusing to write through links out of the root: test/fix/refusals.test.ts; links met
 * while walking: test/reliability/hostile.test.ts.)
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, expectCleanFailure, runMain, tempDir, writeFiles } from "../reliability/helpers.js";

afterAll(cleanup);

let root: string;
let outside: string;
const POSIX = process.platform !== "win32";

beforeAll(() => {
  outside = tempDir("ssot-outside-");
  writeFiles(outside, { "secret.py": "def record_event(db):\n    db.insert_audit_row({})\n" });
  root = tempDir("ssot-root-");
  writeFiles(root, {
    "audit.py": "def record_event(db, row):\n    db.insert_audit_row(row)\n",
    "app/job.py": "def job(db):\n    db.insert_audit_row({})\n",
  });
  if (POSIX) {
    fs.symlinkSync(outside, path.join(root, "linked"), "dir");
    fs.symlinkSync(path.join(outside, "secret.py"), path.join(root, "secret_link.py"));
  }
});

const concept = (extra: string, canonical = "audit.py::record_event") =>
  `concepts:\n  audit-log:\n    canonical: ${JSON.stringify(canonical)}\n    sinks: ["**.insert_audit_row"]\n${extra}`;

describe("paths in the config cannot leave the root", () => {
  const CASES: { name: string; config: () => string; key: RegExp; posixOnly?: boolean }[] = [
    {
      name: "canonical with ../",
      config: () => concept("", "../secret.py::record_event"),
      key: /concepts\.audit-log\.canonical.*inside the config folder/,
    },
    {
      name: "canonical with an absolute path",
      config: () => concept("", `${outside}/secret.py::record_event`),
      key: /concepts\.audit-log\.canonical.*relative to the config folder/,
    },
    {
      name: "canonical with a Windows drive path",
      config: () => concept("", "C:\\\\secret.py::record_event"),
      key: /concepts\.audit-log\.canonical/,
    },
    {
      name: "canonical with ..\\ (Windows separators)",
      config: () => concept("", "app\\\\..\\\\..\\\\secret.py::record_event"),
      key: /concepts\.audit-log\.canonical.*inside the config folder/,
    },
    {
      name: "canonical through a symbolic link out of the root",
      config: () => concept("", "linked/secret.py::record_event"),
      key: /concepts\.audit-log\.canonical.*not among the analysed files/,
      posixOnly: true,
    },
    {
      name: "canonical that is itself a link out of the root",
      config: () => concept("", "secret_link.py::record_event"),
      key: /concepts\.audit-log\.canonical.*not among the analysed files/,
      posixOnly: true,
    },
    {
      name: "sinkOwners with ../",
      config: () => concept('    sinkOwners: ["../**"]\n'),
      key: /concepts\.audit-log\.sinkOwners\[0\].*no "\.\." segments/,
    },
    { name: "include with ../", config: () => `include: ["src/../../**"]\n${concept("")}`, key: /include\[0\].*no "\.\." segments/ },
    {
      name: "exclude with an absolute glob",
      config: () => `exclude: ["/etc/**"]\n${concept("")}`,
      key: /exclude\[0\].*relative to the config folder/,
    },
    { name: "tests with a negated ../ glob", config: () => `tests: ["!../**"]\n${concept("")}`, key: /tests\[0\].*no "\.\." segments/ },
  ];

  it.each(CASES.filter((c) => POSIX || !c.posixOnly))("$name → exit 2 naming the key", async ({ config, key }) => {
    fs.writeFileSync(path.join(root, "ssot-audit.config.yaml"), config());
    const line = expectCleanFailure(await runMain(["check", "--no-cache", root]));
    expect(line).toContain("ssot-audit.config.yaml");
    expect(line).toMatch(key);
  });
});

describe("paths on the command line cannot leave the root", () => {
  it("a path outside the config's folder is exit 2", async () => {
    fs.writeFileSync(path.join(root, "ssot-audit.config.yaml"), concept(""));
    const line = expectCleanFailure(await runMain(["check", "--no-cache", "-c", path.join(root, "ssot-audit.config.yaml"), root, outside]));
    expect(line).toMatch(/is outside the project root/);
  });
});

describe("paths in a baseline cannot leave the root", () => {
  it.each(["../../etc/passwd", "/etc/shadow", "app/../../secret.py", "C:/Windows/x.py"])(
    "an entry for %s is exit 2 naming the entry",
    async (file) => {
      fs.writeFileSync(path.join(root, "ssot-audit.config.yaml"), concept(""));
      const baseline = path.join(root, "evil-baseline.json");
      const entry = {
        fingerprint: "0123456789abcdef0123",
        ruleId: "direct-sink-call",
        concept: "audit-log",
        file,
        symbol: "",
        count: 1,
        message: "m",
      };
      fs.writeFileSync(baseline, JSON.stringify({ version: 1, tool: "ssot-audit", entries: [entry] }));
      const line = expectCleanFailure(await runMain(["check", "--no-cache", "--baseline", baseline, root]));
      expect(line).toContain("evil-baseline.json: entries[0].file: expected a path relative to the config's folder, inside it");
    },
  );
});

describe("paths in reports stay inside the root", () => {
  it("every file a finding, a related location, a parse error or a skip names is root-relative, without ..", async () => {
    fs.writeFileSync(path.join(root, "ssot-audit.config.yaml"), concept(""));
    fs.writeFileSync(path.join(root, "app/broken.py"), "def (:\n");
    const r = await runMain(["check", "--no-cache", "-f", "json", root]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      findings: { file: string; related: { file: string }[] }[];
      parseErrors: { file: string }[];
      skipped: { file: string }[];
    };
    const files = [
      ...report.findings.flatMap((f) => [f.file, ...f.related.map((x) => x.file)]),
      ...report.parseErrors.map((p) => p.file),
      ...report.skipped.map((s) => s.file),
    ];
    expect(files).toContain("app/job.py");
    expect(files).toContain("app/broken.py");
    for (const file of files) {
      expect(path.posix.isAbsolute(file) || /^[A-Za-z]:/.test(file)).toBe(false);
      expect(file.split("/")).not.toContain("..");
    }
    expect(files.some((f) => f.includes("secret") || f.startsWith("linked/"))).toBe(false);
  });
});
