/**
 * One point of a concept's migration trend: the counts of the JSON report's `concepts[]` at a
 * date and commit. The zod schema is the single source of the type and of the validation of
 * history files (one snapshot per line, JSON Lines). Unknown keys are ignored, so a history
 * written by a newer version stays readable.
 */
import { z } from "zod";
import type { ConceptSummary, Report } from "../report/types.js";

const count = z.number().int().nonnegative();

export const conceptCountsSchema = z.object({
  /** Implementations of the concept, the canonical included. */
  implementations: count,
  /** Call sites that reach the canonical. */
  canonical: count,
  /** Call sites that reach another implementation. */
  nonCanonical: count,
  fallbacks: count,
  sinkCalls: count,
});

export const snapshotSchema = z.object({
  /** ISO 8601 date-time of the run (or of the commit, for samples read from git). */
  date: z.iso.datetime({ offset: true }),
  /** Full commit id the snapshot was taken at; null outside a git repository. */
  commit: z
    .string()
    .regex(/^[0-9a-f]{4,64}$/)
    .nullable(),
  /** Counts per concept id. A concept whose canonical did not exist yet is absent. */
  concepts: z.record(z.string(), conceptCountsSchema),
});

export type ConceptCounts = z.infer<typeof conceptCountsSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;

/** A snapshot on the trend, with where it came from (history files hold only `Snapshot`s). */
export interface TrendPoint extends Snapshot {
  /** `history`: a line of `--history`; `git`: a commit sampled by `--git-history`; `current`: this run. */
  source: "history" | "git" | "current";
}

/** The counts a snapshot stores for one concept summary of the report. */
export function countsOf(summary: ConceptSummary): ConceptCounts {
  return {
    implementations: summary.implementations,
    canonical: summary.callSites.canonical,
    nonCanonical: summary.callSites.nonCanonical,
    fallbacks: summary.fallbacks,
    sinkCalls: summary.sinkCalls,
  };
}

/** The snapshot of a report. */
export function snapshotOf(report: Pick<Report, "concepts">, date: string, commit: string | null): Snapshot {
  return { date, commit, concepts: Object.fromEntries(report.concepts.map((c) => [c.id, countsOf(c)])) };
}

/**
 * The work left for a concept, as one number for burn-down charts: call sites still on other
 * implementations, the other implementations themselves, fallbacks and direct sink uses.
 */
export function remainingOf(counts: ConceptCounts): number {
  return counts.nonCanonical + Math.max(0, counts.implementations - 1) + counts.fallbacks + counts.sinkCalls;
}
