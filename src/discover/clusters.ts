/**
 * Structural clusters: definitions grouped by name (same-name, class, family) in one pass over
 * hashed name keys, and near-clone groups (LSH, see `clones.ts`) merged into them or kept as
 * `clone` clusters of their own.
 */
import { type DefRef, defKey } from "../model/types.js";
import { normalizeName } from "../util/names.js";
import { areClones, cloneGroups, isClonable } from "./clones.js";
import type { FallbackSignal } from "./fallbacks.js";
import type { CandidateKind } from "./types.js";
import { UnionFind } from "./union-find.js";
import { type DiscoveryView, calleeName } from "./view.js";
import { familyName, isCommonKey, wordsOf } from "./vocabulary.js";
import { shapeSimilarity } from "../util/shape.js";

/** A candidate before ranking. */
export interface Draft {
  kind: CandidateKind;
  /** Classes (class, family of classes) or callables (functions and methods). */
  isClass: boolean;
  members: DefRef[];
  memberKeys: Set<string>;
  /** Members that joined through clone detection (different name), with their best similarity to the others. */
  copies: Map<string, number>;
  /** Thin delegates that forward to a member (left out of `members`; they support the canonical). */
  delegates: { ref: DefRef; target: DefRef | undefined }[];
  /** Fallback evidence about this capability. */
  signals: FallbackSignal[];
  /** Head noun phrase of a family. */
  familyKey?: string;
  /** Extra evidence gathered while merging (method clusters absorbed into a class cluster). */
  notes: string[];
  /**
   * Definitions of the members' names left out as overrides of an inherited contract (or, for
   * classes, implementations of one base): many of them mean the name is a polymorphic protocol.
   */
  overrides: number;
}

export function newDraft(kind: CandidateKind, isClass: boolean, members: DefRef[]): Draft {
  return {
    kind,
    isClass,
    members,
    memberKeys: new Set(members.map(defKey)),
    copies: new Map(),
    delegates: [],
    signals: [],
    notes: [],
    overrides: 0,
  };
}

export function moduleCount(refs: readonly DefRef[]): number {
  return new Set(refs.map((r) => r.file)).size;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export interface NameClusters {
  drafts: Draft[];
  /** Definitions ruled out by the override and forwarder rules (also kept out of clone clusters). */
  excluded: Set<string>;
}

/**
 * Groups definitions by their family key (the name without variant markers). A group whose
 * members spell two or more normalized names is a family; otherwise it is a same-name (or, for
 * classes, class) cluster. Either needs two or more modules.
 */
export function nameClusters(view: DiscoveryView, callables: readonly DefRef[], classes: readonly DefRef[]): NameClusters {
  const drafts: Draft[] = [];
  const excluded = new Set<string>();
  for (const isClass of [false, true]) {
    // One language per cluster: a `SelectBox.add_to_cache` in JavaScript is no copy of a Python `_add_to_cache`.
    const groups = groupBy(isClass ? classes : callables, (r) => `${view.language(r.file)}\0${familyName(r.def.name, isClass).key}`);
    for (const [groupKey, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const key = groupKey.slice(groupKey.indexOf("\0") + 1);
      // Cheap checks first: most groups are one module's getter and setter, or a lone name.
      if (!key || isCommonKey(key, isClass) || group.length < 2 || moduleCount(group) < 2) continue;
      let members = withoutPrivateHelpers(group);
      let delegates: Draft["delegates"] = [];
      const before = members.length;
      if (isClass) {
        members = withoutContractImplementations(
          view,
          members.filter((r) => !view.specializesNamesake(r)),
        );
      } else {
        members = withoutOverrides(view, members, excluded);
        ({ members, delegates } = withoutForwarders(view, members, key, excluded));
      }
      const overrides = before - members.length - delegates.length;
      if (moduleCount(members) < 2) continue;
      const names = new Set(members.map((m) => normalizeName(m.def.name).key));
      const kind: CandidateKind = names.size >= 2 ? "family" : isClass ? "class" : "same-name";
      const draft = newDraft(kind, isClass, members);
      draft.delegates = delegates;
      draft.overrides = overrides;
      if (kind === "family") draft.familyKey = key;
      drafts.push(draft);
    }
  }
  return { drafts, excluded };
}

/**
 * `get_fields()` and its `_get_fields()` helper in one class (or module) are one implementation,
 * not two: the helper is left out.
 */
function withoutPrivateHelpers(members: DefRef[]): DefRef[] {
  const scopeOf = (r: DefRef) => `${r.file}\0${r.def.className ?? ""}`;
  const publicNames = new Set(members.filter((r) => !r.def.name.startsWith("_")).map((r) => `${scopeOf(r)}\0${r.def.name}`));
  return members.filter((r) => {
    if (!r.def.name.startsWith("_") || /^__\w+__$/.test(r.def.name)) return true;
    return !publicNames.has(`${scopeOf(r)}\0${r.def.name.replace(/^_+/, "")}`);
  });
}

/**
 * Drops methods that override one contract: methods of one name whose classes share an
 * ancestor (a project base class or interface, or a framework base such as `BaseCommand`).
 */
function withoutOverrides(view: DiscoveryView, members: DefRef[], excluded: Set<string>): DefRef[] {
  const drop = new Set<number>();
  for (const sameName of groupBy(
    members.map((m, i) => ({ m, i })),
    ({ m }) => m.def.name,
  ).values()) {
    const methods = sameName.flatMap(({ m, i }) => {
      const cls = view.classOf(m);
      return cls ? [{ i, ancestry: view.ancestry(cls) }] : [];
    });
    if (methods.length < 2) continue;
    const uf = new UnionFind(methods.length);
    const owner = new Map<string, number>();
    methods.forEach(({ ancestry }, k) => {
      for (const a of ancestry) {
        const first = owner.get(a);
        if (first === undefined) owner.set(a, k);
        else uf.union(first, k);
      }
    });
    for (const g of uf.groups(2)) for (const k of g) drop.add(methods[k]?.i ?? -1);
  }
  // A method whose class inherits one of its name (from anywhere in the project) specializes it.
  members.forEach((m, i) => {
    if (m.def.kind === "method" && !drop.has(i) && view.overridesAncestor(m)) drop.add(i);
  });
  for (const i of drop) {
    const m = members[i];
    if (m) excluded.add(defKey(m));
  }
  return members.filter((_, i) => !drop.has(i));
}

/**
 * Drops classes of one name that implement one contract, or parallel ones — their ancestors
 * share a name: a project base (`DatabaseWrapper(BaseDatabaseWrapper)` in every database backend;
 * `DateTimeField` of models and of forms, each a `Field`), or an external base named like them
 * (not a mere `models.Model`); or their subclasses do (the two `Field` roots themselves) —
 * unless their bodies are near-clones of each other (a copy that happens to share its base).
 */
function withoutContractImplementations(view: DiscoveryView, members: DefRef[]): DefRef[] {
  // Only namesakes: family variants (`UnifiedJobScheduler`, `JobScheduler`) stay variants whatever their bases.
  const byName = groupBy(members, (m) => normalizeName(m.def.name).key);
  if (byName.size > 1) return [...byName.values()].flatMap((g) => withoutContractImplementations(view, g));
  if (members.length < 2) return members;
  const uf = new UnionFind(members.length);
  const owner = new Map<string, number>();
  members.forEach((m, k) => {
    const link = (key: string) => {
      const first = owner.get(key);
      if (first === undefined) owner.set(key, k);
      else uf.union(first, k);
    };
    const words = new Set(wordsOf(m.def.name));
    const external = new Set([...view.ancestry(m)].filter((a) => a.startsWith("external:")).map((a) => a.slice(9)));
    for (const a of view.ancestorNames(m)) {
      // Sharing `models.Model` says little; sharing `BaseDatabaseWrapper` or a project base says "one contract".
      if (external.has(a) && !wordsOf(a).some((w) => words.has(w))) continue;
      link(`up:${a}`);
    }
    for (const d of view.descendantNames(m)) link(`down:${d}`);
  });
  const drop = new Set<number>();
  for (const g of uf.groups(2)) {
    for (const k of g) {
      const shape = members[k]?.def.shape;
      const copied = g.some((j) => {
        const other = members[j]?.def.shape;
        return j !== k && isClonable(shape) && isClonable(other) && areClones(shape, other);
      });
      if (!copied) drop.add(k);
    }
  }
  return members.filter((_, i) => !drop.has(i));
}

/**
 * Drops thin delegates that forward to a member, or to anything of the same name (a wrapper
 * around `json.dumps` named `dumps` is not an implementation of `dumps`).
 */
function withoutForwarders(
  view: DiscoveryView,
  members: DefRef[],
  familyKey: string,
  excluded: Set<string>,
): { members: DefRef[]; delegates: Draft["delegates"] } {
  const keys = new Set(members.map(defKey));
  const delegates: Draft["delegates"] = [];
  const kept = members.filter((m) => {
    const d = view.delegateTarget(m);
    if (!d) return true;
    const toMember = d.target !== undefined && keys.has(defKey(d.target));
    const name = calleeName(d.call);
    const sameName = name !== undefined && familyName(name, false).key === familyKey;
    if (!toMember && !sameName) return true;
    delegates.push({ ref: m, target: toMember ? d.target : undefined });
    excluded.add(defKey(m));
    return false;
  });
  return { members: kept, delegates };
}

/**
 * Adds near-clones: a clone group that touches a callable cluster lends it its other members
 * (renamed copies); an untouched group spanning two or more modules and names becomes a
 * `clone` cluster.
 */
export function mergeClones(drafts: Draft[], callables: readonly DefRef[], excluded: ReadonlySet<string>): { comparisons: number } {
  const pool = callables.filter((r) => !excluded.has(defKey(r)));
  const { groups, comparisons } = cloneGroups(pool.map((r) => r.def.shape));
  const owner = new Map<string, Draft>();
  for (const d of drafts) if (!d.isClass) for (const k of d.memberKeys) if (!owner.has(k)) owner.set(k, d);
  for (const group of groups) {
    const refs = group.flatMap((i) => {
      const r = pool[i];
      return r ? [r] : [];
    });
    const touched = new Map<Draft, number>();
    for (const r of refs) {
      const d = owner.get(defKey(r));
      if (d) touched.set(d, (touched.get(d) ?? 0) + 1);
    }
    if (touched.size > 0) {
      // The cluster holding most of the group takes the loose members (first cluster on ties).
      let target: Draft | undefined;
      let best = 0;
      for (const [d, n] of touched) {
        if (n > best) {
          best = n;
          target = d;
        }
      }
      if (!target) continue;
      const anchors = refs.filter((r) => target.memberKeys.has(defKey(r)));
      for (const r of refs) {
        const k = defKey(r);
        if (owner.has(k)) continue;
        const similarity = Math.max(...anchors.map((a) => (a.def.shape && r.def.shape ? shapeSimilarity(a.def.shape, r.def.shape) : 0)));
        target.members.push(r);
        target.memberKeys.add(k);
        target.copies.set(k, similarity);
        owner.set(k, target);
      }
      continue;
    }
    const names = new Set(refs.map((r) => normalizeName(r.def.name).key));
    if (moduleCount(refs) < 2 || names.size < 2) continue;
    const draft = newDraft("clone", false, refs);
    drafts.push(draft);
    for (const r of refs) owner.set(defKey(r), draft);
  }
  return { comparisons };
}

/**
 * Method clusters that only repeat the classes of one class cluster (the `schedule()` of every
 * `JobScheduler` variant) are part of that cluster's story, not separate candidates.
 */
export function absorbMethodClusters(view: DiscoveryView, drafts: Draft[]): Draft[] {
  const classOwner = new Map<string, Draft>();
  for (const d of drafts) if (d.isClass) for (const k of d.memberKeys) if (!classOwner.has(k)) classOwner.set(k, d);
  return drafts.filter((d) => {
    if (d.isClass) return true;
    let owner: Draft | undefined;
    for (const m of d.members) {
      const cls = view.classOf(m);
      const o = cls ? classOwner.get(defKey(cls)) : undefined;
      if (!o || (owner && o !== owner)) return true;
      owner = o;
    }
    if (!owner) return true;
    const names = [...new Set(d.members.map((m) => `${m.def.name}()`))].sort().join(", ");
    owner.notes.push(`${names} implemented in ${moduleCount(d.members)} of its modules`);
    owner.signals.push(...d.signals);
    return false;
  });
}
