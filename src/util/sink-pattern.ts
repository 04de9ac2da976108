/**
 * Sink patterns are dotted member paths: `os.environ`, `**.send_json`, `io.to().emit`.
 * `name()` matches a call segment, `*` one segment, `**` any number of segments.
 * A member chain uses a sink when any prefix of it matches the pattern, so
 * `os.environ.get("X")` is one use of `os.environ`. A call's own callee ends in a called
 * segment too: `os.getenv()` matches `os.getenv("X")`, `subprocess.run()` matches `subprocess.run(cmd)`.
 */

import { IDENTIFIER } from "./names.js";

export type SinkPattern = readonly string[];

function isSegment(segment: string): boolean {
  return segment === "*" || segment === "**" || IDENTIFIER.test(segment.endsWith("()") ? segment.slice(0, -2) : segment);
}

/** Splits a pattern into segments, or returns undefined when it is not a valid pattern. */
export function parseSinkPattern(pattern: string): SinkPattern | undefined {
  const segments = pattern.split(".");
  return segments.every(isSegment) ? segments : undefined;
}

/** `called`: the segment is called (`segment()`), though not written so (a call's last callee segment). */
function segmentMatches(pattern: string, segment: string, called = false): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("()")) return segment === pattern || (called && pattern.length === segment.length + 2 && pattern.startsWith(segment));
  // A plain name matches the member whether or not it is called on the way (`get_ws().send`).
  return segment === pattern || segment === `${pattern}()`;
}

/**
 * True when the pattern matches a prefix of the chain (or, with `whole`, the entire chain).
 * `called`: the chain is a call's callee, so its last segment is called.
 */
export function matchesSinkPrefix(pattern: SinkPattern, chain: readonly string[], whole = false, called = false): boolean {
  const lastIndex = called ? chain.length - 1 : -1;
  // Every call and reference of a project is matched against every sink: answer the common
  // cases without the search below. Without `**`, segment i matches segment i.
  if (!pattern.includes("**")) {
    if (chain.length < pattern.length || (whole && chain.length !== pattern.length)) return false;
    for (let i = 0; i < pattern.length; i++) if (!segmentMatches(pattern[i] as string, chain[i] as string, i === lastIndex)) return false;
    return true;
  }
  // With `**`, a named last segment must match some segment of the chain.
  const last = pattern[pattern.length - 1] as string;
  if (last !== "*" && last !== "**" && !chain.some((segment, i) => segmentMatches(last, segment, i === lastIndex))) return false;
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    if (i === pattern.length) return !whole || j === chain.length;
    const key = i * 10_000 + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const p = pattern[i] as string;
    let result: boolean;
    if (p === "**") {
      result = false;
      for (let k = j; k <= chain.length && !result; k++) result = match(i + 1, k);
    } else {
      const seg = chain[j];
      result = seg !== undefined && segmentMatches(p, seg, j === lastIndex) && match(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
