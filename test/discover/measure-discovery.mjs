#!/usr/bin/env node
/**
 * Ad-hoc measurement of discovery's cost beside parsing (not a test; run after `npm run build`):
 *
 *   node test/discover/measure-discovery.mjs [--files N] [--dir DIR] [--jobs N]
 *
 * Generates the bench corpus (`scripts/gen-corpus.mjs`) unless `--dir` points at a code base, loads
 * the project (files → facts → model) without cache, then runs discovery, and prints files, lines,
 * definitions, seconds per stage, clone checks and peak memory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const files = Number(arg("--files", "2000"));
const jobs = Number(arg("--jobs", String(os.availableParallelism())));
let dir = arg("--dir", undefined);
if (!dir) {
  dir = path.join(os.tmpdir(), `ssot-discovery-corpus-${files}`);
  if (!fs.existsSync(dir)) {
    const { generateCorpus } = await import(path.join(root, "scripts/gen-corpus.mjs"));
    generateCorpus(dir, { files });
  }
}

const { loadProject } = await import(path.join(root, "dist/src/engine/project.js"));
const { discoverCandidates } = await import(path.join(root, "dist/src/discover/index.js"));

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const t0 = performance.now();
const c0 = cpu();
const project = await loadProject({ paths: [dir], cwd: process.cwd(), ignoreConfig: true, cache: false, jobs });
const t1 = performance.now();
const c1 = cpu();
const rssAfterLoad = process.memoryUsage().rss;
if (globalThis.gc) globalThis.gc(); // garbage from loading is not discovery's cost
const c1b = cpu();
const discovery = discoverCandidates(project.model);
const t2 = performance.now();
const c2 = cpu();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

const lines = project.entries.reduce((n, e) => n + e.facts.lines, 0);
const definitions = project.entries.reduce((n, e) => n + e.facts.definitions.length, 0);
const byKind = {};
for (const c of discovery.candidates) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
const mb = (b) => `${Math.round(b / 1024 / 1024)} MB`;
console.log(
  JSON.stringify(
    {
      dir,
      files: project.entries.length,
      lines,
      definitions,
      eligible: discovery.stats.eligible,
      cloneChecks: discovery.stats.comparisons,
      callResolutions: discovery.stats.resolutions,
      phasesMs: discovery.stats.phases,
      calls: project.entries.reduce((n, e) => n + e.facts.calls.length, 0),
      candidates: discovery.candidates.length,
      byKind,
      loadSeconds: Number(((t1 - t0) / 1000).toFixed(2)),
      discoverySeconds: Number(((t2 - t1) / 1000).toFixed(3)),
      discoveryShare: `${(((t2 - t1) / (t2 - t0)) * 100).toFixed(1)}%`,
      loadCpuSeconds: Number((c1 - c0).toFixed(2)),
      discoveryCpuSeconds: Number((c2 - c1b).toFixed(2)),
      gcBetweenSeconds: Number((c1b - c1).toFixed(2)),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
      rssAfterLoad: mb(rssAfterLoad),
      peakRss: mb(peak),
      top: discovery.candidates.slice(0, 5).map((c) => `${c.kind} ${c.name} (${c.definitions.length} defs, score ${c.score})`),
    },
    null,
    2,
  ),
);
