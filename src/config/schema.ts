/**
 * The config schema: the single source of the config's TypeScript types, its validation
 * (see `validate.ts` for how issues become messages) and the shipped JSON Schema
 * (`json-schema.ts` → `schema/ssot-audit.config.schema.json`).
 *
 * Keep this file free of transforms: `z.toJSONSchema` must be able to represent every node.
 * Rules that JSON Schema cannot express (symbol references, sink syntax) are `superRefine`
 * checks whose messages are complete sentences of the form `expected …, found …`.
 */
import path from "node:path";
import { z } from "zod";
import { languageOf } from "../files/language.js";
import { RULE_IDS, type RuleId } from "./rule-ids.js";
import { IDENTIFIER } from "../util/names.js";
import { parseSinkPattern } from "../util/sink-pattern.js";

/** Extra, non-JSON-Schema metadata about a node: how to describe what it expects in messages. */
export const expectations = z.registry<{ expected: string }>();

/** Quote a found value for a message: JSON-encoded, truncated to keep the message on one line. */
export function showValue(value: unknown, max = 60): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = text.replace(/[\r\n\u2028\u2029]/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Symbol references: `path/relative/to/config.ext::Qualified.name`


export interface SymbolRef {
  /** The file, relative to the config's folder, normalised, with `/` separators. */
  file: string;
  /** The qualified name inside the file, e.g. `WebSocketBroadcastService.broadcast_to_user`. */
  symbol: string;
}

/**
 * Parse `path::Qualified.name`. Returns the parsed reference, or a message of the form
 * `expected …, found …` saying what is wrong.
 */
export function parseSymbolRef(ref: string): SymbolRef | { error: string } {
  const found = showValue(ref);
  const parts = ref.split("::");
  const [rawFile, symbol] = parts;
  if (parts.length !== 2 || rawFile === undefined || symbol === undefined || rawFile === "" || symbol === "") {
    return { error: `expected "path::Qualified.name", found ${found}` };
  }
  const slashed = rawFile.replace(/\\/g, "/");
  if (path.posix.isAbsolute(slashed) || path.win32.isAbsolute(rawFile)) {
    return { error: `expected a path relative to the config folder before "::", found ${found}` };
  }
  const file = path.posix.normalize(slashed);
  if (file === ".." || file.startsWith("../")) {
    return { error: `expected a path inside the config folder before "::", found ${found}` };
  }
  if (languageOf(file) === undefined) {
    return { error: `expected a Python or TypeScript/JavaScript file before "::", found ${found}` };
  }
  // A TS private member is named with its `#` (`Observer.#track`), as the facts name it.
  if (!symbol.split(".").every((segment, i) => IDENTIFIER.test(i > 0 && segment.startsWith("#") ? segment.slice(1) : segment))) {
    return { error: `expected a dotted qualified name after "::", found ${found}` };
  }
  return { file, symbol };
}

// ---------------------------------------------------------------------------------------------
// Sink patterns: dotted member paths, segments are `name`, `name()`, `*`, `**`.

/** Why a sink pattern is invalid (a full `expected …, found …` message), or undefined if valid. */
export function sinkPatternError(pattern: string): string | undefined {
  const segments = parseSinkPattern(pattern);
  if (!segments) {
    return `expected a dotted member path whose segments are names, name(), * or ** (e.g. "**.send_json", "io.to().emit"), found ${showValue(pattern)}`;
  }
  if (segments.every((segment) => segment === "*" || segment === "**")) {
    return `expected a member path that names at least one member, found ${showValue(pattern)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Field schemas

const nonEmptyString = z.string().min(1);

/** Why a glob cannot be matched relative to the config folder, or undefined if it can. */
export function globError(glob: string): string | undefined {
  const body = glob.startsWith("!") ? glob.slice(1) : glob;
  const slashed = body.replace(/\\/g, "/");
  if (path.posix.isAbsolute(slashed) || path.win32.isAbsolute(body)) {
    return `expected a glob relative to the config folder, found ${showValue(glob)}`;
  }
  if (slashed.split("/").includes("..")) {
    return `expected a glob inside the config folder (no ".." segments), found ${showValue(glob)}`;
  }
  return undefined;
}

function globArray() {
  const glob = nonEmptyString.superRefine((value, ctx) => {
    const error = globError(value);
    if (error !== undefined) ctx.addIssue({ code: "custom", message: error, input: value });
  });
  expectations.add(glob, { expected: "a non-empty glob relative to the config folder" });
  const list = z.array(glob);
  expectations.add(list, { expected: "an array of globs" });
  return list;
}

/** An optional list of globs. */
function globList(description: string) {
  return globArray().optional().describe(description);
}

/** A list of globs with a default. */
function globListWithDefault(description: string, defaults: readonly string[]) {
  return globArray()
    .default(() => [...defaults])
    .describe(description);
}

export const DEFAULT_INCLUDE: readonly string[] = ["**/*"];
export const DEFAULT_TESTS: readonly string[] = [
  "**/tests/**",
  "**/test/**",
  "**/__tests__/**",
  "**/test_*.py",
  "**/*_test.py",
  "**/conftest.py",
  "**/*.test.ts",
  "**/*.spec.ts",
  "**/*.test.tsx",
  "**/*.spec.tsx",
  "**/*.test.js",
  "**/*.spec.js",
];
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;
export const DEFAULT_PARSE_BUDGET_MS = 5000;

const positiveInteger = z.number().int().positive();
expectations.add(positiveInteger, { expected: "a positive integer" });

const canonicalRef = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseSymbolRef(value);
    if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error, input: value });
  })
  .meta({
    // An editor hint only; the full check is parseSymbolRef.
    pattern: "^[^:]+::[^:]+$",
    examples: ["app/services/broadcast.py::BroadcastService.broadcast_to_user", "src/notify/hub.ts::hub.pushToUser"],
  })
  .describe(
    'The canonical implementation: "path/relative/to/config.ext::Qualified.name" — a Python or TypeScript/JavaScript file relative to the config\'s folder, "::", then the dotted name of the function, method or class inside it.',
  );
expectations.add(canonicalRef, { expected: '"path::Qualified.name"' });

const sinkPattern = z
  .string()
  .superRefine((value, ctx) => {
    const error = sinkPatternError(value);
    if (error !== undefined) ctx.addIssue({ code: "custom", message: error, input: value });
  })
  .meta({ pattern: "^[^.]+(\\.[^.]+)*$", examples: ["**.send_json", "io.to().emit", "os.environ", "process.env"] });
expectations.add(sinkPattern, { expected: 'a dotted member path such as "**.send_json"' });

const sinkList = z.array(sinkPattern);
expectations.add(sinkList, { expected: "an array of member paths" });

const pythonDelegate = z
  .strictObject({
    import: nonEmptyString.describe(
      'The import statement that makes the expression available, e.g. "from pkg.broadcast import get_broadcast_service".',
    ),
    expression: nonEmptyString.describe(
      'The Python expression call sites are rewritten to (it is then called with the original arguments), e.g. "get_broadcast_service().broadcast_to_user".',
    ),
  })
  .describe("How Python call sites reach the canonical implementation.");

const typescriptImport = z
  .union([
    nonEmptyString.describe('A complete import statement, e.g. "import { hub } from \\"@app/notify\\"".'),
    z
      .strictObject({
        from: nonEmptyString.describe(
          'The module to import from: a path relative to the config\'s folder (e.g. "src/notify/hub.ts"; rewritten relative to each importing file) or a package specifier.',
        ),
        name: nonEmptyString.describe("The imported binding's name."),
        default: z.boolean().optional().describe("Import the module's default export under `name` (default: false, a named import)."),
      })
      .describe("The binding to import."),
  ])
  .describe("What to import in TypeScript/JavaScript files: a structured binding or a complete import statement.");
expectations.add(typescriptImport, { expected: 'an import statement string or { from, name, default? }' });

const typescriptDelegate = z
  .strictObject({
    import: typescriptImport,
    expression: nonEmptyString.describe(
      'The TypeScript/JavaScript expression call sites are rewritten to (it is then called with the original arguments), e.g. "hub.pushToUser".',
    ),
  })
  .describe("How TypeScript/JavaScript call sites reach the canonical implementation.");

const delegate = z
  .strictObject({
    python: pythonDelegate.optional(),
    typescript: typescriptDelegate.optional(),
  })
  .describe("How call sites should reach the canonical implementation, per language. Enables the non-canonical-call fix.");

export const conceptSchema = z
  .strictObject({
    description: z.string().optional().describe("What the concept does, in one line; shown in reports."),
    canonical: canonicalRef,
    names: z
      .array(nonEmptyString)
      .optional()
      .describe(
        "Names that implement the concept. Compared in a normalized form (broadcast_to_user = broadcastToUser = BroadcastToUser), ignoring legacy affixes such as _legacy_, old, v2, compat, fallback. Default: the canonical's own name.",
      ),
    sinks: sinkList
      .optional()
      .describe(
        'Low-level APIs that only the canonical side may use, as dotted member paths: "name()" marks a call segment, "*" matches one segment, "**" any number. E.g. "**.send_json", "io.to().emit".',
      ),
    sinkOwners: globList(
      "Globs (relative to the config's folder) of files allowed to use the sinks, besides the canonical file, which always is.",
    ),
    deprecatedModules: z
      .array(nonEmptyString)
      .optional()
      .describe(
        'Modules whose imports of the concept are reported by non-canonical-import: dotted Python modules ("pkg.old_router") or TypeScript/JavaScript module paths.',
      ),
    delegate: delegate.optional(),
  })
  .describe("One capability that must have exactly one implementation.");

const conceptId = z.string().min(1);
expectations.add(conceptId, { expected: "a non-empty concept id" });

export const SEVERITY_SETTINGS = ["error", "warning", "off"] as const;
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

const ruleId = z.enum(RULE_IDS);
expectations.add(ruleId, { expected: "a rule id" });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("The JSON Schema this file follows (for editors); ignored by ssot-audit."),
    include: globListWithDefault(
      'Globs of files to audit, relative to the config\'s folder. .gitignore files are always honoured. Default: ["**/*"].',
      DEFAULT_INCLUDE,
    ),
    exclude: globListWithDefault(
      "Globs of files to skip, added to the built-in excludes (node_modules, .git, dist, build, venv, __pycache__, …).",
      [],
    ),
    tests: globListWithDefault(
      "Globs of test files. Findings in them are off by default; definitions in them are treated as test doubles.",
      DEFAULT_TESTS,
    ),
    maxFileSize: positiveInteger
      .default(DEFAULT_MAX_FILE_SIZE)
      .describe("Files larger than this many bytes are skipped with a notice. Default: 2000000."),
    parseBudgetMs: positiveInteger
      .default(DEFAULT_PARSE_BUDGET_MS)
      .describe("Time budget for parsing one file, in milliseconds; a file over budget is reported as a parse error. Default: 5000."),
    concepts: z
      .record(conceptId, conceptSchema)
      .default({})
      .describe("The concepts to audit, by id (e.g. websocket-broadcast). Without concepts, ssot-audit runs discovery."),
    rules: z
      .partialRecord(ruleId, z.enum(SEVERITY_SETTINGS))
      .default({})
      .describe("Severity per rule id: error, warning or off. Defaults: error, except non-canonical-import: warning."),
  })
  .describe("Configuration of ssot-audit, the single-source-of-truth auditor for Python and TypeScript/JavaScript.");

/** A config as written by users (every defaulted key optional). */
export type Config = z.input<typeof configSchema>;
/** One concept as written (after validation). */
export type ConceptConfig = z.output<typeof conceptSchema>;
export type DelegateConfig = NonNullable<ConceptConfig["delegate"]>;

/** A concept with its defaults applied and its canonical reference parsed. */
export interface ResolvedConcept extends ConceptConfig {
  id: string;
  /** Default: the last segment of the canonical's qualified name. */
  names: string[];
  sinks: string[];
  sinkOwners: string[];
  deprecatedModules: string[];
  /** The canonical's file, relative to the config's folder, normalised, `/` separators. */
  canonicalFile: string;
  /** The canonical's qualified name inside `canonicalFile`. */
  canonicalSymbol: string;
}

/** A validated config with every default applied. */
export interface ResolvedConfig {
  include: string[];
  exclude: string[];
  tests: string[];
  maxFileSize: number;
  parseBudgetMs: number;
  concepts: Record<string, ResolvedConcept>;
  rules: Partial<Record<RuleId, SeveritySetting>>;
}

/** Apply concept-level defaults to a config that passed `configSchema`. */
export function resolveConfig(parsed: z.output<typeof configSchema>): ResolvedConfig {
  const concepts = Object.fromEntries(
    Object.entries(parsed.concepts).map(([id, concept]): [string, ResolvedConcept] => {
      const ref = parseSymbolRef(concept.canonical);
      // The schema already rejected invalid references; this keeps the types honest.
      if ("error" in ref) throw new Error(`internal: unvalidated canonical for concept ${id}`);
      const ownName = ref.symbol.split(".").pop() ?? ref.symbol;
      return [
        id,
        {
          ...concept,
          id,
          names: concept.names ?? [ownName],
          sinks: concept.sinks ?? [],
          sinkOwners: concept.sinkOwners ?? [],
          deprecatedModules: concept.deprecatedModules ?? [],
          canonicalFile: ref.file,
          canonicalSymbol: ref.symbol,
        },
      ];
    }),
  );
  return {
    include: parsed.include,
    exclude: parsed.exclude,
    tests: parsed.tests,
    maxFileSize: parsed.maxFileSize,
    parseBudgetMs: parsed.parseBudgetMs,
    concepts,
    rules: { ...parsed.rules },
  };
}
