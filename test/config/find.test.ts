import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findConfig } from "../../src/config/load.js";

let root: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ssot-find-")));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function touch(rel: string, text = "{}"): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe("findConfig", () => {
  it("finds the nearest config upward from a folder or a file", () => {
    const top = touch("ssot-audit.config.yaml", "");
    const nested = touch("pkg/ssot-audit.config.json");
    touch("pkg/src/deep/mod.py", "");
    touch("other/src/mod.py", "");
    expect(findConfig(path.join(root, "pkg/src/deep"))).toBe(nested);
    expect(findConfig(path.join(root, "pkg/src/deep/mod.py"))).toBe(nested);
    expect(findConfig(path.join(root, "pkg"))).toBe(nested);
    expect(findConfig(path.join(root, "other/src/mod.py"))).toBe(top);
    expect(findConfig(root)).toBe(top);
  });

  it("searches from a path that does not exist yet", () => {
    const top = touch("ssot-audit.config.yml", "");
    expect(findConfig(path.join(root, "not/there.py"))).toBe(top);
  });

  it("prefers json, then yaml, then yml in one folder", () => {
    touch("a/ssot-audit.config.yml", "");
    const yaml = touch("a/ssot-audit.config.yaml", "");
    expect(findConfig(path.join(root, "a"))).toBe(yaml);
    const json = touch("a/ssot-audit.config.json");
    expect(findConfig(path.join(root, "a"))).toBe(json);
  });

  it("ignores a folder named like a config", () => {
    fs.mkdirSync(path.join(root, "b/ssot-audit.config.json"), { recursive: true });
    const top = touch("ssot-audit.config.yaml", "");
    expect(findConfig(path.join(root, "b"))).toBe(top);
  });

  it("returns undefined when there is none up to the filesystem root", () => {
    // Assumes no ssot-audit config in the temp dir's ancestors (true on CI and dev machines).
    touch("x/mod.py", "");
    expect(findConfig(path.join(root, "x"))).toBeUndefined();
  });
});
