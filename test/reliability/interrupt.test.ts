/**
 * Interruptions lose nothing. On a generated project large enough for the worker pool and for
 * writes to take a while (120–240 handler modules, each with fixable calls), the real binary is
 * killed with SIGTERM or SIGINT at seeded pseudo-random delays (fractions of an uninterrupted
 * run's duration) during `fix --write`, `baseline --update` and a cold `check` that fills the
 * cache. After every kill:
 * - each source file is byte-for-byte its old or its new content (new = what an uninterrupted
 *   run writes), the baseline is the old or the new file — never partial;
 * - no temp file is left in the project;
 * - every cache entry present is complete (its header's length and checksum match) and a warm
 *   run gives exactly the report of a run without cache.
 * The exit is one of: finished before the signal (0/1), killed by the default signal action
 * (before writing started, or while exiting), or interrupted while writing (128 + n, after
 * finishing the file at hand).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, cli, cliAsync, tempDir } from "./helpers.js";

afterAll(cleanup);

const SEED = 0x55_07_a0_d1;
const HAS_GIT = spawnSync("git", ["--version"]).status === 0;

/** mulberry32: a tiny seeded PRNG, so the kill delays are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONFIG = `concepts:
  broadcast:
    canonical: app/service.py::Service.broadcast_to_user
    sinks: ["**.send_json"]
    deprecatedModules: ["app.legacy"]
    delegate:
      python: { import: "from app.service import get_broadcast_service", expression: "get_broadcast_service().broadcast_to_user" }
`;

/** A project of `modules` handler files, each with 4 fixable calls and 60 unrelated functions. */
function makeProject(dir: string, modules: number): void {
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write("ssot-audit.config.yaml", CONFIG);
  write("app/__init__.py", "");
  write("app/handlers/__init__.py", "");
  write(
    "app/service.py",
    "class Service:\n    def broadcast_to_user(self, user_id, event):\n        for connection in self.registry.for_user(user_id):\n            connection.send_json(event)\n\n\ndef get_broadcast_service():\n    return Service()\n",
  );
  write(
    "app/legacy.py",
    "def _legacy_broadcast_to_user(user_id, event):\n    for ws in CONNECTIONS.get(user_id, []):\n        ws.send_json(event)\n",
  );
  for (let i = 0; i < modules; i++) {
    const lines = ["from app.legacy import _legacy_broadcast_to_user", "", ""];
    for (let k = 0; k < 4; k++) {
      lines.push(
        `def handle_${i}_${k}(user_id, event):`,
        `    total = ${k}`,
        "    for item in range(10):",
        "        total += item",
        "    _legacy_broadcast_to_user(user_id, event)",
        "    return total",
        "",
        "",
      );
    }
    for (let k = 0; k < 60; k++) lines.push(`def unrelated_${i}_${k}(a, b):`, `    return a * ${k} + b`, "", "");
    write(`app/handlers/h_${String(i).padStart(3, "0")}.py`, `${lines.join("\n")}\n`);
  }
}

/** Every regular file under `dir` (relative `/` path → bytes), `.git` and caches left out. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== ".git" && e.name !== "node_modules") walk(child);
      } else if (e.isFile()) out.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk("");
  return out;
}

function git(dir: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, stdio: "pipe" });
}

interface Killed {
  delayMs: number;
  signal: NodeJS.Signals;
  status: number | null;
  exitSignal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI in `cwd` and sends `signal` after `delayMs` (or when `when()` first holds). */
async function runAndKill(args: string[], cwd: string, signal: NodeJS.Signals, delayMs: number, when?: () => boolean): Promise<Killed> {
  const child = cliAsync(args, { cwd });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += String(d);
  });
  child.stdout.resume();
  const exited = new Promise<{ status: number | null; exitSignal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (status, exitSignal) => resolve({ status, exitSignal })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const started = Date.now();
  while (!done) {
    if (when ? when() : Date.now() - started >= delayMs) break;
    await new Promise((r) => setTimeout(r, when ? 2 : Math.min(20, delayMs)));
  }
  if (!done) child.kill(signal);
  const { status, exitSignal } = await exited;
  return { delayMs: Date.now() - started, signal, status, exitSignal, stderr };
}

/** The exit was a finish, a default-action kill, or the graceful interrupt of a write. */
function expectCleanExit(k: Killed, finished: number[]): "finished" | "killed" | "interrupted" {
  if (k.exitSignal === k.signal) return "killed";
  const code = k.signal === "SIGINT" ? 130 : 143;
  if (k.status === code) {
    expect(k.stderr).toContain(`ssot-audit: interrupted (${k.signal}); files written so far are complete, the others are unchanged`);
    return "interrupted";
  }
  expect(finished, `exit ${k.status}\n${k.stderr}`).toContain(k.status);
  return "finished";
}

const noTempFiles = (dir: string) => [...tree(dir).keys()].filter((f) => /\.tmp$|ssot-audit-\d+-/.test(f));

/** Kill delays: fractions of `duration`, seeded, spread over the run. */
function delays(random: () => number, duration: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(duration * ((i + random()) / n) * 1.1));
}

describe.runIf(process.platform !== "win32")("interrupted runs leave every file old or new", () => {
  it("fix --write (in a git work tree): SIGTERM/SIGINT at seeded delays and once right after the first write", async () => {
    const random = prng(SEED);
    const pristine = tempDir("ssot-int-fix-");
    makeProject(pristine, HAS_GIT ? 120 : 240);
    const prepare = () => {
      const dir = tempDir("ssot-int-fix-");
      fs.cpSync(pristine, dir, { recursive: true });
      if (HAS_GIT) {
        git(dir, "init", "-q");
        git(dir, "add", "-A");
        git(dir, "commit", "-q", "-m", "init");
      }
      return dir;
    };
    const args = HAS_GIT ? ["fix", "--write", "--no-color", "."] : ["fix", "--write", "--allow-dirty", "--no-color", "."];
    const before = tree(pristine);

    // What an uninterrupted run writes, and how long it takes.
    const reference = prepare();
    const started = Date.now();
    const full = cli(args, { cwd: reference });
    const duration = Date.now() - started;
    expect(full.status, full.stderr).toBe(0);
    const after = tree(reference);
    const changed = [...before.keys()].filter((f) => !before.get(f)?.equals(after.get(f) ?? Buffer.alloc(0)));
    expect(changed.length).toBe(HAS_GIT ? 120 : 240);

    const firstWritten = path.join("app/handlers/h_000.py");
    const plans: { signal: NodeJS.Signals; delay: number; when?: (dir: string) => () => boolean }[] = [
      ...delays(random, duration, 2).map((delay, i) => ({ signal: (i % 2 ? "SIGINT" : "SIGTERM") as NodeJS.Signals, delay })),
      {
        signal: "SIGTERM",
        delay: 0,
        // Right after the first file is replaced: the kill lands in the middle of the writes.
        when: (dir) => () => !fs.readFileSync(path.join(dir, firstWritten)).equals(before.get(firstWritten) ?? Buffer.alloc(0)),
      },
    ];
    const outcomes: string[] = [];
    for (const plan of plans) {
      const dir = prepare();
      const k = await runAndKill(args, dir, plan.signal, plan.delay, plan.when?.(dir));
      const how = expectCleanExit(k, [0]);
      const now = tree(dir);
      let newer = 0;
      for (const [file, old] of before) {
        const bytes = now.get(file);
        const isOld = bytes?.equals(old) ?? false;
        const isNew = bytes?.equals(after.get(file) ?? Buffer.alloc(0)) ?? false;
        expect(isOld || isNew, `${file} after ${plan.signal} at ${k.delayMs} ms is neither old nor new`).toBe(true);
        if (!isOld) newer++;
      }
      expect(noTempFiles(dir)).toEqual([]);
      if (how === "finished") expect(newer).toBe(changed.length);
      outcomes.push(`${plan.signal}@${k.delayMs}ms: ${how}, ${newer}/${changed.length} new`);
    }
    // The run right after the first write really interrupted the writes.
    expect(outcomes[outcomes.length - 1]).toMatch(/interrupted|finished/);
    console.info(`fix --write interruptions: ${outcomes.join("; ")}`);
  }, 240_000);

  it("baseline --update: the baseline file is the old one or the new one", async () => {
    const random = prng(SEED + 1);
    const dir = tempDir("ssot-int-baseline-");
    makeProject(dir, 150);
    expect(cli(["baseline", "--no-cache", "."], { cwd: dir }).status).toBe(0);
    const file = path.join(dir, ".ssot-audit-baseline.json");
    const old = fs.readFileSync(file);
    // Fix half of the calls by hand: the update shrinks the baseline.
    for (let i = 0; i < 150; i += 2) {
      const f = path.join(dir, `app/handlers/h_${String(i).padStart(3, "0")}.py`);
      fs.writeFileSync(f, fs.readFileSync(f, "utf8").replaceAll("    _legacy_broadcast_to_user(user_id, event)\n", "    pass\n"));
    }
    const copy = tempDir("ssot-int-baseline-");
    fs.cpSync(dir, copy, { recursive: true });
    const started = Date.now();
    expect(cli(["baseline", "--update", "--no-cache", "."], { cwd: copy }).status).toBe(0);
    const duration = Date.now() - started;
    const updated = fs.readFileSync(path.join(copy, ".ssot-audit-baseline.json"));
    expect(updated.equals(old)).toBe(false);

    const outcomes: string[] = [];
    for (const [i, delay] of delays(random, duration, 3).entries()) {
      fs.writeFileSync(file, old);
      const signal: NodeJS.Signals = i % 2 ? "SIGINT" : "SIGTERM";
      const k = await runAndKill(["baseline", "--update", "--no-cache", "."], dir, signal, delay);
      const how = expectCleanExit(k, [0]);
      const now = fs.readFileSync(file);
      expect(now.equals(old) || now.equals(updated), `baseline after ${signal} at ${k.delayMs} ms is partial`).toBe(true);
      if (how === "finished") expect(now.equals(updated)).toBe(true);
      expect(JSON.parse(now.toString("utf8")).version).toBe(1);
      expect(noTempFiles(dir)).toEqual([]);
      outcomes.push(`${signal}@${k.delayMs}ms: ${how}, ${now.equals(updated) ? "new" : "old"}`);
    }
    console.info(`baseline --update interruptions: ${outcomes.join("; ")}`);
  }, 180_000);

  it("check filling the cache (worker pool): every cache entry left is complete, and a warm run is exact", async () => {
    const random = prng(SEED + 2);
    const dir = tempDir("ssot-int-cache-");
    makeProject(dir, 200);
    const strip = (s: string) => s.replace(/"durationMs": \d+/, "");
    const started = Date.now();
    const reference = cli(["check", "-f", "json", "--no-cache", "."], { cwd: dir });
    const duration = Date.now() - started;
    expect(reference.status).toBe(1);

    const outcomes: string[] = [];
    for (const [i, delay] of delays(random, duration, 3).entries()) {
      const cache = tempDir("ssot-int-cachedir-");
      const signal: NodeJS.Signals = i % 2 ? "SIGINT" : "SIGTERM";
      const k = await runAndKill(["check", "-f", "json", "--cache-location", cache, "."], dir, signal, delay);
      const how = expectCleanExit(k, [1]);
      // Each entry: "magic\tsalt\tcontentHash\tlength\tsha1(body)\n" + body, complete or absent.
      const entries = [...tree(cache)].filter(([f]) => f.endsWith(".facts"));
      for (const [name, bytes] of entries) {
        const text = bytes.toString("utf8");
        const nl = text.indexOf("\n");
        const [, , , length, bodyHash] = text.slice(0, nl).split("\t");
        const body = text.slice(nl + 1);
        expect(String(body.length), `${name} is torn`).toBe(length);
        expect(createHash("sha1").update(body).digest("hex"), `${name} is torn`).toBe(bodyHash);
      }
      const warm = cli(["check", "-f", "json", "--cache-location", cache, "."], { cwd: dir });
      expect(strip(warm.stdout)).toBe(strip(reference.stdout));
      expect(noTempFiles(dir)).toEqual([]);
      outcomes.push(`${signal}@${k.delayMs}ms: ${how}, ${entries.length} entries`);
    }
    console.info(`cache interruptions: ${outcomes.join("; ")}`);
  }, 180_000);
});
