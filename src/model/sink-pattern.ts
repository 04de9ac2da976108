/**
 * Sink patterns are dotted member paths: `os.environ`, `**.send_json`, `io.to().emit`.
 * `name()` matches a call segment, `*` one segment, `**` any number of segments.
 * A member chain uses a sink when any prefix of it matches the pattern, so
 * `os.environ.get("X")` is one use of `os.environ`.
 */

export type SinkPattern = readonly string[];

const SEGMENT = /^(\*\*|\*|[A-Za-z_$][\w$]*(\(\))?)$/;

/** Splits a pattern into segments, or returns undefined when it is not a valid pattern. */
export function parseSinkPattern(pattern: string): SinkPattern | undefined {
  const segments = pattern.split(".");
  if (segments.length === 0 || !segments.every((s) => SEGMENT.test(s))) return undefined;
  return segments;
}

function segmentMatches(pattern: string, segment: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("()")) return segment === pattern;
  // A plain name matches the member whether or not it is called on the way (`get_ws().send`).
  return segment === pattern || segment === `${pattern}()`;
}

/** True when the pattern matches a prefix of the chain (or, with `whole`, the entire chain). */
export function matchesSinkPrefix(pattern: SinkPattern, chain: readonly string[], whole = false): boolean {
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
      result = seg !== undefined && segmentMatches(p, seg) && match(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
