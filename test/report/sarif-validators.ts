/**
 * Two independent SARIF checks: the SARIF 2.1.0 JSON schema (the copy shipped inside
 * @microsoft/sarif-multitool-linux, validated with ajv's draft 2020-12 engine) and Microsoft's
 * SARIF validator (`sarif-multitool validate`), run as its native binary without a shell.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);

/** The native multitool binary (the package's main export is its path). */
export const MULTITOOL: string = require("@microsoft/sarif-multitool") as string;

const SCHEMA_FILE = path.join(path.dirname(MULTITOOL), "sarif-2.1.0.json");

/** Why the multitool cannot run here, or undefined when it can. */
export const MULTITOOL_UNAVAILABLE: string | undefined = (() => {
  const probe = spawnSync(MULTITOOL, ["--version"], { encoding: "utf8" });
  if (probe.error) return `sarif-multitool cannot run here: ${probe.error.message}`;
  if (probe.status !== 0) return `sarif-multitool --version exited ${probe.status}: ${probe.stderr}`;
  return undefined;
})();

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateSchema = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as object);

/** Schema errors as `instancePath message` lines (empty = valid). */
export function schemaErrors(log: unknown): string[] {
  if (validateSchema(log)) return [];
  return (validateSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

export interface MultitoolResult {
  ruleId: string;
  level: string;
  text: string;
}

/** Runs `sarif-multitool validate` on a log; returns its findings (level defaults to warning, as in SARIF). */
export function multitoolValidate(log: unknown): MultitoolResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-sarif-"));
  try {
    const input = path.join(dir, "input.sarif");
    const output = path.join(dir, "validation.sarif");
    fs.writeFileSync(input, JSON.stringify(log, null, 2));
    const r = spawnSync(MULTITOOL, ["validate", input, "--output", output, "--level", "Error;Warning;Note", "--log", "ForceOverwrite"], {
      encoding: "utf8",
    });
    if (r.status !== 0 || !fs.existsSync(output)) throw new Error(`sarif-multitool failed (${r.status}): ${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(fs.readFileSync(output, "utf8")) as {
      runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }[] }[];
    };
    return (result.runs[0]?.results ?? []).map((x) => ({
      ruleId: x.ruleId,
      level: x.level ?? "warning",
      text: x.message.text ?? `${x.message.id ?? ""} ${(x.message.arguments ?? []).join(" | ")}`,
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
