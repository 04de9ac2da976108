/**
 * Leftover fallbacks: `except ImportError` import fallbacks between project modules, fallback
 * sides (`except`, `.catch()`, `or`, `??`, `if`/`else`) that reach legacy code, and definitions
 * named as leftover copies (`_legacy_x`, `x_fallback`, `XLegacy`, `x_old`). Each becomes a signal:
 * evidence for a structural candidate it touches, or a `fallback` candidate of its own.
 */
import type { CallSite, FallbackSite, ImportFact, Range } from "../facts/types.js";
import { type DefRef, defKey } from "../model/types.js";
import { normalizeName } from "../util/names.js";
import { type DiscoveryView, calleeName } from "./view.js";
import { LEFTOVER_WORDS, STAND_IN_WORDS, legacyWordIn, wordsOf } from "./vocabulary.js";

export interface FallbackSignal {
  /** Where the signal was seen (the fallback site, or the legacy-named definition). */
  file: string;
  line: number;
  /** The evidence sentence. */
  text: string;
  /** The construct and where it is: `except ImportError at app/x.py:10` (for `source: "site"`). */
  site: string;
  /** `site` for fallback constructs, `name` for a legacy-named definition. */
  source: "site" | "name";
  /** Normalized name of the capability, to group signals that are about one thing. */
  key: string;
  /** Definitions on the kept side (the `try` body, the canonical branch), when they resolve. */
  primary: DefRef[];
  /** Definitions on the fallback side, or the legacy-named definition itself. */
  fallback: DefRef[];
  /** The definition the fallback site sits in. */
  enclosing?: DefRef;
}

const IMPORT_ERRORS = /^(\w+\.)*(ImportError|ModuleNotFoundError)$/;

/**
 * `_legacy_x`, `legacy_x`, `x_fallback`, `XLegacy`, `x_old`, `JobSchedulerLegacyAdapter`: a leftover
 * word first, or last before any stand-in noun. A lone `deprecated()` helper or a legacy word in the
 * middle (`replay_from_legacy_buffer`) is not a leftover copy.
 */
export function hasLeftoverAffix(name: string): boolean {
  const words = wordsOf(name).filter((w, i, all) => i < all.length - 1 || !STAND_IN_WORDS.has(w));
  if (words.length < 2) return false;
  return LEFTOVER_WORDS.has(words[0] ?? "") || LEFTOVER_WORDS.has(words.at(-1) ?? "");
}

/** Whether a definition is marked as legacy: by a leftover word in its (or its class's) name, or by its docstring or its module's. */
export function legacyMark(view: DiscoveryView, ref: DefRef): string | undefined {
  if (hasLeftoverAffix(ref.def.name)) return `legacy name ${ref.def.qualifiedName}`;
  const cls = ref.def.className;
  if (cls && hasLeftoverAffix(cls.slice(cls.lastIndexOf(".") + 1))) return `legacy class ${cls}`;
  const own = legacyWordIn(ref.def.doc);
  if (own) return `docstring of ${ref.def.qualifiedName} says '${own}'`;
  const mod = view.moduleLegacyWord(ref.file);
  if (mod) return `module docstring of ${ref.file} says '${mod}'`;
  return undefined;
}

/** Calls (sorted by start) that start inside the ranges. */
function callsIn(calls: readonly CallSite[], ranges: readonly Range[]): CallSite[] {
  const out: CallSite[] = [];
  for (const r of ranges) {
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((calls[mid]?.span.start ?? 0) < r.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < calls.length; i++) {
      const c = calls[i];
      if (!c || c.span.start >= r.end) break;
      out.push(c);
    }
  }
  return out;
}

function siteLabel(site: FallbackSite, language: string): string {
  switch (site.kind) {
    case "try":
      if (language === "typescript") return "catch";
      return site.caught && site.caught.length > 0 ? `except ${site.caught.join(", ")}` : "bare except";
    case "import-fallback":
      return `except ${site.caught?.join(", ") || "ImportError"}`;
    case "promise-catch":
      return ".catch()";
    case "or":
      return language === "typescript" ? "||" : "or";
    case "nullish":
      return "??";
    case "conditional":
      return "if/else";
  }
}

function isImportFallback(site: FallbackSite): boolean {
  return site.kind === "import-fallback" || (site.kind === "try" && (site.caught ?? []).some((c) => IMPORT_ERRORS.test(c)));
}

/** Collects every fallback signal of the production code. */
export class FallbackScanner {
  /** Names of project definitions marked legacy: only calls with such a name (or a leftover word) are worth resolving. */
  private readonly legacyNames = new Set<string>();

  constructor(
    private readonly view: DiscoveryView,
    /** Eligible definitions by normalized name, to find the definitions behind unresolved legacy calls and legacy names. */
    private readonly byName: ReadonlyMap<string, readonly DefRef[]>,
  ) {
    for (const entry of view.files) {
      const file = entry.facts.file;
      if (view.isTest(file)) continue;
      const moduleMarked = legacyWordIn(entry.facts.moduleDoc) !== undefined;
      for (const def of entry.facts.definitions) {
        if (moduleMarked || legacyMark(view, { file, def })) this.legacyNames.add(def.name);
      }
    }
  }

  scan(): FallbackSignal[] {
    const signals: FallbackSignal[] = [];
    for (const entry of this.view.files) {
      const facts = entry.facts;
      if (this.view.isTest(facts.file)) continue;
      if (facts.fallbacks.length === 0) continue;
      const calls = [...facts.calls].sort((a, b) => a.span.start - b.span.start);
      for (const site of facts.fallbacks) {
        if (isImportFallback(site)) signals.push(...this.importSignals(facts.file, facts.imports, site));
        else signals.push(...this.callSignals(facts.file, facts.language, calls, site));
      }
    }
    signals.push(...this.nameSignals());
    return signals;
  }

  private enclosingDef(file: string, enclosing: string | undefined): DefRef | undefined {
    if (!enclosing) return undefined;
    const def = this.view.model.definition(file, enclosing);
    return def ? { file, def } : undefined;
  }

  /** `try: from new import f` / `except ImportError: from old import g as f` between project modules. */
  private importSignals(file: string, imports: readonly ImportFact[], site: FallbackSite): FallbackSignal[] {
    const inside = imports.filter((i) => i.inFallback && i.span.start >= site.span.start && i.span.end <= site.span.end);
    const primaries = inside.filter((i) => i.inFallback === "primary").flatMap((i) => i.names.map((n) => ({ imp: i, name: n })));
    const out: FallbackSignal[] = [];
    for (const imp of inside.filter((i) => i.inFallback === "fallback")) {
      for (const n of imp.names) {
        if (n.local === "*" || n.imported === "*") continue;
        // Only an import that rebinds a name the `try` side imports stands in for it.
        const primary = primaries.find((p) => p.name.local === n.local);
        if (!primary) continue;
        const fallbackDef = this.importedDef(file, imp, n.imported);
        const primaryDef = this.importedDef(file, primary.imp, primary.name.imported);
        if (!fallbackDef && !primaryDef) continue; // an optional third-party dependency, not an SSOT matter
        const keyName = primaryDef?.def.name ?? primary.name.imported;
        const where = `${siteLabel(site, "python")} at ${file}:${site.span.line}`;
        out.push({
          file,
          line: site.span.line,
          site: where,
          text: `${where} falls back to ${fallbackDef ? `${fallbackDef.file}::${fallbackDef.def.qualifiedName}` : `${imp.module || "."}.${n.imported}`}`,
          source: "site",
          key: normalizeName(keyName).key,
          primary: primaryDef ? [primaryDef] : [],
          fallback: fallbackDef ? [fallbackDef] : [],
        });
      }
    }
    return out;
  }

  private importedDef(file: string, imp: ImportFact, imported: string): DefRef | undefined {
    if (imp.bindsRoot) return undefined;
    const target = this.view.model.importedFile(file, imp);
    if (!target) return undefined;
    const value = this.view.model.member({ kind: "module", file: target }, imported);
    return value.kind === "def" ? value.ref : undefined;
  }

  /**
   * Calls on a fallback side that reach legacy code: a callee named as a leftover copy, or one
   * that resolves to a definition marked legacy. For `if`/`else` either branch can be the
   * leftover one, so both are examined.
   */
  private callSignals(
    file: string,
    language: string,
    calls: readonly CallSite[] /* sorted by start */,
    site: FallbackSite,
  ): FallbackSignal[] {
    const sides: { fallback: readonly Range[]; primary: readonly Range[] }[] = [{ fallback: site.fallback, primary: site.primary }];
    if (site.kind === "conditional") sides.push({ fallback: site.primary, primary: site.fallback });
    const out: FallbackSignal[] = [];
    const seen = new Set<string>();
    for (const side of sides) {
      for (const call of callsIn(calls, side.fallback)) {
        const name = calleeName(call);
        if (!name || name === "?") continue;
        const named = hasLeftoverAffix(name);
        if (!named && !this.legacyNames.has(name)) continue;
        const target = this.view.callTarget(file, call);
        // `or`/`??` defaults need a strong mark: a leftover name, or a module that says it is legacy.
        const strong =
          named || (target !== undefined && (hasLeftoverAffix(target.def.name) || this.view.moduleLegacyWord(target.file) !== undefined));
        if (
          !strong &&
          !(
            target &&
            legacyMark(this.view, target) &&
            (site.kind === "try" || site.kind === "promise-catch" || site.kind === "conditional")
          )
        )
          continue;
        const fallback = target
          ? [target]
          : (this.byName.get(normalizeName(name).key) ?? []).filter((r) => r.def.name === name).slice(0, 5);
        if (fallback.length === 0) continue;
        const dedupe = `${fallback.map(defKey).join("|")}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        const key = normalizeName(name).key;
        const primary: DefRef[] = [];
        for (const other of callsIn(calls, side.primary)) {
          const otherName = calleeName(other);
          if (!otherName || normalizeName(otherName).key !== key) continue;
          const t = this.view.callTarget(file, other);
          if (t && !primary.some((p) => defKey(p) === defKey(t))) primary.push(t);
        }
        // An `if`/`else` is a fallback when the other branch calls the same thing: a choice between two implementations.
        if (site.kind === "conditional" && !callsIn(calls, side.primary).some((c) => normalizeName(calleeName(c) ?? "").key === key))
          continue;
        const enclosing = this.enclosingDef(file, site.enclosing);
        const where = `${siteLabel(site, language)} at ${file}:${site.span.line}`;
        out.push({
          file,
          line: site.span.line,
          site: where,
          text: `${where} falls back to ${target ? target.def.qualifiedName : name}()`,
          source: "site",
          key,
          primary,
          fallback,
          ...(enclosing ? { enclosing } : {}),
        });
      }
    }
    return out;
  }

  /** Definitions named as leftover copies, with their non-legacy namesakes as the kept side. */
  private nameSignals(): FallbackSignal[] {
    const out: FallbackSignal[] = [];
    for (const [key, refs] of this.byName) {
      const kept = refs.filter((r) => !hasLeftoverAffix(r.def.name));
      for (const ref of refs) {
        if (!hasLeftoverAffix(ref.def.name)) continue;
        out.push({
          file: ref.file,
          line: ref.def.span.line,
          text: `legacy name ${ref.def.qualifiedName}`,
          site: `${ref.file}:${ref.def.span.line}`,
          source: "name",
          key,
          primary: kept.filter((k) => (k.def.kind === "class") === (ref.def.kind === "class")),
          fallback: [ref],
        });
      }
    }
    return out;
  }
}
