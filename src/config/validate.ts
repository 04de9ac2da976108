/**
 * Validation of a parsed config value against `configSchema`, turning zod issues into one-line
 * messages of the form `expected …, found …`, with "did you mean" suggestions for unknown keys,
 * rule ids and enum values.
 */
import { z } from "zod";
import { type ConfigIssue, formatKeyPath } from "./errors.js";
import { configSchema, expectations, type ResolvedConfig, resolveConfig, showValue } from "./schema.js";

type Path = (string | number)[];
type Issue = z.core.$ZodIssue;

export type Locate = (path: readonly (string | number)[]) => { line: number; column: number } | undefined;

export type ValidationResult = { ok: true; config: ResolvedConfig } | { ok: false; issues: ConfigIssue[] };

/** Validate a parsed config value. Issues are sorted in document order (the first is the one to report). */
export function validateConfigValue(value: unknown, locate?: Locate): ValidationResult {
  const raw: { path: Path; message: string }[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    raw.push({ path: [], message: `expected an object of config keys, found ${showValue(value)}` });
  } else {
    findProtoKeys(value, [], raw);
    const result = configSchema.safeParse(value);
    if (result.success && raw.length === 0) return { ok: true, config: resolveConfig(result.data) };
    if (!result.success) for (const issue of result.error.issues) convertIssue(issue, [], value, raw);
  }
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  const order = raw
    .map((issue, i) => ({ issue, i, key: orderKey(issue.path, value) }))
    .sort((a, b) => compareOrder(a.key, b.key) || a.i - b.i);
  for (const { issue } of order) {
    const keyPath = formatKeyPath(issue.path);
    if (seen.has(keyPath)) continue;
    seen.add(keyPath);
    const position = locate?.(issue.path) ?? locateNearest(issue.path, locate);
    issues.push({ keyPath, path: issue.path, message: issue.message, ...(position ?? {}) });
  }
  return { ok: false, issues };
}

function locateNearest(path: Path, locate: Locate | undefined): { line: number; column: number } | undefined {
  if (locate === undefined) return undefined;
  for (let n = path.length - 1; n >= 0; n--) {
    const found = locate(path.slice(0, n));
    if (found !== undefined) return found;
  }
  return undefined;
}

function findProtoKeys(value: unknown, path: Path, out: { path: Path; message: string }[]): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      findProtoKeys(item, [...path, i], out);
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === "__proto__") out.push({ path: [...path, key], message: `"__proto__" is not allowed as a key` });
    else findProtoKeys((value as Record<string, unknown>)[key], [...path, key], out);
  }
}

// ---------------------------------------------------------------------------------------------
// Document order

function orderKey(path: Path, root: unknown): number[] {
  const key: number[] = [];
  let node: unknown = root;
  for (const segment of path) {
    if (node !== null && typeof node === "object") {
      const keys = Array.isArray(node) ? undefined : Object.keys(node);
      const index = keys === undefined ? Number(segment) : keys.indexOf(String(segment));
      key.push(index >= 0 && Number.isFinite(index) ? index : Number.MAX_SAFE_INTEGER);
      node = (node as Record<string, unknown>)[String(segment)];
    } else {
      key.push(Number.MAX_SAFE_INTEGER);
      node = undefined;
    }
  }
  return key;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// Schema navigation and descriptions

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else return current;
  }
}

/** The object (or record) a schema stands for: unwrapped, and the object branch of a union. */
function containerOf(schema: z.ZodType): z.ZodType {
  const node = unwrap(schema);
  if (node instanceof z.ZodUnion) {
    const options = (node.options as readonly z.ZodType[]).map(unwrap);
    return options.find((o) => o instanceof z.ZodObject || o instanceof z.ZodRecord) ?? node;
  }
  return node;
}

/** The schema node at a key path (the object branch of a union for string keys), if any. */
export function schemaAt(path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = configSchema;
  for (const segment of path) {
    if (current === undefined) return undefined;
    const node = containerOf(current);
    if (node instanceof z.ZodObject) current = (node.shape as Record<string, z.ZodType>)[String(segment)];
    else if (node instanceof z.ZodRecord) current = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) current = node.element as z.ZodType;
    else return undefined;
  }
  return current;
}

/** "a string", "an array of strings", `"error" | "warning" | "off"`, … */
export function describeExpected(schema: z.ZodType | undefined): string {
  if (schema === undefined) return "a valid value";
  const registered = expectations.get(schema)?.expected;
  if (registered !== undefined) return registered;
  const inner = unwrap(schema);
  if (inner !== schema) return describeExpected(inner);
  if (inner instanceof z.ZodString) return inner.minLength !== null && inner.minLength > 0 ? "a non-empty string" : "a string";
  if (inner instanceof z.ZodNumber) return "a number";
  if (inner instanceof z.ZodBoolean) return "true or false";
  if (inner instanceof z.ZodEnum) return (inner.options as readonly unknown[]).map((o) => JSON.stringify(o)).join(" | ");
  if (inner instanceof z.ZodArray) {
    const element = describeExpected(inner.element as z.ZodType).replace(/^(a|an) /, "");
    return `an array of ${element.endsWith("s") ? element : `${element}s`}`;
  }
  if (inner instanceof z.ZodObject || inner instanceof z.ZodRecord) return "an object";
  if (inner instanceof z.ZodUnion) return (inner.options as readonly z.ZodType[]).map(describeExpected).join(" or ");
  return "a valid value";
}

function valueAt(root: unknown, path: Path): { present: boolean; value: unknown } {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return { present: false, value: undefined };
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return { present: true, value: node };
}

// ---------------------------------------------------------------------------------------------
// Suggestions

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate, compared case-insensitively, if its edit distance is at most
 * max(2, a third of the longer string's length), or if the candidate starts with the input
 * (3+ characters, e.g. "warn" → "warning").
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const distance = levenshtein(needle, hay);
    const limit = Math.max(2, Math.floor(Math.max(needle.length, hay.length) / 3));
    const prefix = needle.length >= 3 && hay.startsWith(needle);
    if ((distance <= limit || prefix) && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function suggestion(input: string, candidates: readonly string[]): string {
  const match = didYouMean(input, candidates);
  if (match !== undefined) return `did you mean ${JSON.stringify(match)}?`;
  if (candidates.length === 0) return "no keys are allowed here";
  return `expected one of ${candidates.map((c) => JSON.stringify(c)).join(", ")}`;
}

// ---------------------------------------------------------------------------------------------
// Issue conversion

function convertIssue(issue: Issue, base: Path, root: unknown, out: { path: Path; message: string }[]): void {
  const path: Path = [...base, ...issue.path.map((s) => (typeof s === "symbol" ? String(s) : s))];
  switch (issue.code) {
    case "unrecognized_keys": {
      const schema = schemaAt(path);
      const node = schema === undefined ? undefined : containerOf(schema);
      let allowed: string[] = [];
      let what = "key";
      if (node instanceof z.ZodObject) allowed = Object.keys(node.shape as object);
      else if (node instanceof z.ZodRecord) {
        const keyType = unwrap(node.keyType as z.ZodType);
        if (keyType instanceof z.ZodEnum) allowed = (keyType.options as readonly unknown[]).map(String);
        what = expectations.get(node.keyType as z.ZodType)?.expected.replace(/^(a|an) /, "") ?? "key";
      }
      for (const key of issue.keys) {
        out.push({ path: [...path, key], message: `unknown ${what}; ${suggestion(key, allowed)}` });
      }
      return;
    }
    case "invalid_key": {
      const schema = schemaAt(path.slice(0, -1));
      const node = schema === undefined ? undefined : unwrap(schema);
      const keyType = node instanceof z.ZodRecord ? (node.keyType as z.ZodType) : undefined;
      out.push({ path, message: `invalid key: expected ${describeExpected(keyType)}, found ${showValue(path.at(-1))}` });
      return;
    }
    case "invalid_union": {
      const { present, value } = valueAt(root, path);
      // Prefer the branch whose type matched (no type error at the union itself).
      const branch = issue.errors.find(
        (errors) => !errors.some((e) => e.path.length === 0 && e.code === "invalid_type"),
      );
      if (present && branch !== undefined && branch.length > 0) {
        for (const inner of branch) convertIssue(inner, path, root, out);
        return;
      }
      out.push({ path, message: expectedFound(path, present, value) });
      return;
    }
    case "invalid_value": {
      const { present, value } = valueAt(root, path);
      let message = expectedFound(path, present, value);
      if (typeof value === "string") {
        const match = didYouMean(value, issue.values.map(String));
        if (match !== undefined) message += `; did you mean ${JSON.stringify(match)}?`;
      }
      out.push({ path, message });
      return;
    }
    case "custom":
      out.push({ path, message: issue.message });
      return;
    default: {
      const { present, value } = valueAt(root, path);
      out.push({ path, message: expectedFound(path, present, value) });
    }
  }
}

function expectedFound(path: Path, present: boolean, value: unknown): string {
  const expected = describeExpected(schemaAt(path));
  return present ? `expected ${expected}, found ${showValue(value)}` : `required key is missing; expected ${expected}`;
}
