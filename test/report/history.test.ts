import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { UsageError } from "../../src/files/errors.js";
import { gitHistory, parseBatch } from "../../src/history/git.js";
import { sampleEvenly } from "../../src/history/sample.js";
import { type Snapshot, remainingOf } from "../../src/history/snapshot.js";
import { appendSnapshot, parseHistory, readHistory } from "../../src/history/store.js";
import { assembleTrend } from "../../src/cli/commands/report.js";
import { HISTORY_FIXTURE, STABLE, runCli, tempDir } from "./migration-fixtures.js";

const temps: string[] = [];
function temp(): string {
  const dir = tempDir();
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const counts = (implementations: number, canonical: number, nonCanonical: number, fallbacks = 0, sinkCalls = 0) => ({
  implementations,
  canonical,
  nonCanonical,
  fallbacks,
  sinkCalls,
});
const snap = (date: string, commit: string | null, concepts: Snapshot["concepts"]): Snapshot => ({ date, commit, concepts });

describe("history file (JSON Lines)", () => {
  it("parses snapshots, ignoring blank lines and unknown keys", () => {
    const text = [
      JSON.stringify(snap("2026-01-01T00:00:00Z", null, { a: counts(2, 1, 3) })),
      "",
      `${JSON.stringify({ ...snap("2026-01-02T00:00:00+02:00", "abcdef0", {}), extra: true })}\r`,
      "",
    ].join("\n");
    expect(parseHistory(text, "h.jsonl")).toEqual([
      snap("2026-01-01T00:00:00Z", null, { a: counts(2, 1, 3) }),
      snap("2026-01-02T00:00:00+02:00", "abcdef0", {}),
    ]);
  });

  it.each([
    [
      "invalid JSON",
      `${JSON.stringify(snap("2026-01-01T00:00:00Z", null, {}))}\n{"date": \n`,
      "corrupt history file h.jsonl:2: invalid JSON",
    ],
    [
      "a negative count",
      `\n\n${JSON.stringify(snap("2026-01-01T00:00:00Z", null, { a: counts(1, -1, 0) }))}\n`,
      'corrupt history file h.jsonl:3: "concepts.a.canonical": ',
    ],
    ["a missing date", `${JSON.stringify({ commit: null, concepts: {} })}\n`, 'corrupt history file h.jsonl:1: "date": '],
    ["a bad commit id", `${JSON.stringify(snap("2026-01-01T00:00:00Z", "HEAD", {}))}\n`, 'corrupt history file h.jsonl:1: "commit": '],
    ["not an object", "[1, 2]\n", "corrupt history file h.jsonl:1: "],
  ])("names the file and line of %s", (_what, text, message) => {
    expect(() => parseHistory(text, "h.jsonl")).toThrow(UsageError);
    expect(() => parseHistory(text, "h.jsonl")).toThrow(message);
  });

  it("appends atomically: creates the file, adds a newline a hand edit left out, leaves no temp files", () => {
    const dir = temp();
    const file = path.join(dir, "sub", "h.jsonl");
    expect(readHistory(file, "h.jsonl")).toEqual([]);
    fs.mkdirSync(path.dirname(file));
    const first = snap("2026-01-01T00:00:00Z", null, { a: counts(2, 0, 1) });
    const second = snap("2026-01-02T00:00:00Z", "abc1234", { a: counts(1, 1, 0) });
    expect(appendSnapshot(file, "h.jsonl", first)).toEqual([first]);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").trimEnd());
    expect(appendSnapshot(file, "h.jsonl", second)).toEqual([first, second]);
    expect(fs.readFileSync(file, "utf8")).toBe(`${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["h.jsonl"]);
  });

  it("refuses to append to a corrupt file and leaves it unchanged", () => {
    const file = path.join(temp(), "h.jsonl");
    fs.writeFileSync(file, "not json\n");
    expect(() => appendSnapshot(file, "h.jsonl", snap("2026-01-01T00:00:00Z", null, {}))).toThrow(
      "corrupt history file h.jsonl:1: invalid JSON",
    );
    expect(fs.readFileSync(file, "utf8")).toBe("not json\n");
  });

  it("assembles the trend: history, then git samples not already recorded, sorted by date, then this run", () => {
    const h1 = snap("2026-01-03T00:00:00Z", "c3", {});
    const h2 = snap("2026-01-01T00:00:00Z", "c1", {});
    const g1 = snap("2026-01-02T00:00:00Z", "c2", {});
    const g2 = snap("2026-01-03T00:00:00Z", "c3", { a: counts(1, 0, 0) });
    const now = snap("2026-01-04T00:00:00Z", "c4", {});
    expect(assembleTrend([h1, h2], [g1, g2], now).map((p) => [p.commit, p.source])).toEqual([
      ["c1", "history"],
      ["c2", "git"],
      ["c3", "history"],
      ["c4", "current"],
    ]);
  });

  it("measures open items as non-canonical calls + other implementations + fallbacks + sinks", () => {
    expect(remainingOf(counts(4, 10, 7, 2, 5))).toBe(7 + 3 + 2 + 5);
    expect(remainingOf(counts(1, 10, 0))).toBe(0);
  });
});

describe("ssot-audit report --history (the real binary)", () => {
  it("appends one line per run and draws the trend from all of them", () => {
    const dir = temp();
    const history = path.join(dir, "history.jsonl");
    fs.copyFileSync(HISTORY_FIXTURE, history);
    const before = fs.readFileSync(history, "utf8").trim().split("\n").length;
    const env = { SOURCE_DATE_EPOCH: String(Date.parse(STABLE.date) / 1000) };
    const r1 = runCli(["report", "fixtures/python-broadcast", "--history", history, "--quiet"], { env });
    expect([r1.status, r1.stderr]).toEqual([0, ""]);
    const r2 = runCli(["report", "fixtures/python-broadcast", "--history", history, "-o", path.join(dir, "r.md")], { env });
    expect([r2.status, r2.stdout]).toEqual([0, ""]);
    const lines = readHistory(history, "history.jsonl");
    expect(lines).toHaveLength(before + 2);
    const last = lines[lines.length - 1];
    expect(last?.date).toBe(STABLE.date);
    expect(last?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(last?.concepts).toEqual({ "websocket-broadcast": counts(6, 7, 13, 5, 6), "env-config": counts(1, 2, 0, 0, 2) });
    // The second report's trend already holds the first run: 4 example lines + run 1 + run 2.
    expect(fs.readFileSync(path.join(dir, "r.md"), "utf8")).toContain("Open items over 6 snapshots");
  });

  it("exits 2 with one line naming the file and line of a corrupt history, writing nothing", () => {
    const dir = temp();
    const history = path.join(dir, "history.jsonl");
    const good = fs.readFileSync(HISTORY_FIXTURE, "utf8").trim().split("\n");
    const text = `${good[0]}\n${good[1]}\n{"date":"2026-10-30T09:00:00Z","commit":null,"concepts":{"x":{"implementations":"many"}}}\n`;
    fs.writeFileSync(history, text);
    const r = runCli(["report", "fixtures/python-broadcast", "--history", history, "-o", path.join(dir, "r.md")]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`corrupt history file ${history}:3: "concepts.x.implementations"`);
    expect(fs.readFileSync(history, "utf8")).toBe(text);
    expect(fs.existsSync(path.join(dir, "r.md"))).toBe(false);
  });
});

describe("sampling commits", () => {
  it("picks n items evenly, oldest and newest included", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(sampleEvenly(items, 4)).toEqual([0, 3, 6, 9]);
    expect(sampleEvenly(items, 2)).toEqual([0, 9]);
    expect(sampleEvenly(items, 1)).toEqual([0]);
    expect(sampleEvenly(items, 10)).toEqual(items);
    expect(sampleEvenly(items, 50)).toEqual(items);
    expect(sampleEvenly([], 3)).toEqual([]);
    for (let n = 1; n <= 10; n++) expect(new Set(sampleEvenly(items, n)).size).toBe(n);
  });

  it("parses git cat-file --batch output, binary content and missing objects included", () => {
    const blob = Buffer.from([0x61, 0x0a, 0x00, 0xff]);
    const out = Buffer.concat([Buffer.from(`aaaa blob ${blob.length}\n`), blob, Buffer.from("\nbbbb missing\ncccc blob 0\n\n")]);
    const parsed = parseBatch(out);
    expect([...parsed.keys()]).toEqual(["aaaa", "cccc"]);
    expect(parsed.get("aaaa")?.equals(blob)).toBe(true);
    expect(parsed.get("cccc")?.length).toBe(0);
  });
});

/** A real repository with three commits of a migration: before the canonical, half-way, done. */
function gitRepo(): { dir: string; commits: string[] } {
  const dir = temp();
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const commit = (date: string, message: string) => {
    git("add", "-A");
    process.env.GIT_AUTHOR_DATE = date;
    process.env.GIT_COMMITTER_DATE = date;
    try {
      git("commit", "-q", "-m", message);
    } finally {
      delete process.env.GIT_AUTHOR_DATE;
      delete process.env.GIT_COMMITTER_DATE;
    }
    return git("rev-parse", "HEAD").trim();
  };
  git("init", "-q", "-b", "main");
  // The config lives in a subfolder, as in a monorepo: blobs are read under its prefix.
  write("svc/ssot-audit.config.yaml", "concepts:\n  notify:\n    canonical: app/notify.py::notify\n    sinks: ['**.send_json']\n");
  write("svc/app/__init__.py", "");
  write("svc/app/legacy.py", "def legacy_notify(user, event):\n    return {'legacy': user}\n");
  write(
    "svc/app/a.py",
    "from app.legacy import legacy_notify\n\n\ndef on_a(ws, u):\n    ws.send_json({})\n    return legacy_notify(u, 'a')\n",
  );
  write("svc/app/b.py", "from app.legacy import legacy_notify\n\n\ndef on_b(u):\n    return legacy_notify(u, 'b')\n");
  write("svc/tests/test_a.py", "from app.legacy import legacy_notify\n\n\ndef test_a():\n    legacy_notify(1, 2)\n");
  const c1 = commit("2026-01-01T10:00:00Z", "legacy only");
  write("svc/app/notify.py", "def notify(user, event):\n    return {'user': user}\n");
  write("svc/app/a.py", "from app.notify import notify\n\n\ndef on_a(ws, u):\n    ws.send_json({})\n    return notify(u, 'a')\n");
  const c2 = commit("2026-01-08T10:00:00Z", "canonical, a migrated");
  write("svc/app/a.py", "from app.notify import notify\n\n\ndef on_a(ws, u):\n    return notify(u, 'a')\n");
  write("svc/app/b.py", "from app.notify import notify\n\n\ndef on_b(u):\n    return notify(u, 'b')\n");
  fs.rmSync(path.join(dir, "svc/app/legacy.py"));
  const c3 = commit("2026-01-15T10:00:00Z", "done");
  return { dir, commits: [c1, c2, c3] };
}

describe("--git-history on a real repository", () => {
  it("analyses past commits from blobs: a concept appears once its canonical exists, and the counts follow the code", async () => {
    const { dir, commits } = gitRepo();
    // An uncommitted edit must survive: history is read from blobs, never checked out.
    fs.writeFileSync(path.join(dir, "svc/app/b.py"), "# work in progress\n");
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" });
    const loaded = loadConfig(path.join(dir, "svc/ssot-audit.config.yaml"));
    const snapshots = await gitHistory({ loaded, requested: [path.join(dir, "svc")], count: 5 });
    expect(snapshots).toEqual([
      // No canonical yet: the concept is left out of the snapshot.
      { date: "2026-01-01T10:00:00.000Z", commit: commits[0], concepts: {} },
      // Tests are never counted: test_a.py's call to legacy_notify is not in nonCanonical.
      { date: "2026-01-08T10:00:00.000Z", commit: commits[1], concepts: { notify: counts(2, 1, 1, 0, 1) } },
    ]);
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" })).toBe(status);
    expect(fs.readFileSync(path.join(dir, "svc/app/b.py"), "utf8")).toBe("# work in progress\n");
  });

  it("samples evenly and counts only the requested paths", async () => {
    const { dir, commits } = gitRepo();
    const loaded = loadConfig(path.join(dir, "svc/ssot-audit.config.yaml"));
    const one = await gitHistory({ loaded, requested: [path.join(dir, "svc")], count: 1 });
    expect(one.map((s) => s.commit)).toEqual([commits[0]]);
    const onlyB = await gitHistory({ loaded, requested: [path.join(dir, "svc/app/b.py")], count: 2 });
    expect(onlyB[1]?.concepts).toEqual({ notify: counts(1, 0, 1, 0, 0) });
  });

  it("draws the trend in the report (the real binary), from git samples and the current run", () => {
    const { dir } = gitRepo();
    const r = runCli(["report", "svc", "--git-history", "10", "--quiet"], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    // Two past commits (the first without the concept) and this run: open items 3 → 0.
    expect(r.stdout).toContain("Open items over 3 snapshots, 2026-01-01 10:00 UTC → ");
    expect(r.stdout).toMatch(/\| <code>notify<\/code> \| \S+ \| 3 \| 0 \| ▼ 3 \|/);
  });

  it("exits 2 outside a git repository and for a sample count out of range", () => {
    const dir = temp();
    fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), "concepts:\n  c:\n    canonical: a.py::f\n");
    fs.writeFileSync(path.join(dir, "a.py"), "def f():\n    return 1\n");
    const outside = runCli(["report", dir, "--git-history", "3"], { cwd: dir });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("--git-history needs a git repository with commits");
    expect(outside.stderr.trim().split("\n")).toHaveLength(1);
    const tooMany = runCli(["report", dir, "--git-history", "101"], { cwd: dir });
    expect(tooMany.status).toBe(2);
    expect(tooMany.stderr).toContain("expected a whole number from 1 to 100");
  });
});
