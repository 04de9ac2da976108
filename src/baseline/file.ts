/**
 * The baseline file `.ssot-audit-baseline.json`: the findings a project has accepted for now,
 * keyed by fingerprint (rule, concept, file, enclosing symbol, normalized node text — never a
 * line number) with an occurrence count. Entries are sorted by file, rule and fingerprint and
 * written one field per line, so a baseline diff shows exactly which violations went away.
 *
 * The zod schema is the single source of the entry type and of the validation: a corrupt,
 * truncated or wrongly hand-edited file is a `UsageError` naming the file, the key and the problem.
 */
import fs from "node:fs";
import { z } from "zod";
import { formatKeyPath } from "../config/errors.js";
import { JsonSyntaxError, parseJson } from "../config/json.js";
import { RULE_IDS } from "../config/rule-ids.js";
import { showValue } from "../config/schema.js";
import { UsageError } from "../files/errors.js";

/** The default file name, written beside the config (or in the first path when there is none). */
export const BASELINE_FILE_NAME = ".ssot-audit-baseline.json";

const text = (what: string) => z.string({ error: `expected ${what} (a string)` });

export const baselineEntrySchema = z.strictObject({
  /** The findings' fingerprint (JSON report `fingerprint`). */
  fingerprint: z
    .string({ error: "expected a fingerprint (hex string)" })
    .regex(/^[0-9a-f]{8,64}$/, { error: "expected a fingerprint (8–64 lowercase hex digits)" }),
  ruleId: z.enum(RULE_IDS, { error: `expected a rule id (${RULE_IDS.join(", ")})` }),
  concept: text("a concept id"),
  /** Path relative to the config's folder, `/` separators; never absolute, never `..` (it cannot name a file outside the root). */
  file: text("a file path").refine((f) => f !== "" && !/^(\/|[A-Za-z]:[\\/])/.test(f) && !f.split("/").includes(".."), {
    error: "expected a path relative to the config's folder, inside it (no leading /, no .. segments)",
  }),
  /** Enclosing symbol; "" at module level. */
  symbol: text("a symbol"),
  /** How many findings with this fingerprint are accepted. */
  count: z.int({ error: "expected a whole number ≥ 1" }).min(1, { error: "expected a whole number ≥ 1" }),
  /** The message of the (first) finding when it was accepted, for humans reading the file. */
  message: text("a message"),
});

export const baselineSchema = z.strictObject({
  version: z.literal(1),
  tool: z.literal("ssot-audit", { error: 'expected "ssot-audit"' }),
  entries: z.array(baselineEntrySchema, { error: "expected an array of entries" }),
});

export type BaselineEntry = z.infer<typeof baselineEntrySchema>;
export type Baseline = z.infer<typeof baselineSchema>;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Validates parsed JSON as a baseline; `shown` names the file in the error. */
export function parseBaseline(value: unknown, shown: string): Baseline {
  const fail = (where: string, message: string): never => {
    throw new UsageError(`${shown}: ${where ? `${where}: ` : ""}${message}`);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail("", `not a baseline: expected a JSON object, found ${showValue(value)}`);
  }
  const version = (value as { version?: unknown }).version;
  if (version !== 1) {
    fail(
      "version",
      version === undefined ? "missing; expected 1" : `unsupported baseline version ${showValue(version)}; this ssot-audit reads version 1`,
    );
  }
  const parsed = baselineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return fail("", "invalid baseline");
    const path = issue.path.map((s) => (typeof s === "number" ? s : String(s)));
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0] ?? "";
      return fail(
        formatKeyPath([...path, key]),
        `unknown key; expected only ${issue.path.length === 0 ? "version, tool, entries" : Object.keys(baselineEntrySchema.shape).join(", ")}`,
      );
    }
    const found = valueAt(value, issue.path);
    return fail(formatKeyPath(path), `${issue.message}, found ${found === undefined ? "nothing" : showValue(found)}`);
  }
  const seen = new Map<string, number>();
  for (const [i, e] of parsed.data.entries.entries()) {
    const first = seen.get(e.fingerprint);
    if (first !== undefined)
      fail(`entries[${i}].fingerprint`, `duplicate of entries[${first}] ("${e.fingerprint}"); one entry per fingerprint, with a count`);
    seen.set(e.fingerprint, i);
  }
  return parsed.data;
}

/** Reads and validates a baseline file. Missing, unreadable, truncated or invalid → `UsageError` (exit 2). */
export function readBaseline(file: string, shown: string): Baseline {
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`${shown}: baseline file not found; create it with \`ssot-audit baseline\``);
    throw new UsageError(`${shown}: cannot read baseline: ${code === "EISDIR" ? "is a directory" : (code ?? String(error))}`);
  }
  let value: unknown;
  try {
    value = parseJson(source).value;
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new UsageError(
        `${shown}: line ${error.line}, column ${error.column}: invalid JSON (corrupt or truncated baseline?): ${error.message}`,
      );
    }
    throw error;
  }
  return parseBaseline(value, shown);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entries in file order: by file, rule id, fingerprint. */
export function sortEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  return [...entries].sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
}

/** The file's text: sorted entries, fixed key order, two-space indent, final newline. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const baseline: Baseline = {
    version: 1,
    tool: "ssot-audit",
    entries: sortEntries(entries).map((e) => ({
      fingerprint: e.fingerprint,
      ruleId: e.ruleId,
      concept: e.concept,
      file: e.file,
      symbol: e.symbol,
      count: e.count,
      message: e.message,
    })),
  };
  return `${JSON.stringify(baseline, null, 2)}\n`;
}
