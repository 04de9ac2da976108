import picomatch from "picomatch";
import type { Binding, CallSite, Definition, FallbackSite, ImportFact, Range, Reference, Span } from "../facts/types.js";
import type { ResolvedConcept as ConceptConfig } from "../config/schema.js";
import { isDeclarationFile } from "../files/language.js";
import { CLONE_MIN_SIZE, CLONE_SIMILARITY, shapeSimilarity } from "../util/shape.js";
import { normalizeName } from "../util/names.js";
import { type SinkPattern, matchesSinkPrefix, parseSinkPattern } from "../util/sink-pattern.js";
import { type FactAliases, type ProjectModel, pythonSubmodule } from "./project.js";
import { type DefRef, type FileEntry, type Value, defKey } from "./types.js";

/** Test doubles by name: `FakeMailer`, `MailerStub`, `InMemoryMailer`, `mock_send`. */
const TEST_DOUBLE = /^(Fake|Mock|Stub|Dummy|Spy|InMemory)[A-Z_]|[a-z0-9](Fake|Mock|Stub|Dummy|Spy)$|^(fake|mock|stub|dummy)_/;

export type Confidence = "certain" | "likely";

export interface Implementation {
  ref: DefRef;
  /** Why it counts: its name matches the concept, or its body is a near-clone of the canonical. */
  reason: "name" | "clone";
  similarity?: number;
}

export interface ClassifiedCall {
  file: string;
  call: CallSite;
  /** What the call reaches: the canonical (directly or through a thin delegate) or another implementation. */
  target: "canonical" | "implementation";
  implementation?: DefRef;
  confidence: Confidence;
}

/** What a fallback side reaches that it should not. */
export interface FallbackTarget {
  kind: "implementation" | "legacy-name" | "sink" | "deprecated-module";
  label: string;
  span: Span;
  implementation?: DefRef;
}

export interface FallbackHit {
  file: string;
  site: FallbackSite;
  targets: FallbackTarget[];
}

export interface SinkUse {
  file: string;
  span: Span;
  /** The chain as written. */
  chain: string[];
  pattern: string;
  enclosing?: string;
  isCall: boolean;
}

export interface DeprecatedImport {
  file: string;
  fact: ImportFact;
  /** The deprecated module it imports from, as configured. */
  module: string;
}

export interface ConceptAnalysis {
  id: string;
  config: ConceptConfig;
  canonical: DefRef;
  /** Normalized names of the concept. */
  nameKeys: ReadonlySet<string>;
  implementations: Implementation[];
  /** Thin delegates to the canonical (not findings; calls to them count as canonical). */
  delegates: DefRef[];
  calls: ClassifiedCall[];
  fallbacks: FallbackHit[];
  sinkUses: SinkUse[];
  deprecatedImports: DeprecatedImport[];
}

interface SideItem {
  start: number;
  end: number;
  touches: boolean;
  reaches?: FallbackTarget;
  /** The definition it reaches, when it resolves to one (to tell recursion apart). */
  reachedDef?: DefRef;
  /** It reaches only an instance (or class) that holds an implementation (`judgeValue`). */
  holder?: true;
  /** It touches the concept through the canonical side itself (not through a copy). */
  canonical?: true;
}

/**
 * A call or reference inside some fallback side of a file, with what every concept asks of it
 * and no concept changes: its normalized last name, its alias chains, and (resolved when first
 * asked) what it denotes. Built once per file for all concepts (`analyzeAll`).
 */
interface SideCandidate {
  start: number;
  end: number;
  /** The last segment without `()`. */
  last: string;
  key: string;
  legacy: boolean;
  call?: CallSite;
  reference?: Reference;
  /** The sink patterns its chain and alias chains match (`FileSinkHits`), when any. */
  sinks?: ChainSinks;
  callee?: Value;
  result?: Value;
  path?: Value;
}

/**
 * The sink patterns of every concept, each distinct pattern once with an id, and which of them
 * a member chain matches. Chains repeat across a project (`self.logger.info`, `os.environ.get`)
 * and name lists are shared (`facts/intern.ts`), so each distinct chain is matched once, by all
 * patterns, whatever the number of concepts.
 */
class SinkCatalog {
  private readonly ids = new Map<string, number>();
  private readonly patterns: SinkPattern[] = [];
  private readonly byChain = new Map<readonly string[], readonly number[]>();
  private readonly byCallee = new Map<readonly string[], readonly number[]>();

  /** The id of a pattern (its text is its identity). */
  id(text: string, pattern: SinkPattern): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.patterns.length;
      this.patterns.push(pattern);
      this.ids.set(text, id);
    }
    return id;
  }

  get size(): number {
    return this.patterns.length;
  }

  /** Ids of the patterns that match a prefix of the chain (`matchesSinkPrefix`); `called`: it is a call's callee. */
  matches(chain: readonly string[], shared: boolean, called: boolean): readonly number[] {
    const memo = called ? this.byCallee : this.byChain;
    const known = shared ? memo.get(chain) : undefined;
    if (known) return known;
    const ids: number[] = [];
    this.patterns.forEach((pattern, id) => {
      if (matchesSinkPrefix(pattern, chain, false, called)) ids.push(id);
    });
    // Most chains match nothing: they share one empty list.
    const result = ids.length > 0 ? ids : NO_SINKS;
    if (shared) memo.set(chain, result);
    return result;
  }
}

/** What sink patterns (ids in the `SinkCatalog`) a chain, as written and through each of its alias chains, matches. */
interface ChainSinks {
  raw: readonly number[];
  aliases: readonly (readonly number[])[];
}

/** A file's calls and references that match some sink pattern, by index in `facts.calls` / `facts.references` (ascending). */
interface FileSinkHits {
  calls: Map<number, ChainSinks>;
  references: Map<number, ChainSinks>;
}

const NO_SINKS: readonly number[] = Object.freeze([]);
const NO_SINK_HITS: FileSinkHits = { calls: new Map(), references: new Map() };

function fileSinkHits(entry: FileEntry, aliases: FactAliases, catalog: SinkCatalog): FileSinkHits {
  const hitsOf = (chains: readonly (readonly string[])[], aliasesOf: FactAliases["calls"], called: boolean): Map<number, ChainSinks> => {
    const hits = new Map<number, ChainSinks>();
    chains.forEach((chain, i) => {
      // Raw chains are the pool's shared lists; alias chains are made per use.
      const raw = catalog.matches(chain, true, called);
      const chainAliases = aliasesOf[i] ?? [];
      const viaAliases = chainAliases.map((resolved) => catalog.matches(resolved, false, called));
      if (raw.length > 0 || viaAliases.some((ids) => ids.length > 0)) hits.set(i, { raw, aliases: viaAliases });
    });
    return hits;
  };
  const facts = entry.facts;
  return {
    calls: hitsOf(
      facts.calls.map((c) => c.callee),
      aliases.calls,
      true,
    ),
    references: hitsOf(
      facts.references.map((r) => r.path),
      aliases.references,
      false,
    ),
  };
}

/** A file's side candidates (`SideCandidate`), and the test for "inside some fallback side". */
interface FileSides {
  candidates: SideCandidate[];
  covered: (start: number, end: number) => boolean;
}

/**
 * Runs every concept's analysis. The passes that look at every call and reference of a file
 * (fallback sides, sink uses) run once per file for all concepts, sharing what does not depend
 * on the concept (`SideCandidate`, alias chains); a project's analysis then grows with its facts
 * plus, per concept, only the matching itself.
 */
export function analyzeAll(model: ProjectModel, analyzers: readonly ConceptAnalyzer[]): ConceptAnalysis[] {
  const started = analyzers.map((a) => a.begin());
  const fallbacks = analyzers.map((): FallbackHit[] => []);
  const sinkUses = analyzers.map((): SinkUse[] => []);
  const catalog = new SinkCatalog();
  for (const a of analyzers) a.registerSinks(catalog);
  // Alias chains only serve sink matching.
  const anySinks = catalog.size > 0;
  for (const [file, entry] of model.files) {
    // Nothing in a declaration file runs: `if sys.version_info …` in a stub is no fallback path.
    if (isDeclarationFile(file)) continue;
    const wanted = analyzers.map((a) => a.covers(entry));
    if (!wanted.includes(true)) continue;
    const aliases = anySinks ? model.factAliasChains(file) : NO_FACT_ALIASES;
    const hits = anySinks ? fileSinkHits(entry, aliases, catalog) : NO_SINK_HITS;
    let sides: FileSides | undefined;
    analyzers.forEach((a, k) => {
      if (!wanted[k]) return;
      if (entry.facts.fallbacks.length > 0) {
        sides ??= fileSides(entry, hits);
        append(fallbacks[k], a.fallbacksIn(file, entry, sides, (started[k] as ConceptStart).nameKeys));
      }
      // One file may hold tens of thousands of sink uses: appended one by one, not spread.
      append(sinkUses[k], a.sinkUsesIn(file, entry, aliases, hits));
    });
  }
  return analyzers.map((a, k) => a.finish(started[k] as ConceptStart, fallbacks[k] ?? [], sinkUses[k] ?? []));
}

const NO_FACT_ALIASES: FactAliases = { calls: [], references: [] };

function append<T>(to: T[] | undefined, items: readonly T[]): void {
  if (to) for (const item of items) to.push(item);
}

/** The side candidates of a file with fallback sites. */
function fileSides(entry: FileEntry, hits: FileSinkHits): FileSides {
  const facts = entry.facts;
  // Only items inside some side of some fallback site can matter (see fallbackTargets); skip
  // the others before any resolution (most of a file, and most of the cost).
  const covered = sideCoverage(facts.fallbacks);
  const candidates: SideCandidate[] = [];
  const add = (chain: readonly string[], span: Span, sinks: ChainSinks | undefined, fact: Pick<SideCandidate, "call" | "reference">) => {
    if (!covered(span.start, span.end)) return;
    const lastSegment = chain.at(-1) ?? "";
    const last = lastSegment.endsWith("()") ? lastSegment.slice(0, -2) : lastSegment;
    const norm = normalizeName(last);
    candidates.push({ start: span.start, end: span.end, last, key: norm.key, legacy: norm.legacy, ...(sinks ? { sinks } : {}), ...fact });
  };
  facts.calls.forEach((call, i) => {
    add(call.callee, call.span, hits.calls.get(i), { call });
  });
  facts.references.forEach((reference, i) => {
    add(reference.path, reference.span, hits.references.get(i), { reference });
  });
  return { candidates, covered };
}

/** What a concept's analysis has before the per-file passes (`ConceptAnalyzer.begin`). */
interface ConceptStart {
  nameKeys: Set<string>;
  calls: ClassifiedCall[];
}

/** Computes, for one concept, everything the rules report on. Pure: reads only the model. */
export class ConceptAnalyzer {
  private readonly implByKey = new Map<string, Implementation>();
  private readonly delegateKeys = new Set<string>();
  /** Classes that hold an implementation (an instance of one reaches non-canonical code). */
  private readonly implClassKeys = new Set<string>();
  private readonly implFiles = new Set<string>();
  private readonly canonicalKey: string;
  private readonly canonicalClassKey?: string;
  private readonly sinks: { text: string; pattern: SinkPattern }[];
  /** Each sink's id in the run's `SinkCatalog` (same order as `sinks`; `registerSinks`). */
  private sinkIds: number[] = [];
  private readonly isSinkOwner: (file: string) => boolean;
  /** Raw names of implementations matched by name (a call bearing one is `likely` non-canonical). */
  private readonly implRawNames = new Set<string>();
  /** Raw names of every implementation (calls bearing one are worth resolving). */
  private readonly implAnyNames = new Set<string>();
  /** Languages the concept applies to: the canonical's, plus those with a `delegate` entry. */
  private readonly languages: ReadonlySet<string>;

  constructor(
    private readonly model: ProjectModel,
    private readonly id: string,
    private readonly config: ConceptConfig,
    private readonly canonical: DefRef,
  ) {
    this.canonicalKey = defKey(canonical);
    const cls = canonical.def.className ? model.definition(canonical.file, canonical.def.className) : undefined;
    if (cls) this.canonicalClassKey = defKey({ file: canonical.file, def: cls });
    this.sinks = (config.sinks ?? []).flatMap((text) => {
      const pattern = parseSinkPattern(text);
      return pattern ? [{ text, pattern }] : [];
    });
    const owners = picomatch(config.sinkOwners ?? [], { dot: true });
    // A plain folder (`app/transport`) owns everything below it.
    const ownerDirs = (config.sinkOwners ?? []).filter((g) => !/[*?[\]{}!]/.test(g)).map((d) => d.replace(/\/+$/, ""));
    this.isSinkOwner = (file) =>
      file === canonical.file ||
      ((config.sinkOwners?.length ?? 0) > 0 && owners(file)) ||
      ownerDirs.some((d) => file === d || file.startsWith(`${d}/`));
    const canonicalLanguage = model.entry(canonical.file)?.facts.language ?? "python";
    this.languages = new Set([canonicalLanguage, ...Object.keys(config.delegate ?? {})]);
  }

  /** Production files of the concept's languages. */
  private *files(): Generator<[string, FileEntry]> {
    for (const [file, entry] of this.model.files) if (this.covers(entry)) yield [file, entry];
  }

  get nameKeys(): Set<string> {
    const keys = new Set((this.config.names ?? []).map((n) => normalizeName(n).key));
    keys.add(normalizeName(this.canonical.def.name).key);
    return keys;
  }

  /** The analysis up to the per-file passes: implementations, then the classified call sites. */
  begin(): ConceptStart {
    const nameKeys = this.nameKeys;
    this.prepare(nameKeys);
    return { nameKeys, calls: this.classifyCalls(nameKeys) };
  }

  /** Enters the concept's sinks in the run's catalog (before the per-file passes). */
  registerSinks(catalog: SinkCatalog): void {
    this.sinkIds = this.sinks.map((s) => catalog.id(s.text, s.pattern));
  }

  /** Whether the per-file passes look at this file: a production file of the concept's languages. */
  covers(entry: FileEntry): boolean {
    return !entry.isTest && this.languages.has(entry.facts.language);
  }

  /** The analysis, from `begin` and what the per-file passes found. */
  finish(start: ConceptStart, fallbacks: FallbackHit[], sinkUses: SinkUse[]): ConceptAnalysis {
    const { nameKeys, calls } = start;
    const deprecatedImports = this.findDeprecatedImports();
    return {
      id: this.id,
      config: this.config,
      canonical: this.canonical,
      nameKeys,
      implementations: [...this.implByKey.values()],
      delegates: [...this.delegateKeys].flatMap((k) => {
        const ref = this.delegateRefs.get(k);
        return ref ? [ref] : [];
      }),
      calls,
      fallbacks,
      sinkUses,
      deprecatedImports,
    };
  }

  private readonly delegateRefs = new Map<string, DefRef>();
  private prepared = false;

  /** Finds the implementations (once): the call sites worth classifying depend on their names. */
  private prepare(nameKeys: Set<string>): void {
    if (this.prepared) return;
    this.prepared = true;
    this.findImplementations(nameKeys);
  }

  /**
   * The call sites `analyze` classifies: production files of the concept's languages, whose
   * last callee segment (or the name it aliases) normalizes to a concept name or is an
   * implementation's name. The engine asks the TypeScript checker about the unresolved ones
   * before `analyze` (see `ProjectModel.setCallTargets`).
   */
  candidateCalls(): { file: string; call: CallSite }[] {
    const nameKeys = this.nameKeys;
    this.prepare(nameKeys);
    return [...this.candidates(nameKeys)];
  }

  private *candidates(nameKeys: Set<string>): Generator<{ file: string; call: CallSite }> {
    // Looked up by name in the project's call index instead of a pass over every call: a
    // project has hundreds of thousands, and every concept asks.
    const index = callIndexOf(this.model);
    const sites = new Set<number>();
    const addAll = (list: readonly number[] | undefined): void => {
      if (list) for (const site of list) sites.add(site);
    };
    for (const key of nameKeys) {
      addAll(index.byKey.get(key));
      addAll(index.aliasByKey.get(key));
    }
    for (const raw of this.implAnyNames) {
      addAll(index.byRaw.get(raw));
      addAll(index.aliasByRaw.get(raw));
    }
    // Site numbers follow the project's files and each file's calls: sorted, they are in the
    // order a pass over every call would meet them.
    for (const site of [...sites].sort((a, b) => a - b)) {
      const [file, entry] = index.files[index.siteFile[site] as number] as [string, FileEntry];
      if (!this.covers(entry)) continue;
      yield { file, call: entry.facts.calls[index.siteCall[site] as number] as CallSite };
    }
  }

  // ------------------------------------------------------------ implementations

  private findImplementations(nameKeys: Set<string>): void {
    const canonical = this.canonical.def;
    const wantClass = canonical.kind === "class";
    for (const [file, entry] of this.files()) {
      let testDoubleClasses: Set<string> | undefined;
      for (const def of entry.facts.definitions) {
        if ((def.kind === "class") !== wantClass) continue;
        if (def.signatureOnly) continue;
        // The name and the shape first: most definitions match neither, and each concept looks
        // at every definition of the project.
        const byName = nameKeys.has(normalizeName(def.name).key);
        let similarity: number | undefined;
        if (!byName) {
          similarity = this.cloneSimilarity(def);
          if (similarity === undefined) continue;
        }
        const ref = { file, def };
        if (defKey(ref) === this.canonicalKey) continue;
        testDoubleClasses ??= new Set(
          entry.facts.definitions.filter((d) => d.kind === "class" && TEST_DOUBLE.test(d.name)).map((d) => d.qualifiedName),
        );
        if (TEST_DOUBLE.test(def.name) || (def.className && testDoubleClasses.has(def.className))) continue;
        if (file === this.canonical.file && within(def.span, canonical.span)) continue;
        if (this.isDelegateToCanonical(ref)) {
          this.delegateKeys.add(defKey(ref));
          this.delegateRefs.set(defKey(ref), ref);
          continue;
        }
        const impl: Implementation = byName ? { ref, reason: "name" } : { ref, reason: "clone", similarity: similarity ?? 0 };
        this.implByKey.set(defKey(ref), impl);
        if (byName) this.implRawNames.add(def.name);
        this.implAnyNames.add(def.name);
        this.implFiles.add(file);
        if (def.className) {
          const cls = this.model.definition(file, def.className);
          if (cls) this.implClassKeys.add(defKey({ file, def: cls }));
        }
        if (def.kind === "class") this.implClassKeys.add(defKey(ref));
      }
    }
  }

  private cloneSimilarity(def: Definition): number | undefined {
    const a = this.canonical.def.shape;
    const b = def.shape;
    if (!a || !b || a.size < CLONE_MIN_SIZE || b.size < CLONE_MIN_SIZE) return undefined;
    const ratio = Math.min(a.size, b.size) / Math.max(a.size, b.size);
    if (ratio < 0.75) return undefined;
    const similarity = shapeSimilarity(a, b);
    return similarity >= CLONE_SIMILARITY ? Math.round(similarity * 100) / 100 : undefined;
  }

  /**
   * A thin delegate whose single call reaches the canonical (or, unresolved, bears its name). A
   * legacy-named one counts only when its call resolves: forwarding to some `notify_user` of
   * unknown origin is what a legacy copy may well do.
   */
  private isDelegateToCanonical(ref: DefRef): boolean {
    const index = ref.def.delegateCall;
    if (index === undefined) return false;
    const call = this.model.entry(ref.file)?.facts.calls[index];
    if (!call) return false;
    const target = this.model.resolveCallee(ref.file, call);
    if (target.kind === "def") return defKey(target.ref) === this.canonicalKey;
    const last = call.callee.at(-1);
    if (!last || target.kind === "external" || normalizeName(ref.def.name).legacy) return false;
    const n = normalizeName(last.replace(/\(\)$/, ""));
    return !n.legacy && n.key === normalizeName(this.canonical.def.name).key;
  }

  // ------------------------------------------------------------ call sites

  private classifyCalls(nameKeys: Set<string>): ClassifiedCall[] {
    const result: ClassifiedCall[] = [];
    const canonicalRaw = this.canonical.def.name;
    // The first implementation (in the order they were found) of each name, made when first needed.
    let byName: Map<string, Implementation> | undefined;
    const firstImplNamed = (): Map<string, Implementation> => {
      if (!byName) {
        byName = new Map();
        for (const impl of this.implByKey.values()) if (!byName.has(impl.ref.def.name)) byName.set(impl.ref.def.name, impl);
      }
      return byName;
    };
    for (const { file, call } of this.candidates(nameKeys)) {
      const raw = (call.callee.at(-1) ?? "").replace(/\(\)$/, "");
      const norm = normalizeName(raw);
      const target = this.model.resolveCallee(file, call);
      if (target.kind === "def") {
        const key = defKey(target.ref);
        if (call.enclosing && target.ref.file === file && target.ref.def.qualifiedName === call.enclosing) continue;
        if (key === this.canonicalKey || this.delegateKeys.has(key)) {
          result.push({ file, call, target: "canonical", confidence: "certain" });
        } else {
          const impl = this.implByKey.get(key);
          // The call is resolved, but a clone is only likely an implementation: so is the call.
          if (impl) result.push({ file, call, target: "implementation", implementation: impl.ref, confidence: impl.reason === "clone" ? "likely" : "certain" });
        }
        continue;
      }
      if (target.kind === "external") continue;
      // Unresolved receiver: report on the name only when it cannot be the canonical.
      if ((norm.legacy && nameKeys.has(norm.key)) || (this.implRawNames.has(raw) && raw !== canonicalRaw)) {
        const impl = firstImplNamed().get(raw);
        result.push({ file, call, target: "implementation", ...(impl ? { implementation: impl.ref } : {}), confidence: "likely" });
      }
    }
    return result;
  }

  // ------------------------------------------------------------ fallbacks

  /** The fallback sites of one file (it has some) whose sides reach what they should not. */
  fallbacksIn(file: string, entry: FileEntry, sides: FileSides, nameKeys: Set<string>): FallbackHit[] {
    const hits: FallbackHit[] = [];
    let items: SideItem[] | undefined;
    for (const site of entry.facts.fallbacks) {
      items ??= this.sideItems(file, entry, sides, nameKeys);
      if (items.length === 0) break;
      const targets = this.fallbackTargets(items, site, file);
      if (targets.length > 0) hits.push({ file, site, targets });
    }
    return hits;
  }

  private fallbackTargets(items: SideItem[], site: FallbackSite, file: string): FallbackTarget[] {
    // A non-canonical implementation calling itself (a recursive `mergeValues` inside
    // `mergeValues`) is its own business: `duplicate-implementation` reports the whole of it.
    const isRecursion = (item: SideItem): boolean =>
      item.reachedDef !== undefined && item.reachedDef.file === file && within(site.span, item.reachedDef.def.span);
    const evaluate = (fallback: Range[], primary: Range[]): FallbackTarget[] => {
      const reachedItems = items.filter((i) => i.reaches && !isRecursion(i) && inRanges(i, fallback));
      // `get_router().send()` reaches through both calls; keep the outermost.
      const kept = reachedItems.filter(
        (i) => !reachedItems.some((o) => o !== i && o.start <= i.start && o.end >= i.end && (o.start !== i.start || o.end !== i.end)),
      );
      if (kept.length === 0) return [];
      const reached = kept.map((i) => i.reaches as FallbackTarget);
      const legacyNamed = reached.some((r) => r.kind === "legacy-name");
      // Both sides calling the same copy (`notify(u, "hi") if formal else notify(u, "yo")`) is
      // no fallback: nothing falls back to anything else.
      const reachedDefs = new Set(kept.flatMap((i) => (i.reachedDef ? [defKey(i.reachedDef)] : [])));
      const primaryItems = items.filter((i) => i.touches && inRanges(i, primary) && !(i.reachedDef && reachedDefs.has(defKey(i.reachedDef))));
      if (!legacyNamed && primaryItems.length === 0) return [];
      // An instance of a class that holds a copy is used for much else (`self._pool.put(conn)`,
      // `arg.default(x);`): it makes a fallback only when it is what the side ends with, its value
      // (`self.service or get_router()`, `return OldRouter()`), against the canonical itself.
      if (!legacyNamed && site.kind !== "import-fallback" && kept.every((i) => i.holder)) {
        const isValue = kept.some((i) => fallback.some((r) => r.end === i.end));
        if (!isValue || !primaryItems.some((i) => i.canonical)) return [];
      }
      return reached;
    };
    const direct = evaluate(site.fallback, site.primary);
    if (direct.length > 0 || site.kind !== "conditional") return direct;
    // Either branch of a conditional may be the canonical one; the condition (the first primary
    // range) only decides, it is never the fallback.
    const [condition, ...otherBranch] = site.primary;
    return evaluate(otherBranch, condition ? [condition, ...site.fallback] : site.fallback);
  }

  /** Every call, reference and import inside a fallback side of a file, classified against the concept. */
  private sideItems(file: string, entry: FileEntry, sides: FileSides, nameKeys: Set<string>): SideItem[] {
    const items: SideItem[] = [];
    for (const c of sides.candidates) {
      const span = (c.call ?? c.reference)?.span as Span;
      const item: SideItem = { start: c.start, end: c.end, touches: false };
      if (nameKeys.has(c.key)) {
        item.touches = true;
        // A legacy-named flag (`flags.notify_legacy`) is not code; a call or a function reference is.
        if (c.legacy) {
          const value = this.sideValue(file, c);
          // A legacy-looking alias of the canonical (`mergeValues as mergeValuesV2`) is the canonical.
          if (this.judgeValue(value) === "canonical") item.canonical = true;
          else {
            if (value.kind === "def") item.reachedDef = value.ref;
            if (c.call !== undefined || value.kind === "def") item.reaches = { kind: "legacy-name", label: c.last, span };
          }
        }
      }
      const sink = this.matchSink(c.sinks);
      if (sink) item.reaches ??= { kind: "sink", label: sink, span };
      if (!item.reaches || !item.touches) {
        const verdict = this.judgeValue(this.sideValue(file, c));
        if (verdict === "canonical") {
          item.touches = true;
          item.canonical = true;
        } else if (verdict) {
          // A class that merely holds an implementation (`Decimal` for a `normalize` concept) is
          // used for much else: its instances reach the concept, but do not make the side that
          // uses them one around the concept (`return self if x else Decimal(y)`).
          if (!verdict.holder) item.touches = true;
          if (!item.reaches) {
            item.reaches = { kind: "implementation", label: verdict.label, span, ...(verdict.ref ? { implementation: verdict.ref } : {}) };
            if (verdict.holder) item.holder = true;
          }
          item.reachedDef ??= verdict.ref;
        }
      }
      if (item.touches || item.reaches) items.push(item);
    }
    for (const imp of entry.facts.imports) {
      if (!sides.covered(imp.span.start, imp.span.end)) continue;
      const item: SideItem = { start: imp.span.start, end: imp.span.end, touches: false };
      const deprecated = this.deprecatedModuleOf(file, imp);
      const target = this.model.importedFile(file, imp);
      if (deprecated) item.reaches = { kind: "deprecated-module", label: deprecated, span: imp.span };
      else if (target && this.implFiles.has(target) && target !== this.canonical.file) {
        item.reaches = { kind: "implementation", label: imp.module, span: imp.span };
        // A module that holds a copy is reached through it only when an imported name is one
        // (`from .sharer import BUFSIZE` is not); otherwise it is held, like an instance.
        const module: Value = { kind: "module", file: target };
        const direct = imp.names.some((n) => {
          if (n.imported === "*") return false;
          const verdict = this.judgeValue(this.model.member(module, n.imported));
          return typeof verdict === "object" && !verdict.holder;
        });
        if (!direct) item.holder = true;
      }
      if (target === this.canonical.file || deprecated) item.touches = true;
      for (const n of imp.names) {
        const norm = normalizeName(n.imported === "*" ? n.local : n.imported);
        if (nameKeys.has(norm.key)) {
          item.touches = true;
          if (norm.legacy) item.reaches ??= { kind: "legacy-name", label: n.imported, span: imp.span };
        }
      }
      if (item.touches || item.reaches) items.push(item);
    }
    return items.sort((a, b) => a.start - b.start);
  }

  /**
   * What a side candidate denotes for this concept: a call's callee when it is the canonical side
   * or an implementation, else what the call returns; a reference's path. Resolved once per
   * candidate, whichever concept asks first.
   */
  private sideValue(file: string, c: SideCandidate): Value {
    if (c.call) {
      c.callee ??= this.model.resolveCallee(file, c.call);
      if (this.judgeValue(c.callee)) return c.callee;
      c.result ??= this.model.callResult(c.callee);
      return c.result;
    }
    const reference = c.reference as Reference;
    c.path ??= this.model.resolvePath(file, reference.path, reference.enclosing);
    return c.path;
  }

  /**
   * Whether a value is the canonical side, a non-canonical implementation, or neither. `holder`:
   * the value is a class that holds an implementation without being one, or an instance of it.
   */
  private judgeValue(v: Value): "canonical" | { label: string; ref?: DefRef; holder?: true } | undefined {
    if (v.kind === "def") {
      const key = defKey(v.ref);
      if (key === this.canonicalKey || this.delegateKeys.has(key) || key === this.canonicalClassKey) return "canonical";
      if (this.implByKey.has(key)) return { label: v.ref.def.qualifiedName, ref: v.ref };
      if (this.implClassKeys.has(key)) return { label: v.ref.def.qualifiedName, holder: true };
    }
    if (v.kind === "instance") {
      // A subclass that inherits a non-canonical implementation reaches it too.
      for (const cls of this.model.ancestors(v.cls)) {
        const key = defKey(cls);
        if (key === this.canonicalClassKey) return "canonical";
        if (this.implClassKeys.has(key)) return { label: `${v.cls.def.qualifiedName} instance`, ...(this.implByKey.has(key) ? {} : { holder: true as const }) };
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------ sinks

  /**
   * The concept's first sink (in its order) that a chain matches as written, else through its
   * alias chains (`ProjectModel.factAliasChains`) in turn; `sinks` says which patterns match each.
   */
  private matchSink(sinks: ChainSinks | undefined): string | undefined {
    if (!sinks || this.sinks.length === 0) return undefined;
    for (const matched of [sinks.raw, ...sinks.aliases]) {
      if (matched.length === 0) continue;
      for (let k = 0; k < this.sinks.length; k++) if (matched.includes(this.sinkIds[k] as number)) return this.sinks[k]?.text;
    }
    return undefined;
  }

  /**
   * `E = os.environ` only names the sink (uses of `E` are reported); `token = env.API_TOKEN`
   * reads through it and is a use.
   */
  private isSinkAliasDefinition(bindings: readonly Binding[], ref: Reference, aliases: readonly (readonly string[])[] = []): boolean {
    const isAliasValue = bindings.some(
      (b) => b.value.kind === "alias" && ref.span.start >= b.span.start && ref.span.end <= b.span.end && b.value.path.join(".") === ref.path.join("."),
    );
    if (!isAliasValue) return false;
    const chains = [ref.path, ...aliases];
    return this.sinks.some((s) => chains.some((c) => matchesSinkPrefix(s.pattern, c, true)));
  }

  /** The direct uses of the concept's sinks in one file (none in the sinks' owners). */
  sinkUsesIn(file: string, entry: FileEntry, aliases: FactAliases, hits: FileSinkHits): SinkUse[] {
    if (this.sinks.length === 0 || this.isSinkOwner(file)) return [];
    const uses: SinkUse[] = [];
    // `requests.get(url).json().get(k)` is three calls starting where the expression starts, and
    // each matches `requests.get`: one use of the sink, the innermost (shortest chain).
    const byStart = new Map<string, number>();
    const add = (use: SinkUse): void => {
      const key = `${use.span.start}:${use.pattern}`;
      const seen = byStart.get(key);
      if (seen === undefined) {
        byStart.set(key, uses.length);
        uses.push(use);
      } else if (use.chain.length < (uses[seen] as SinkUse).chain.length) uses[seen] = use;
    };
    const facts = entry.facts;
    // Only the calls and references that match some concept's sink (`hits`), in file order.
    for (const [i, sinks] of hits.calls) {
      const call = facts.calls[i] as CallSite;
      const pattern = this.matchSink(sinks);
      if (pattern) add({ file, span: call.span, chain: call.callee, pattern, isCall: true, ...(call.enclosing ? { enclosing: call.enclosing } : {}) });
    }
    for (const [i, sinks] of hits.references) {
      const ref = facts.references[i] as Reference;
      const pattern = this.matchSink(sinks);
      if (pattern && this.isSinkAliasDefinition(facts.bindings, ref, aliases.references[i])) continue;
      if (pattern) add({ file, span: ref.span, chain: ref.path, pattern, isCall: false, ...(ref.enclosing ? { enclosing: ref.enclosing } : {}) });
    }
    return uses;
  }

  // ------------------------------------------------------------ deprecated modules

  /** The configured deprecated module an import reads from, if any. */
  deprecatedModuleOf(file: string, imp: ImportFact): string | undefined {
    const deprecated = this.config.deprecatedModules ?? [];
    if (deprecated.length === 0) return undefined;
    const entry = this.model.entry(file);
    if (!entry) return undefined;
    const target = this.model.importedFile(file, imp);
    if (entry.facts.language === "python") {
      const module = this.model.absolutePythonModule(file, imp);
      const candidates = [module, ...imp.names.filter((n) => n.imported !== "*").map((n) => pythonSubmodule(module, n.imported))];
      const targetModule = target ? this.model.importName(target) : undefined;
      if (targetModule) candidates.push(targetModule);
      // `from .. import legacy` names a submodule of the target package.
      if (targetModule !== undefined) candidates.push(...imp.names.filter((n) => n.imported !== "*").map((n) => `${targetModule}.${n.imported}`));
      return deprecated.find((d) => candidates.some((c) => withinPythonModule(c, d)));
    }
    const specifier = imp.module.replace(/^node:/, "");
    return deprecated.find((d) => {
      if (specifier === d || specifier.startsWith(`${d}/`)) return true;
      if (!target) return false;
      // Root-relative paths: a file (`src/legacy/router.ts`), a folder (`src/legacy`), or a glob.
      const path = d.replace(/^\.\//, "").replace(/\/\*\*$/, "");
      if (/[*?{[]/.test(path)) return picomatch(d.replace(/^\.\//, ""))(target);
      if (target === path || target.startsWith(`${path}/`)) return true;
      if (target.replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "") === path.replace(/\.[cm]?[jt]sx?$/, "")) return true;
      return target.replace(/\.[cm]?[jt]sx?$/, "") === d.replaceAll(".", "/");
    });
  }

  private findDeprecatedImports(): DeprecatedImport[] {
    const result: DeprecatedImport[] = [];
    for (const [file, entry] of this.files()) {
      for (const imp of entry.facts.imports) {
        const module = this.deprecatedModuleOf(file, imp);
        if (!module) continue;
        // The deprecated module's own files are going away with it.
        if (this.model.importedFile(file, imp) === file) continue;
        if (this.isOwnDeprecatedFile(file, module)) continue;
        result.push({ file, fact: imp, module });
      }
    }
    return result;
  }

  private isOwnDeprecatedFile(file: string, module: string): boolean {
    const entry = this.model.entry(file);
    if (entry?.moduleName) return entry.moduleName === module || entry.moduleName.startsWith(`${module}.`);
    return false;
  }
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end && !(inner.start === outer.start && inner.end === outer.end);
}

function inRanges(item: { start: number; end: number }, ranges: readonly Range[]): boolean {
  return ranges.some((r) => item.start >= r.start && item.end <= r.end);
}

/**
 * A test for "lies within some primary or fallback range of these sites" (what `inRanges` asks
 * of each site), answered by binary search over the ranges sorted by start with the running
 * maximum of their ends.
 */
function sideCoverage(sites: readonly FallbackSite[]): (start: number, end: number) => boolean {
  const ranges = sites.flatMap((s) => [...s.primary, ...s.fallback]).sort((a, b) => a.start - b.start);
  const starts = ranges.map((r) => r.start);
  const maxEnd: number[] = [];
  let max = -1;
  for (const r of ranges) {
    max = Math.max(max, r.end);
    maxEnd.push(max);
  }
  return (start, end) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && (maxEnd[found] ?? -1) >= end;
  };
}


/**
 * Every call site of a project (with a callee name) by the names `candidates` looks for: its
 * callee's last name, normalized and raw, and — for a one-segment callee that is a local alias
 * (`legacy_send(to)` after `from old import send_email_old as legacy_send`) — the aliased name,
 * normalized and raw. Sites are numbered in the order of the project's files and their calls.
 */
interface CallIndex {
  files: [string, FileEntry][];
  /** Per site: its file's index in `files`. */
  siteFile: number[];
  /** Per site: its index in that file's calls. */
  siteCall: number[];
  byKey: Map<string, number[]>;
  byRaw: Map<string, number[]>;
  aliasByKey: Map<string, number[]>;
  aliasByRaw: Map<string, number[]>;
}

const callIndexes = new WeakMap<ProjectModel, CallIndex>();

/** The model's call index, built on first use (the model's files do not change after it is built). */
function callIndexOf(model: ProjectModel): CallIndex {
  const known = callIndexes.get(model);
  if (known) return known;
  const index: CallIndex = { files: [], siteFile: [], siteCall: [], byKey: new Map(), byRaw: new Map(), aliasByKey: new Map(), aliasByRaw: new Map() };
  const add = (map: Map<string, number[]>, name: string, site: number): void => {
    const list = map.get(name);
    if (list) list.push(site);
    else map.set(name, [site]);
  };
  for (const [file, entry] of model.files) {
    const f = index.files.push([file, entry]) - 1;
    const calls = entry.facts.calls;
    let aliases: ((local: string) => string | undefined) | undefined;
    for (let i = 0; i < calls.length; i++) {
      const callee = (calls[i] as CallSite).callee;
      const last = callee.at(-1);
      if (!last) continue;
      const raw = last.endsWith("()") ? last.slice(0, -2) : last;
      const site = index.siteFile.push(f) - 1;
      index.siteCall.push(i);
      add(index.byKey, normalizeName(raw).key, site);
      add(index.byRaw, raw, site);
      if (callee.length !== 1) continue;
      aliases ??= localAliases(model, file, entry);
      const original = aliases(raw);
      if (!original) continue;
      add(index.aliasByKey, normalizeName(original).key, site);
      add(index.aliasByRaw, original, site);
    }
  }
  callIndexes.set(model, index);
  return index;
}

/**
 * The name a file's local name stands for, if another: `from m import a as b`,
 * `const { a: b } = require(…)`, `b = a`, `const b = ns.a`, and — resolved through the project
 * when first asked — a default import (`import b from "./m"`, whose module default-exports `a`)
 * or a name its module re-exports under another (`export { a as b } from "./legacy"`).
 */
function localAliases(model: ProjectModel, file: string, entry: FileEntry): (local: string) => string | undefined {
  const aliases = new Map<string, string>();
  const imported = new Map<string, { imp: ImportFact; name: string }>();
  for (const imp of entry.facts.imports) {
    for (const n of imp.names) {
      if (n.imported === "*") continue;
      if (n.imported !== n.local && n.imported !== "default") aliases.set(n.local, n.imported);
      imported.set(n.local, { imp, name: n.imported });
    }
  }
  for (const b of entry.facts.bindings) {
    const [target] = b.target;
    const last = b.value.kind === "alias" ? b.value.path.at(-1) : undefined;
    if (b.target.length === 1 && target && last && last !== target) aliases.set(target, last.replace(/\(\)$/, ""));
  }
  const resolved = new Map<string, string | undefined>();
  return (local) => {
    const alias = aliases.get(local);
    if (alias !== undefined) return alias;
    if (resolved.has(local)) return resolved.get(local);
    let original: string | undefined;
    const via = imported.get(local);
    const target = via ? model.importedFile(file, via.imp) : undefined;
    if (via && target && target !== file) {
      const value = model.member({ kind: "module", file: target }, via.name);
      if (value.kind === "def" && value.ref.def.name !== local) original = value.ref.def.name;
    }
    resolved.set(local, original);
    return original;
  };
}

/** `pkg.legacy.router` lies within `pkg.legacy`. */
function withinPythonModule(module: string, deprecated: string): boolean {
  return module === deprecated || module.startsWith(`${deprecated}.`);
}
