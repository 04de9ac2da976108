#!/usr/bin/env node
/**
 * `npm run bench`: how fast is a whole audit, beside the floors it cannot beat.
 *
 *   node scripts/bench.mjs [--files N] [--seed S] [--repo PATH] [--jobs N] [--runs R] [--no-build]
 *
 * Without --repo it generates (once, then reuses) a deterministic synthetic corpus in the OS temp
 * dir (`scripts/gen-corpus.mjs`: Python + TypeScript, a few thousand files, over a million lines,
 * with ~3 % pathological broken files). Each measurement is a separate process, timed by this
 * script, with peak memory from `/usr/bin/time -v` when it exists:
 *   floor: read  — discover and read + hash + decode every file, nothing else
 *   floor: parse — discover, read and parse every file with the same parsers, budget, chunking
 *                  of pathologically slow files (`languages/python/parse.ts`) and pool
 *   check cold   — `ssot-audit check` with an empty cache
 *   check warm   — the same again: nothing changed, so the report comes from the run memo
 *   check warm, one file edited — the run memo misses; one file is parsed, the others' facts
 *                  come from the facts cache, and the model and rules run again (generated corpus only)
 *   discover     — `ssot-audit discover`, when the command exists
 *   jscpd        — when `jscpd` is on PATH, for comparison
 * It runs against dist/: it builds first unless --no-build.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};

// ------------------------------------------------------------------ child modes (the floors)

if (flag("--child")) {
  const mode = option("--child");
  const dir = path.resolve(option("--dir"));
  const dist = (p) => pathToFileURL(path.join(option("--build", ROOT), "dist", "src", p)).href;
  const { resolveRequest, discoverProject } = await import(dist("engine/project.js"));
  const { readSource } = await import(dist("files/read.js"));
  const { extractAll } = await import(dist("engine/pool.js"));
  const { loaded } = resolveRequest({ paths: [dir], cwd: dir });
  const { files } = await discoverProject(loaded);
  let lines = 0;
  let bytes = 0;
  if (mode === "read") {
    for (const f of files) {
      const r = await readSource(f.path);
      if ("text" in r) {
        bytes += f.size;
        for (let i = r.text.indexOf("\n"); i >= 0; i = r.text.indexOf("\n", i + 1)) lines++;
      }
    }
  } else {
    const jobs = option("--jobs") ? Number(option("--jobs")) : undefined;
    await extractAll(files, { mode: "parse", options: { parseBudgetMs: loaded.config.parseBudgetMs }, ...(jobs ? { jobs } : {}) });
  }
  process.stdout.write(`${JSON.stringify({ files: files.length, lines, bytes })}\n`);
  if (process.env.SSOT_AUDIT_REPORT_RSS) process.stderr.write(`max RSS ${process.resourceUsage().maxRSS} KB\n`);
  process.exit(0);
}

// ------------------------------------------------------------------ the benchmark

const jobs = option("--jobs");
const runs = Number(option("--runs", "1"));

if (!flag("--no-build")) {
  process.stderr.write("bench: npm run build …\n");
  const b = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (b.status !== 0) {
    process.stderr.write("bench: build failed\n");
    process.exit(2);
  }
} else if (!fs.existsSync(path.join(ROOT, "dist", "src", "engine", "pool.js"))) {
  process.stderr.write("bench: no build in dist/: run `npm run build` first\n");
  process.exit(2);
}

// Measure a private copy of the build: a rebuild in the checkout during the benchmark (by a
// watcher, another terminal) would otherwise change the extractor code between the cold and the
// warm run, and with it the cache salt.
const SNAPSHOT = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-audit-bench-build-"));
fs.cpSync(path.join(ROOT, "dist"), path.join(SNAPSHOT, "dist"), { recursive: true });
fs.cpSync(path.join(ROOT, "bin"), path.join(SNAPSHOT, "bin"), { recursive: true });
fs.copyFileSync(path.join(ROOT, "package.json"), path.join(SNAPSHOT, "package.json"));
fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(SNAPSHOT, "node_modules"), "junction");
process.on("exit", () => fs.rmSync(SNAPSHOT, { recursive: true, force: true }));
const BIN = path.join(SNAPSHOT, "bin", "ssot-audit");

let corpus = option("--repo");
if (corpus) corpus = path.resolve(corpus);
else {
  const { GENERATOR_VERSION, generateCorpus } = await import("./gen-corpus.mjs");
  const files = Number(option("--files", "3000"));
  const seed = Number(option("--seed", "42"));
  corpus = path.join(os.tmpdir(), `ssot-audit-bench-v${GENERATOR_VERSION}-${files}-${seed}`);
  const marker = path.join(corpus, ".complete");
  if (!fs.existsSync(marker)) {
    fs.rmSync(corpus, { recursive: true, force: true });
    process.stderr.write(`bench: generating ${files} files into ${corpus} …\n`);
    const stats = generateCorpus(corpus, { files, seed });
    fs.writeFileSync(marker, JSON.stringify(stats));
  }
  process.stderr.write(`bench: corpus ${corpus} ${fs.readFileSync(marker, "utf8")}\n`);
}

const hasTime = fs.existsSync("/usr/bin/time");
const onPath = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;

/** Runs a command `runs` times; the median wall time and the peak RSS of that run. */
function measure(label, argv, { ok = [0], before } = {}) {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    before?.();
    const full = hasTime ? ["/usr/bin/time", "-v", ...argv] : argv;
    const t0 = performance.now();
    const env = { ...process.env, SSOT_AUDIT_REPORT_RSS: "1" };
    const res = spawnSync(full[0], full.slice(1), { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env });
    const seconds = (performance.now() - t0) / 1000;
    if (!ok.includes(res.status)) {
      process.stderr.write(`bench: ${label} exited ${res.status}\n${res.stderr.slice(-3000)}\n`);
      process.exit(2);
    }
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr ?? "") ?? /max RSS (\d+) KB/.exec(res.stderr ?? "");
    const user = /User time \(seconds\): ([\d.]+)/.exec(res.stderr ?? "");
    const sys = /System time \(seconds\): ([\d.]+)/.exec(res.stderr ?? "");
    const cpu = user && sys ? Number(user[1]) + Number(sys[1]) : undefined;
    samples.push({ seconds, cpu, rssMB: rss ? Number(rss[1]) / 1024 : undefined, stdout: res.stdout });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  const median = samples[Math.floor(samples.length / 2)];
  process.stderr.write(`bench: ${label}: ${median.seconds.toFixed(2)} s\n`);
  return median;
}

const jobsArgs = jobs ? ["--jobs", jobs] : [];
const loadBefore = os.loadavg()[0];
const rows = [];
const read = measure("floor: read", [process.execPath, fileURLToPath(import.meta.url), "--child", "read", "--dir", corpus, "--build", SNAPSHOT]);
const size = JSON.parse(read.stdout);
rows.push(["floor: read every file", read]);
const parse = measure("floor: parse", [process.execPath, fileURLToPath(import.meta.url), "--child", "parse", "--dir", corpus, "--build", SNAPSHOT, ...jobsArgs]);
rows.push(["floor: parse every file (same pool)", parse]);

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-audit-bench-cache-"));
const report = path.join(cacheDir, "report.json");
const checkArgs = [process.execPath, BIN, "check", corpus, "-f", "json", "-o", report, "--no-progress", "--cache-location", cacheDir, ...jobsArgs];
const cold = measure("check cold", checkArgs, {
  ok: [0, 1],
  // Every run cold: no facts and no run memo (which would serve the 2nd run's report).
  before: () => {
    for (const dir of ["facts", "runs"]) fs.rmSync(path.join(cacheDir, dir), { recursive: true, force: true });
  },
});
rows.push(["check, cold cache", cold]);
const warm = measure("check warm", checkArgs, { ok: [0, 1] });
rows.push(["check, warm (nothing changed)", warm]);
const findings = JSON.parse(fs.readFileSync(report, "utf8")).summary;
// One edited file: the run memo misses, every other file's facts come from the cache, and the
// whole model and rules run again. Only on the generated corpus (never edit a --repo).
let edited;
if (!option("--repo")) {
  const file = firstPython(corpus);
  const original = fs.readFileSync(file);
  let round = 0;
  try {
    edited = measure("check warm, one file edited", checkArgs, {
      ok: [0, 1],
      before: () => fs.writeFileSync(file, Buffer.concat([original, Buffer.from(`\n# bench edit ${++round}\n`)])),
    });
  } finally {
    fs.writeFileSync(file, original);
  }
  rows.push(["check, warm (one file edited)", edited]);
}

function firstPython(dir) {
  for (const name of fs.readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    if (fs.statSync(abs).isDirectory()) {
      const found = firstPython(abs);
      if (found) return found;
    } else if (name.endsWith(".py")) return abs;
  }
  return undefined;
}

const help = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" }).stdout ?? "";
let discoverNote = "";
if (/^\s+discover\b/m.test(help)) {
  const discoverCache = path.join(cacheDir, "discover");
  const discoverArgs = [process.execPath, BIN, "discover", corpus, "--format", "json", "--cache-location", discoverCache, ...jobsArgs];
  const before = () => fs.rmSync(discoverCache, { recursive: true, force: true });
  rows.push(["discover, cold cache", measure("discover", discoverArgs, { ok: [0, 1], before })]);
} else discoverNote = "discover: skipped (no `discover` command in this build)";

let jscpdNote = "";
if (onPath("jscpd")) {
  const out = path.join(cacheDir, "jscpd");
  rows.push(["jscpd (clones only)", measure("jscpd", ["jscpd", "--silent", "--reporters", "json", "--output", out, corpus], { ok: [0, 1] })]);
} else jscpdNote = "jscpd: not on PATH, not compared";
fs.rmSync(cacheDir, { recursive: true, force: true });

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const lines = [
  `corpus: ${corpus}`,
  `files: ${size.files}, lines: ${size.lines.toLocaleString("en-US")}, ${(size.bytes / 1e6).toFixed(1)} MB; jobs: ${jobs ?? os.availableParallelism()}; runs: ${runs} (median)`,
  `findings: ${findings.findings}; load average (1 min) before/after: ${loadBefore.toFixed(1)}/${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`,
  "",
  `${pad("", 38)}${lpad("seconds", 9)}${lpad("lines/s", 12)}${lpad("peak MiB", 10)}${lpad("CPU s", 9)}`,
  ...rows.map(
    ([label, m]) =>
      `${pad(label, 38)}${lpad(m.seconds.toFixed(2), 9)}${lpad(Math.round(size.lines / m.seconds).toLocaleString("en-US"), 12)}${lpad(m.rssMB === undefined ? "n/a" : m.rssMB.toFixed(0), 10)}${lpad(m.cpu === undefined ? "n/a" : m.cpu.toFixed(1), 9)}`,
  ),
  "",
  `cold check / parse floor: ${(cold.seconds / parse.seconds).toFixed(2)}x wall${cold.cpu && parse.cpu ? `, ${(cold.cpu / parse.cpu).toFixed(2)}x CPU` : ""}   (target ≤ 1.3x)`,
  `cold / warm:              ${(cold.seconds / warm.seconds).toFixed(1)}x wall${cold.cpu && warm.cpu ? `, ${(cold.cpu / warm.cpu).toFixed(1)}x CPU` : ""}   (target ≥ 10x)`,
  ...(edited ? [`cold / warm, one edit:     ${(cold.seconds / edited.seconds).toFixed(1)}x wall${cold.cpu && edited.cpu ? `, ${(cold.cpu / edited.cpu).toFixed(1)}x CPU` : ""}`] : []),
  ...(discoverNote ? [discoverNote] : []),
  ...(jscpdNote ? [jscpdNote] : []),
  ...(hasTime ? [] : ["peak memory: process.resourceUsage().maxRSS (no /usr/bin/time)"]),
];
process.stdout.write(`${lines.join("\n")}\n`);
