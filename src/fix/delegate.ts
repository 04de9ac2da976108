/**
 * Reads a concept's `delegate` config: the expression call sites are rewritten to and the
 * import that makes it available, split into the bound root name and the rest of the
 * expression so that a file's existing imports can supply the root under another name
 * (`import a.b as m` → `m.rest`).
 */
import { typescript } from "../languages/typescript/compiler.js";
import type { ResolvedConcept } from "../config/schema.js";

const PY_NAME = "[A-Za-z_][A-Za-z0-9_]*";
const PY_DOTTED = String.raw`${PY_NAME}(?:\s*\.\s*${PY_NAME})*`;
const PY_FROM = new RegExp(String.raw`^from\s+(${PY_DOTTED})\s+import\s+\(?\s*(${PY_NAME})(?:\s+as\s+(${PY_NAME}))?\s*,?\s*\)?\s*;?$`);
const PY_IMPORT = new RegExp(String.raw`^import\s+(${PY_DOTTED})(?:\s+as\s+(${PY_NAME}))?\s*;?$`);

export type PythonDelegateImport =
  /** `from module import imported [as local]` */
  | { kind: "from"; module: string; imported: string; local: string }
  /** `import module [as alias]`: binds `alias`, or the module's first segment. */
  | { kind: "module"; module: string; alias?: string };

export interface PythonDelegate {
  language: "python";
  import: PythonDelegateImport;
  /** The normalised import statement to insert. */
  statement: string;
  expression: string;
  /**
   * The rest of the expression after what the import binds: `().broadcast_to_user` for
   * `get_broadcast_service().broadcast_to_user` with `from m import get_broadcast_service`;
   * `.get().send` for `a.b.get().send` with `import a.b`.
   */
  tail: string;
}

export interface TypeScriptDelegate {
  language: "typescript";
  /** A root-relative file path or a package specifier, as configured. */
  from: string;
  /** `default`, `*` (namespace) or the exported name. */
  imported: string;
  /** The local name the config's expression uses. */
  local: string;
  /** The complete statement, when the config gives one (inserted verbatim). */
  statement?: string;
  expression: string;
  /** The expression after its root name: `.pushToUser` for `hub.pushToUser`. */
  tail: string;
}

export type Delegate = PythonDelegate | TypeScriptDelegate;

export type DelegateResult<T> = { ok: true; delegate: T } | { ok: false; reason: string };

function dotted(text: string): string {
  return text.replace(/\s+/g, "");
}

/** Parses `delegate.python` of a concept. */
export function pythonDelegate(concept: ResolvedConcept): DelegateResult<PythonDelegate> {
  const config = concept.delegate?.python;
  if (!config) return { ok: false, reason: `concept '${concept.id}' has no delegate.python in the config` };
  const text = config.import.trim();
  const expression = config.expression.trim();
  let parsed: PythonDelegateImport | undefined;
  const from = PY_FROM.exec(text);
  if (from?.[1] && from[2]) {
    parsed = { kind: "from", module: dotted(from[1]), imported: from[2], local: from[3] ?? from[2] };
  } else {
    const imp = PY_IMPORT.exec(text);
    if (imp?.[1]) parsed = { kind: "module", module: dotted(imp[1]), ...(imp[2] ? { alias: imp[2] } : {}) };
  }
  if (!parsed) {
    return {
      ok: false,
      reason: `delegate.python.import of '${concept.id}' is not "from a.b import c" or "import a.b" (one absolute name)`,
    };
  }
  const bound = parsed.kind === "from" ? parsed.local : (parsed.alias ?? parsed.module);
  if (!startsWithName(expression, bound, "python")) {
    return { ok: false, reason: `delegate.python.expression of '${concept.id}' does not start with '${bound}', which its import binds` };
  }
  const statement =
    parsed.kind === "from"
      ? `from ${parsed.module} import ${parsed.imported}${parsed.local !== parsed.imported ? ` as ${parsed.local}` : ""}`
      : `import ${parsed.module}${parsed.alias ? ` as ${parsed.alias}` : ""}`;
  return { ok: true, delegate: { language: "python", import: parsed, statement, expression, tail: expression.slice(bound.length) } };
}

/** Parses `delegate.typescript` of a concept. */
export function typescriptDelegate(concept: ResolvedConcept): DelegateResult<TypeScriptDelegate> {
  const config = concept.delegate?.typescript;
  if (!config) return { ok: false, reason: `concept '${concept.id}' has no delegate.typescript in the config` };
  const expression = config.expression.trim();
  let from: string;
  let imported: string;
  let local: string;
  let statement: string | undefined;
  if (typeof config.import === "string") {
    const parsed = parseTsImportStatement(config.import);
    if (!parsed) {
      return { ok: false, reason: `delegate.typescript.import of '${concept.id}' is not one import declaration with one binding` };
    }
    ({ from, imported, local } = parsed);
    statement = config.import.trim();
  } else {
    from = config.import.from;
    imported = config.import.default ? "default" : config.import.name;
    local = config.import.name;
  }
  if (!startsWithName(expression, local, "typescript")) {
    return {
      ok: false,
      reason: `delegate.typescript.expression of '${concept.id}' does not start with '${local}', which its import binds`,
    };
  }
  return {
    ok: true,
    delegate: {
      language: "typescript",
      from,
      imported,
      local,
      ...(statement ? { statement } : {}),
      expression,
      tail: expression.slice(local.length),
    },
  };
}

function startsWithName(expression: string, name: string, language: "python" | "typescript"): boolean {
  if (!expression.startsWith(name)) return false;
  const next = expression.charAt(name.length);
  const identChar = language === "python" ? /[A-Za-z0-9_]/ : /[A-Za-z0-9_$]/;
  return next === "" || !identChar.test(next);
}

/** `import { a as b } from "m"`, `import d from "m"`, `import * as ns from "m"` → its one binding. */
export function parseTsImportStatement(text: string): { from: string; imported: string; local: string } | undefined {
  const ts = typescript();
  const sf = ts.createSourceFile("delegate.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const [stmt, ...rest] = sf.statements;
  if (!stmt || rest.length > 0 || !ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) return undefined;
  const clause = stmt.importClause;
  if (!clause || clause.isTypeOnly) return undefined;
  const from = stmt.moduleSpecifier.text;
  const bindings: { imported: string; local: string }[] = [];
  if (clause.name) bindings.push({ imported: "default", local: clause.name.text });
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) bindings.push({ imported: "*", local: nb.name.text });
  if (nb && ts.isNamedImports(nb)) {
    for (const el of nb.elements) if (!el.isTypeOnly) bindings.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text });
  }
  const [only, ...more] = bindings;
  if (!only || more.length > 0) return undefined;
  return { from, ...only };
}
