/**
 * Finding and loading `ssot-audit.config.{json,yaml,yml}`.
 *
 * YAML is parsed with the `yaml` package using the YAML 1.2 core schema: nothing is executed, and
 * any tag outside the core schema (`!!js/function`, `!!binary`, `!custom`, …) is rejected.
 * JSON is parsed strictly (no comments, no trailing commas, no duplicate keys).
 */
import fs from "node:fs";
import path from "node:path";
import { isMap, isNode, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from "yaml";
import { displayPath } from "../files/paths.js";
import { ConfigError, type ConfigIssue } from "./errors.js";
import { JsonSyntaxError, parseJson } from "./json.js";
import { configSchema, type ResolvedConfig, resolveConfig } from "./schema.js";
import { type Locate, validateConfigValue } from "./validate.js";

/**
 * Config file names, in order of preference: when one folder holds several, the JSON one wins,
 * then `.yaml`, then `.yml`.
 */
export const CONFIG_FILE_NAMES = ["ssot-audit.config.json", "ssot-audit.config.yaml", "ssot-audit.config.yml"] as const;

export interface LoadedConfig {
  /** The config file, absolute; undefined when running without one (see `defaultConfig`). */
  file: string | undefined;
  /** The folder every path in the config (and in reports) is relative to; absolute. */
  rootDir: string;
  config: ResolvedConfig;
}

export interface LoadOptions {
  /** Paths in error messages are shown relative to this folder when inside it (default: process cwd). */
  cwd?: string;
}

/**
 * The nearest config file: looks in `startPath` (or its folder, if it is a file) and then in each
 * parent folder up to the filesystem root. In one folder, `.json` is preferred over `.yaml` over
 * `.yml` (see CONFIG_FILE_NAMES). Returns an absolute path, or undefined if there is none.
 */
export function findConfig(startPath: string): string | undefined {
  let dir = path.resolve(startPath);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    // A path that does not exist (yet): search from it anyway.
  }
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      try {
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not there or not readable
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Load, parse and validate a config file. Throws `ConfigError` (one-line message) when it is invalid. */
export function loadConfig(file: string, options: LoadOptions = {}): LoadedConfig & { file: string } {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, file);
  const shown = displayPath(absolute, cwd);
  let text: string;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : code;
    throw new ConfigError(shown, [{ keyPath: "", path: [], message: `cannot read config: ${why}` }]);
  }
  const config = parseConfigText(text, formatOf(absolute), shown);
  return { file: absolute, rootDir: path.dirname(absolute), config };
}

/** The config used when there is no config file: all defaults, no concepts (discovery mode). */
export function defaultConfig(rootDir: string): LoadedConfig & { file: undefined } {
  return { file: undefined, rootDir: path.resolve(rootDir), config: resolveConfig(configSchema.parse({})) };
}

export type ConfigFormat = "json" | "yaml";

/** `.json` files are JSON; everything else is read as YAML. */
export function formatOf(file: string): ConfigFormat {
  return path.extname(file).toLowerCase() === ".json" ? "json" : "yaml";
}

/**
 * Parse and validate config text. `displayName` is the file name used in error messages.
 * Throws `ConfigError`.
 */
export function parseConfigText(text: string, format: ConfigFormat, displayName: string): ResolvedConfig {
  const { value, locate } = format === "json" ? readJson(text, displayName) : readYaml(text, displayName);
  const result = validateConfigValue(value, locate);
  if (!result.ok) throw new ConfigError(displayName, result.issues);
  return result.config;
}

function syntaxError(file: string, kind: string, line: number, column: number, message: string): ConfigError {
  const issue: ConfigIssue = {
    keyPath: "",
    path: [],
    message: `line ${line}, column ${column}: invalid ${kind}: ${message}`,
    line,
    column,
  };
  return new ConfigError(file, [issue]);
}

function readJson(text: string, file: string): { value: unknown; locate: Locate } {
  try {
    const { value, positions } = parseJson(text);
    return { value, locate: (p) => positions.get(JSON.stringify(p)) };
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw syntaxError(file, "JSON", error.line, error.column, error.message);
    throw error;
  }
}

const CORE_TAG_PREFIX = "tag:yaml.org,2002:";
const ALLOWED_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => CORE_TAG_PREFIX + t));

function readYaml(text: string, file: string): { value: unknown; locate: Locate } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: "1.2",
    schema: "core",
    merge: false,
    uniqueKeys: true,
    lineCounter,
    prettyErrors: true,
  });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const { line, column } = at(firstError.pos[0]);
    const message =
      firstError.code === "MULTIPLE_DOCS"
        ? "a config file must hold a single YAML document"
        : (firstError.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw syntaxError(file, "YAML", line, column, message);
  }

  let badTag: { tag: string; offset: number } | undefined;
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
        const tag = node.tag.startsWith(CORE_TAG_PREFIX) ? `!!${node.tag.slice(CORE_TAG_PREFIX.length)}` : node.tag;
        const valueOffset = node.range?.[0] ?? 0;
        // The node's range starts at its value; point at the tag written before it.
        const tagOffset = text.lastIndexOf(tag, valueOffset);
        badTag = { tag, offset: tagOffset >= 0 ? tagOffset : valueOffset };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (badTag !== undefined) {
    const { line, column } = at(badTag.offset);
    throw syntaxError(file, "YAML", line, column, `custom tag ${JSON.stringify(badTag.tag)} is not allowed`);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw syntaxError(file, "YAML", 1, 1, (error as Error).message);
  }
  // An empty document (or only comments) is an empty config.
  if (value === null || value === undefined) value = {};

  const locate: Locate = (keyPath) => {
    let node: unknown = doc.contents;
    let offset: number | undefined = isNode(node) ? node.range?.[0] : undefined;
    for (const segment of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) return undefined;
        offset = isNode(pair.key) ? pair.key.range?.[0] : offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
        offset = isNode(node) ? (node as Node).range?.[0] : undefined;
      } else {
        return undefined;
      }
    }
    return offset === undefined ? undefined : at(offset);
  };
  return { value, locate };
}
