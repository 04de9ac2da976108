/**
 * The performance machinery must not change results: the same JSON report (minus durationMs) with
 * one thread or a worker pool, with a cold or a warm cache, and sharded + merged.
 *
 * The pool runs the compiled worker (`dist/src/engine/worker.js`): run `npm run build` first
 * (`npm test` does). The tests assert the pool was really used, so a missing build fails them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import type { ProjectOptions } from "../../src/engine/project.js";
import type { Report } from "../../src/report/types.js";
import { runShard } from "../../src/shard/run.js";
import { REPO_ROOT } from "../fixtures/helpers.js";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-equivalence-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function comparable(report: Report): unknown {
  const copy = JSON.parse(JSON.stringify(report)) as { summary: { durationMs?: number } };
  delete copy.summary.durationMs;
  return copy;
}

async function check(fixture: string, extra: Partial<ProjectOptions> = {}) {
  return runCheck({ paths: [fixture], cwd: REPO_ROOT, ...extra });
}

describe.each(["fixtures/python-broadcast", "fixtures/ts-broadcast"])("%s", (fixture) => {
  const cacheDir = path.join(temp, path.basename(fixture), "cache");

  it("gives identical reports in-process, in a 1- and a 2-thread pool, cold and warm, and sharded + merged", async () => {
    const base = await check(fixture, { jobs: 1 });
    expect(base.project.stats?.threads).toBe(0);
    expect(base.report.findings.length).toBeGreaterThan(0);
    const expected = comparable(base.report);

    const pooled = await check(fixture, { jobs: 2, minFilesForPool: 1 });
    expect(pooled.project.stats?.threads).toBe(2);
    expect(comparable(pooled.report)).toEqual(expected);

    // `--jobs 1` on a project big enough for a pool: one worker thread.
    const oneWorker = await check(fixture, { jobs: 1, minFilesForPool: 1 });
    expect(oneWorker.project.stats?.threads).toBe(1);
    expect(comparable(oneWorker.report)).toEqual(expected);

    // Workers that run out of their heap limit (here every one, at once): their batches are
    // done on the main thread instead.
    const starved = await check(fixture, { jobs: 2, minFilesForPool: 1, workerHeapMb: 1 });
    expect(starved.project.stats).toMatchObject({ threads: 2, parsed: base.project.entries.length });
    expect(starved.project.stats?.retriedInProcess).toBeGreaterThan(0);
    expect(comparable(starved.report)).toEqual(expected);

    const files = base.project.entries.length;
    const cold = await check(fixture, { jobs: 2, minFilesForPool: 1, cacheLocation: cacheDir });
    expect(cold.project.stats).toMatchObject({ parsed: files, cacheHits: 0, threads: 2 });
    expect(comparable(cold.report)).toEqual(expected);

    const warm = await check(fixture, { jobs: 2, minFilesForPool: 1, cacheLocation: cacheDir });
    expect(warm.project.stats).toMatchObject({ parsed: 0, cacheHits: files });
    expect(comparable(warm.report)).toEqual(expected);

    // In-process from the TypeScript sources, the extractor code (and so the cache salt) differs
    // from the compiled workers': a cache of its own.
    const inProcessCache = `${cacheDir}-in-process`;
    const coldInProcess = await check(fixture, { jobs: 1, cacheLocation: inProcessCache });
    expect(coldInProcess.project.stats).toMatchObject({ parsed: files, cacheHits: 0, threads: 0 });
    expect(comparable(coldInProcess.report)).toEqual(expected);
    const warmInProcess = await check(fixture, { jobs: 1, cacheLocation: inProcessCache });
    expect(warmInProcess.project.stats).toMatchObject({ parsed: 0, cacheHits: files, threads: 0 });
    expect(comparable(warmInProcess.report)).toEqual(expected);

    const outs: string[] = [];
    let sharded = 0;
    for (let index = 1; index <= 3; index++) {
      const out = path.join(temp, path.basename(fixture), `shard-${index}.jsonl${index === 2 ? ".gz" : ""}`);
      const shard = await runShard({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, shard: { index, count: 3 }, factsOut: out });
      sharded += shard.files;
      outs.push(out);
    }
    expect(sharded).toBe(files);
    const merged = await check(fixture, { factsFiles: outs.reverse() });
    expect(merged.project.stats).toBeUndefined();
    expect(comparable(merged.report)).toEqual(expected);
  });
});
