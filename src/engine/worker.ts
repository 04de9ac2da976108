/**
 * Worker-thread entry of the extraction pool (`pool.ts`). Loaded from the compiled output
 * (`dist/src/engine/worker.js`); it gets plain task data and returns plain results: encoded facts,
 * never syntax trees or source text.
 */
import { type BatchResult, type BatchTask, runBatch } from "./worker-task.js";

export default function extractBatch(task: BatchTask): Promise<BatchResult> {
  return runBatch(task);
}
