/**
 * Name normalization: `broadcast_to_user`, `broadcastToUser`, `BroadcastToUser`,
 * `_legacy_broadcast_to_user`, `broadcastToUserLegacy` and `broadcast_to_user_v2` are one name.
 */

/** A Python or JS identifier (Unicode letters allowed, as both languages allow them). */
export const IDENTIFIER = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200C\u200D]*$/u;

/** Words that mark a copy kept for compatibility rather than a different capability. */
export const LEGACY_WORDS: ReadonlySet<string> = new Set([
  "legacy",
  "old",
  "compat",
  "fallback",
  "deprecated",
  "orig",
  "original",
  "v1",
  "v2",
  "v3",
  "v4",
  "v5",
  "v6",
  "v7",
  "v8",
  "v9",
]);

/** Splits an identifier into lower-case words across snake, kebab, camel and Pascal case. */
export function splitWords(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])(\d)/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase())
    .reduce<string[]>((words, w) => {
      // Re-join `v` + digit split above so `v2` stays one word.
      const prev = words[words.length - 1];
      if (prev === "v" && /^\d+$/.test(w)) words[words.length - 1] = `v${w}`;
      else words.push(w);
      return words;
    }, []);
}

/** Words that mark another variant of the same capability without calling it legacy. */
export const VARIANT_WORDS: ReadonlySet<string> = new Set(["new", "impl", "bak", "backup"]);

export interface NormalizedName {
  /** Words without legacy affixes, joined by `_`: the comparison key. */
  key: string;
  /** True when a legacy affix word was dropped. */
  legacy: boolean;
}

const cache = new Map<string, NormalizedName>();

export function normalizeName(identifier: string): NormalizedName {
  const hit = cache.get(identifier);
  if (hit) return hit;
  const words = splitWords(identifier);
  let legacy = false;
  const kept = words.filter((w, i) => {
    if (LEGACY_WORDS.has(w)) {
      legacy = true;
      return false;
    }
    // A trailing version number: `send_email_2`, `send_email2`, `pushToUserCompat2`.
    if (i === words.length - 1 && i > 0 && /^[1-9]$/.test(w)) {
      legacy = true;
      return false;
    }
    return !VARIANT_WORDS.has(w);
  });
  // A name made only of marker words (`legacy`, `old`, `new`) is its own name, not an empty one.
  const result: NormalizedName = kept.length === 0 ? { key: words.join("_"), legacy: false } : { key: kept.join("_"), legacy };
  if (cache.size > 100_000) cache.clear();
  cache.set(identifier, result);
  return result;
}

export function nameKey(identifier: string): string {
  return normalizeName(identifier).key;
}
