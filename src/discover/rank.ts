/**
 * Turns a draft into a ranked candidate: its suggested canonical (and why), its evidence in
 * words, and its score.
 *
 * Score (higher = stronger case; see README "Discovery"):
 *
 *   score = specificity · polymorphism · ( kind + modules + likeness + words + calls + fallbacks + delegation )
 *
 *   kind         class 2, family 2, same-name 1, clone 1, fallback 0
 *   modules      3 · log2(modules), at most 6 (4 modules): dozens of modules mean a convention, not a copy
 *   likeness     6 · mean body similarity of the others to the canonical above what unrelated code
 *                reaches (0.25), each weighted by body size up to 80 shape tokens (tiny bodies look alike)
 *   words        1.5 per legacy/deprecated/adapter mark in names and docstrings (not a stand-in word
 *                every member's name carries, as in `DatabaseWrapper`) + 2 per SSOT claim, at most 6
 *   calls        log2(1 + call sites whose callee's last name matches) / 2, at most 2
 *   fallbacks    4 per fallback site around it, at most 8
 *   delegation   1.5 per definition delegating to the canonical, at most 3 — only with words or fallbacks
 *   specificity  0.6 for one-word names, 0.85 for two words, 1 for three or more
 *   polymorphism members / (members + overrides / 2): definitions of the name left out as overrides
 *                of an inherited contract say the name is a protocol (`as_sql`)
 */
import type { CallSite, Definition } from "../facts/types.js";
import { type DefRef, defKey } from "../model/types.js";
import { normalizeName } from "../util/names.js";
import { shapeSimilarity } from "../util/shape.js";
import { CLONE_MIN_SIZE, CLONE_SIMILARITY } from "./clones.js";
import { type Draft, moduleCount } from "./clusters.js";
import { hasLeftoverAffix, legacyMark } from "./fallbacks.js";
import type { Candidate, CandidateLocation } from "./types.js";
import { type DiscoveryView, calleeName, encloses } from "./view.js";
import { STAND_IN_WORDS, familyName, ssotClaimIn, wordsOf } from "./vocabulary.js";
import { compareText, plural } from "../util/text.js";

const KIND_WEIGHT: Record<Candidate["kind"], number> = { class: 2, family: 2, "same-name": 1, clone: 1, fallback: 0 };

/** Mean body similarity below this is not worth a line of evidence. */
const SHOWN_SIMILARITY = 0.3;
/** Body similarity that unrelated code of one language reaches anyway (shared idioms): likeness counts above it. */
const UNRELATED_SIMILARITY = 0.25;
/** Bodies of this many shape tokens (about ten lines) or more count fully as evidence of copying; boilerplate is smaller. */
const SUBSTANTIAL_SIZE = 80;

/** Receiver names: `self.x()` / `this.x()` reach members of the enclosing class only. */
const RECEIVERS = new Set(["self", "this", "cls"]);

/** What the call sites say about each member, by member key. */
interface CallLinks {
  delegators: Map<string, Map<string, string>>;
  preferredBy: Map<string, Map<string, string>>;
  callers: Map<string, number>;
}

interface MemberFacts {
  ref: DefRef;
  /** Why it is marked as a legacy copy or a stand-in, if it is. */
  mark?: string;
  /** Definitions that hand their work to it (thin delegates, other members calling it), by key → label. */
  delegators: Map<string, string>;
  /** Fallback sites outside the candidate that keep it as their primary side, by site → label. */
  preferredBy: Map<string, string>;
  /** The SSOT phrase and where it was said. */
  claim?: { phrase: string; where: string };
  callers: number;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

export function compareRefs(a: DefRef, b: DefRef): number {
  return compareText(a.file, b.file) || a.def.span.line - b.def.span.line || compareText(a.def.qualifiedName, b.def.qualifiedName);
}

/** A definition in prose: `Class.method`, or `function (in file.py)` for module-level functions. */
function label(ref: DefRef): string {
  const qn = ref.def.qualifiedName;
  return ref.def.kind !== "function" || qn.includes(".") ? qn : `${qn} (in ${ref.file.slice(ref.file.lastIndexOf("/") + 1)})`;
}

export function location(ref: DefRef): CandidateLocation {
  return { file: ref.file, line: ref.def.span.line, symbol: ref.def.qualifiedName };
}

/** Writes a normalized key in the style of a sample name (snake, Pascal or camel case). */
function renderKey(key: string, sample: string): string {
  const words = key.split("_").filter(Boolean);
  if (sample.includes("_") || /^[a-z0-9]+$/.test(sample)) return key;
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const pascal = words.map(cap).join("");
  return /^[A-Z]/.test(sample) ? pascal : pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** The most common spelling, ties broken alphabetically. */
function mostCommon(names: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]?.[0];
}

export class Ranker {
  constructor(private readonly view: DiscoveryView) {}

  /**
   * Namesakes with nothing but their name in common and different one-line bodies
   * (`get_source_expressions()` returning `[]`, `[self.lhs]` and `list(self.children)` on three
   * unrelated classes): no copy worth consolidating, unless legacy/SSOT words, fallbacks or
   * delegation say otherwise.
   */
  isTrivial(draft: Draft): boolean {
    if (draft.kind !== "same-name" && draft.kind !== "class") return false;
    if (draft.signals.length > 0 || draft.delegates.length > 0 || draft.copies.size > 0) return false;
    if (draft.members.some((m) => (m.def.shape?.size ?? 0) >= CLONE_MIN_SIZE)) return false;
    // A one-liner copied verbatim is still a copy.
    const [first, ...rest] = draft.members.map((m) => m.def.shape);
    if (first && rest.some((b) => b && (b.hash === first.hash || shapeSimilarity(first, b) >= CLONE_SIMILARITY))) return false;
    return draft.members.every((m) => {
      const cls = this.view.classOf(m);
      return (
        !legacyMark(this.view, m) && !ssotClaimIn(m.def.doc) && !ssotClaimIn(cls?.def.doc) && !ssotClaimIn(this.view.moduleDoc(m.file))
      );
    });
  }

  rank(draft: Draft): Omit<Candidate, "rank"> {
    const members = [...draft.members].sort(compareRefs);
    const links = this.callLinks(draft, members);
    // A stand-in word every member's name carries (`DatabaseWrapper` in each backend) names the capability, not a stand-in.
    const nameWords = members.map((m) => new Set([m.def.name, this.view.classOf(m)?.def.name ?? ""].flatMap((n) => wordsOf(n))));
    const shared = new Set([...(nameWords[0] ?? [])].filter((w) => nameWords.every((ws) => ws.has(w))));
    const facts = members.map((m) => this.memberFacts(m, links, shared));
    const { chosen, why } = this.chooseCanonical(facts);
    const canonical = chosen.ref;
    const name = this.nameOf(draft, members, canonical);
    const evidence: string[] = [];
    const push = (s: string) => {
      if (!evidence.includes(s)) evidence.push(s);
    };

    const modules = moduleCount(members);
    push(plural(modules, "module"));

    // Body similarity of the others to the canonical.
    const sims: number[] = [];
    // Tiny bodies (`return "Searching…"`, `pass`) look alike whatever they do: their likeness weighs less.
    const weighted: number[] = [];
    for (const m of members) {
      if (m === canonical) continue;
      const a = canonical.def.shape;
      const b = m.def.shape;
      const sim = a && b ? shapeSimilarity(a, b) : 0;
      sims.push(sim);
      weighted.push(a && b ? sim * Math.min(1, Math.min(a.size, b.size) / SUBSTANTIAL_SIZE) : 0);
    }
    const mean = (xs: readonly number[]) => (xs.length > 0 ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
    const meanSim = mean(sims);
    const likeness = Math.max(0, (mean(weighted) - UNRELATED_SIMILARITY) / (1 - UNRELATED_SIMILARITY));
    if (meanSim >= SHOWN_SIMILARITY) push(`bodies ${pct(meanSim)} similar`);
    for (const m of members) {
      const a = canonical.def.shape;
      const b = m.def.shape;
      const sim = draft.kind === "clone" && m !== canonical && a && b ? shapeSimilarity(a, b) : draft.copies.get(defKey(m));
      if (sim !== undefined) push(`renamed copy ${m.def.qualifiedName} (body ${pct(sim)} similar)`);
    }
    if (draft.kind === "family") {
      const variants = members
        .map((m) => ({ name: m.def.name, markers: familyName(m.def.name, draft.isClass).markers }))
        .filter((v) => v.markers.length > 0)
        .map((v) => `${v.name} (${v.markers.join(", ")})`);
      push(`variants: ${[...new Set(variants)].join(", ")}`);
    }

    let words = 0;
    for (const f of facts) {
      if (f.mark) {
        push(f.mark);
        words += 1.5;
      }
    }
    for (const s of draft.signals) {
      if (s.source === "name" && !evidence.includes(s.text)) {
        push(s.text);
        words += 1.5;
      }
    }
    for (const f of facts) {
      if (f.claim) {
        push(`${f.claim.where} says '${f.claim.phrase}'`);
        words += 2;
      }
    }
    words = Math.min(6, words);

    const sites = new Set<string>();
    for (const s of draft.signals) {
      if (s.source !== "site") continue;
      sites.add(`${s.file}:${s.line}`);
      push(s.text);
    }
    for (const n of draft.notes) push(n);

    const delegating = chosen.delegators.size;
    if (delegating > 0)
      push(`${plural(delegating, "definition")} ${delegating === 1 ? "delegates" : "delegate"} to ${canonical.def.qualifiedName}`);

    const keys = new Set(members.map((m) => normalizeName(m.def.name).key));
    let callSites = 0;
    for (const k of keys) callSites += this.view.callsNamed(k).length;
    if (callSites > 0) push(plural(callSites, "call site"));

    const specificityKey = draft.familyKey ?? normalizeName(name).key;
    const wordCount = specificityKey.split("_").filter(Boolean).length;
    const specificity = wordCount <= 1 ? 0.6 : wordCount === 2 ? 0.85 : 1;
    // A name most of whose definitions override an inherited one is a polymorphic protocol (`as_sql`).
    const polymorphism = members.length / (members.length + draft.overrides / 2);
    if (draft.overrides > members.length)
      push(`${plural(draft.overrides, "other definition")} of the name ${draft.overrides === 1 ? "is an override" : "are overrides"}`);
    const raw =
      KIND_WEIGHT[draft.kind] +
      Math.min(6, 3 * Math.log2(Math.max(1, modules))) +
      6 * likeness +
      words +
      Math.min(2, Math.log2(1 + callSites) / 2) +
      Math.min(8, 4 * sites.size) +
      // A namesake calling another (`EmailMessage.get_connection` → `get_connection()`) is a client,
      // unless legacy/SSOT words or fallbacks say a migration is under way.
      (words > 0 || sites.size > 0 ? Math.min(3, 1.5 * delegating) : 0);

    return {
      kind: draft.kind,
      name,
      score: round2(specificity * polymorphism * raw),
      definitions: members.map(location),
      suggestedCanonical: { ...location(canonical), why },
      evidence,
    };
  }

  private nameOf(draft: Draft, members: readonly DefRef[], canonical: DefRef): string {
    const sample = canonical.def.name;
    switch (draft.kind) {
      case "family": {
        const key = draft.familyKey ?? "";
        const plain = members.filter((m) => familyName(m.def.name, draft.isClass).markers.length === 0).map((m) => m.def.name);
        return mostCommon(plain) ?? renderKey(key, sample);
      }
      case "same-name":
      case "class": {
        const plain = members.filter((m) => !hasLeftoverAffix(m.def.name)).map((m) => m.def.name);
        return mostCommon(plain) ?? mostCommon(members.map((m) => m.def.name)) ?? sample;
      }
      case "clone":
        return sample;
      case "fallback":
        return hasLeftoverAffix(sample) ? renderKey(normalizeName(sample).key, sample) : sample;
    }
  }

  // ------------------------------------------------------------------ canonical

  /**
   * The definition to keep: among those not marked legacy or stand-in (when there are any), the
   * one most others delegate to; else one whose docstring or module calls itself the SSOT /
   * canonical; else the one with most resolved callers; else the first by path.
   */
  private chooseCanonical(facts: MemberFacts[]): { chosen: MemberFacts; why: string } {
    const unmarked = facts.filter((f) => !f.mark);
    const pool = unmarked.length > 0 ? unmarked : facts;
    const support = (f: MemberFacts) => f.delegators.size + f.preferredBy.size;
    const sorted = [...pool].sort(
      (a, b) =>
        support(b) - support(a) ||
        Number(Boolean(b.claim)) - Number(Boolean(a.claim)) ||
        b.callers - a.callers ||
        compareRefs(a.ref, b.ref),
    );
    const chosen = sorted[0] ?? facts[0];
    if (!chosen) throw new Error("internal: a discovery candidate without definitions");
    const reasons: string[] = [];
    if (chosen.delegators.size > 0) {
      const labels = [...chosen.delegators.values()].sort();
      const shown = labels.slice(0, 3).join(", ") + (labels.length > 3 ? ", …" : "");
      reasons.push(`${plural(labels.length, "definition")} already ${labels.length === 1 ? "delegates" : "delegate"} to it (${shown})`);
    }
    if (chosen.preferredBy.size > 0) {
      const labels = [...chosen.preferredBy.values()].sort();
      reasons.push(
        `it is the primary side of ${labels.length === 1 ? "the fallback" : "the fallbacks"} ${labels.slice(0, 3).join(", ")}${labels.length > 3 ? ", …" : ""}`,
      );
    }
    if (chosen.claim) reasons.push(`its ${chosen.claim.where.replace(/ of .*$/, "")} says '${chosen.claim.phrase}'`);
    if (chosen.callers > 0) reasons.push(`${plural(chosen.callers, "call site")} ${chosen.callers === 1 ? "resolves" : "resolve"} to it`);
    const marked = facts.length - unmarked.length;
    if (unmarked.length > 0 && marked > 0) {
      const who =
        unmarked.length === 1
          ? marked === 1
            ? "the other is"
            : "the others are"
          : `${marked} of the others ${marked === 1 ? "is" : "are"}`;
      reasons.push(`${who} marked legacy or stand-in`);
    }
    if (reasons.length === 0)
      reasons.push(pool.length === 1 ? "the only definition not marked legacy" : "nothing else to go by: the first by path");
    if (facts.length === 1) return { chosen, why: "the only definition; nothing non-legacy to keep" };
    return { chosen, why: reasons.join("; ") };
  }

  private memberFacts(ref: DefRef, links: CallLinks, shared: ReadonlySet<string>): MemberFacts {
    const cls = this.view.classOf(ref);
    const standIn = [ref.def.name, cls?.def.name ?? ""].flatMap((n) => wordsOf(n)).find((w) => STAND_IN_WORDS.has(w) && !shared.has(w));
    const mark = legacyMark(this.view, ref) ?? (standIn ? `${standIn} name ${ref.def.qualifiedName}` : undefined);
    const claimDoc = ssotClaimIn(ref.def.doc);
    const claimClass = cls ? ssotClaimIn(cls.def.doc) : undefined;
    const claimModule = ssotClaimIn(this.view.moduleDoc(ref.file));
    const claim = claimDoc
      ? { phrase: claimDoc, where: `docstring of ${ref.def.qualifiedName}` }
      : claimClass && cls
        ? { phrase: claimClass, where: `docstring of ${cls.def.qualifiedName}` }
        : claimModule
          ? { phrase: claimModule, where: `module docstring of ${ref.file}` }
          : undefined;
    const key = defKey(ref);
    return {
      ref,
      ...(mark ? { mark } : {}),
      delegators: links.delegators.get(key) ?? new Map(),
      preferredBy: links.preferredBy.get(key) ?? new Map(),
      ...(claim ? { claim } : {}),
      callers: links.callers.get(key) ?? 0,
    };
  }

  /**
   * One pass over the production call sites named like the members (their own names and import
   * aliases; for classes also their methods' names, inside member files only): each is resolved
   * once and credited to the member it reaches — as a caller, or, when it sits in another member,
   * as that member delegating to it. Same-named thin delegates and fallback sites add to the
   * delegation.
   */
  private callLinks(draft: Draft, members: readonly DefRef[]): CallLinks {
    const links: CallLinks = { delegators: new Map(), preferredBy: new Map(), callers: new Map() };
    // Definitions are the facts' own objects, so identity is a cheaper key than `defKey` here.
    const owner = new Map<Definition, DefRef>();
    const ownNames = new Set<string>();
    const methodNames = new Set<string>();
    const membersByFile = new Map<string, DefRef[]>();
    for (const m of members) {
      owner.set(m.def, m);
      ownNames.add(m.def.name);
      for (const alias of this.view.importAliases(m.def.name)) ownNames.add(alias);
      const inFile = membersByFile.get(m.file);
      if (inFile) inFile.push(m);
      else membersByFile.set(m.file, [m]);
      if (m.def.kind !== "class") continue;
      for (const d of this.view.facts(m.file)?.definitions ?? []) {
        if (d.className !== m.def.qualifiedName) continue;
        owner.set(d, m);
        methodNames.add(d.name);
      }
    }
    const delegate = (target: DefRef, from: DefRef) => {
      const k = defKey(target);
      const map = links.delegators.get(k) ?? new Map<string, string>();
      map.set(defKey(from), label(from));
      links.delegators.set(k, map);
    };
    const memberAround = (file: string, enclosing: string | undefined) =>
      membersByFile.get(file)?.find((m) => encloses(m, file, enclosing));

    const credit = (file: string, call: CallSite) => {
      const t = this.view.callTarget(file, call);
      const reached = t ? owner.get(t.def) : undefined;
      if (!t || !reached) return;
      const around = memberAround(file, call.enclosing);
      if (around === reached) return;
      if (around) delegate(reached, around);
      if (t.def === reached.def) links.callers.set(defKey(reached), (links.callers.get(defKey(reached)) ?? 0) + 1);
    };
    // Calls under the members' own names (and aliases), anywhere in production code. A bare
    // `name()` cannot reach a method, nor `self.name()` a module-level function: those are not resolved.
    const hasMethods = members.some((m) => m.def.kind === "method");
    const hasTopLevel = members.some((m) => m.def.kind !== "method");
    for (const key of new Set([...ownNames].map((n) => normalizeName(n).key))) {
      for (const { file, call, name } of this.view.callsNamed(key)) {
        if (!ownNames.has(name)) continue;
        const bare = call.callee.length === 1;
        if (bare ? !hasTopLevel : !hasMethods && RECEIVERS.has(call.callee[0] ?? "")) continue;
        credit(file, call);
      }
    }
    // Calls to member classes' methods only matter inside other members (delegation): scan member files alone.
    if (methodNames.size > 0) {
      for (const file of membersByFile.keys()) {
        if (this.view.isTest(file)) continue;
        for (const call of this.view.facts(file)?.calls ?? []) {
          const name = calleeName(call);
          if (name !== undefined && methodNames.has(name) && !ownNames.has(name) && memberAround(file, call.enclosing)) credit(file, call);
        }
      }
    }
    // Same-named thin delegates (left out of the members) that forward to a member, or to one of its methods.
    for (const d of draft.delegates) {
      const reached = d.target ? owner.get(d.target.def) : undefined;
      if (reached) delegate(reached, memberAround(d.ref.file, d.ref.def.qualifiedName) ?? d.ref);
    }
    // Fallback sites that keep a member as their primary side: inside another member, that member delegates to it.
    for (const s of draft.signals) {
      if (s.source !== "site") continue;
      for (const p of s.primary) {
        const reached = owner.get(p.def);
        if (!reached) continue;
        const around = s.enclosing ? memberAround(s.enclosing.file, s.enclosing.def.qualifiedName) : undefined;
        if (around === reached) continue;
        if (around) delegate(reached, around);
        else {
          const map = links.preferredBy.get(defKey(reached)) ?? new Map<string, string>();
          map.set(`${s.file}:${s.line}`, s.site);
          links.preferredBy.set(defKey(reached), map);
        }
      }
    }
    return links;
  }
}
