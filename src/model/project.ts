import path from "node:path";
import type { Binding, CallSite, Definition, FileFacts, ImportFact } from "../facts/types.js";
import { type DefRef, type FileEntry, type Value, defKey } from "./types.js";

const UNKNOWN: Value = { kind: "unknown" };
const MAX_DEPTH = 24;

const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".d.ts", ".js", ".jsx", ".mjs", ".cjs"];

/** Wrapper names skipped when reading a type annotation (`Optional[Foo]` → `Foo`). */
const TYPE_WRAPPERS = new Set([
  "Optional",
  "Union",
  "List",
  "list",
  "Dict",
  "dict",
  "Type",
  "type",
  "Awaitable",
  "Coroutine",
  "Promise",
  "Readonly",
  "Partial",
  "Annotated",
  "ClassVar",
  "Final",
  "None",
  "null",
  "undefined",
  "typing",
  "t",
]);

const PROPERTY_DECORATORS = /^(?:(?:functools\.)?cached_property|property)$/;

/** Names bound to the receiver inside methods. */
const RECEIVERS = new Set(["self", "this", "cls"]);

interface FileIndex {
  defsByQualifiedName: Map<string, Definition>;
  /** Bindings by (scope, name) for single-name targets; scope is "" at module level. */
  bindings: ScopedMap<Binding[]>;
  /** Attribute bindings (`self.x = …`, `this.x = …`, class-body `x: T`) by (class, attr). */
  attributes: ScopedMap<Binding[]>;
  /** Imports by (scope, local name). */
  imports: ScopedMap<{ fact: ImportFact; imported: string }[]>;
  /** Parameter types by (definition's qualified name, parameter). */
  paramTypes: ScopedMap<string | null>;
  /** Qualified names of object literals that hold methods (owners that are not classes). */
  objects: Set<string>;
  /** Functions and methods by start offset, for "which definition encloses this offset". */
  functions: Definition[];
}

/**
 * Values by (scope, name), in two map levels: a file has hundreds of thousands of such entries
 * across a project, and a `scope\0name` key string per entry (and per lookup) costs memory and
 * time that the names, already shared, do not.
 */
class ScopedMap<V> {
  private readonly byScope = new Map<string, Map<string, V>>();

  get(scope: string, name: string): V | undefined {
    return this.byScope.get(scope)?.get(name);
  }

  has(scope: string, name: string): boolean {
    return this.byScope.get(scope)?.has(name) ?? false;
  }

  set(scope: string, name: string, value: V): void {
    let byName = this.byScope.get(scope);
    if (!byName) {
      byName = new Map();
      this.byScope.set(scope, byName);
    }
    byName.set(name, value);
  }

  /** Adds an item to the list at (scope, name). */
  push<T>(this: ScopedMap<T[]>, scope: string, name: string, item: T): void {
    const list = this.get(scope, name);
    if (list) list.push(item);
    else this.set(scope, name, [item]);
  }

  /** Every name, in any scope (a name in several scopes more than once). */
  *names(): Generator<string> {
    for (const byName of this.byScope.values()) yield* byName.keys();
  }
}

function stripCall(segment: string): { name: string; called: boolean } {
  return segment.endsWith("()") ? { name: segment.slice(0, -2), called: true } : { name: segment, called: false };
}

/** Outward scopes of a qualified name: `A.b.c` → `A.b.c`, `A.b`, `A`, "" (module). */
function scopeChain(scope: string | undefined): string[] {
  const chain: string[] = [];
  let s = scope ?? "";
  while (s) {
    chain.push(s);
    const dot = s.lastIndexOf(".");
    s = dot < 0 ? "" : s.slice(0, dot);
  }
  chain.push("");
  return chain;
}

/**
 * The dotted name of `name` inside the Python package `parent`; `parent` is "" for the root itself
 * (`from . import sessions` in a module at the top of a root that is a package).
 */
export function pythonSubmodule(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/**
 * The project model: every file's facts plus the indexes needed to resolve a name or member
 * path to what it denotes — imports (relative and package, Python and TS, re-exports),
 * bindings (`x = Foo()`, `self.x = get_foo()`), factories (return annotations and returned
 * constructors) and class members through base classes.
 */
export class ProjectModel {
  readonly files = new Map<string, FileEntry>();
  private readonly pythonModules = new Map<string, string>();
  private readonly indexes = new Map<string, FileIndex>();
  /** Project modules whose dotted name ends with `.name`, by name (the scan is over every module). */
  private readonly suffixHits = new Map<string, readonly string[]>();
  /** The pick among several suffix hits, by `name\0importer`. */
  private readonly suffixPicks = new Map<string, string | undefined>();
  private readonly memo = new Memo();
  /** Per file: every name with a single-name binding or an import in some scope (see `aliasChains`). */
  private readonly aliasRoots = new Map<string, Set<string>>();

  constructor(entries: Iterable<FileEntry>) {
    for (const entry of entries) {
      if (entry.facts.language === "python") {
        entry.moduleName = pythonModuleName(entry.facts.file);
        // A module file wins over a same-named package only if no package exists yet.
        if (!this.pythonModules.has(entry.moduleName) || entry.facts.file.endsWith("__init__.py")) {
          this.pythonModules.set(entry.moduleName, entry.facts.file);
        }
      }
      this.files.set(entry.facts.file, entry);
    }
  }

  entry(file: string): FileEntry | undefined {
    return this.files.get(file);
  }

  /** The definition with a qualified name in a file. */
  definition(file: string, qualifiedName: string): Definition | undefined {
    return this.index(file)?.defsByQualifiedName.get(qualifiedName);
  }

  private index(file: string): FileIndex | undefined {
    const cached = this.indexes.get(file);
    if (cached) return cached;
    const entry = this.files.get(file);
    if (!entry) return undefined;
    const facts = entry.facts;
    const index: FileIndex = {
      defsByQualifiedName: new Map(),
      bindings: new ScopedMap(),
      attributes: new ScopedMap(),
      imports: new ScopedMap(),
      paramTypes: new ScopedMap(),
      objects: new Set(),
      functions: facts.definitions.filter((d) => d.kind !== "class").sort((a, b) => a.span.start - b.span.start),
    };
    const classNames = new Set<string>();
    for (const def of facts.definitions) {
      // Overloads come before the implementation; keep the implementation.
      if (!index.defsByQualifiedName.has(def.qualifiedName) || !def.signatureOnly) {
        index.defsByQualifiedName.set(def.qualifiedName, def);
      }
      if (def.kind === "class") classNames.add(def.qualifiedName);
      for (const p of def.params) index.paramTypes.set(def.qualifiedName, p.name, p.type ?? null);
    }
    for (const def of facts.definitions) {
      if (def.className && !classNames.has(def.className)) {
        // Every prefix of an object path is an object too (`api.v1.send` → `api`, `api.v1`).
        const parts = def.className.split(".");
        for (let i = 1; i <= parts.length; i++) index.objects.add(parts.slice(0, i).join("."));
      }
    }
    for (const b of facts.bindings) {
      const [root, attr, ...rest] = b.target;
      if (root === undefined) continue;
      if (RECEIVERS.has(root) && attr !== undefined && rest.length === 0) {
        index.attributes.push(b.scope ?? "", attr, b);
      } else if (attr !== undefined && rest.length === 0 && classNames.has(root)) {
        // Static members: `Router.instance = new Router()`, TS `static router = new X()`.
        index.attributes.push(root, attr, b);
      } else if (attr === undefined) {
        index.bindings.push(b.scope ?? "", root, b);
        // Class-body bindings are also the class's attributes.
        if (b.scope && classNames.has(b.scope)) index.attributes.push(b.scope, root, b);
      }
    }
    for (const imp of facts.imports) {
      for (const n of imp.names) index.imports.push(imp.enclosing ?? "", n.local, { fact: imp, imported: n.imported });
    }
    this.indexes.set(file, index);
    return index;
  }

  // ---------------------------------------------------------------- module resolution

  /** Resolves a Python import's module (with relative level) to a dotted absolute name. */
  absolutePythonModule(file: string, imp: Pick<ImportFact, "module" | "level">): string {
    if (imp.level === 0) return imp.module;
    const own = pythonModuleName(file).split(".");
    const isPackage = file.endsWith("__init__.py");
    // `from . import x` in a plain module is relative to its package.
    const base = own.slice(0, Math.max(0, own.length - (isPackage ? 0 : 1) - (imp.level - 1)));
    return [...base, ...(imp.module ? imp.module.split(".") : [])].filter(Boolean).join(".");
  }

  /**
   * The name a Python file is imported by: its module name without leading folders that are
   * not packages (`src/app/x.py` → `app.x` when `src/` has no `__init__.py`).
   */
  importName(file: string): string | undefined {
    const moduleName = this.files.get(file)?.moduleName;
    if (moduleName === undefined) return undefined;
    const parts = file.split("/");
    let skip = 0;
    while (skip < parts.length - 2 && !this.files.has(`${parts.slice(0, skip + 1).join("/")}/__init__.py`)) skip++;
    return moduleName.split(".").slice(skip).join(".");
  }

  /** The project file of a dotted Python module, exact or by unique suffix (src layouts). */
  pythonModuleFile(moduleName: string, importer?: string): string | undefined {
    if (!moduleName) return undefined;
    const exact = this.pythonModules.get(moduleName);
    if (exact) return exact;
    let hits = this.suffixHits.get(moduleName);
    if (!hits) {
      const suffix = `.${moduleName}`;
      const found: string[] = [];
      for (const [name, file] of this.pythonModules) if (name.endsWith(suffix)) found.push(file);
      hits = found;
      this.suffixHits.set(moduleName, hits);
    }
    if (hits.length <= 1) return hits[0];
    if (!importer) return undefined;
    const key = `${moduleName}\0${importer}`;
    if (this.suffixPicks.has(key)) return this.suffixPicks.get(key);
    // Prefer the candidate sharing the longest leading path with the importer.
    const score = (f: string) => commonPrefixLength(f.split("/"), importer.split("/"));
    const found = [...hits].sort((a, b) => score(b) - score(a) || a.localeCompare(b))[0];
    this.suffixPicks.set(key, found);
    return found;
  }

  /** Resolves a TS module specifier to a project file, or undefined for packages outside it. */
  tsModuleFile(importer: string, specifier: string): string | undefined {
    const candidates: string[] = [];
    if (specifier.startsWith(".")) {
      candidates.push(path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier)));
    } else {
      // Root-relative specifiers and common path aliases (`@/x`, `~/x`, `src/x`).
      const bare = specifier.replace(/^[@~#]\//, "");
      candidates.push(specifier, bare, `src/${bare}`);
    }
    for (const base of candidates) {
      const found = this.probeTsFile(base);
      if (found) return found;
    }
    return undefined;
  }

  private probeTsFile(base: string): string | undefined {
    if (base.startsWith("..")) return undefined;
    const tries = [base];
    const ext = path.posix.extname(base);
    const stem = ext ? base.slice(0, -ext.length) : base;
    if ([".js", ".jsx", ".mjs", ".cjs"].includes(ext)) {
      // ESM TypeScript writes `./x.js` for `./x.ts`.
      tries.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`);
    }
    for (const e of TS_EXTENSIONS) tries.push(`${base}${e}`);
    for (const e of TS_EXTENSIONS) tries.push(`${base}/index${e}`);
    return tries.find((t) => this.files.get(t)?.facts.language === "typescript");
  }

  /** The file an import refers to, if it is part of the project. */
  importedFile(file: string, imp: ImportFact): string | undefined {
    const entry = this.files.get(file);
    if (!entry) return undefined;
    if (entry.facts.language === "python") {
      return this.pythonModuleFile(this.absolutePythonModule(file, imp), file);
    }
    return this.tsModuleFile(file, imp.module);
  }

  /** The dotted path an external import denotes (`os`, `os.environ`, `jsonwebtoken.decode`). */
  private externalPath(file: string, imp: ImportFact, imported: string): string[] {
    const entry = this.files.get(file);
    const modulePath =
      entry?.facts.language === "python"
        ? this.absolutePythonModule(file, imp)
            .split(".")
            .filter(Boolean)
        : [imp.module.replace(/^node:/, "")];
    if (imp.bindsRoot) return modulePath.slice(0, 1);
    return imported === "*" ? modulePath : [...modulePath, imported];
  }

  // ---------------------------------------------------------------- value resolution

  /**
   * Resolves a member path as written in `file` within `scope` (qualified name of the
   * enclosing definition) to a value.
   */
  resolvePath(file: string, segments: readonly string[], scope: string | undefined, depth = 0): Value {
    const [first, ...rest] = segments;
    if (first === undefined || first === "?" || depth > MAX_DEPTH) return UNKNOWN;
    const root = stripCall(first);
    let value = this.resolveName(file, root.name, scope, depth + 1);
    if (root.called) value = this.callResult(value, depth + 1);
    for (const seg of rest) {
      if (value.kind === "unknown") return UNKNOWN;
      const s = stripCall(seg);
      if (s.name === "?") return UNKNOWN;
      value = this.member(value, s.name, depth + 1);
      if (s.called) value = this.callResult(value, depth + 1);
    }
    return value;
  }

  /**
   * Call targets found outside the model — by the TypeScript type checker, for concept-named call
   * sites the model leaves unresolved (`engine/typed-calls.ts`) — keyed by `callTargetKey`.
   */
  private callTargets: ReadonlyMap<string, DefRef> = new Map();

  /** Sets the call targets that `resolveCallee` answers first (replacing any earlier set). */
  setCallTargets(targets: ReadonlyMap<string, DefRef>): void {
    this.callTargets = targets;
  }

  /** What a call site's callee denotes (the function, method or class called). */
  resolveCallee(file: string, call: CallSite): Value {
    const typed = this.callTargets.size > 0 ? this.callTargets.get(callTargetKey(file, call)) : undefined;
    if (typed) return { kind: "def", ref: typed };
    return this.resolvePath(file, call.callee, call.enclosing);
  }

  /** What a call evaluates to. */
  resolveCallResult(file: string, call: CallSite): Value {
    return this.callResult(this.resolveCallee(file, call), 0);
  }

  /** Resolves one name in a scope: receivers, parameters, bindings, local definitions, imports. */
  resolveName(file: string, name: string, scope: string | undefined, depth = 0): Value {
    return this.memoized("n", file, scope ?? "", name, () => this.resolveNameUncached(file, name, scope, depth));
  }

  private resolveNameUncached(file: string, name: string, scope: string | undefined, depth: number): Value {
    const index = this.index(file);
    if (!index || depth > MAX_DEPTH) return UNKNOWN;
    if (RECEIVERS.has(name)) {
      const cls = this.enclosingClass(file, scope);
      if (!cls) return UNKNOWN;
      return name === "cls" ? { kind: "def", ref: cls } : { kind: "instance", cls };
    }
    for (const s of scopeChain(scope)) {
      const isClassBody = s !== "" && index.defsByQualifiedName.get(s)?.kind === "class" && s !== scope;
      // Class bodies do not enclose their methods' names (Python and TS alike).
      if (isClassBody) continue;
      if (s !== "") {
        if (index.paramTypes.has(s, name)) {
          const type = index.paramTypes.get(s, name);
          return type ? this.resolveType(file, type, s, depth + 1) : UNKNOWN;
        }
      }
      const bindings = index.bindings.get(s, name);
      if (bindings) {
        for (const b of bindings) {
          const v = this.bindingValue(file, b, depth + 1);
          if (v.kind !== "unknown") return v;
        }
        return UNKNOWN;
      }
      const qualified = s ? `${s}.${name}` : name;
      const local = index.defsByQualifiedName.get(qualified);
      if (local) return { kind: "def", ref: { file, def: local } };
      if (index.objects.has(qualified)) return { kind: "object", file, qualifiedName: qualified };
      const imports = index.imports.get(s, name);
      if (imports) {
        for (const { fact, imported } of imports) {
          const v = this.importValue(file, fact, imported, depth + 1);
          if (v.kind !== "unknown") return v;
        }
        return UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  private enclosingClass(file: string, scope: string | undefined): DefRef | undefined {
    const index = this.index(file);
    if (!index) return undefined;
    for (const s of scopeChain(scope)) {
      const def = index.defsByQualifiedName.get(s);
      if (def?.kind === "class") return { file, def };
      if (def?.className) {
        const cls = index.defsByQualifiedName.get(def.className);
        if (cls) return { file, def: cls };
      }
    }
    return undefined;
  }

  private bindingValue(file: string, b: Binding, depth: number): Value {
    // `self.gw = gw` in `__init__(self, gw: Gateway)`: the value is read in the method, not the class.
    const root = b.target[0];
    const scope = root !== undefined && RECEIVERS.has(root) && b.target.length > 1 ? (this.innermostFunction(file, b.span.start)?.qualifiedName ?? b.scope) : b.scope;
    const fromType = () => (b.type ? this.resolveType(file, b.type, scope, depth + 1) : UNKNOWN);
    switch (b.value.kind) {
      case "annotation":
        return fromType();
      case "alias": {
        const v = this.resolvePath(file, b.value.path, scope, depth + 1);
        return v.kind === "unknown" ? fromType() : v;
      }
      case "call": {
        const typed = fromType();
        if (typed.kind !== "unknown") return typed;
        const callee = this.resolvePath(file, b.value.callee, scope, depth + 1);
        return this.callResult(callee, depth + 1);
      }
    }
  }

  private importValue(file: string, imp: ImportFact, imported: string, depth: number): Value {
    const target = this.importedFile(file, imp);
    const entry = this.files.get(file);
    if (entry?.facts.language === "python") {
      if (imp.bindsRoot) {
        // `import a.b.c` binds `a`: resolve the top package, else keep it external.
        const top = this.absolutePythonModule(file, imp).split(".")[0] ?? "";
        const topFile = this.pythonModuleFile(top);
        return topFile ? { kind: "module", file: topFile } : { kind: "external", path: [top] };
      }
      if (imported === "*") {
        return target ? { kind: "module", file: target } : { kind: "external", path: this.externalPath(file, imp, imported) };
      }
      if (target) {
        const v = this.member({ kind: "module", file: target }, imported, depth + 1);
        if (v.kind !== "unknown") return v;
        return UNKNOWN;
      }
      // `from pkg import submodule` where pkg has no __init__.py in the project.
      const sub = this.pythonModuleFile(pythonSubmodule(this.absolutePythonModule(file, imp), imported), file);
      if (sub) return { kind: "module", file: sub };
      return { kind: "external", path: this.externalPath(file, imp, imported) };
    }
    if (!target) return { kind: "external", path: this.externalPath(file, imp, imported) };
    if (imported === "*") return { kind: "module", file: target };
    return this.member({ kind: "module", file: target }, imported, depth + 1);
  }

  /** A member of a value: module attribute, class member, instance attribute or method. */
  member(value: Value, name: string, depth = 0): Value {
    if (depth > MAX_DEPTH) return UNKNOWN;
    switch (value.kind) {
      case "unknown":
        return UNKNOWN;
      case "external":
        return { kind: "external", path: [...value.path, name] };
      case "module":
        return this.memoized("m", value.file, name, "", () => this.moduleMember(value.file, name, depth + 1));
      case "object": {
        const index = this.index(value.file);
        const qualified = `${value.qualifiedName}.${name}`;
        const def = index?.defsByQualifiedName.get(qualified);
        if (def) return { kind: "def", ref: { file: value.file, def } };
        return index?.objects.has(qualified) ? { kind: "object", file: value.file, qualifiedName: qualified } : UNKNOWN;
      }
      case "def":
        if (value.ref.def.kind !== "class") return UNKNOWN;
        return this.classMember(value.ref, name, depth + 1, false);
      case "instance":
        return this.classMember(value.cls, name, depth + 1, true);
    }
  }

  private moduleMember(file: string, name: string, depth: number): Value {
    const entry = this.files.get(file);
    const index = this.index(file);
    if (!entry || !index) return UNKNOWN;
    const facts = entry.facts;
    if (facts.language === "typescript") {
      if (name === "default") {
        const def = facts.definitions.find((d) => d.isDefaultExport);
        if (def) return { kind: "def", ref: { file, def } };
      }
      for (const ex of facts.exports) {
        if (ex.exported !== name || ex.local === "*") continue;
        if (ex.from) {
          const target = this.tsModuleFile(file, ex.from);
          return target ? this.member({ kind: "module", file: target }, ex.local, depth + 1) : UNKNOWN;
        }
        if (ex.local !== name) return this.resolveName(file, ex.local, undefined, depth + 1);
      }
      for (const ex of facts.exports) {
        if (!ex.from) continue;
        if (ex.local === "*" && ex.exported === name) {
          const target = this.tsModuleFile(file, ex.from);
          return target ? { kind: "module", file: target } : UNKNOWN;
        }
      }
    }
    const v = this.resolveName(file, name, undefined, depth + 1);
    if (v.kind !== "unknown") return v;
    if (facts.language === "python") {
      const moduleName = this.files.get(file)?.moduleName;
      if (moduleName !== undefined) {
        const sub = this.pythonModules.get(moduleName ? `${moduleName}.${name}` : name);
        if (sub) return { kind: "module", file: sub };
      }
    } else {
      for (const ex of facts.exports) {
        if (ex.from && ex.exported === "*") {
          const target = this.tsModuleFile(file, ex.from);
          if (target && target !== file) {
            const w = this.member({ kind: "module", file: target }, name, depth + 1);
            if (w.kind !== "unknown") return w;
          }
        }
      }
    }
    return UNKNOWN;
  }

  private classMember(cls: DefRef, name: string, depth: number, onInstance: boolean): Value {
    return this.memoized(onInstance ? "i" : "c", defKey(cls), name, "", () => {
      const index = this.index(cls.file);
      if (!index) return UNKNOWN;
      const method = index.defsByQualifiedName.get(`${cls.def.qualifiedName}.${name}`);
      if (method) {
        const ref = { file: cls.file, def: method };
        // Reading a property gives what its getter returns.
        if (onInstance && method.decorators.some((d) => PROPERTY_DECORATORS.test(d))) return this.callResult({ kind: "def", ref }, depth + 1);
        return { kind: "def", ref };
      }
      const attrs = index.attributes.get(cls.def.qualifiedName, name);
      if (attrs) {
        for (const b of attrs) {
          const v = this.bindingValue(cls.file, b, depth + 1);
          if (v.kind !== "unknown") return v;
        }
      }
      for (const base of cls.def.bases) {
        const baseValue = this.resolveType(cls.file, base, cls.def.qualifiedName.split(".").slice(0, -1).join(".") || undefined, depth + 1);
        if (baseValue.kind === "instance" && defKey(baseValue.cls) !== defKey(cls)) {
          const v = this.classMember(baseValue.cls, name, depth + 1, onInstance);
          if (v.kind !== "unknown") return v;
        }
      }
      return UNKNOWN;
    });
  }

  /** The innermost function or method whose span contains an offset. */
  innermostFunction(file: string, offset: number): Definition | undefined {
    const functions = this.index(file)?.functions ?? [];
    let found: Definition | undefined;
    for (const def of functions) {
      if (def.span.start > offset) break;
      if (def.span.end >= offset) found = def;
    }
    return found;
  }

  /** A class and its project base classes, nearest first (cycles and depth bounded). */
  ancestors(cls: DefRef): DefRef[] {
    const result: DefRef[] = [];
    const seen = new Set<string>();
    const visit = (c: DefRef, depth: number) => {
      const key = defKey(c);
      if (seen.has(key) || depth > 12) return;
      seen.add(key);
      result.push(c);
      const scope = c.def.qualifiedName.split(".").slice(0, -1).join(".") || undefined;
      for (const base of c.def.bases) {
        const v = this.resolveType(c.file, base, scope);
        if (v.kind === "instance") visit(v.cls, depth + 1);
      }
    };
    visit(cls, 0);
    return result;
  }

  /** What calling a value gives: an instance for a class, the inferred return for a function. */
  callResult(value: Value, depth = 0): Value {
    if (depth > MAX_DEPTH) return UNKNOWN;
    if (value.kind === "external") return { kind: "external", path: [...value.path.slice(0, -1), `${value.path.at(-1) ?? ""}()`] };
    if (value.kind !== "def") return UNKNOWN;
    const ref = value.ref;
    if (ref.def.kind === "class") return { kind: "instance", cls: ref };
    return this.memoized("r", defKey(ref), "", "", () => this.returnValue(ref, depth + 1));
  }

  private returnValue(ref: DefRef, depth: number): Value {
    const def = ref.def;
    if (def.returnType) {
      const typed = this.resolveType(ref.file, def.returnType, scopeOf(def), depth + 1);
      if (typed.kind !== "unknown") return typed;
    }
    for (const returned of def.returns) {
      const v = this.resolvePath(ref.file, returned, def.qualifiedName, depth + 1);
      if (v.kind === "instance" || v.kind === "module") return v;
      if (v.kind === "def" && v.ref.def.kind !== "class") continue;
    }
    return UNKNOWN;
  }

  /** Reads a type annotation (`Optional["pkg.Foo"]`, `Foo | None`, `Promise<Hub>`) as an instance type. */
  resolveType(file: string, type: string, scope: string | undefined, depth = 0): Value {
    // Of a union or intersection of two project classes (`LegacyRouter | Hub`) nothing is known.
    let found: Extract<Value, { kind: "instance" }> | undefined;
    for (const m of type.matchAll(/(typeof\s+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)/g)) {
      const [whole, typeOf, name] = m;
      if (name === undefined || TYPE_WRAPPERS.has(name) || TYPE_WRAPPERS.has(name.slice(name.lastIndexOf(".") + 1))) continue;
      const v = this.resolvePath(file, name.split("."), scope, depth + 1);
      let instance: Extract<Value, { kind: "instance" }> | undefined;
      if (v.kind === "def" && v.ref.def.kind === "class") instance = { kind: "instance", cls: v.ref };
      // TS `typeof hub` is the type of the value `hub`. Otherwise a name bound to a value
      // (`T = TypeVar("T")`) is no class: a parameter annotated `x: T` is not that value.
      else if (typeOf && v.kind === "instance") instance = v;
      if (instance) {
        if (found && defKey(found.cls) !== defKey(instance.cls)) return UNKNOWN;
        found ??= instance;
        continue;
      }
      // A generic that is no wrapper and no project class (`Map<string, Router>`, `Sequence[Router]`)
      // holds its arguments: it is not one of them.
      const after = type.slice((m.index ?? 0) + whole.length).trimStart();
      if (!found && (after.startsWith("<") || after.startsWith("["))) return UNKNOWN;
    }
    return found ?? UNKNOWN;
  }

  /**
   * `aliasChains` of every call's callee and every reference's path of a file, in the order of
   * `facts.calls` and `facts.references` (most have none: `NO_ALIASES`). The concept analysis
   * asks once per file for all concepts, each of which matches them against its sinks.
   */
  factAliasChains(file: string): FactAliases {
    const facts = this.files.get(file)?.facts;
    const roots = this.aliasRootsOf(file);
    // A file's chains share few (scope, root) pairs: each pair's alias bases are looked up once
    // (an absent scope is the module's, "", for `aliasBases` too).
    const basesOf = new ScopedMap<readonly (readonly string[])[]>();
    const of = (chain: readonly string[], enclosing: string | undefined): readonly (readonly string[])[] => {
      const first = chain[0];
      if (first === undefined) return NO_ALIASES;
      const { name, called } = stripCall(first);
      // `aliasChains`' fast path, without its lookups per chain.
      if (!roots.has(name)) return NO_ALIASES;
      const scope = enclosing ?? "";
      let bases = basesOf.get(scope, name);
      if (!bases) {
        bases = this.aliasBases(file, name, scope, 0);
        basesOf.set(scope, name, bases);
      }
      if (bases.length === 0) return NO_ALIASES;
      const chains = joinAliasBases(bases, called, chain.slice(1));
      return chains.length === 0 ? NO_ALIASES : chains;
    };
    return {
      calls: facts ? facts.calls.map((c) => of(c.callee, c.enclosing)) : [],
      references: facts ? facts.references.map((r) => of(r.path, r.enclosing)) : [],
    };
  }

  /** Every name of a file with a single-name binding or an import in some scope (`aliasChains`' fast path). */
  private aliasRootsOf(file: string): ReadonlySet<string> {
    let roots = this.aliasRoots.get(file);
    if (!roots) {
      roots = new Set<string>();
      const index = this.index(file);
      if (index) {
        for (const name of index.bindings.names()) roots.add(name);
        for (const name of index.imports.names()) roots.add(name);
      }
      this.aliasRoots.set(file, roots);
    }
    return roots;
  }

  /**
   * The dotted paths a member chain may denote once its root is resolved through imports and
   * aliases: `E.get` after `from os import environ as E` → `["os","environ","get"]`;
   * `env.X` after `const { env } = process` → `["process","env","X"]`; `server.to()` after
   * `import { io as server } from "./transport"` → also `["io","to()"]`. Empty when the root is
   * a parameter, a local that is not an alias, or not bound at all (then only the chain as
   * written applies).
   */
  aliasChains(file: string, chain: readonly string[], scope: string | undefined, depth = 0): string[][] {
    const [first, ...rest] = chain;
    if (first === undefined || depth > 8) return [];
    const root = stripCall(first);
    return joinAliasBases(this.aliasBases(file, root.name, scope, depth), root.called, rest);
  }

  /**
   * What a root name stands for, as the dotted paths `aliasChains` puts in its place: the aliased
   * path (and, behind it, what that path's own root aliases), or the imported module path (and,
   * for a project module, the export's own name; `[]` for a star import).
   */
  private aliasBases(file: string, name: string, scope: string | undefined, depth: number): (readonly string[])[] {
    const index = this.index(file);
    if (!index) return [];
    // Fast path (most chains): a root name bound or imported in no scope of the file has no alias.
    if (!this.aliasRootsOf(file).has(name)) return [];
    for (const s of scopeChain(scope)) {
      // A parameter shadows module-level names (`def app(environ, start_response)`).
      if (s !== "" && index.paramTypes.has(s, name)) return [];
      const bindings = index.bindings.get(s, name);
      if (bindings) {
        const alias = bindings.find((b) => b.value.kind === "alias");
        if (!alias || alias.value.kind !== "alias") return [];
        const path = alias.value.path;
        const deeper = this.aliasChains(file, path, alias.scope, depth + 1);
        return deeper.length > 0 ? [...deeper, path] : [path];
      }
      const imp = index.imports.get(s, name)?.[0];
      if (imp) {
        const bases: (readonly string[])[] = [this.externalPath(file, imp.fact, imp.imported)];
        if (this.importedFile(file, imp.fact)) {
          // A project module's export keeps its own name as the root (`io` in `./transport`).
          if (imp.imported === "*") bases.push([]);
          else if (imp.imported !== "default") bases.push([imp.imported]);
        }
        return bases;
      }
    }
    return [];
  }

  private memoized(kind: string, a: string, b: string, c: string, compute: () => Value): Value {
    const slot = this.memo.slot(kind, a, b);
    const hit = slot.get(c);
    // A cycle (`a = b`, `b = a`; a class that is its own base) resolves to unknown.
    if (hit === IN_PROGRESS) return UNKNOWN;
    if (hit) return hit;
    slot.set(c, IN_PROGRESS);
    try {
      const v = compute();
      slot.set(c, v);
      return v;
    } catch (error) {
      slot.delete(c);
      throw error;
    }
  }
}

/** Alias chains of a file's calls and references, by index (`ProjectModel.factAliasChains`). */
export interface FactAliases {
  calls: readonly (readonly (readonly string[])[])[];
  references: readonly (readonly (readonly string[])[])[];
}

/**
 * The chains a root's alias bases (`aliasBases`) make of a chain's other segments: each base with
 * the root's call mark on its last segment, then the rest; empty results left out.
 */
function joinAliasBases(bases: readonly (readonly string[])[], called: boolean, rest: readonly string[]): string[][] {
  const chains: string[][] = [];
  for (const base of bases) {
    const chain = base.length === 0 ? [...rest] : [...base.slice(0, -1), `${base.at(-1) ?? ""}${called ? "()" : ""}`, ...rest];
    if (chain.length > 0) chains.push(chain);
  }
  return chains;
}

/** The alias chains of a name that has none (shared). */
export const NO_ALIASES: readonly (readonly string[])[] = Object.freeze([]);

/** Marks a memo entry being computed (a lookup that meets it is a cycle). */
const IN_PROGRESS: Value = { kind: "unknown" };

/**
 * Resolved values by a four-part key (kind, then three names), in nested maps: a large project
 * memoises hundreds of thousands of lookups, and a key string per lookup (file path, scope and
 * name joined) cost more memory and hashing than the values.
 */
class Memo {
  private readonly root = new Map<string, Map<string, Map<string, Map<string, Value>>>>();

  /** The map of the entries whose key starts with `kind, a, b` (created empty on first use). */
  slot(kind: string, a: string, b: string): Map<string, Value> {
    return child(child(child(this.root, kind), a), b);
  }
}

/** The map under `key` in `parent`, created empty on first use. */
function child<V>(parent: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = parent.get(key);
  if (!map) {
    map = new Map();
    parent.set(key, map);
  }
  return map;
}

/** The key of a call site in `ProjectModel.setCallTargets`: file and callee span (`a.b().c` and `a.b` start alike). */
export function callTargetKey(file: string, call: Pick<CallSite, "calleeSpan">): string {
  return `${file}\0${call.calleeSpan.start}\0${call.calleeSpan.end}`;
}

function commonPrefixLength(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function scopeOf(def: Definition): string | undefined {
  const dot = def.qualifiedName.lastIndexOf(".");
  return dot < 0 ? undefined : def.qualifiedName.slice(0, dot);
}

/** `pkg/sub/mod.py` → `pkg.sub.mod`; `pkg/__init__.py` → `pkg`. */
export function pythonModuleName(file: string): string {
  const noExt = file.replace(/\.pyi?$/, "");
  const parts = noExt.split("/");
  if (parts.at(-1) === "__init__") parts.pop();
  return parts.join(".");
}

export type { FileFacts };
