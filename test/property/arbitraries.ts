/**
 * fast-check generators for the property tests: small but realistic Python and TypeScript
 * programs built around one concept (a canonical `broadcast_to_user` / `pushToUser`, legacy
 * copies, fallbacks, sinks, deprecated imports), token soups that reach odd parser states, and
 * whole throwaway projects (config + files) for the `check` and `fix` pipelines.
 *
 * Runs are seeded and bounded (`fuzzParams`): `SSOT_FUZZ_RUNS=N` runs every property N times
 * (and `SSOT_FUZZ_SEED=S` picks another seed) for a longer, local fuzzing session.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";

/** The fixed seed of CI runs (a failure prints the seed and the shrunk counterexample). */
export const DEFAULT_SEED = 20240608;

/** fast-check parameters: `runs` by default, `SSOT_FUZZ_RUNS` / `SSOT_FUZZ_SEED` for long runs. */
export function fuzzParams(runs: number): { seed: number; numRuns: number; endOnFailure: boolean } {
  const envRuns = Number(process.env.SSOT_FUZZ_RUNS);
  const envSeed = Number(process.env.SSOT_FUZZ_SEED);
  return {
    seed: Number.isInteger(envSeed) && process.env.SSOT_FUZZ_SEED ? envSeed : DEFAULT_SEED,
    numRuns: Number.isInteger(envRuns) && envRuns > 0 ? envRuns : runs,
    // Shrinking whole projects is slow; the first counterexample is small enough to read.
    endOnFailure: true,
  };
}

/** A per-test timeout that grows with `SSOT_FUZZ_RUNS` (CI: the given one). */
export function fuzzTimeout(ms: number, runs: number): number {
  const envRuns = Number(process.env.SSOT_FUZZ_RUNS);
  return Number.isInteger(envRuns) && envRuns > runs ? Math.ceil((ms * envRuns) / runs) : ms;
}

// ---------------------------------------------------------------------------------------------
// Python

const PY_FUNCS = [
  "broadcast_to_user",
  "_legacy_broadcast_to_user",
  "broadcast_to_user_v2",
  "compat_broadcast_to_user",
  "broadcast_user_event",
  "notify",
  "helper",
  "handle_message",
  "get_service",
];
const PY_CLASSES = ["Router", "LegacyRouter", "Service", "Adapter", "UserScopedRouter"];
const PY_VARS = ["x", "user_id", "event", "svc", "router", "payload"];

const pyName = fc.constantFrom(...PY_FUNCS);
const pyClass = fc.constantFrom(...PY_CLASSES);
const pyVar = fc.constantFrom(...PY_VARS);

/** A Python expression that calls something concept-related (or not). */
const pyCall: fc.Arbitrary<string> = fc.oneof(
  pyName.map((n) => `${n}(user_id, event)`),
  fc.constant("websocket.send_json(event)"),
  fc.constant("self.ws.send_json(payload)"),
  fc.constant("get_broadcast_service().broadcast_to_user(user_id, event)"),
  pyClass.map((c) => `${c}().broadcast_to_user(user_id, event)`),
  fc.constant("router.broadcast_to_user(user_id, event)"),
  fc.constant("self.router.broadcast_to_user(user_id, event)"),
  fc.constant("os.environ.get('KEY')"),
  fc.constant("print(x)"),
);

const pyExpr: fc.Arbitrary<string> = fc.oneof(
  pyCall,
  fc.constant("await router.broadcast_to_user(user_id, event)"),
  fc.tuple(pyCall, pyCall).map(([a, b]) => `${a} or ${b}`),
  fc.constantFrom("None", "1", "'text'", "x", "[1, 2]", "{'a': 1}", "lambda: None"),
  pyClass.map((c) => `${c}()`),
);

type PyStmt = string[];

const indent = (lines: readonly string[]): string[] => lines.map((l) => (l === "" ? l : `    ${l}`));

/** A Python statement list (lines, unindented), depth-bounded. */
function pyBlock(depth: number): fc.Arbitrary<PyStmt> {
  const simple: fc.Arbitrary<PyStmt> = fc.oneof(
    pyExpr.map((e) => [e]),
    fc.tuple(pyVar, pyExpr).map(([v, e]) => [`${v} = ${e}`]),
    pyClass.map((c) => [`self.router = ${c}()`]),
    pyExpr.map((e) => [`return ${e}`]),
    fc.constant<string[]>(["pass"]),
    fc.constant<string[]>(['"""Docstring."""']),
    fc.constant<string[]>(["# a comment"]),
  );
  if (depth <= 0) return fc.array(simple, { minLength: 1, maxLength: 3 }).map((ss) => withStatement(ss.flat()));
  const inner = pyBlock(depth - 1);
  const compound: fc.Arbitrary<PyStmt> = fc.oneof(
    fc
      .tuple(inner, inner, fc.constantFrom("Exception", "ImportError", "(KeyError, ValueError)", ""))
      .map(([t, e, exc]) => ["try:", ...indent(t), `except${exc ? ` ${exc}` : ""}:`, ...indent(e)]),
    fc.tuple(pyExpr, inner, inner).map(([c, a, b]) => [`if ${c}:`, ...indent(a), "else:", ...indent(b)]),
    fc.tuple(pyName, inner, fc.boolean()).map(([n, b, isAsync]) => [`${isAsync ? "async " : ""}def ${n}(user_id, event):`, ...indent(b)]),
    fc.tuple(pyVar, inner).map(([v, b]) => [`for ${v} in range(3):`, ...indent(b)]),
    fc.tuple(pyExpr, inner).map(([e, b]) => [`with ${e} as ctx:`, ...indent(b)]),
  );
  return fc
    .array(fc.oneof({ weight: 2, arbitrary: simple }, { weight: 1, arbitrary: compound }), { minLength: 1, maxLength: 3 })
    .map((ss) => withStatement(ss.flat()));
}

/** A block of only comments is not a block: Python needs a statement. */
function withStatement(lines: string[]): string[] {
  return lines.some((l) => l.trim() !== "" && !l.trim().startsWith("#")) ? lines : [...lines, "pass"];
}

const pyImport: fc.Arbitrary<string> = fc.oneof(
  fc.constant("import os"),
  fc.constant("from os import environ as E"),
  pyName.map((n) => `from legacy_mod import ${n}`),
  pyName.map((n) => `from app.service import ${n}`),
  fc.constant("from app.service import get_broadcast_service"),
  fc.constant("from app.service import Service"),
  fc.tuple(pyName, pyName).map(([a, b]) => `from legacy_mod import ${a} as ${b}`),
);

/** A top-level Python definition (function, class with methods, decorated or not). */
function pyTopLevel(depth: number): fc.Arbitrary<PyStmt> {
  const body = pyBlock(depth);
  return fc.oneof(
    fc
      .tuple(pyName, body, fc.boolean(), fc.constantFrom("", "@staticmethod", "@abstractmethod", "@overload"))
      .map(([n, b, isAsync, deco]) => [
        ...(deco && deco !== "@staticmethod" ? [deco] : []),
        `${isAsync ? "async " : ""}def ${n}(user_id, event):`,
        ...indent(b),
      ]),
    fc
      .tuple(
        pyClass,
        fc.constantFrom("", "(Protocol)", "(Router)", "(object)"),
        fc.array(fc.tuple(pyName, body, fc.boolean()), { minLength: 1, maxLength: 3 }),
      )
      .map(([c, base, methods]) => [
        `class ${c}${base}:`,
        ...indent(methods.flatMap(([n, b, isAsync]) => [`${isAsync ? "async " : ""}def ${n}(self, user_id, event):`, ...indent(b), ""])),
      ]),
    fc.tuple(pyVar, pyExpr).map(([v, e]) => [`${v} = ${e}`]),
    fc.tuple(pyImport, pyImport).map(([a, b]) => ["try:", `    ${a}`, "except ImportError:", `    ${b}`]),
  );
}

/** A whole Python module: imports, then top-level statements. */
export const pythonProgram: fc.Arbitrary<string> = fc
  .tuple(fc.array(pyImport, { maxLength: 4 }), fc.array(pyTopLevel(2), { minLength: 1, maxLength: 5 }))
  .map(([imports, tops]) => `${[...imports, "", ...tops.flatMap((t) => [...t, ""])].join("\n")}\n`);

// ---------------------------------------------------------------------------------------------
// TypeScript

const TS_FUNCS = ["pushToUser", "legacyPushToUser", "pushToUserV2", "compatPushToUser", "notify", "helper", "handleMessage", "getHub"];
const TS_CLASSES = ["Router", "LegacyRouter", "Hub", "Adapter"];
const TS_VARS = ["x", "userId", "event", "svc", "router", "payload"];
const tsName = fc.constantFrom(...TS_FUNCS);
const tsClass = fc.constantFrom(...TS_CLASSES);
const tsVar = fc.constantFrom(...TS_VARS);

const tsCall: fc.Arbitrary<string> = fc.oneof(
  tsName.map((n) => `${n}(userId, event)`),
  fc.constant("hub.pushToUser(userId, event)"),
  fc.constant("conn.socket.send(JSON.stringify(event))"),
  fc.constant("this.io.to(room).emit('evt', event)"),
  tsClass.map((c) => `new ${c}().pushToUser(userId, event)`),
  fc.constant("router.pushToUser(userId, event)"),
  fc.constant("process.env.API_KEY"),
  fc.constant("console.log(x)"),
);

const tsExpr: fc.Arbitrary<string> = fc.oneof(
  tsCall,
  fc.tuple(tsCall, tsCall).map(([a, b]) => `${a} ?? ${b}`),
  fc.tuple(tsCall, tsCall).map(([a, b]) => `${a} || ${b}`),
  fc.tuple(tsCall, tsCall).map(([a, b]) => `Promise.resolve(${a}).catch(() => ${b})`),
  fc.constantFrom("undefined", "1", "'text'", "x", "[1, 2]", "{ a: 1 }", "() => null", "`t$" + "{x}`"),
  tsClass.map((c) => `new ${c}()`),
);

function tsBlock(depth: number): fc.Arbitrary<string[]> {
  const simple: fc.Arbitrary<string[]> = fc.oneof(
    tsExpr.map((e) => [`${e};`]),
    fc.tuple(tsVar, tsExpr).map(([v, e]) => [`const ${v}_ = ${e};`]),
    tsExpr.map((e) => [`return ${e};`]),
    fc.constant<string[]>(["// a comment"]),
    fc.constant<string[]>(["await hub.pushToUser(userId, event);"]),
  );
  if (depth <= 0) return fc.array(simple, { minLength: 1, maxLength: 3 }).map((ss) => ss.flat());
  const inner = tsBlock(depth - 1);
  const compound: fc.Arbitrary<string[]> = fc.oneof(
    fc.tuple(inner, inner).map(([t, c]) => ["try {", ...indent(t), "} catch (error) {", ...indent(c), "}"]),
    fc.tuple(tsExpr, inner, inner).map(([c, a, b]) => [`if (${c}) {`, ...indent(a), "} else {", ...indent(b), "}"]),
    fc.tuple(tsName, inner).map(([n, b]) => [`const ${n}Inner = async (userId: string, event: unknown) => {`, ...indent(b), "};"]),
    fc.tuple(tsVar, inner).map(([v, b]) => [`for (const ${v}_ of [1, 2]) {`, ...indent(b), "}"]),
  );
  return fc
    .array(fc.oneof({ weight: 2, arbitrary: simple }, { weight: 1, arbitrary: compound }), { minLength: 1, maxLength: 3 })
    .map((ss) => ss.flat());
}

const tsImport: fc.Arbitrary<string> = fc.oneof(
  fc.constant('import { hub } from "./hub";'),
  tsName.map((n) => `import { ${n} } from "./legacy-router";`),
  tsName.map((n) => `import { ${n} as alias${n} } from "./legacy-router";`),
  fc.constant('import * as legacy from "./legacy-router";'),
  fc.constant('import type { AppEvent } from "./types";'),
  fc.constant("const { env } = process;"),
);

function tsTopLevel(depth: number): fc.Arbitrary<string[]> {
  const body = tsBlock(depth);
  return fc.oneof(
    fc
      .tuple(tsName, body, fc.boolean(), fc.boolean())
      .map(([n, b, isAsync, exported]) => [
        `${exported ? "export " : ""}${isAsync ? "async " : ""}function ${n}(userId: string, event: unknown) {`,
        ...indent(b),
        "}",
      ]),
    fc
      .tuple(
        tsClass,
        fc.constantFrom("", " extends Router", " implements Pusher"),
        fc.array(fc.tuple(tsName, body), { minLength: 1, maxLength: 3 }),
      )
      .map(([c, ext, methods]) => [
        `export class ${c}${ext} {`,
        ...indent(methods.flatMap(([n, b]) => [`async ${n}(userId: string, event: unknown) {`, ...indent(b), "}"])),
        "}",
      ]),
    fc.tuple(tsName, body).map(([n, b]) => [`export const ${n}Arrow = (userId: string, event: unknown) => {`, ...indent(b), "};"]),
    fc.tuple(tsVar, tsExpr).map(([v, e]) => [`export const ${v}Top = ${e};`]),
    fc.constant<string[]>(["interface Pusher {", "  pushToUser(userId: string, event: unknown): Promise<number>;", "}"]),
  );
}

/** A whole TypeScript module. */
export const typescriptProgram: fc.Arbitrary<string> = fc
  .tuple(fc.array(tsImport, { maxLength: 4 }), fc.array(tsTopLevel(2), { minLength: 1, maxLength: 5 }))
  .map(([imports, tops]) => `${[...imports, "", ...tops.flatMap((t) => [...t, ""])].join("\n")}\n`);

// ---------------------------------------------------------------------------------------------
// Noise

/** Fragments that push parsers into odd states: unclosed strings, stray dedents, BOMs, NULs. */
const SOUP_TOKENS = [
  "def ",
  "class ",
  "async ",
  "await ",
  "lambda",
  "try:",
  "except",
  "finally:",
  "if ",
  "else:",
  "elif ",
  "function ",
  "=>",
  "const ",
  "let ",
  "import ",
  "from ",
  "export ",
  "default ",
  "interface ",
  "type ",
  "enum ",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ":",
  ";",
  ",",
  ".",
  "@",
  "*",
  "**",
  "?",
  "??",
  "||",
  "?.",
  "!",
  "<",
  ">",
  "</",
  "/>",
  "'",
  '"',
  '"""',
  "'''",
  "`",
  "${",
  "#",
  "//",
  "/*",
  "*/",
  "\\",
  "\n",
  "\r\n",
  "\r",
  "\t",
  "    ",
  " ",
  "\u0000",
  "\ufeff",
  "\u2028",
  "\u00e9",
  "\ud83d\ude00",
  "\ud800",
  "x",
  "broadcast_to_user",
  "send_json",
  "pushToUser",
  "0x",
  "1e",
  "1_000",
  "f'",
  "r'",
  "b'",
  "u'",
  "# ssot-audit-ignore",
  "// ssot-audit-ignore[",
  "<script>",
];

/** Concatenated syntax fragments: text that is almost, but not quite, a program. */
export const tokenSoup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...SOUP_TOKENS), { maxLength: 120 }).map((t) => t.join(""));

/** Arbitrary text: any code points, lone surrogates included. */
export const anyText: fc.Arbitrary<string> = fc.string({ unit: "binary", maxLength: 400 });

/** Arbitrary bytes, as a file on disk would hold them. */
export const anyBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 2000 });

/** A program with random damage: characters inserted, deleted or replaced at random offsets. */
export function mutated(program: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.constantFrom(...SOUP_TOKENS, ""));
  return fc.tuple(program, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let out = text;
    for (const [at, del, ins] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + ins + out.slice(i + del);
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Projects

/** The canonical Python side: the one implementation and its factory. */
export const PY_CANONICAL = `"""The broadcast service: the single source of truth."""


class Service:
    def __init__(self, registry):
        self.registry = registry

    async def broadcast_to_user(self, user_id, event):
        sent = 0
        for connection in self.registry.for_user(user_id):
            await connection.send_json(event)
            sent += 1
        if sent == 0:
            self.registry.note_missed(user_id, event)
        return sent


_service = None


def get_broadcast_service():
    global _service
    if _service is None:
        _service = Service(None)
    return _service
`;

/** The canonical TypeScript side. */
export const TS_CANONICAL = `export class NotificationHub {
  private delivered = 0;

  async pushToUser(userId: string, event: unknown): Promise<number> {
    let sent = 0;
    for (const connection of registry.forUser(userId)) {
      connection.socket.send(JSON.stringify(event));
      sent += 1;
    }
    this.delivered += sent;
    return sent;
  }
}

export const hub = new NotificationHub();
`;

/** A config naming both concepts, with sinks, deprecated modules and delegates (so fixes apply). */
export const PROJECT_CONFIG = `concepts:
  broadcast:
    canonical: app/service.py::Service.broadcast_to_user
    names: ["broadcast_to_user", "broadcast_user_event"]
    sinks: ["**.send_json", "os.environ"]
    deprecatedModules: ["legacy_mod"]
    delegate:
      python: { import: "from app.service import get_broadcast_service", expression: "get_broadcast_service().broadcast_to_user" }
  push:
    canonical: src/hub.ts::NotificationHub.pushToUser
    sinks: ["**.socket.send", "**.io.to().emit", "process.env"]
    deprecatedModules: ["src/legacy-router.ts"]
    delegate:
      typescript: { import: { from: "src/hub.ts", name: "hub" }, expression: "hub.pushToUser" }
`;

/** Root-relative path → content. */
export type ProjectFiles = Record<string, string>;

/** A project: the canonical files, a legacy module per language, and 1–4 generated modules. */
export const project: fc.Arbitrary<ProjectFiles> = fc
  .tuple(
    fc.array(pythonProgram, { minLength: 1, maxLength: 3 }),
    fc.array(typescriptProgram, { minLength: 0, maxLength: 2 }),
    pythonProgram,
    typescriptProgram,
  )
  .map(([pys, tss, legacyPy, legacyTs]) => {
    const files: ProjectFiles = {
      "ssot-audit.config.yaml": PROJECT_CONFIG,
      "app/__init__.py": "",
      "app/service.py": PY_CANONICAL,
      "src/hub.ts": TS_CANONICAL,
      "legacy_mod.py": legacyPy,
      "src/legacy-router.ts": legacyTs,
    };
    pys.forEach((text, i) => {
      files[`app/handlers/mod_${i}.py`] = text;
    });
    tss.forEach((text, i) => {
      files[`src/handlers/mod-${i}.ts`] = text;
    });
    return files;
  });

/** Writes a project into a fresh temp folder; returns its root. */
export function writeProject(files: ProjectFiles, prefix = "ssot-prop-"): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}
