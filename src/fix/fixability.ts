/**
 * Whether a finding can be fixed, decided from facts alone — so the rules can say `fixable`
 * without reading files, and the planner (`plan.ts`) starts from the same decision before it
 * lays the edits out on the file's text.
 *
 * - `callFix`: a non-canonical call → the concept's delegate expression, with the call's
 *   arguments mapped onto the canonical's parameters by name and the delegate's import
 *   available under a name nothing else binds.
 * - `importFix`: `from deprecated import X` → `from canonical import X`, when the canonical
 *   module defines every imported name.
 */
import path from "node:path";
import type { CallSite, Definition, FileFacts, ImportFact, Param } from "../facts/types.js";
import type { ClassifiedCall, ConceptAnalysis, DeprecatedImport } from "../model/concepts.js";
import { type ProjectModel, pythonSubmodule } from "../model/project.js";
import { mayExport, tsExports } from "../model/exports.js";
import { type PythonDelegate, type TypeScriptDelegate, pythonDelegate, typescriptDelegate } from "./delegate.js";
import type { ImportNeed } from "./types.js";

export type Verdict<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * "line N" in a reason, as a marker holding the offset: reasons are planned on the text of
 * the current pass, and the engine turns the marker into the line in the original file.
 */
export function lineRef(offset: number): string {
  return `line \uE000${offset}\uE000`;
}

/** Replaces `lineRef` markers with lines (via `lineOfOffset`). */
export function resolveLineRefs(reason: string, lineOfOffset: (offset: number) => number): string {
  return reason.replace(/\uE000(\d+)\uE000/g, (_, offset: string) => String(lineOfOffset(Number(offset))));
}

function fail<T>(reason: string): Verdict<T> {
  return { ok: false, reason };
}

/** How a call site's arguments change: nothing, Python `name=` prefixes, or TS object wraps. */
export type ArgTransform =
  | {
      kind: "python" /** Positional arguments (by index into `call.args`) that get a `name=` prefix. */;
      keywords: { arg: number; name: string }[];
    }
  | {
      kind: "typescript";
      /** Runs of arguments `[first, last]` gathered into one object literal, one property name per argument. */
      wraps: { first: number; last: number; names: string[] }[];
    };

/** How a file reaches the delegate: the callee text to write and the import it needs, if any. */
export interface Access {
  /** The full callee expression, e.g. `get_broadcast_service().broadcast_to_user`, `m.get().send`. */
  expression: string;
  /** The name the expression starts with (must resolve to the import in the call's scope). */
  root: string;
  /** The import to add; absent when the file already has an equivalent one. */
  need?: ImportNeed;
  /** The existing import the expression relies on, if any. */
  via?: ImportFact;
  /** Python `import a.b` (no alias) to be inserted: `root` is the package `a`, which other `import a.x` also bind. */
  bindsPackage?: boolean;
}

export interface CallFix {
  access: Access;
  args: ArgTransform;
  /** The non-canonical definition the call reached. */
  implementation: Definition;
}

// ------------------------------------------------------------------------------------- calls

/** Decides whether a classified non-canonical call can be rewritten, and how. */
export function callFix(model: ProjectModel, concept: ConceptAnalysis, classified: ClassifiedCall): Verdict<CallFix> {
  const { file, call } = classified;
  const facts = model.entry(file)?.facts;
  if (!facts) return fail(`${file} is not part of the analysis`);
  const canonical = concept.canonical.def;
  const impl = classified.implementation?.def;
  if (!impl) return fail(`'${call.callee.join(".")}' could not be resolved to one definition, so its parameters are unknown`);
  if (call.isNew || impl.kind === "class" || canonical.kind === "class") return fail("constructor calls are not rewritten");
  const delegate = facts.language === "python" ? pythonDelegate(concept.config) : typescriptDelegate(concept.config);
  if (!delegate.ok) return fail(delegate.reason);

  if (facts.language === "python") {
    if (impl.isAsync !== canonical.isAsync) {
      return fail(
        `'${impl.qualifiedName}' is ${impl.isAsync ? "" : "not "}async but the canonical '${canonical.qualifiedName}' is${canonical.isAsync ? "" : " not"}`,
      );
    }
    const unbound = unboundMethodCall(model, file, call, impl);
    if (unbound) return fail(unbound);
  } else {
    if (call.calleeSpan.end !== call.argsSpan.start)
      return fail("the call has type arguments or `?.` between the callee and its arguments");
    const mismatch = promiseMismatch(impl, canonical) ?? returnTypeMismatch(impl, canonical);
    if (mismatch) return fail(mismatch);
  }

  const args = facts.language === "python" ? mapPythonArguments(call, impl, canonical) : mapTypeScriptArguments(call, impl, canonical);
  if (!args.ok) return args;
  const access =
    delegate.delegate.language === "python"
      ? pythonAccess(model, facts, delegate.delegate, call.enclosing)
      : typescriptAccess(model, facts, delegate.delegate, call.enclosing);
  if (!access.ok) return access;
  return { ok: true, value: { access: access.value, args: args.value, implementation: impl } };
}

/** `Router.broadcast_to_user(router, …)`: a method called through its class passes `self` explicitly. */
function unboundMethodCall(model: ProjectModel, file: string, call: CallSite, impl: Definition): string | undefined {
  if (impl.kind !== "method" || call.callee.length < 2) return undefined;
  if (impl.decorators.some((d) => /(^|\.)(staticmethod|classmethod)$/.test(d))) return undefined;
  const receiver = model.resolvePath(file, call.callee.slice(0, -1), call.enclosing);
  if (receiver.kind === "def" && receiver.ref.def.kind === "class")
    return `'${impl.qualifiedName}' is called through its class (self passed explicitly)`;
  return undefined;
}

/**
 * true/false when the definition says whether it returns a promise; undefined when unknown.
 * `async` or a `Promise<…>`/`PromiseLike<…>` return type: a promise; another return type: not.
 * Neither async nor annotated: a promise when a return looks like one (`new Promise(…)`,
 * `Promise.x(…)`, `….then(…)`), synchronous when no return can be one (see
 * `Definition.returnKind`), else unknown (it returns a call result or a plain name).
 */
export function returnsPromise(def: Definition): boolean | undefined {
  if (def.isAsync) return true;
  if (def.returnType !== undefined) return /^(Promise|PromiseLike)\s*</.test(def.returnType.trim());
  if (def.returnKind !== undefined) return def.returnKind === "promise";
  return undefined;
}

const UNKNOWN_PROMISE = "it is neither async nor annotated with a return type, and returns a call result or a plain name";

/**
 * Why a call of `impl` cannot become a call of the canonical as far as promises go, or undefined.
 * Known promise-ness must agree. When both are unknown (two non-async, unannotated functions that
 * return what facts cannot type) they count as alike; one unknown against a known one is refused.
 */
export function promiseMismatch(impl: Definition, canonical: Definition): string | undefined {
  const a = returnsPromise(impl);
  const b = returnsPromise(canonical);
  if (a === b) return undefined;
  if (a === undefined)
    return `cannot tell whether '${impl.qualifiedName}' returns a promise like the canonical '${canonical.qualifiedName}' (${UNKNOWN_PROMISE})`;
  if (b === undefined)
    return `cannot tell whether the canonical '${canonical.qualifiedName}' returns a promise like '${impl.qualifiedName}' (${UNKNOWN_PROMISE})`;
  return `'${impl.qualifiedName}' ${a ? "returns a promise" : "is synchronous"} but the canonical '${canonical.qualifiedName}' ${b ? "returns a promise" : "is synchronous"}`;
}

/**
 * Why the canonical cannot stand in for `impl` as far as declared return types go (both are
 * annotated, differently: a caller may use what the copy returns), or undefined.
 */
export function returnTypeMismatch(impl: Definition, canonical: Definition): string | undefined {
  const own = impl.returnType?.replace(/\s+/g, "");
  const theirs = canonical.returnType?.replace(/\s+/g, "");
  if (own === undefined || theirs === undefined || own === theirs) return undefined;
  return `'${impl.qualifiedName}' returns ${impl.returnType} but the canonical '${canonical.qualifiedName}' returns ${canonical.returnType}`;
}

function describeParams(def: Definition): string {
  return `${def.params.length} parameter${def.params.length === 1 ? "" : "s"}`;
}

/**
 * Python: positional arguments map to the non-canonical's parameter names by position, keyword
 * arguments by name; each name must be a parameter of the canonical, and every parameter the
 * canonical requires must be passed. Arguments whose position differs in the canonical are
 * passed by keyword from there on.
 */
export function mapPythonArguments(call: CallSite, impl: Definition, canonical: Definition): Verdict<ArgTransform> {
  if (call.args.some((a) => a.spread)) return fail("the call passes *args/**kwargs");
  const implPositional = impl.params.filter((p) => p.kind === "positional" || p.kind === "positional-only");
  const implRest = impl.params.some((p) => p.kind === "rest");
  const implKwRest = impl.params.some((p) => p.kind === "kwrest");
  const values = new Map<string, number>();
  let position = 0;
  for (const [i, arg] of call.args.entries()) {
    if (arg.name === undefined) {
      const p = implPositional[position++];
      if (!p) {
        return fail(
          implRest
            ? `argument ${i + 1} goes to *${impl.params.find((q) => q.kind === "rest")?.name ?? "args"} of '${impl.qualifiedName}'`
            : `the call passes more arguments than '${impl.qualifiedName}' takes`,
        );
      }
      values.set(p.name, i);
      continue;
    }
    const p = impl.params.find((q) => q.name === arg.name && (q.kind === "positional" || q.kind === "keyword-only"));
    if (!p) {
      return fail(
        implKwRest
          ? `keyword argument '${arg.name}' goes to **kwargs of '${impl.qualifiedName}'`
          : `'${impl.qualifiedName}' has no parameter '${arg.name}'`,
      );
    }
    if (values.has(p.name)) return fail(`parameter '${p.name}' is passed twice`);
    values.set(p.name, i);
  }
  const cParams = canonical.params;
  for (const [name, i] of values) {
    const c = cParams.find((q) => q.name === name && q.kind !== "rest" && q.kind !== "kwrest");
    if (!c) {
      return fail(
        `argument ${i + 1} is '${impl.qualifiedName}' parameter '${name}', but the canonical '${canonical.qualifiedName}' has no parameter '${name}'`,
      );
    }
    if (call.args[i]?.name !== undefined && c.kind === "positional-only")
      return fail(`'${name}' is positional-only in the canonical '${canonical.qualifiedName}'`);
  }
  const missing = cParams.find((c) => !c.hasDefault && c.kind !== "rest" && c.kind !== "kwrest" && !values.has(c.name));
  if (missing) {
    const fromSelf = impl.kind === "method" ? ` (it takes ${describeParams(impl)}; it may take '${missing.name}' from self)` : "";
    return fail(
      `the canonical '${canonical.qualifiedName}' requires '${missing.name}', which this call to '${impl.qualifiedName}' does not pass${fromSelf}`,
    );
  }
  // Positional arguments keep their place while it is the canonical's place for the same name.
  const cPositional = cParams.filter((c) => c.kind === "positional" || c.kind === "positional-only");
  const keywords: { arg: number; name: string }[] = [];
  let keywordFromHere = false;
  let index = 0;
  for (const [i, arg] of call.args.entries()) {
    if (arg.name !== undefined) continue;
    const name = implPositional[index]?.name ?? "";
    const c = cPositional.findIndex((q) => q.name === name);
    if (c !== index) keywordFromHere = true;
    if (keywordFromHere) {
      if (cPositional[c]?.kind === "positional-only")
        return fail(`'${name}' would have to be passed by keyword, but it is positional-only in the canonical`);
      keywords.push({ arg: i, name });
    }
    index++;
  }
  return { ok: true, value: { kind: "python", keywords } };
}

/**
 * TypeScript: arguments are positional; each maps to the non-canonical's parameter at its
 * position and must land at the same position in the canonical (same name), or, for a
 * canonical destructured parameter, be gathered into an object by property name.
 */
export function mapTypeScriptArguments(call: CallSite, impl: Definition, canonical: Definition): Verdict<ArgTransform> {
  if (call.args.some((a) => a.spread)) return fail("the call passes spread arguments");
  const positional = new Map<string, number>();
  const destructured = new Map<number, Param>();
  for (const [i] of call.args.entries()) {
    const p = impl.params[i];
    if (!p) return fail(`the call passes more arguments than '${impl.qualifiedName}' takes`);
    if (p.kind === "rest") return fail(`argument ${i + 1} goes to the rest parameter of '${impl.qualifiedName}'`);
    if (p.kind === "destructured") destructured.set(i, p);
    else positional.set(p.name, i);
  }
  const used = new Set<number>();
  const wraps: { first: number; last: number; names: string[] }[] = [];
  let cursor = 0;
  const argCount = call.args.length;
  for (const c of canonical.params) {
    if (c.kind === "rest") {
      if (cursor < argCount) return fail(`the canonical '${canonical.qualifiedName}' takes a rest parameter at argument ${cursor + 1}`);
      break;
    }
    if (c.kind === "destructured") {
      const own = destructured.get(cursor);
      const cProps = c.properties ?? [];
      if (own) {
        // The same object goes through: its type must be the canonical's, or carry every property the canonical reads.
        const props = own.properties ?? [];
        const sameType = own.type !== undefined && own.type === c.type;
        if (!sameType && cProps.some((p) => !props.includes(p))) {
          return fail(
            `the object argument may lack properties the canonical '${canonical.qualifiedName}' reads (${cProps.filter((p) => !props.includes(p)).join(", ")})`,
          );
        }
        used.add(cursor);
        cursor++;
        continue;
      }
      const names = cProps.filter((p) => positional.has(p));
      if (names.length === 0) {
        if (cursor < argCount || !c.hasDefault)
          return fail(`the canonical '${canonical.qualifiedName}' takes an options object the call cannot build`);
        continue;
      }
      // Which properties are optional is a matter of types; only build objects with all of them.
      const lacking = cProps.filter((p) => !positional.has(p));
      if (lacking.length > 0) {
        const fromThis =
          impl.kind === "method" ? `; '${impl.qualifiedName}' may take ${lacking.length === 1 ? "it" : "them"} from this` : "";
        return fail(
          `the canonical '${canonical.qualifiedName}' reads ${lacking.map((p) => `'${p}'`).join(", ")} from its options object, which this call does not pass${fromThis}`,
        );
      }
      const indexes = names.map((n) => positional.get(n) ?? -1).sort((a, b) => a - b);
      if (indexes.some((v, k) => v !== cursor + k))
        return fail("the arguments that form the canonical's options object are not next to each other");
      const byIndex = new Map(names.map((n) => [positional.get(n) ?? -1, n]));
      wraps.push({ first: cursor, last: cursor + names.length - 1, names: indexes.map((i) => byIndex.get(i) ?? "") });
      for (const i of indexes) used.add(i);
      cursor += names.length;
      continue;
    }
    const idx = positional.get(c.name);
    if (idx === undefined) {
      if (!c.hasDefault) {
        const fromThis = impl.kind === "method" ? ` (it takes ${describeParams(impl)}; it may take '${c.name}' from this)` : "";
        return fail(
          `the canonical '${canonical.qualifiedName}' requires '${c.name}', which this call to '${impl.qualifiedName}' does not pass${fromThis}`,
        );
      }
      if (cursor < argCount) return fail(`the canonical's optional '${c.name}' comes before arguments the call passes`);
      continue;
    }
    if (idx !== cursor) return fail(`the canonical '${canonical.qualifiedName}' takes '${c.name}' at another position`);
    used.add(idx);
    cursor++;
  }
  for (let i = 0; i < argCount; i++) {
    if (!used.has(i)) {
      const name = impl.params[i]?.name ?? String(i + 1);
      return fail(
        `argument ${i + 1} is '${impl.qualifiedName}' parameter '${name}', but the canonical '${canonical.qualifiedName}' has no parameter '${name}'`,
      );
    }
  }
  return { ok: true, value: { kind: "typescript", wraps } };
}

// ------------------------------------------------------------------------------------ access

/** Module-level imports a file's code can rely on (not inside a function or an except-branch). */
function moduleImports(facts: FileFacts): ImportFact[] {
  return facts.imports.filter((i) => i.enclosing === undefined && i.inFallback !== "fallback" && !i.typeOnly);
}

function sameModule(model: ProjectModel, file: string, imp: ImportFact, module: string): boolean {
  const abs = model.absolutePythonModule(file, imp);
  if (abs === module) return true;
  const a = model.pythonModuleFile(abs, file);
  return a !== undefined && a === model.pythonModuleFile(module, file);
}

export function pythonAccess(model: ProjectModel, facts: FileFacts, delegate: PythonDelegate, scope: string | undefined): Verdict<Access> {
  const file = facts.file;
  const d = delegate.import;
  const candidates: Access[] = [];
  const targetFile = model.pythonModuleFile(d.module, file);
  if (d.kind === "from" && targetFile === file) {
    // The call is in the delegate's own module: the name is defined right here.
    const defined =
      facts.definitions.some((x) => x.qualifiedName === d.imported) ||
      facts.bindings.some((b) => b.scope === undefined && b.target.length === 1 && b.target[0] === d.imported);
    if (!defined) return fail(`the delegate's module is this file, but it does not define '${d.imported}' at module level`);
    const access = { expression: `${d.imported}${delegate.tail}`, root: d.imported };
    const conflict = pythonConflict(model, facts, access, scope, true);
    return conflict ? fail(conflict) : { ok: true, value: access };
  }
  for (const imp of moduleImports(facts)) {
    if (d.kind === "from") {
      const n = !imp.bindsRoot && sameModule(model, file, imp, d.module) ? imp.names.find((x) => x.imported === d.imported) : undefined;
      if (n) candidates.push({ expression: `${n.local}${delegate.tail}`, root: n.local, via: imp });
      const whole =
        !imp.bindsRoot && imp.names.length === 1 && imp.names[0]?.imported === "*" && imp.names[0].local !== "*" ? imp.names[0] : undefined;
      if (whole && sameModule(model, file, imp, d.module)) {
        candidates.push({ expression: `${whole.local}.${d.imported}${delegate.tail}`, root: whole.local, via: imp });
      }
      if (imp.bindsRoot && (imp.module === d.module || imp.module.startsWith(`${d.module}.`))) {
        candidates.push({ expression: `${d.module}.${d.imported}${delegate.tail}`, root: d.module.split(".")[0] ?? d.module, via: imp });
      }
    } else {
      const whole =
        !imp.bindsRoot && imp.names.length === 1 && imp.names[0]?.imported === "*" && imp.names[0].local !== "*" ? imp.names[0] : undefined;
      if (whole && sameModule(model, file, imp, d.module))
        candidates.push({ expression: `${whole.local}${delegate.tail}`, root: whole.local, via: imp });
      if (!imp.bindsRoot) {
        const base = model.absolutePythonModule(file, imp);
        for (const n of imp.names) {
          if (n.imported !== "*" && pythonSubmodule(base, n.imported) === d.module)
            candidates.push({ expression: `${n.local}${delegate.tail}`, root: n.local, via: imp });
        }
      }
      if (imp.bindsRoot && (imp.module === d.module || imp.module.startsWith(`${d.module}.`))) {
        candidates.push({ expression: `${d.module}${delegate.tail}`, root: d.module.split(".")[0] ?? d.module, via: imp });
      }
    }
  }
  let firstConflict: string | undefined;
  for (const c of candidates) {
    const conflict = pythonConflict(model, facts, c, scope, false);
    if (!conflict) return { ok: true, value: c };
    firstConflict ??= conflict;
  }
  const root = d.kind === "from" ? d.local : (d.alias ?? d.module.split(".")[0] ?? d.module);
  const inserted: Access = {
    expression: delegate.expression,
    root,
    need: { kind: "python", statement: delegate.statement },
    ...(d.kind === "module" && !d.alias ? { bindsPackage: true } : {}),
  };
  // A type-only import (under `if TYPE_CHECKING:`) of the very binding the new import adds is no conflict.
  const twin = (imp: ImportFact): boolean =>
    d.kind === "from"
      ? !imp.bindsRoot && sameModule(model, file, imp, d.module) && imp.names.some((n) => n.local === root && n.imported === d.imported)
      : d.alias !== undefined
        ? !imp.bindsRoot && sameModule(model, file, imp, d.module) && imp.names.some((n) => n.local === root && n.imported === "*")
        : imp.bindsRoot === true && imp.module === d.module;
  const conflict = pythonConflict(model, facts, inserted, scope, false, twin);
  if (conflict) return fail(firstConflict ?? conflict);
  if (targetFile && importsReach(model, targetFile, file)) {
    return fail(`adding "${delegate.statement}" would create an import cycle (${targetFile} imports this module)`);
  }
  return { ok: true, value: inserted };
}

/**
 * Why `access.root` might not denote the delegate at the call (another module-level binding,
 * a parameter or local binding of an enclosing function), or undefined when it is safe as far
 * as facts tell. The planner re-checks against the text.
 */
function pythonConflict(
  model: ProjectModel,
  facts: FileFacts,
  access: Access,
  scope: string | undefined,
  definedHere: boolean,
  typeOnlyTwin?: (imp: ImportFact) => boolean,
): string | undefined {
  const root = access.root;
  if (!definedHere) {
    if (facts.definitions.some((d) => d.qualifiedName === root)) return `'${root}' is already defined in this module`;
    const binding = facts.bindings.find((b) => b.scope === undefined && b.target.length === 1 && b.target[0] === root);
    if (binding) return `'${root}' is already assigned at module level (${lineRef(binding.span.start)})`;
  }
  for (const imp of facts.imports) {
    if (imp.enclosing !== undefined || imp === access.via) continue;
    if (!imp.names.some((n) => n.local === root)) continue;
    // A type-only import of the same binding the inserted import adds: both name one object.
    if (imp.typeOnly && access.need !== undefined && typeOnlyTwin?.(imp)) continue;
    // The except-ImportError twin of the import the expression uses (the legacy-fallback rule reports it).
    if (imp.inFallback === "fallback" && access.via?.inFallback === "primary") continue;
    // `import a.b` and `import a.c` both bind the package `a`.
    if (imp.bindsRoot && (access.via?.bindsRoot || access.bindsPackage)) continue;
    return `'${root}' is already imported from '${imp.module || "."}' (${lineRef(imp.span.start)})`;
  }
  return scopeConflict(model, facts, root, scope, access.via);
}

/** Parameters, nested definitions, bindings and imports named `root` in the enclosing functions. */
function scopeConflict(
  model: ProjectModel,
  facts: FileFacts,
  root: string,
  scope: string | undefined,
  via: ImportFact | undefined,
): string | undefined {
  for (let s = scope; s; s = s.includes(".") ? s.slice(0, s.lastIndexOf(".")) : undefined) {
    const def = model.definition(facts.file, s);
    if (!def || def.kind === "class") continue;
    if (def.params.some((p) => p.name === root || (p.properties ?? []).includes(root))) return `'${root}' is a parameter of '${s}'`;
    if (facts.definitions.some((d) => d.qualifiedName === `${s}.${root}`)) return `'${root}' is defined inside '${s}'`;
    if (facts.bindings.some((b) => b.scope === s && b.target.length === 1 && b.target[0] === root))
      return `'${root}' is assigned inside '${s}'`;
    if (facts.imports.some((i) => i !== via && i.enclosing === s && i.names.some((n) => n.local === root)))
      return `'${root}' is imported inside '${s}'`;
  }
  return undefined;
}

/** Per model: the files each file imports, transitively, through module-level imports. */
const reachCache = new WeakMap<ProjectModel, Map<string, ReadonlySet<string>>>();

/** Whether `from` (transitively, through module-level run-time imports) imports `target`. */
function importsReach(model: ProjectModel, from: string, target: string): boolean {
  let perModel = reachCache.get(model);
  if (!perModel) {
    perModel = new Map();
    reachCache.set(model, perModel);
  }
  let reached = perModel.get(from);
  if (!reached) {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const file = queue.shift() ?? "";
      const facts = model.entry(file)?.facts;
      if (!facts) continue;
      for (const imp of facts.imports) {
        // Imports inside functions and under `if TYPE_CHECKING:` do not run at import time.
        if (imp.enclosing !== undefined || imp.typeOnly) continue;
        const abs = model.absolutePythonModule(file, imp);
        const targets = [
          model.importedFile(file, imp),
          ...imp.names.filter((n) => n.imported !== "*").map((n) => model.pythonModuleFile(pythonSubmodule(abs, n.imported), file)),
        ];
        for (const r of targets) {
          if (r === undefined || seen.has(r)) continue;
          seen.add(r);
          queue.push(r);
        }
      }
    }
    reached = seen;
    perModel.set(from, reached);
  }
  return reached.has(target);
}

const TS_EXT = /\.(d\.ts|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The project file a configured TS `from` denotes, or undefined for a package specifier. */
export function tsTargetFile(model: ProjectModel, from: string): string | undefined {
  if (from.startsWith(".")) return undefined;
  if (model.entry(from)?.facts.language === "typescript") return from;
  return TS_EXT.test(from) || from.includes("/") ? model.tsModuleFile("", from.replace(/^\.\//, "")) : undefined;
}

type SpecifierStyle = "none" | "js" | "ts";

/** Per model: the majority style of relative specifiers in the project. */
const projectStyle = new WeakMap<ProjectModel, SpecifierStyle>();

function styleOf(spec: string): SpecifierStyle | undefined {
  if (!spec.startsWith(".")) return undefined;
  const ext = path.posix.extname(spec);
  if ([".js", ".jsx", ".mjs", ".cjs"].includes(ext)) return "js";
  if ([".ts", ".tsx", ".mts", ".cts"].includes(ext)) return "ts";
  if (ext === "" || !/^\.[a-z]+$/i.test(ext)) return "none";
  return undefined;
}

function majorityStyle(specs: Iterable<string>): SpecifierStyle | undefined {
  const counts = new Map<SpecifierStyle, number>();
  for (const s of specs) {
    const st = styleOf(s);
    if (st) counts.set(st, (counts.get(st) ?? 0) + 1);
  }
  let best: SpecifierStyle | undefined;
  for (const [st, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = st;
  return best;
}

/**
 * The relative specifier from `file` to the project file `target`, in the file's style of
 * relative imports (`.js` suffix, `.ts` suffix or extensionless), else the project's.
 */
export function relativeSpecifier(model: ProjectModel, file: string, target: string): string {
  const own = model.entry(file)?.facts;
  const specsOf = (f: FileFacts) => [...f.imports.map((i) => i.module), ...f.exports.flatMap((e) => (e.from ? [e.from] : []))];
  let style = own ? majorityStyle(specsOf(own)) : undefined;
  if (!style) {
    style = projectStyle.get(model);
    if (!style) {
      const all: string[] = [];
      for (const e of model.files.values()) if (e.facts.language === "typescript") all.push(...specsOf(e.facts));
      style = majorityStyle(all) ?? "none";
      projectStyle.set(model, style);
    }
  }
  let rel = path.posix.relative(path.posix.dirname(file), target);
  if (!rel.startsWith(".")) rel = `./${rel}`;
  const ext = TS_EXT.exec(rel)?.[0] ?? "";
  const stem = rel.slice(0, rel.length - ext.length);
  // Extensionless style: a folder's index is imported as the folder (`../api`, not `../api/index`).
  if (style === "none" || ext === ".d.ts") return stem.endsWith("/index") && stem !== "./index" ? stem.slice(0, -"/index".length) : stem;
  if (style === "ts" || ext === "") return rel;
  const js: Record<string, string> = { ".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs" };
  return `${stem}${js[ext] ?? ext}`;
}

export function typescriptAccess(
  model: ProjectModel,
  facts: FileFacts,
  delegate: TypeScriptDelegate,
  scope: string | undefined,
): Verdict<Access> {
  const file = facts.file;
  const target = delegate.statement
    ? delegate.from.startsWith(".")
      ? undefined
      : tsTargetFile(model, delegate.from)
    : tsTargetFile(model, delegate.from);
  if (target === file) {
    if (delegate.imported === "default" || delegate.imported === "*") return fail("the delegate's module is this file");
    const declared =
      facts.definitions.some((d) => d.qualifiedName === delegate.imported) ||
      facts.bindings.some((b) => b.scope === undefined && b.target.length === 1 && b.target[0] === delegate.imported);
    if (!declared) return fail(`the delegate's module is this file, but it does not declare '${delegate.imported}' at top level`);
    const access = { expression: `${delegate.imported}${delegate.tail}`, root: delegate.imported };
    const conflict = tsConflict(model, facts, access, scope, true);
    return conflict ? fail(conflict) : { ok: true, value: access };
  }
  const sameTarget = (imp: ImportFact) => (target ? model.importedFile(file, imp) === target : imp.module === delegate.from);
  const candidates: Access[] = [];
  for (const imp of moduleImports(facts)) {
    if (!sameTarget(imp)) continue;
    for (const n of imp.names) {
      if (n.imported === delegate.imported) candidates.push({ expression: `${n.local}${delegate.tail}`, root: n.local, via: imp });
      else if (n.imported === "*" && delegate.imported !== "*")
        candidates.push({ expression: `${n.local}.${delegate.imported}${delegate.tail}`, root: n.local, via: imp });
    }
  }
  let firstConflict: string | undefined;
  for (const c of candidates) {
    const conflict = tsConflict(model, facts, c, scope, false);
    if (!conflict) return { ok: true, value: c };
    firstConflict ??= conflict;
  }
  if (target && !delegate.statement && delegate.imported !== "*") {
    // Importing a name the module does not export would not compile (`function f` without `export`).
    const targetFacts = model.entry(target)?.facts;
    if (targetFacts && !mayExport(target, targetFacts, delegate.imported))
      return fail(`the delegate's module ${target} does not export '${delegate.imported}'`);
  }
  const specifier = target ? relativeSpecifier(model, file, target) : delegate.from;
  const inserted: Access = {
    expression: delegate.expression,
    root: delegate.local,
    need: {
      kind: "typescript",
      specifier,
      imported: delegate.imported,
      local: delegate.local,
      ...(delegate.statement ? { statement: delegate.statement } : {}),
    },
  };
  const conflict = tsConflict(model, facts, inserted, scope, false);
  if (conflict) return fail(firstConflict ?? conflict);
  return { ok: true, value: inserted };
}

function tsConflict(
  model: ProjectModel,
  facts: FileFacts,
  access: Access,
  scope: string | undefined,
  definedHere: boolean,
): string | undefined {
  const root = access.root;
  if (!definedHere) {
    if (facts.definitions.some((d) => d.qualifiedName === root)) return `'${root}' is already declared in this module`;
    const binding = facts.bindings.find((b) => b.scope === undefined && b.target.length === 1 && b.target[0] === root);
    if (binding) return `'${root}' is already declared at top level (${lineRef(binding.span.start)})`;
  }
  for (const imp of facts.imports) {
    if (imp.enclosing !== undefined || imp === access.via) continue;
    if (imp.names.some((n) => n.local === root)) return `'${root}' is already imported from '${imp.module}' (${lineRef(imp.span.start)})`;
  }
  return scopeConflict(model, facts, root, scope, access.via);
}

// ------------------------------------------------------------------------------------ imports

export interface ImportFix {
  /** Python: the module path to write after `from` (with leading dots for relative imports). TS: the new specifier. */
  module: string;
}

/** Decides whether an import from a deprecated module can point at the canonical module instead. */
export function importFix(model: ProjectModel, concept: ConceptAnalysis, deprecated: DeprecatedImport): Verdict<ImportFix> {
  const { file, fact } = deprecated;
  const facts = model.entry(file)?.facts;
  const canonicalFile = concept.canonical.file;
  const canonicalFacts = model.entry(canonicalFile)?.facts;
  if (!facts || !canonicalFacts) return fail("not part of the analysis");
  if (file === canonicalFile) return fail("the import is in the canonical module itself");
  if (facts.language !== canonicalFacts.language) return fail("the canonical module is in another language");
  if (fact.names.length === 0) {
    // `require("m").f()`, `foo(require("m"))`: the module value is used where it is loaded.
    const inline = [...facts.calls, ...facts.references].some(
      (u) => u.span.start <= fact.span.start && u.span.end >= fact.span.end && u.span.end - u.span.start > fact.span.end - fact.span.start,
    );
    return fail(
      inline
        ? "the module is loaded inline and used on the spot (not bound to imported names); change that use by hand"
        : "a side-effect import has no names to move",
    );
  }
  if (facts.language === "python") {
    if (fact.bindsRoot || fact.names.some((n) => n.imported === "*")) return fail("it imports the whole module; change its uses by hand");
    const missing = fact.names.filter((n) => !pythonDefines(canonicalFacts, n.imported)).map((n) => n.imported);
    if (missing.length > 0) {
      const typeOnly = missing.filter((m) => canonicalFacts.imports.some((i) => i.typeOnly && i.names.some((n) => n.local === m)));
      const note =
        typeOnly.length > 0
          ? ` (it imports ${typeOnly.map((m) => `'${m}'`).join(", ")} only under TYPE_CHECKING, which is false at run time)`
          : "";
      return fail(
        `the canonical module ${canonicalFile} has no function, class, import or typed/assigned name ${missing.map((m) => `'${m}'`).join(", ")}${note}`,
      );
    }
    return { ok: true, value: { module: pythonModuleSpelling(model, file, fact, canonicalFile) } };
  }
  if (fact.names.some((n) => n.imported === "*")) return fail("it imports the module as a namespace; change its uses by hand");
  const missing = fact.names
    .filter((n) => !tsExports(canonicalFacts, n.imported))
    .map((n) => (n.imported === "default" ? `a default (imported here as '${n.local}')` : `'${n.imported}'`));
  if (missing.length > 0) return fail(`the canonical module ${canonicalFile} does not export ${missing.join(", ")}`);
  const already = facts.imports.find(
    (i) => i !== fact && model.importedFile(file, i) === canonicalFile && i.names.some((n) => fact.names.some((m) => m.local === n.local)),
  );
  if (already) return fail(`a name it imports is already imported from the canonical module (${lineRef(already.span.start)})`);
  return { ok: true, value: { module: relativeSpecifier(model, file, canonicalFile) } };
}

/** Whether a module binds `name` at run time (an import under `if TYPE_CHECKING:` does not). */
function pythonDefines(facts: FileFacts, name: string): boolean {
  return (
    facts.definitions.some((d) => d.qualifiedName === name) ||
    facts.bindings.some((b) => b.scope === undefined && b.target.length === 1 && b.target[0] === name) ||
    facts.imports.some(
      (i) => i.enclosing === undefined && i.inFallback === undefined && !i.typeOnly && i.names.some((n) => n.local === name),
    )
  );
}

/**
 * How `file` should spell the canonical module in `from … import`: relative (as many dots as
 * needed) when the deprecated import was relative, else absolute, dropping the same leading
 * package prefix the deprecated import dropped (src layouts: `src/pkg/mod.py` imported as `pkg.mod`).
 */
function pythonModuleSpelling(model: ProjectModel, file: string, fact: ImportFact, canonicalFile: string): string {
  const canonicalModule = model.entry(canonicalFile)?.moduleName ?? "";
  const canonicalParts = canonicalModule.split(".").filter(Boolean);
  if (fact.level > 0) {
    const own = (model.entry(file)?.moduleName ?? "").split(".").filter(Boolean);
    const pkg = file.endsWith("__init__.py") ? own : own.slice(0, -1);
    let common = 0;
    while (common < pkg.length && common < canonicalParts.length && pkg[common] === canonicalParts[common]) common++;
    const level = pkg.length - common + 1;
    return `${".".repeat(level)}${canonicalParts.slice(common).join(".")}`;
  }
  const written = fact.module;
  const target = model.importedFile(file, fact);
  const targetModule = target ? (model.entry(target)?.moduleName ?? "") : "";
  if (targetModule !== written && targetModule.endsWith(`.${written}`)) {
    const prefix = targetModule.slice(0, targetModule.length - written.length);
    if (canonicalModule.startsWith(prefix)) return canonicalModule.slice(prefix.length);
  }
  return canonicalModule;
}
