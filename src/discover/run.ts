import { type Project, type ProjectOptions, loadProject } from "../engine/project.js";
import { count, timed } from "../engine/timings.js";
import { type Discovery, discoverCandidates } from "./index.js";
import type { DiscoveryReport } from "./types.js";

export interface DiscoveryRun {
  report: DiscoveryReport;
  discovery: Discovery;
  project: Project;
  /** Milliseconds spent loading the project (files → facts → model) and in discovery proper. */
  timings: { loadMs: number; discoverMs: number };
}

/** The discovery pipeline: files → per-file facts → project model → ranked candidates. */
export async function runDiscovery(options: ProjectOptions): Promise<DiscoveryRun> {
  const started = performance.now();
  const project = await loadProject(options);
  const loaded = performance.now();
  const discovery = timed(options.timings, "discover candidates", () => discoverCandidates(project.model), (d) => count(d.candidates.length, "candidate"));
  const done = performance.now();
  return {
    report: { version: 1, discovery: { candidates: discovery.candidates } },
    discovery,
    project,
    timings: { loadMs: Math.round(loaded - started), discoverMs: Math.round(done - loaded) },
  };
}
