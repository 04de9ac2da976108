/**
 * Discovery's read-only view of the project model: which definitions may take part in a
 * candidate, class ancestry, and name-indexed call sites. Everything here reads facts through
 * the model; nothing parses.
 */
import type { CallSite, Definition, FileFacts } from "../facts/types.js";
import type { ProjectModel } from "../model/project.js";
import { type DefRef, type FileEntry, defKey } from "../model/types.js";
import { normalizeName } from "../util/names.js";
import { isCommonName, legacyWordIn } from "./vocabulary.js";

/** Test doubles are never candidates, wherever they live. */
const TEST_DOUBLE = /^(Fake|Mock|Stub|Dummy|Spy)[A-Z_]|^(fake|mock|stub|dummy)_/;

/**
 * Test code the config's `tests` globs may miss: test helper packages (`test_framework/`,
 * `integration_tests/`, `__mocks__/`) and test files by name.
 */
const TEST_PATH =
  /(^|\/)(tests?|testing|__tests__|__mocks__|e2e|test_[^/]*|[^/]*_tests?)\/|(^|\/)(conftest\.py|test_[^/]*\.py|[^/]*_test\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?)$/;

/**
 * Code that is not the team's to consolidate: vendored copies (`vendor/`, `third_party/`,
 * minified bundles) and generated migration history (Django `migrations/0001_x.py`, Alembic
 * `versions/<rev>_x.py`). Its definitions are never candidates and its calls count for nothing.
 */
const FOREIGN_PATH =
  /(^|\/)(vendor|vendored|_vendor|third[_-]?party|3rdparty|bower_components)\/|\.min\.[cm]?js$|(^|\/)migrations\/\d{4}_[^/]*\.py$|(^|\/)versions\/[0-9a-f]{6,}_[^/]*\.py$/;

/** Bases every class may share without that making its methods overrides of one contract. */
const UNRELATED_BASES = new Set([
  "object",
  "ABC",
  "ABCMeta",
  "Generic",
  "Protocol",
  "BaseModel",
  "Enum",
  "IntEnum",
  "StrEnum",
  "Flag",
  "IntFlag",
  "Exception",
  "BaseException",
  "NamedTuple",
  "TypedDict",
  "dict",
  "list",
  "str",
  "int",
  "Error",
  "ValueError",
  "TypeError",
  "KeyError",
  "LookupError",
  "RuntimeError",
  "OSError",
  "IOError",
  "AttributeError",
  "NotImplementedError",
  "Warning",
  "UserWarning",
  "DeprecationWarning",
]);

const ABSTRACT_BASES = new Set(["ABC", "ABCMeta", "Protocol"]);

/** Bound on a file's call sites for `callsNamed`'s numbering (far beyond any real file; checked). */
const CALLS_PER_FILE = 2 ** 24;

export interface NamedCall {
  file: string;
  call: CallSite;
  /** The callee's last name (`calleeName`). */
  name: string;
}

/** `a.b.C[T]` / `Foo<T>` → `C` / `Foo`. */
function baseName(text: string): string {
  const bare = text.replace(/[[<(].*$/s, "").trim();
  return bare.slice(bare.lastIndexOf(".") + 1);
}

/**
 * `class StreamReader(codecs.StreamReader)`: a class that extends a class of its own name
 * specializes it (a framework convention), it does not duplicate it.
 */
export function extendsOwnName(def: Definition): boolean {
  return def.kind === "class" && def.bases.some((b) => baseName(b) === def.name);
}

/** The last segment of a callee path without its `()` marker. */
export function calleeName(call: CallSite): string | undefined {
  const last = call.callee[call.callee.length - 1];
  return last?.endsWith("()") ? last.slice(0, -2) : last;
}

export class DiscoveryView {
  /** Project files in path order. */
  readonly files: FileEntry[];
  private readonly ancestorMemo = new Map<string, Set<string>>();
  /**
   * Production call sites by normalized callee name, each as one number: its file's index in
   * `files` times CALLS_PER_FILE plus its index in the file's calls (an object per call site
   * would hold a project's every call twice over while discovery runs).
   */
  private callIndex: Map<string, number[]> | undefined;
  private aliasIndex: Map<string, Set<string>> | undefined;
  private readonly testMemo = new Map<string, boolean>();

  constructor(readonly model: ProjectModel) {
    this.files = [...model.files.values()].sort((a, b) => (a.facts.file < b.facts.file ? -1 : a.facts.file > b.facts.file ? 1 : 0));
  }

  /**
   * Test code (the config's `tests` globs, plus test folders and files by name) and foreign code
   * (vendored copies, generated migrations): never candidates, and their calls do not count.
   */
  isTest(file: string): boolean {
    const hit = this.testMemo.get(file);
    if (hit !== undefined) return hit;
    const result = Boolean(this.model.entry(file)?.isTest) || TEST_PATH.test(file) || FOREIGN_PATH.test(file);
    this.testMemo.set(file, result);
    return result;
  }

  isReported(file: string): boolean {
    return Boolean(this.model.entry(file)?.reported);
  }

  facts(file: string): FileFacts | undefined {
    return this.model.entry(file)?.facts;
  }

  private readonly languageMemo = new Map<string, string>();

  language(file: string): string {
    let lang = this.languageMemo.get(file);
    if (lang === undefined) {
      lang = this.facts(file)?.language ?? "";
      this.languageMemo.set(file, lang);
    }
    return lang;
  }

  moduleDoc(file: string): string | undefined {
    return this.model.entry(file)?.facts.moduleDoc;
  }

  private readonly moduleLegacy = new Map<string, string | undefined>();

  /** The legacy word of a module's docstring (`Legacy`, `DEPRECATED`), cached per file. */
  moduleLegacyWord(file: string): string | undefined {
    if (this.moduleLegacy.has(file)) return this.moduleLegacy.get(file);
    const word = legacyWordIn(this.moduleDoc(file));
    this.moduleLegacy.set(file, word);
    return word;
  }

  /** The class a method belongs to. */
  classOf(ref: DefRef): DefRef | undefined {
    if (!ref.def.className) return undefined;
    const cls = this.model.definition(ref.file, ref.def.className);
    return cls?.kind === "class" ? { file: ref.file, def: cls } : undefined;
  }

  /**
   * Definitions that may take part in a candidate: production code (not tests, not test
   * doubles), real bodies (no Protocol/abstract/interface/overload/stub signatures, no abstract
   * classes), top-level or class members (no closures), and names that are not stop-listed or
   * framework hooks.
   */
  eligibleDefinitions(): { callables: DefRef[]; classes: DefRef[] } {
    const callables: DefRef[] = [];
    const classes: DefRef[] = [];
    for (const entry of this.files) {
      const file = entry.facts.file;
      if (this.isTest(file)) continue;
      const defs = entry.facts.definitions;
      const functions = new Set(defs.filter((d) => d.kind !== "class").map((d) => d.qualifiedName));
      const excludedClasses = new Set(
        defs.filter((d) => d.kind === "class" && (TEST_DOUBLE.test(d.name) || d.signatureOnly)).map((d) => d.qualifiedName),
      );
      const abstractClasses = this.abstractClasses(defs);
      for (const def of defs) {
        if (def.signatureOnly || TEST_DOUBLE.test(def.name)) continue;
        if (isCommonName(def.name, def.kind)) continue;
        const parent = def.qualifiedName.slice(0, Math.max(0, def.qualifiedName.lastIndexOf(".")));
        if (parent && functions.has(parent)) continue;
        if (def.kind === "class") {
          if (!abstractClasses.has(def.qualifiedName)) classes.push({ file, def });
        } else if (!def.className || !excludedClasses.has(def.className)) {
          callables.push({ file, def });
        }
      }
    }
    return { callables, classes };
  }

  /** Classes that are contracts: `ABC`/`Protocol` bases, or abstract (signature-only) members. */
  private abstractClasses(defs: readonly Definition[]): Set<string> {
    const out = new Set<string>();
    for (const d of defs) {
      if (d.kind === "class" && d.bases.some((b) => ABSTRACT_BASES.has(baseName(b)))) out.add(d.qualifiedName);
      if (d.kind !== "class" && d.className && (d.signatureOnly === "abstract" || d.signatureOnly === "protocol")) out.add(d.className);
    }
    return out;
  }

  /**
   * A class's ancestry: its own key, every project base class (resolved through the model,
   * transitively) and the names of external bases other than ubiquitous ones (`object`, `ABC`,
   * `BaseModel`, `Exception` …). A base the model cannot resolve (re-exported through a star
   * import, say) is looked up by name among the project's classes. Two methods of one name
   * whose classes' ancestries meet are overrides of one contract, not duplicates.
   */
  ancestry(cls: DefRef, depth = 0): Set<string> {
    const key = defKey(cls);
    const hit = this.ancestorMemo.get(key);
    if (hit) return hit;
    const out = new Set<string>([key]);
    this.ancestorMemo.set(key, out);
    this.classByKey.set(key, cls);
    if (depth > 10) return out;
    const scope = cls.def.qualifiedName.includes(".") ? cls.def.qualifiedName.slice(0, cls.def.qualifiedName.lastIndexOf(".")) : undefined;
    for (const base of cls.def.bases) {
      const value = this.model.resolveType(cls.file, base, scope);
      if (value.kind === "instance") {
        for (const k of this.ancestry(value.cls, depth + 1)) out.add(k);
        continue;
      }
      const name = baseName(base);
      if (!name || UNRELATED_BASES.has(name)) continue;
      out.add(`external:${name}`);
      for (const b of this.classesNamedLike(base, cls)) for (const k of this.ancestry(b, depth + 1)) out.add(k);
    }
    return out;
  }

  /**
   * `class StreamReader(codecs.StreamReader)`, or `class CursorDebugWrapper(BaseCursorDebugWrapper)`
   * after `from .utils import CursorDebugWrapper as BaseCursorDebugWrapper`: a class that extends
   * a class of its own name specializes it, it does not duplicate it.
   */
  specializesNamesake(cls: DefRef): boolean {
    if (extendsOwnName(cls.def)) return true;
    const own = defKey(cls);
    for (const k of this.ancestry(cls)) {
      if (k !== own && this.classByKey.get(k)?.def.name === cls.def.name) return true;
    }
    return false;
  }

  /**
   * The names of a class's ancestors (project and external ones, itself left out): classes
   * whose ancestors share a name implement one contract, or parallel ones (`forms.DateTimeField`
   * and `models.DateTimeField` both specialize a `Field`).
   */
  ancestorNames(cls: DefRef): Set<string> {
    const own = defKey(cls);
    const out = new Set<string>();
    for (const k of this.ancestry(cls)) {
      if (k === own) continue;
      const name = k.startsWith("external:") ? k.slice(9) : this.classByKey.get(k)?.def.name;
      if (name && !UNRELATED_BASES.has(name)) out.add(name);
    }
    return out;
  }

  private descendantIndex: Map<string, Set<string>> | undefined;

  /**
   * The names of a class's project subclasses, transitively: two `Field` classes whose subclasses
   * share names (a `DateTimeField` under each) root parallel hierarchies (model fields, form fields).
   */
  descendantNames(cls: DefRef): ReadonlySet<string> {
    if (!this.descendantIndex) {
      const index = new Map<string, Set<string>>();
      for (const entry of this.files) {
        const file = entry.facts.file;
        for (const def of entry.facts.definitions) {
          if (def.kind !== "class" || def.bases.length === 0) continue;
          const ref = { file, def };
          const own = defKey(ref);
          for (const k of this.ancestry(ref)) {
            if (k === own || k.startsWith("external:")) continue;
            const set = index.get(k);
            if (set) set.add(def.name);
            else index.set(k, new Set([def.name]));
          }
        }
      }
      this.descendantIndex = index;
    }
    return this.descendantIndex.get(defKey(cls)) ?? new Set();
  }

  private readonly classByKey = new Map<string, DefRef>();
  private classIndex: Map<string, DefRef[]> | undefined;

  /**
   * Project classes a base the model could not resolve may name: classes of its last name, narrowed
   * to modules whose path holds its qualifier (`forms.Field` → `…/forms/…`) when that leaves any.
   */
  private classesNamedLike(base: string, from: DefRef): DefRef[] {
    if (!this.classIndex) {
      const index = new Map<string, DefRef[]>();
      for (const entry of this.files) {
        for (const def of entry.facts.definitions) {
          if (def.kind !== "class") continue;
          const list = index.get(def.name);
          if (list) list.push({ file: entry.facts.file, def });
          else index.set(def.name, [{ file: entry.facts.file, def }]);
        }
      }
      this.classIndex = index;
    }
    const bare = base.replace(/[[<(].*$/s, "").trim();
    const name = bare.slice(bare.lastIndexOf(".") + 1);
    const all = (this.classIndex.get(name) ?? []).filter((r) => r.def !== from.def);
    const qualifier = bare.includes(".") ? bare.slice(0, bare.lastIndexOf(".")).split(".").at(-1) : undefined;
    if (!qualifier || all.length < 2) return all.slice(0, 5);
    const narrowed = all.filter((r) => r.file.split(/[/.]/).includes(qualifier));
    return (narrowed.length > 0 ? narrowed : all).slice(0, 5);
  }

  private readonly methodNamesMemo = new Map<string, Map<string, Set<string>>>();

  /** Names of the methods a class defines (abstract and stub ones included). */
  private methodNames(cls: DefRef): ReadonlySet<string> {
    let byClass = this.methodNamesMemo.get(cls.file);
    if (!byClass) {
      byClass = new Map();
      for (const d of this.facts(cls.file)?.definitions ?? []) {
        if (d.kind === "class" || !d.className) continue;
        const set = byClass.get(d.className);
        if (set) set.add(d.name);
        else byClass.set(d.className, new Set([d.name]));
      }
      this.methodNamesMemo.set(cls.file, byClass);
    }
    return byClass.get(cls.def.qualifiedName) ?? new Set();
  }

  /**
   * Whether a method overrides one its class inherits from a project ancestor (found through
   * the model or by name, transitively): a specialization of an inherited contract.
   */
  overridesAncestor(ref: DefRef): boolean {
    const cls = this.classOf(ref);
    if (!cls) return false;
    const own = defKey(cls);
    for (const k of this.ancestry(cls)) {
      if (k === own || k.startsWith("external:")) continue;
      const a = this.classByKey.get(k);
      if (a && this.methodNames(a).has(ref.def.name)) return true;
    }
    return false;
  }

  /** Production call sites by the normalized name of their callee's last segment (made on each call). */
  callsNamed(key: string): readonly NamedCall[] {
    if (!this.callIndex) {
      const index = new Map<string, number[]>();
      this.files.forEach((entry, f) => {
        if (this.isTest(entry.facts.file)) return;
        const calls = entry.facts.calls;
        if (calls.length >= CALLS_PER_FILE) throw new Error(`internal: ${entry.facts.file} has more than ${CALLS_PER_FILE} calls`);
        for (let c = 0; c < calls.length; c++) {
          const name = calleeName(calls[c] as CallSite);
          if (!name || name === "?") continue;
          const k = normalizeName(name).key;
          const site = f * CALLS_PER_FILE + c;
          const list = index.get(k);
          if (list) list.push(site);
          else index.set(k, [site]);
        }
      });
      this.callIndex = index;
    }
    return (this.callIndex.get(key) ?? []).map((site) => {
      const entry = this.files[Math.floor(site / CALLS_PER_FILE)] as FileEntry;
      const call = entry.facts.calls[site % CALLS_PER_FILE] as CallSite;
      return { file: entry.facts.file, call, name: calleeName(call) as string };
    });
  }

  /** Local names a name is imported under elsewhere (`from m import RateLimiter as Limiter` → `Limiter`). */
  importAliases(name: string): ReadonlySet<string> {
    if (!this.aliasIndex) {
      const index = new Map<string, Set<string>>();
      for (const entry of this.files) {
        for (const imp of entry.facts.imports) {
          for (const n of imp.names) {
            if (n.imported === n.local || n.imported === "*" || n.local === "*") continue;
            const set = index.get(n.imported);
            if (set) set.add(n.local);
            else index.set(n.imported, new Set([n.local]));
          }
        }
      }
      this.aliasIndex = index;
    }
    return this.aliasIndex.get(name) ?? new Set();
  }

  /** Call sites resolved through the model so far (for measurements). */
  resolutions = 0;

  private readonly targets = new Map<CallSite, DefRef | null>();

  /** The definition a call resolves to, if it is a project definition (each call site is resolved once). */
  callTarget(file: string, call: CallSite): DefRef | undefined {
    const hit = this.targets.get(call);
    if (hit !== undefined) return hit ?? undefined;
    this.resolutions++;
    const value = this.model.resolveCallee(file, call);
    const target = value.kind === "def" ? value.ref : undefined;
    this.targets.set(call, target ?? null);
    return target;
  }

  /** The definition a thin delegate forwards to, if it resolves. */
  delegateTarget(ref: DefRef): { call: CallSite; target: DefRef | undefined } | undefined {
    const index = ref.def.delegateCall;
    if (index === undefined) return undefined;
    const call = this.facts(ref.file)?.calls[index];
    if (!call) return undefined;
    return { call, target: this.callTarget(ref.file, call) };
  }
}

/** Whether definition `inner` lies inside `outer` (same file). */
export function encloses(outer: DefRef, file: string, enclosing: string | undefined): boolean {
  if (file !== outer.file || enclosing === undefined) return false;
  const qn = outer.def.qualifiedName;
  return enclosing === qn || enclosing.startsWith(`${qn}.`);
}
