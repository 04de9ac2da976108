/**
 * A config that names a canonical file the project does not have stops the run as soon as the
 * files are found — before any is read, hashed for the run memo, or parsed — with the same error
 * the analysis would give, plus the closest file name.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck, runCheckReport } from "../../src/engine/check.js";
import { makeProject } from "../helpers/project.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function project(canonical: string): string {
  const files: Record<string, string> = {
    "ssot-audit.config.yaml": `concepts:\n  mail:\n    canonical: ${canonical}\n`,
    "app/mail.py": "def send_email(to):\n    return 1\n",
  };
  for (let i = 0; i < 60; i++) files[`app/mod_${i}.py`] = `def f_${i}():\n    return ${i}\n`;
  const root = makeProject(files);
  roots.push(root);
  return root;
}

describe("a canonical file the project does not have", () => {
  it("fails before any file is extracted, with or without the run memo, naming the closest file", async () => {
    const root = project("app/mial.py::send_email");
    const expected = /concepts\.mail\.canonical: file "app\/mial\.py" is not among the analysed files \(relative to .*\); did you mean "app\/mail\.py"\?/;
    let progressed = 0;
    const onProgress = () => {
      progressed++;
    };
    await expect(runCheck({ paths: ["."], cwd: root, jobs: 2, minFilesForPool: 1, onProgress })).rejects.toThrow(expected);
    await expect(runCheckReport({ paths: ["."], cwd: root, cache: true, cacheLocation: ".cache", onProgress })).rejects.toThrow(expected);
    expect(progressed).toBe(0);
    // The memo path stopped before writing anything but its cache folder's tag.
    expect(fs.readdirSync(`${root}/.cache`)).toEqual(["CACHEDIR.TAG"]);
  });

  it("still lets a run whose canonical file exists go through (its symbol is checked after extraction)", async () => {
    const root = project("app/mail.py::send_mail");
    await expect(runCheck({ paths: ["."], cwd: root })).rejects.toThrow(/no definition "send_mail" in app\/mail\.py; did you mean "send_email"\?/);
  });
});
