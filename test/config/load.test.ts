import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { defaultConfig, loadConfig, parseConfigText } from "../../src/config/load.js";
import { DEFAULT_TESTS } from "../../src/config/schema.js";

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-config-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Write a config file into a fresh folder and return its path. */
function write(name: string, text: string): string {
  const folder = fs.mkdtempSync(path.join(dir, "case-"));
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The ConfigError thrown by loading `text` as `name`, with paths shown relative to its folder. */
function errorOf(name: string, text: string): ConfigError {
  const file = write(name, text);
  try {
    loadConfig(file, { cwd: path.dirname(file) });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${name} to be invalid`);
}

const YAML_CONFIG = `# yaml-language-server: $schema=./node_modules/ssot-audit/schema/ssot-audit.config.schema.json
exclude: ["**/generated/**"]
concepts:
  websocket-broadcast:
    description: Deliver one event to every live connection of one user
    canonical: netra_backend/app/services/websocket_broadcast_service.py::WebSocketBroadcastService.broadcast_to_user
    names: ["broadcast_to_user", "broadcast_user_event"]
    sinks: ["**.send_json", "**.send_text"]
    sinkOwners: ["netra_backend/app/websocket_core/**"]
    deprecatedModules: ["netra_backend.app.services.websocket_event_router"]
    delegate:
      python:     { import: "from pkg.broadcast import get_broadcast_service", expression: "get_broadcast_service().broadcast_to_user" }
      typescript: { import: { from: "src/notify/hub.ts", name: "hub" }, expression: "hub.pushToUser" }
rules:
  non-canonical-import: warning
`;

describe("loadConfig: valid configs", () => {
  it("loads the DESIGN.md YAML example with defaults applied", () => {
    const file = write("ssot-audit.config.yaml", YAML_CONFIG);
    const loaded = loadConfig(file);
    expect(loaded.file).toBe(file);
    expect(loaded.rootDir).toBe(path.dirname(file));
    expect(loaded.config).toEqual({
      include: ["**/*"],
      exclude: ["**/generated/**"],
      tests: DEFAULT_TESTS,
      maxFileSize: 2_000_000,
      parseBudgetMs: 5000,
      concepts: {
        "websocket-broadcast": {
          id: "websocket-broadcast",
          description: "Deliver one event to every live connection of one user",
          canonical:
            "netra_backend/app/services/websocket_broadcast_service.py::WebSocketBroadcastService.broadcast_to_user",
          canonicalFile: "netra_backend/app/services/websocket_broadcast_service.py",
          canonicalSymbol: "WebSocketBroadcastService.broadcast_to_user",
          names: ["broadcast_to_user", "broadcast_user_event"],
          sinks: ["**.send_json", "**.send_text"],
          sinkOwners: ["netra_backend/app/websocket_core/**"],
          deprecatedModules: ["netra_backend.app.services.websocket_event_router"],
          delegate: {
            python: {
              import: "from pkg.broadcast import get_broadcast_service",
              expression: "get_broadcast_service().broadcast_to_user",
            },
            typescript: { import: { from: "src/notify/hub.ts", name: "hub" }, expression: "hub.pushToUser" },
          },
        },
      },
      rules: { "non-canonical-import": "warning" },
    });
  });

  it("loads a JSON config (with $schema) and defaults names to the canonical's own name", () => {
    const file = write(
      "ssot-audit.config.json",
      JSON.stringify({
        $schema: "./node_modules/ssot-audit/schema/ssot-audit.config.schema.json",
        include: ["src/**"],
        maxFileSize: 1000,
        concepts: { env: { canonical: "./src/./settings.ts::getSetting", sinks: ["process.env"] } },
        rules: { "direct-sink-call": "off" },
      }),
    );
    const { config } = loadConfig(file);
    expect(config.include).toEqual(["src/**"]);
    expect(config.exclude).toEqual([]);
    expect(config.maxFileSize).toBe(1000);
    expect(config.parseBudgetMs).toBe(5000);
    expect(config.rules).toEqual({ "direct-sink-call": "off" });
    expect(config.concepts).toEqual({
      env: {
        id: "env",
        canonical: "./src/./settings.ts::getSetting",
        canonicalFile: "src/settings.ts",
        canonicalSymbol: "getSetting",
        names: ["getSetting"],
        sinks: ["process.env"],
        sinkOwners: [],
        deprecatedModules: [],
      },
    });
  });

  it("accepts a config with only include/exclude, and an empty YAML file", () => {
    expect(parseConfigText("include: ['app/**']\nexclude: ['app/gen/**']\n", "yaml", "c.yaml").concepts).toEqual({});
    expect(parseConfigText("# nothing yet\n", "yaml", "c.yaml")).toEqual(defaultConfig("/x").config);
  });

  it("defaultConfig has every default and no concepts", () => {
    expect(defaultConfig("/some/root")).toEqual({
      file: undefined,
      rootDir: path.resolve("/some/root"),
      config: {
        include: ["**/*"],
        exclude: [],
        tests: DEFAULT_TESTS,
        maxFileSize: 2_000_000,
        parseBudgetMs: 5000,
        concepts: {},
        rules: {},
      },
    });
  });

  it("accepts the sink forms of DESIGN.md", () => {
    const config = parseConfigText(
      'concepts:\n  c:\n    canonical: "a.py::f"\n    sinks: ["**.send_json", "io.to().emit", "os.environ", "*.client.*", "jwt.decode"]\n',
      "yaml",
      "c.yaml",
    );
    expect(config.concepts.c?.sinks).toHaveLength(5);
  });
});

describe("loadConfig: error messages", () => {
  it("reports an invalid canonical reference", () => {
    const error = errorOf(
      "ssot-audit.config.yaml",
      "concepts:\n  websocket-broadcast:\n    canonical: foo.py\n",
    );
    expect(error.message).toBe(
      'ssot-audit.config.yaml: concepts.websocket-broadcast.canonical: expected "path::Qualified.name", found "foo.py"',
    );
    expect(error.file).toBe("ssot-audit.config.yaml");
    expect(error.keyPath).toBe("concepts.websocket-broadcast.canonical");
    expect([error.line, error.column]).toEqual([3, 5]);
  });

  it.each([
    ["a.py::", 'expected "path::Qualified.name", found "a.py::"'],
    ["::A.b", 'expected "path::Qualified.name", found "::A.b"'],
    ["a.py::A::b", 'expected "path::Qualified.name", found "a.py::A::b"'],
    ["/abs/a.py::A", 'expected a path relative to the config folder before "::", found "/abs/a.py::A"'],
    ["src/../../a.py::A", 'expected a path inside the config folder before "::", found "src/../../a.py::A"'],
    ["README.md::A", 'expected a Python or TypeScript/JavaScript file before "::", found "README.md::A"'],
    ["a.py::A..b", 'expected a dotted qualified name after "::", found "a.py::A..b"'],
    ["a.ts::#track", 'expected a dotted qualified name after "::", found "a.ts::#track"'],
  ])("rejects the canonical %j", (canonical, message) => {
    const error = errorOf("ssot-audit.config.json", JSON.stringify({ concepts: { x: { canonical } } }));
    expect(error.message).toBe(`ssot-audit.config.json: concepts.x.canonical: ${message}`);
  });

  it("accepts a TypeScript private member as `Class.#name`, as init writes it", () => {
    const file = write("ssot-audit.config.json", JSON.stringify({ concepts: { track: { canonical: "src/q.ts::Observer.#track" } } }));
    const { config } = loadConfig(file);
    expect([config.concepts.track?.canonicalSymbol, config.concepts.track?.names]).toEqual(["Observer.#track", ["#track"]]);
  });

  it("suggests the closest rule id", () => {
    const error = errorOf("ssot-audit.config.yaml", "rules:\n  non-canonical-cal: error\n");
    expect(error.message).toBe(
      'ssot-audit.config.yaml: rules.non-canonical-cal: unknown rule id; did you mean "non-canonical-call"?',
    );
  });

  it("lists the rule ids when none is close", () => {
    const error = errorOf("ssot-audit.config.yaml", "rules:\n  no-magic: error\n");
    expect(error.message).toBe(
      'ssot-audit.config.yaml: rules.no-magic: unknown rule id; expected one of "duplicate-implementation", "legacy-fallback", "direct-sink-call", "non-canonical-call", "non-canonical-import"',
    );
  });

  it("suggests the closest key, at every level", () => {
    expect(
      errorOf("ssot-audit.config.yaml", "concepts:\n  x:\n    canonical: a.py::f\n    sinkz: []\n").message,
    ).toBe('ssot-audit.config.yaml: concepts.x.sinkz: unknown key; did you mean "sinks"?');
    expect(errorOf("ssot-audit.config.yaml", "excludes: []\n").message).toBe(
      'ssot-audit.config.yaml: excludes: unknown key; did you mean "exclude"?',
    );
    expect(errorOf("ssot-audit.config.yaml", "Concepts: {}\n").message).toBe(
      'ssot-audit.config.yaml: Concepts: unknown key; did you mean "concepts"?',
    );
    expect(
      errorOf(
        "ssot-audit.config.yaml",
        "concepts:\n  x:\n    canonical: a.ts::f\n    delegate:\n      typescript:\n        import: { from: hub.ts, nme: hub }\n        expression: hub.f\n",
      ).message,
    ).toBe('ssot-audit.config.yaml: concepts.x.delegate.typescript.import.nme: unknown key; did you mean "name"?');
  });

  it("suggests the closest severity", () => {
    expect(errorOf("ssot-audit.config.yaml", "rules:\n  legacy-fallback: warn\n").message).toBe(
      'ssot-audit.config.yaml: rules.legacy-fallback: expected "error" | "warning" | "off", found "warn"; did you mean "warning"?',
    );
  });

  it("reports wrong types with the found value, JSON-encoded and truncated", () => {
    expect(errorOf("ssot-audit.config.yaml", "include: src/**\n").message).toBe(
      'ssot-audit.config.yaml: include: expected an array of globs, found "src/**"',
    );
    expect(errorOf("ssot-audit.config.yaml", "maxFileSize: 0\n").message).toBe(
      "ssot-audit.config.yaml: maxFileSize: expected a positive integer, found 0",
    );
    expect(errorOf("ssot-audit.config.yaml", `concepts:\n  x:\n    canonical: a.py::f\n    names: [${"x".repeat(100)}]\n    description: 3\n`).message).toBe(
      "ssot-audit.config.yaml: concepts.x.description: expected a string, found 3",
    );
    expect(errorOf("ssot-audit.config.yaml", `include: [${"a".repeat(100)}, 7]\n`).message).toBe(
      "ssot-audit.config.yaml: include[1]: expected a non-empty glob relative to the config folder, found 7",
    );
    expect(errorOf("ssot-audit.config.yaml", `concepts:\n  x: "${"y".repeat(100)}"\n`).message).toBe(
      `ssot-audit.config.yaml: concepts.x: expected an object, found "${"y".repeat(58)}…`,
    );
    expect(errorOf("ssot-audit.config.yaml", "- include\n").message).toBe(
      'ssot-audit.config.yaml: expected an object of config keys, found ["include"]',
    );
  });

  it("reports missing required keys, globs escaping the root and invalid sinks", () => {
    expect(errorOf("ssot-audit.config.yaml", "concepts:\n  x:\n    names: [f]\n").message).toBe(
      'ssot-audit.config.yaml: concepts.x.canonical: required key is missing; expected "path::Qualified.name"',
    );
    expect(errorOf("ssot-audit.config.yaml", "exclude: ['../other/**']\n").message).toBe(
      'ssot-audit.config.yaml: exclude[0]: expected a glob inside the config folder (no ".." segments), found "../other/**"',
    );
    expect(errorOf("ssot-audit.config.yaml", "tests: ['/abs/**']\n").message).toBe(
      'ssot-audit.config.yaml: tests[0]: expected a glob relative to the config folder, found "/abs/**"',
    );
    expect(
      errorOf("ssot-audit.config.yaml", "concepts:\n  x:\n    canonical: a.py::f\n    sinks: ['io.to(x).emit']\n").message,
    ).toBe(
      'ssot-audit.config.yaml: concepts.x.sinks[0]: expected a dotted member path whose segments are names, name(), * or ** (e.g. "**.send_json", "io.to().emit"), found "io.to(x).emit"',
    );
    expect(
      errorOf("ssot-audit.config.yaml", "concepts:\n  x:\n    canonical: a.py::f\n    sinks: ['**.*']\n").message,
    ).toBe('ssot-audit.config.yaml: concepts.x.sinks[0]: expected a member path that names at least one member, found "**.*"');
    expect(errorOf("ssot-audit.config.json", '{"concepts": {"": {"canonical": "a.py::f"}}}').message).toBe(
      'ssot-audit.config.json: concepts[""]: invalid key: expected a non-empty concept id, found ""',
    );
    expect(
      errorOf("ssot-audit.config.yaml", "concepts:\n  x:\n    canonical: a.ts::f\n    delegate:\n      typescript: { import: 5, expression: f }\n").message,
    ).toBe(
      "ssot-audit.config.yaml: concepts.x.delegate.typescript.import: expected an import statement string or { from, name, default? }, found 5",
    );
    expect(errorOf("ssot-audit.config.json", '{"__proto__": {"include": 1}}').message).toBe(
      'ssot-audit.config.json: __proto__: "__proto__" is not allowed as a key',
    );
  });

  it("reports the first issue in document order and keeps them all", () => {
    const error = errorOf(
      "ssot-audit.config.yaml",
      "rules:\n  legacy-fallbak: error\ninclude: 3\nconcepts:\n  b:\n    canonical: nope\n  a:\n    canonical: a.py::f\n    sinkz: []\n",
    );
    expect(error.message).toBe(
      'ssot-audit.config.yaml: rules.legacy-fallbak: unknown rule id; did you mean "legacy-fallback"?',
    );
    expect(error.issues.map((i) => [i.keyPath, i.line])).toEqual([
      ["rules.legacy-fallbak", 2],
      ["include", 3],
      ["concepts.b.canonical", 6],
      ["concepts.a.sinkz", 9],
    ]);
    expect(error.issues[3]?.message).toBe('unknown key; did you mean "sinks"?');
  });

  it("reports JSON syntax errors with line and column", () => {
    expect(errorOf("ssot-audit.config.json", '{\n  "include": ["a"]\n    "exclude": []\n}\n').message).toBe(
      'ssot-audit.config.json: line 3, column 5: invalid JSON: expected "," or "}", found "\\""',
    );
    expect(errorOf("ssot-audit.config.json", '{\n  "include": ["a",],\n}').message).toBe(
      'ssot-audit.config.json: line 2, column 19: invalid JSON: expected a value, found "]" (trailing commas are not allowed)',
    );
    expect(errorOf("ssot-audit.config.json", '{\n  "include": ["a"],\n}').message).toBe(
      'ssot-audit.config.json: line 3, column 1: invalid JSON: expected a property name in double quotes, found "}" (trailing commas are not allowed)',
    );
    expect(errorOf("ssot-audit.config.json", '{\n  // comment\n}').message).toBe(
      'ssot-audit.config.json: line 2, column 3: invalid JSON: expected a property name in double quotes, found "/" (comments are not allowed in JSON)',
    );
    expect(errorOf("ssot-audit.config.json", '{"include": ["a"], "include": []}').message).toBe(
      'ssot-audit.config.json: line 1, column 20: invalid JSON: duplicate key "include"',
    );
    expect(errorOf("ssot-audit.config.json", '{"include": ["a"').message).toBe(
      'ssot-audit.config.json: line 1, column 17: invalid JSON: expected "," or "]", found end of input',
    );
    expect(errorOf("ssot-audit.config.json", "").message).toBe(
      "ssot-audit.config.json: line 1, column 1: invalid JSON: expected a value, found end of input",
    );
    expect(errorOf("ssot-audit.config.json", '{"maxFileSize": 012}').message).toBe(
      "ssot-audit.config.json: line 1, column 17: invalid JSON: invalid number",
    );
    expect(errorOf("ssot-audit.config.json", '{"a": "x\ny"}').message).toBe(
      "ssot-audit.config.json: line 1, column 9: invalid JSON: unescaped control character in string (use \\n, \\t, …)",
    );
    expect(errorOf("ssot-audit.config.json", "{} {}").message).toBe(
      'ssot-audit.config.json: line 1, column 4: invalid JSON: unexpected "{" after the JSON value',
    );
  });

  it("reports YAML syntax errors with line and column", () => {
    expect(errorOf("ssot-audit.config.yaml", "include: [a\nexclude: []\n").message).toMatch(
      /^ssot-audit\.config\.yaml: line \d+, column \d+: invalid YAML: \S/,
    );
    expect(errorOf("ssot-audit.config.yaml", "rules: a: b\n").message).toBe(
      "ssot-audit.config.yaml: line 1, column 8: invalid YAML: Nested mappings are not allowed in compact mappings",
    );
    expect(errorOf("ssot-audit.config.yml", "include: []\ninclude: []\n").message).toBe(
      "ssot-audit.config.yml: line 2, column 1: invalid YAML: Map keys must be unique",
    );
    expect(errorOf("ssot-audit.config.yaml", "include: []\n---\nexclude: []\n").message).toBe(
      "ssot-audit.config.yaml: line 2, column 1: invalid YAML: a config file must hold a single YAML document",
    );
  });

  it("rejects YAML custom tags instead of executing or converting them", () => {
    expect(
      errorOf("ssot-audit.config.yaml", "include:\n  - !!js/function 'function () { process.exit(1) }'\n").message,
    ).toBe('ssot-audit.config.yaml: line 2, column 5: invalid YAML: custom tag "!!js/function" is not allowed');
    expect(errorOf("ssot-audit.config.yaml", "include: !include other.yaml\n").message).toBe(
      'ssot-audit.config.yaml: line 1, column 10: invalid YAML: custom tag "!include" is not allowed',
    );
    expect(errorOf("ssot-audit.config.yaml", "exclude: [!!binary aGVsbG8=]\n").message).toBe(
      'ssot-audit.config.yaml: line 1, column 11: invalid YAML: custom tag "!!binary" is not allowed',
    );
    // Core-schema tags are fine.
    expect(parseConfigText("exclude: [!!str gen/**]\n", "yaml", "c.yaml").exclude).toEqual(["gen/**"]);
  });

  it("names the file relative to the cwd, or absolute outside it", () => {
    const file = write("ssot-audit.config.yaml", "include: 1\n");
    const sub = path.relative(dir, file);
    expect(() => loadConfig(file, { cwd: dir })).toThrow(`${sub}: include: expected an array of globs, found 1`);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-cwd-"));
    try {
      expect(() => loadConfig(file, { cwd: elsewhere })).toThrow(`${file}: include: expected an array of globs, found 1`);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("reports an unreadable config file", () => {
    expect(() => loadConfig(path.join(dir, "missing.yaml"), { cwd: dir })).toThrow(
      new ConfigError("missing.yaml", [{ keyPath: "", path: [], message: "cannot read config: file not found" }]),
    );
    try {
      loadConfig(path.join(dir, "missing.yaml"), { cwd: dir });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe("missing.yaml: cannot read config: file not found");
    }
  });
});
