/**
 * Zero-config discovery: ranked SSOT candidates computed from the project model alone.
 *
 *   eligible definitions → name clusters (same-name, class, family) → clone groups (LSH) merged
 *   in → method clusters folded into their class cluster → fallback signals attached (or kept
 *   as `fallback` candidates) → canonical, evidence and score → ranked.
 *
 * Every step is a pass over definitions, hashed by name or by MinHash band; nothing compares
 * all pairs.
 */
import type { ProjectModel } from "../model/project.js";
import { type DefRef, defKey } from "../model/types.js";
import { normalizeName } from "../util/names.js";
import { type Draft, absorbMethodClusters, mergeClones, nameClusters, newDraft } from "./clusters.js";
import { FallbackScanner, type FallbackSignal } from "./fallbacks.js";
import { Ranker, compareRefs } from "./rank.js";
import type { Candidate } from "./types.js";
import { UnionFind } from "./union-find.js";
import { DiscoveryView } from "./view.js";

export type { Candidate, CandidateKind, CandidateLocation, DiscoveryReport, SuggestedCanonical } from "./types.js";

export interface DiscoveryStats {
  /** Definitions that could take part in a candidate. */
  eligible: number;
  /** Similarity checks made by the clone clustering. */
  comparisons: number;
  /** Call sites resolved through the model (delegation, callers, fallback targets). */
  resolutions: number;
  /** CPU milliseconds per phase (user + system, so other processes do not inflate them). */
  phases: { eligible: number; names: number; clones: number; fallbacks: number; rank: number };
}

export interface Discovery {
  /** Best first. */
  candidates: Candidate[];
  stats: DiscoveryStats;
}

const KIND_ORDER: Record<Candidate["kind"], number> = { "same-name": 0, class: 1, family: 2, clone: 3, fallback: 4 };

/** Runs discovery over a project model. Candidates without a definition under the requested paths are left out. */
export function discoverCandidates(model: ProjectModel): Discovery {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let mark = cpu();
  const lap = () => {
    const now = cpu();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  const view = new DiscoveryView(model);
  const { callables, classes } = view.eligibleDefinitions();
  const eligibleMs = lap();
  const { drafts, excluded } = nameClusters(view, callables, classes);
  const namesMs = lap();
  const { comparisons } = mergeClones(drafts, callables, excluded);
  let all = absorbMethodClusters(view, drafts);
  const clonesMs = lap();

  const byName = new Map<string, DefRef[]>();
  for (const ref of [...callables, ...classes].sort(compareRefs)) {
    if (excluded.has(defKey(ref))) continue;
    const key = normalizeName(ref.def.name).key;
    const list = byName.get(key);
    if (list) list.push(ref);
    else byName.set(key, [ref]);
  }
  const eligible = new Set([...byName.values()].flat().map(defKey));
  const signals = new FallbackScanner(view, byName).scan();
  all = [...all, ...attachSignals(all, signals, eligible)];
  const fallbacksMs = lap();

  const ranker = new Ranker(view);
  const ranked = all
    .filter((d) => d.members.some((m) => view.isReported(m.file)) && !ranker.isTrivial(d))
    .map((d) => ranker.rank(d))
    .sort(
      (a, b) =>
        b.score - a.score ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        compareLocation(a.definitions[0], b.definitions[0]) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
    )
    .map((c, i): Candidate => ({ rank: i + 1, ...c }));
  const phases = { eligible: eligibleMs, names: namesMs, clones: clonesMs, fallbacks: fallbacksMs, rank: lap() };
  return { candidates: ranked, stats: { eligible: eligible.size, comparisons, resolutions: view.resolutions, phases } };
}

function compareLocation(a: { file: string; line: number } | undefined, b: { file: string; line: number } | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/**
 * Hands each signal to the cluster holding its fallback side (else its primary side, else the
 * definition it sits in); the rest are grouped — by capability name and shared definitions —
 * into `fallback` candidates of their own.
 */
function attachSignals(drafts: readonly Draft[], signals: readonly FallbackSignal[], eligible: ReadonlySet<string>): Draft[] {
  const owner = new Map<string, Draft>();
  for (const d of drafts) for (const k of d.memberKeys) if (!owner.has(k)) owner.set(k, d);
  const ownerOf = (refs: readonly DefRef[]) => refs.map((r) => owner.get(defKey(r))).find((d) => d !== undefined);
  const pending: FallbackSignal[] = [];
  for (const s of signals) {
    const target = ownerOf(s.fallback) ?? ownerOf(s.primary) ?? (s.enclosing ? owner.get(defKey(s.enclosing)) : undefined);
    if (target) target.signals.push(s);
    else pending.push(s);
  }

  const uf = new UnionFind(pending.length);
  const firstByKey = new Map<string, number>();
  pending.forEach((s, i) => {
    for (const k of [`name:${s.key}`, ...[...s.primary, ...s.fallback].map((r) => `def:${defKey(r)}`)]) {
      const first = firstByKey.get(k);
      if (first === undefined) firstByKey.set(k, i);
      else uf.union(first, i);
    }
  });
  const out: Draft[] = [];
  for (const group of uf.groups(1)) {
    const groupSignals = group.flatMap((i) => {
      const s = pending[i];
      return s ? [s] : [];
    });
    const members = new Map<string, DefRef>();
    for (const s of groupSignals) {
      for (const r of [...s.primary, ...s.fallback]) if (eligible.has(defKey(r))) members.set(defKey(r), r);
    }
    // A lone legacy-named definition that no fallback reaches has nothing to consolidate.
    if (members.size === 0 || groupSignals.every((s) => s.source === "name" && s.primary.length === 0)) continue;
    const refs = [...members.values()];
    const draft = newDraft(
      "fallback",
      refs.every((r) => r.def.kind === "class"),
      refs,
    );
    draft.signals = groupSignals;
    out.push(draft);
  }
  return out;
}
