import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/progress/bar.js";

function fakeStream(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean };
  stream.isTTY = isTTY;
  stream.columns = 100;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.moveCursor = () => true;
  let out = "";
  stream.on("data", (d: Buffer) => {
    out += d.toString();
  });
  return { stream: stream as unknown as NodeJS.WriteStream, output: () => out };
}

describe("progress bar", () => {
  it("stays silent when stderr is not a terminal, or when disabled", () => {
    for (const [tty, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const { stream, output } = fakeStream(tty);
      let t = 0;
      const p = createProgress({ enabled, stream, now: () => t, showAfterMs: 0 });
      t = 5000;
      p.onProgress({ total: 10, done: 1, cacheHits: 0 });
      p.stop();
      expect(output()).toBe("");
    }
  });

  it("appears only once the run is longer than the delay, with files, cache hits and time", async () => {
    const { stream, output } = fakeStream(true);
    let t = 0;
    const p = createProgress({ enabled: true, stream, now: () => t, showAfterMs: 1000 });
    p.onProgress({ total: 10, done: 1, cacheHits: 0 });
    expect(output()).toBe("");
    t = 1500;
    p.onProgress({ total: 10, done: 4, cacheHits: 3 });
    await new Promise((r) => setTimeout(r, 20));
    expect(output()).toContain("4/10 files");
    expect(output()).toContain("3 cached | 2s");
    const before = output().length;
    p.onProgress({ total: 10, done: 10, cacheHits: 3 });
    p.onProgress({ total: 10, done: 10, cacheHits: 3 });
    p.stop();
    expect(output().slice(before)).not.toContain("files");
  });
});
