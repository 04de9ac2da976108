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
]);

const ABSTRACT_BASES = new Set(["ABC", "ABCMeta", "Protocol"]);

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
  private callIndex: Map<string, NamedCall[]> | undefined;
  private aliasIndex: Map<string, Set<string>> | undefined;
  private readonly testMemo = new Map<string, boolean>();

  constructor(readonly model: ProjectModel) {
    this.files = [...model.files.values()].sort((a, b) => (a.facts.file < b.facts.file ? -1 : a.facts.file > b.facts.file ? 1 : 0));
  }

  /** Test code: the config's `tests` globs, plus test folders and files by name. */
  isTest(file: string): boolean {
    const hit = this.testMemo.get(file);
    if (hit !== undefined) return hit;
    const result = Boolean(this.model.entry(file)?.isTest) || TEST_PATH.test(file);
    this.testMemo.set(file, result);
    return result;
  }

  isReported(file: string): boolean {
    return Boolean(this.model.entry(file)?.reported);
  }

  facts(file: string): FileFacts | undefined {
    return this.model.entry(file)?.facts;
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
   * `BaseModel`, `Exception` …). Two methods of one name whose classes' ancestries meet are
   * overrides of one contract, not duplicates.
   */
  ancestry(cls: DefRef, depth = 0): Set<string> {
    const key = defKey(cls);
    const hit = this.ancestorMemo.get(key);
    if (hit) return hit;
    const out = new Set<string>([key]);
    this.ancestorMemo.set(key, out);
    if (depth > 10) return out;
    const scope = cls.def.qualifiedName.includes(".") ? cls.def.qualifiedName.slice(0, cls.def.qualifiedName.lastIndexOf(".")) : undefined;
    for (const base of cls.def.bases) {
      const value = this.model.resolveType(cls.file, base, scope);
      if (value.kind === "instance") {
        for (const k of this.ancestry(value.cls, depth + 1)) out.add(k);
      } else {
        const name = baseName(base);
        if (name && !UNRELATED_BASES.has(name)) out.add(`external:${name}`);
      }
    }
    return out;
  }

  /** Production call sites by the normalized name of their callee's last segment. */
  callsNamed(key: string): readonly NamedCall[] {
    if (!this.callIndex) {
      const index = new Map<string, NamedCall[]>();
      for (const entry of this.files) {
        const file = entry.facts.file;
        if (this.isTest(file)) continue;
        for (const call of entry.facts.calls) {
          const name = calleeName(call);
          if (!name || name === "?") continue;
          const k = normalizeName(name).key;
          const list = index.get(k);
          if (list) list.push({ file, call, name });
          else index.set(k, [{ file, call, name }]);
        }
      }
      this.callIndex = index;
    }
    return this.callIndex.get(key) ?? [];
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

  /** The definition a call resolves to, if it is a project definition. */
  callTarget(file: string, call: CallSite): DefRef | undefined {
    this.resolutions++;
    const value = this.model.resolveCallee(file, call);
    return value.kind === "def" ? value.ref : undefined;
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
