import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/engine/check.js";
import { parseShard, shardOf } from "../../src/shard/facts-file.js";
import { runShard } from "../../src/shard/run.js";
import { REPO_ROOT } from "../fixtures/helpers.js";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-shard-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));
const fixture = "fixtures/python-broadcast";

describe("shards", () => {
  it("parses i/n", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard("0/3")).toBeUndefined();
    expect(parseShard("4/3")).toBeUndefined();
    expect(parseShard("a/b")).toBeUndefined();
  });

  it("splits files by a stable hash of their path", () => {
    expect(shardOf("pkg/a.py", 1)).toBe(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) {
      const s = shardOf(`pkg/mod_${i}.py`, 4);
      expect(s).toBe(shardOf(`pkg/mod_${i}.py`, 4));
      counts[s - 1] = (counts[s - 1] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(60);
  });

  it("a shard run keeps the cache entries of the other shards' files", async () => {
    const cacheLocation = path.join(temp, "shared-cache");
    const full = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation });
    const total = full.project.entries.length;
    expect(full.project.stats).toMatchObject({ parsed: total, cacheHits: 0 });
    const shard = await runShard({
      paths: [fixture],
      cwd: REPO_ROOT,
      jobs: 1,
      cacheLocation,
      shard: { index: 1, count: 2 },
      factsOut: path.join(temp, "keep-1.jsonl"),
    });
    expect(shard.stats).toMatchObject({ parsed: 0, cacheHits: shard.files });
    expect(shard.files).toBeGreaterThan(0);
    expect(shard.files).toBeLessThan(total);
    const again = await runCheck({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, cacheLocation });
    expect(again.project.stats).toMatchObject({ parsed: 0, cacheHits: total });
  });

  it("refuses an incomplete, repeated or foreign set of facts files", async () => {
    const out = (i: number) => path.join(temp, `s${i}.jsonl`);
    for (const index of [1, 2])
      await runShard({ paths: [fixture], cwd: REPO_ROOT, jobs: 1, shard: { index, count: 2 }, factsOut: out(index) });
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1)] })).rejects.toThrow(/missing shard 2\/2/);
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1), out(1)] })).rejects.toThrow(/both shard 1\/2/);
    const lines = fs.readFileSync(out(2), "utf8").split("\n");
    const header = JSON.parse(lines[0] ?? "") as { tool: { version: string } };
    header.tool.version = "0.0.0-other";
    fs.writeFileSync(path.join(temp, "foreign.jsonl"), [JSON.stringify(header), ...lines.slice(1)].join("\n"));
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1), path.join(temp, "foreign.jsonl")] })).rejects.toThrow(
      /written by ssot-audit 0\.0\.0-other/,
    );
    const garbled = [...lines];
    garbled[1] = JSON.stringify({ file: "a.py", definitions: [] });
    fs.writeFileSync(path.join(temp, "garbled.jsonl"), garbled.join("\n"));
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1), path.join(temp, "garbled.jsonl")] })).rejects.toThrow(
      /garbled\.jsonl: line 2 is not a file's facts/,
    );
    const older = JSON.parse(lines[0] ?? "") as { version: number };
    older.version = 1;
    fs.writeFileSync(path.join(temp, "older.jsonl"), [JSON.stringify(older), ...lines.slice(1)].join("\n"));
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1), path.join(temp, "older.jsonl")] })).rejects.toThrow(
      /older\.jsonl is in facts format 1; this ssot-audit reads format 3: re-run the shards with one version/,
    );
    const other = JSON.parse(lines[0] ?? "") as { kind: string };
    other.kind = "something-else";
    fs.writeFileSync(path.join(temp, "other.jsonl"), [JSON.stringify(other), ...lines.slice(1)].join("\n"));
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1), path.join(temp, "other.jsonl")] })).rejects.toThrow(
      /other\.jsonl is not an ssot-audit facts file$/,
    );
    // Run where no config is found (a CI job in the wrong folder): refused, not an empty report.
    const bare = fs.mkdtempSync(path.join(temp, "no-config-"));
    fs.writeFileSync(path.join(bare, "a.py"), "def f():\n    return 1\n");
    await expect(runCheck({ paths: [bare], cwd: bare, factsFiles: [out(1), out(2)] })).rejects.toThrow(
      /--facts needs the project's config, and no ssot-audit\.config\.\{json,yaml,yml\} was found at or above/,
    );
    await expect(runShard({ paths: [bare], cwd: bare, jobs: 1, shard: { index: 1, count: 2 }, factsOut: path.join(bare, "f.jsonl") })).rejects.toThrow(
      /--shard needs the project's config/,
    );
    expect(fs.readdirSync(bare)).toEqual(["a.py"]);
    fs.writeFileSync(path.join(temp, "cut.jsonl"), lines.slice(0, 2).join("\n"));
    await expect(runCheck({ paths: [fixture], cwd: REPO_ROOT, factsFiles: [out(1), path.join(temp, "cut.jsonl")] })).rejects.toThrow(
      /truncated/,
    );
  });
});
