/**
 * Matching findings against a baseline, and the ratchet that updates it.
 *
 * Findings are matched by fingerprint with counts: an entry with `count: 2` covers the first two
 * active findings with its fingerprint in report order (file, line, column); a third one is new.
 * Nothing is aggregated per file or per rule, so fixing one violation never pays for a new one.
 */
import type { Finding } from "../engine/types.js";
import type { StaleBaselineEntry } from "../report/types.js";
import { isActive } from "../suppress/active.js";
import type { Baseline, BaselineEntry } from "./file.js";

/** Whether a file (relative to the config's folder) was audited in this run, so its entries can be judged. */
export type InScope = (file: string) => boolean;

export interface BaselineMatch {
  /** The findings, with those the baseline covers marked `baselined`. */
  findings: Finding[];
  /** Entries of audited files whose occurrences were not all matched. */
  stale: StaleBaselineEntry[];
}

/** Marks the active findings a baseline covers, and lists its stale entries. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline, inScope: InScope): BaselineMatch {
  const remaining = new Map(baseline.entries.map((e) => [e.fingerprint, e.count]));
  const out = findings.map((f) => {
    if (!isActive(f)) return f;
    const left = remaining.get(f.fingerprint) ?? 0;
    if (left === 0) return f;
    remaining.set(f.fingerprint, left - 1);
    return { ...f, baselined: true as const };
  });
  const stale = baseline.entries
    .filter((e) => (remaining.get(e.fingerprint) ?? 0) > 0 && inScope(e.file))
    .map((e) => ({
      fingerprint: e.fingerprint,
      ruleId: e.ruleId,
      concept: e.concept,
      file: e.file,
      symbol: e.symbol,
      count: remaining.get(e.fingerprint) ?? 0,
    }));
  return { findings: out, stale };
}

/** Baseline entries for the active findings of a run: one per fingerprint, with its count. */
export function entriesFor(findings: readonly Finding[]): BaselineEntry[] {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (!isActive(f)) continue;
    const entry = byFingerprint.get(f.fingerprint);
    if (entry) entry.count++;
    else {
      byFingerprint.set(f.fingerprint, {
        fingerprint: f.fingerprint,
        ruleId: f.ruleId,
        concept: f.concept,
        file: f.file,
        symbol: f.symbol,
        count: 1,
        message: f.message,
      });
    }
  }
  return [...byFingerprint.values()];
}

export interface RatchetResult {
  entries: BaselineEntry[];
  /** Occurrences dropped because they were fixed. */
  removed: number;
  /** Occurrences added (only with `allowGrowth`). */
  added: number;
  /** Active findings the old baseline does not cover: added with `allowGrowth`, else the reason to refuse. */
  growth: Finding[];
}

/**
 * Updates a baseline from a run's findings. Entries of audited files shrink to what is still
 * found (fixed violations drop out); entries of files outside the run stay as they are. New
 * findings are added only with `allowGrowth`; otherwise they are returned in `growth`.
 */
export function ratchet(old: Baseline, findings: readonly Finding[], inScope: InScope, allowGrowth: boolean): RatchetResult {
  const current = new Map(entriesFor(findings).map((e) => [e.fingerprint, e]));
  const { findings: matched } = applyBaseline(findings, old, inScope);
  const growth = matched.filter(isActive);
  let removed = 0;
  let added = 0;
  const entries: BaselineEntry[] = [];
  for (const e of old.entries) {
    if (!inScope(e.file)) {
      entries.push(e);
      continue;
    }
    const found = current.get(e.fingerprint)?.count ?? 0;
    const count = allowGrowth ? found : Math.min(e.count, found);
    removed += Math.max(0, e.count - found);
    added += Math.max(0, count - e.count);
    if (count > 0) entries.push({ ...e, count });
  }
  if (allowGrowth) {
    const known = new Set(old.entries.map((e) => e.fingerprint));
    for (const e of current.values()) {
      if (known.has(e.fingerprint)) continue;
      entries.push(e);
      added += e.count;
    }
  }
  return { entries, removed, added, growth };
}
