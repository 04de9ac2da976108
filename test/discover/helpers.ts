import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runDiscovery } from "../../src/discover/run.js";
import type { Candidate } from "../../src/discover/types.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** What the fixture tests compare: a candidate without its score, rank and evidence. */
export interface Cluster {
  kind: Candidate["kind"];
  name: string;
  /** `file:line symbol`, in the candidate's order (by file, then line). */
  definitions: string[];
  /** `file::symbol` of the suggested canonical. */
  canonical: string;
}

export function cluster(c: Candidate): Cluster {
  return {
    kind: c.kind,
    name: c.name,
    definitions: c.definitions.map((d) => `${d.file}:${d.line} ${d.symbol}`),
    canonical: `${c.suggestedCanonical.file}::${c.suggestedCanonical.symbol}`,
  };
}

/** Runs discovery in-process on a folder (relative to the repository root, or absolute). */
export async function discoverIn(dir: string, paths: string[] = [dir], options: { useConfig?: boolean } = {}): Promise<Candidate[]> {
  const run = await runDiscovery({
    paths,
    cwd: path.isAbsolute(dir) ? dir : REPO_ROOT,
    jobs: 1,
    cache: false,
    ignoreConfig: !options.useConfig,
  });
  return run.report.discovery.candidates;
}

/** Writes a throwaway project and returns its root. */
export function makeProject(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-discover-"));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

/** Discovery over a throwaway project, cleaned up afterwards. */
export async function discoverProject(
  files: Record<string, string>,
  paths: string[] = ["."],
  options: { useConfig?: boolean } = {},
): Promise<Candidate[]> {
  const root = makeProject(files);
  try {
    return await discoverIn(root, paths, options);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Copies a fixture folder to a temp folder (for tests that write into it). */
export function copyFixture(name: string, options: { dropConfig?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ssot-${name}-`));
  fs.cpSync(path.join(REPO_ROOT, "fixtures", name), dir, { recursive: true });
  if (options.dropConfig)
    for (const f of ["ssot-audit.config.yaml", "ssot-audit.config.json", "ssot-audit.config.yml"])
      fs.rmSync(path.join(dir, f), { force: true });
  return dir;
}
