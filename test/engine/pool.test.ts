/**
 * The extraction pool's memory behaviour: a batch's result (its encoded facts) must become
 * garbage as soon as its facts are decoded, not stay reachable until the run ends — with
 * thousands of batches that is the difference between holding the facts once and twice.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { extractAll } from "../../src/engine/pool.js";
import type { SourceFile } from "../../src/files/discover.js";

v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-pool-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function pythonSources(count: number): SourceFile[] {
  return Array.from({ length: count }, (_, i) => {
    const rel = `pkg/mod_${String(i).padStart(3, "0")}.py`;
    const abs = path.join(temp, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const text = Array.from({ length: 20 }, (_, k) => `def handler_${k}(event):\n    return send_event(event, ${i * 100 + k})\n`).join("\n");
    fs.writeFileSync(abs, text);
    return { path: abs, rel, language: "python", size: Buffer.byteLength(text), isTest: false };
  });
}

describe("extraction pool", () => {
  it("lets each batch's result be collected once it is accepted", async () => {
    const sources = pythonSources(64);
    const results: WeakRef<object>[] = [];
    let aliveAtEnd: number | undefined;
    const { outcomes, stats } = await extractAll(sources, {
      options: { parseBudgetMs: 0 },
      jobs: 2,
      minFilesForPool: 1,
      onBatchResult: (result) => {
        results.push(new WeakRef(result));
      },
      onProgress: (progress) => {
        if (progress.done !== progress.total) return;
        // When the last batch is accepted, every result but the last four is garbage: up to four
        // (two workers × two tasks each) can arrive together, and the thread's message port
        // holds what it delivers in one go until the last of them is handled.
        gc();
        aliveAtEnd = results.slice(0, -4).filter((r) => r.deref() !== undefined).length;
      },
    });
    expect(stats.threads).toBe(2);
    expect(outcomes.every((o) => o !== undefined && "facts" in o)).toBe(true);
    expect(results.length).toBe(8);
    expect(aliveAtEnd).toBe(0);
  });
});
