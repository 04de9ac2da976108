/**
 * Discovery's output: ranked SSOT candidates (the `discovery` section of DESIGN.md's JSON).
 */

/**
 * - same-name: definitions of one normalized name (legacy affixes folded) in two or more modules
 * - clone: structural near-clones with different names in two or more modules
 * - class: one class name defined in two or more modules
 * - family: classes or functions sharing a head noun phrase with variant markers around it
 * - fallback: leftover fallbacks (import fallbacks, fallbacks to legacy code, legacy-named copies)
 */
export type CandidateKind = "same-name" | "clone" | "class" | "family" | "fallback";

export const CANDIDATE_KINDS: readonly CandidateKind[] = ["same-name", "clone", "class", "family", "fallback"];

/** One definition involved in a candidate; `file` is relative to the project root with `/` separators. */
export interface CandidateLocation {
  file: string;
  /** 1-based first line of the definition (its decorators included, as in `check` reports). */
  line: number;
  /** Qualified name inside the file: `WebSocketBroadcastService.broadcast_to_user`. */
  symbol: string;
}

export interface SuggestedCanonical extends CandidateLocation {
  /** Why this definition should be the one to keep, in words. */
  why: string;
}

export interface Candidate {
  /** 1-based position, best first. */
  rank: number;
  kind: CandidateKind;
  /** The capability's name: the shared name, the family's head, or the canonical's name. */
  name: string;
  /** Evidence score (higher = stronger case); see `score.ts` for the formula. */
  score: number;
  /** Every definition involved, the suggested canonical included, sorted by file then line. */
  definitions: CandidateLocation[];
  suggestedCanonical: SuggestedCanonical;
  /** Human-readable evidence, strongest first: "3 modules", "bodies 92% similar", "12 call sites". */
  evidence: string[];
}

/** The JSON document `discover --format json` prints. */
export interface DiscoveryReport {
  version: 1;
  discovery: { candidates: Candidate[] };
}
