/**
 * The words discovery reasons with: names too common to mean anything, framework hooks, the
 * variant markers that name families strip, and the phrases that mark code as legacy or as the
 * single source of truth.
 */
import { LEGACY_WORDS, normalizeName, splitWords } from "../util/names.js";

/**
 * Callable names that many unrelated modules define on purpose (dunder methods are matched by
 * pattern). Compared by normalized key, so `setUp`, `set_up` and `SetUp` are one entry.
 */
const COMMON_CALLABLE_NAMES = [
  // lifecycle, protocol and conversion methods
  "init",
  "constructor",
  "setup",
  "set_up",
  "tear_down",
  "teardown",
  "set_up_class",
  "tear_down_class",
  "start",
  "stop",
  "close",
  "open",
  "connect",
  "disconnect",
  "reset",
  "clear",
  "dispose",
  "destroy",
  "to_string",
  "value_of",
  "to_json",
  "to_dict",
  "from_dict",
  "to_json_string",
  "as_dict",
  "from_json",
  "equals",
  "hash_code",
  "compare_to",
  "copy",
  "clone",
  "describe",
  "repr",
  "str",
  // generic verbs
  "get",
  "set",
  "run",
  "main",
  "call",
  "apply",
  "execute",
  "process",
  "handle",
  "handler",
  "dispatch",
  "render",
  "validate",
  "update",
  "delete",
  "create",
  "save",
  "load",
  "build",
  "parse",
  "format",
  "send",
  "receive",
  "read",
  "write",
  "flush",
  "next",
  "iter",
  "keys",
  "values",
  "items",
  "default",
  "invoke",
  "emit",
  "notify",
  "register",
  "configure",
  "initialize",
  "cleanup",
  "check",
  "wrap",
  // generic container and codec verbs
  "add",
  "remove",
  "append",
  "extend",
  "insert",
  "pop",
  "push",
  "put",
  "count",
  "size",
  "length",
  "contains",
  "find",
  "filter",
  "map",
  "reduce",
  "sort",
  "match",
  "encode",
  "decode",
  "serialize",
  "deserialize",
  "fetch",
  // logging verbs (every logger, reporter and adapter has them)
  "log",
  "debug",
  "info",
  "warn",
  "warning",
  "error",
  "critical",
  "exception",
  "fatal",
  // file-like, socket-like and synchronization protocols (duck-typed everywhere)
  "readline",
  "readlines",
  "seek",
  "tell",
  "truncate",
  "fileno",
  "isatty",
  "readable",
  "writable",
  "seekable",
  "recv",
  "recv_into",
  "sendall",
  "wait",
  "join",
  "acquire",
  "release",
  "dump",
  "dumps",
  "loads",
  // properties every other class has, and module self-tests
  "name",
  "value",
  "test",
  "usage",
  // decorator and callback plumbing
  "wrapper",
  "decorator",
  "inner",
  "callback",
  "cb",
  "fn",
  "func",
  "noop",
  // web framework hooks (Django views/DRF, HTTP verbs, Flask/FastAPI plugins)
  "post",
  "put",
  "patch",
  "head",
  "options",
  "list",
  "retrieve",
  "partial_update",
  "perform_create",
  "perform_update",
  "perform_destroy",
  "get_queryset",
  "get_object",
  "get_serializer_class",
  "get_context_data",
  "get_permissions",
  "has_permission",
  "has_object_permission",
  "dispatch",
  "includeme",
  "upgrade",
  "downgrade",
  "forward",
  "backward",
  "ready",
  "mount",
  "unmount",
  // UI framework hooks
  "set_state",
  "component_did_mount",
  "component_will_unmount",
  "component_did_update",
  "should_component_update",
  "get_derived_state_from_props",
  "ng_on_init",
  "ng_on_destroy",
  "ng_on_changes",
  // test hooks (tests are excluded anyway; these also appear in test helpers outside test folders)
  "set_up_test_data",
  "setup_method",
  "teardown_method",
  "setup_class",
  "teardown_class",
];

/** Class names that frameworks expect in every module of a kind (nested `Meta`, migrations, commands). */
const COMMON_CLASS_NAMES = ["Meta", "Config", "Media", "Migration", "Command", "Params", "Options", "Args", "Props", "State", "Error"];

const COMMON_CALLABLE_KEYS: ReadonlySet<string> = new Set(COMMON_CALLABLE_NAMES.map((n) => normalizeName(n).key));
const COMMON_CLASS_KEYS: ReadonlySet<string> = new Set(COMMON_CLASS_NAMES.map((n) => normalizeName(n).key));

/** Methods named like a framework hook: `on_message`, `onClick`, `visit_Call`, `do_GET`, `ngOnInit`, `test_x`. */
const HOOK_PATTERNS: readonly RegExp[] = [
  /^on_[a-z0-9]/,
  /^on[A-Z]/,
  /^visit_/,
  /^visit[A-Z]/,
  /^depart_/,
  /^do_[A-Z]+$/,
  /^ng[A-Z]/,
  /^test_?[A-Za-z]/,
];

/** True for names discovery never clusters: dunders, the stop-list above, and (for methods) framework hooks. */
export function isCommonName(name: string, kind: "function" | "method" | "class"): boolean {
  if (/^__\w+__$/.test(name)) return true;
  const key = normalizeName(name).key;
  if (kind === "class") return COMMON_CLASS_KEYS.has(key);
  if (COMMON_CALLABLE_KEYS.has(key)) return true;
  return kind === "method" && HOOK_PATTERNS.some((p) => p.test(name));
}

/** True when a normalized key (already stripped of markers) is a stop-listed callable or class name. */
export function isCommonKey(key: string, isClass: boolean): boolean {
  return isClass ? COMMON_CLASS_KEYS.has(key) : COMMON_CALLABLE_KEYS.has(key);
}

/**
 * Legacy words in the narrow sense used to spot leftover copies (`_legacy_x`, `x_fallback`,
 * `XLegacy`, `x_old`). Version suffixes (`v2`) are left out: they usually name the newer copy.
 */
export const LEFTOVER_WORDS: ReadonlySet<string> = new Set(["legacy", "old", "compat", "fallback", "deprecated", "orig", "bak", "backup"]);

/**
 * Variant markers: words that say which copy of a capability this is, not what it is.
 * Stripping them from a name leaves the capability (the family's head noun phrase):
 * `UnifiedJobScheduler`, `JobSchedulerLegacyAdapter`, `ConsolidatedJobSchedulerWrapper` and
 * `RequestScopedJobScheduler` all leave `job_scheduler`.
 *
 * Deliberately not markers (they name what a thing is, so their variants are legitimate):
 * `base`/`abstract` (the contract variants implement), `default`, `simple`, `generic`, `async`,
 * `manager`, `service`, `factory`, `registry`, `provider`, `mixin`, `bridge` — and any qualifier
 * such as `Redis`/`Memory` in `RedisJobStore`/`MemoryJobStore`.
 */
export const VARIANT_MARKERS: ReadonlySet<string> = new Set([
  ...LEGACY_WORDS,
  ...LEFTOVER_WORDS,
  "unified",
  "consolidated",
  "enhanced",
  "improved",
  "refactored",
  "optimized",
  "modern",
  "adapter",
  "wrapper",
  "proxy",
  "facade",
  "shim",
  "compatibility",
  "impl",
  "ssot",
]);

/**
 * Stand-in nouns are markers only at the end of a name, where they say what the thing is
 * (`JobSchedulerLegacyAdapter`); in front they qualify another noun (`ProxyError`, `AdapterRegistry`).
 */
const TRAILING_MARKERS: ReadonlySet<string> = new Set(["adapter", "wrapper", "proxy", "facade", "shim", "impl", "implementation"]);

/** Markers only for class names: as function words they too often mean something else (`new_user`, `canonical_url`). */
export const CLASS_ONLY_MARKERS: ReadonlySet<string> = new Set(["new", "canonical", "isolated", "implementation"]);

/** Markers that say a definition is a stand-in for another one (used as evidence and to avoid suggesting it as canonical). */
export const STAND_IN_WORDS: ReadonlySet<string> = new Set(["adapter", "wrapper", "proxy", "facade", "shim", "compat", "compatibility"]);

export interface FamilyName {
  /** Words left after removing variant markers, joined by `_`; empty when nothing is left. */
  key: string;
  /** The marker words removed, in order (`scoped` is reported together with its qualifier: `request scoped`). */
  markers: string[];
}

/**
 * Splits a name into its family key and its variant markers. `X scoped` (`RequestScoped`,
 * `UserScoped`) and `per X` (`PerRequest`) are markers together with their qualifier.
 */
export function familyName(name: string, isClass: boolean): FamilyName {
  const cacheKey = `${isClass ? "c" : "f"}${name}`;
  const hit = familyCache.get(cacheKey);
  if (hit) return hit;
  const result = computeFamilyName(name, isClass);
  if (familyCache.size > 200_000) familyCache.clear();
  familyCache.set(cacheKey, result);
  return result;
}

const familyCache = new Map<string, FamilyName>();
const wordsCache = new Map<string, readonly string[]>();

/** `splitWords`, cached: discovery asks about the same names many times. */
export function wordsOf(name: string): readonly string[] {
  let words = wordsCache.get(name);
  if (!words) {
    words = splitWords(name);
    if (wordsCache.size > 200_000) wordsCache.clear();
    wordsCache.set(name, words);
  }
  return words;
}

function computeFamilyName(name: string, isClass: boolean): FamilyName {
  const words = wordsOf(name);
  const kept: string[] = [];
  const markers: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? "";
    const next = words[i + 1];
    if (next === "scoped" && i + 2 < words.length) {
      markers.push(`${w} scoped`);
      i++;
    } else if (w === "scoped") {
      markers.push(w);
    } else if (isClass && w === "per" && next !== undefined && i + 2 < words.length) {
      markers.push(`per ${next}`);
      i++;
    } else if (TRAILING_MARKERS.has(w) ? trailing(words, i, isClass) : VARIANT_MARKERS.has(w) || (isClass && CLASS_ONLY_MARKERS.has(w))) {
      markers.push(w);
    } else {
      kept.push(w);
    }
  }
  return { key: kept.join("_"), markers };
}

/** Whether the words after position `i` are all markers (so word `i` ends the name's noun phrase). */
function trailing(words: readonly string[], i: number, isClass: boolean): boolean {
  return words.slice(i + 1).every((w) => VARIANT_MARKERS.has(w) || (isClass && CLASS_ONLY_MARKERS.has(w)));
}

/** Whether a name carries a leftover word anywhere (`_legacy_x`, `x_fallback`, `replay_legacy_buffer`). */
export function hasLeftoverWord(name: string): boolean {
  return wordsOf(name).some((w) => LEFTOVER_WORDS.has(w));
}

/** Whether a name carries a stand-in word (`XAdapter`, `XWrapper`, `x_compat`). */
export function hasStandInWord(name: string): boolean {
  return wordsOf(name).some((w) => STAND_IN_WORDS.has(w));
}

/** A docstring that leads with a legacy word describes legacy code: `Legacy WebSocket event router.`, `DEPRECATED: use …`. */
const LEGACY_LEAD = /^\W*(?:\w+\W+)?(legacy|deprecated|obsolete|superseded|old|pre-ssot)\b/i;
/** …as does one that says so outright anywhere; a mere mention (`the legacy modules of a concept`) does not. */
const LEGACY_SAID =
  /\b(?:is|are|now) (deprecated|obsolete|superseded)\b|\b(deprecated|obsolete)\s*[:!)]|\b(do not use)\b|\bkept for (?:backward[s]? )?(compat)/i;
const SSOT_TEXT =
  /\b(ssot|single source of truth|source of truth|canonical (implementation|source|version|module|service|entry point)|(the )?(one|only) (module|place|component|service) (that|which|allowed))\b/gi;
/** Text right before an SSOT phrase that makes it a reference to another component, not a claim. */
const REFERENCE_BEFORE = /(\b(through|via|to|onto|into|use|uses|using|call|calls|from|of|behind)\s+(the\s+)?|\b(pre|non|post)-)$/i;
const STAND_IN_TEXT = /\b(adapter|wrapper|shim|proxy|facade|delegat\w*|forwards?)\b/i;

/** The legacy word a docstring uses (`Legacy`, `DEPRECATED`), if any. */
export function legacyWordIn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const lead = LEGACY_LEAD.exec(text);
  if (lead) return lead[1];
  const said = LEGACY_SAID.exec(text);
  return said ? (said[1] ?? said[2] ?? said[3] ?? said[4]) : undefined;
}

/**
 * The SSOT phrase with which a docstring calls its own code the single source of truth
 * (`the single source of truth for …`, `SSOT broadcast service`), if any. Mentions that point
 * elsewhere (`delegates to the SSOT service`, `pre-SSOT loop`) or come with legacy or stand-in
 * words are not claims.
 */
export function ssotClaimIn(text: string | undefined): string | undefined {
  if (!text || legacyWordIn(text) || STAND_IN_TEXT.test(text)) return undefined;
  for (const m of text.matchAll(SSOT_TEXT)) {
    const before = text.slice(Math.max(0, m.index - 20), m.index);
    if (!REFERENCE_BEFORE.test(before)) return m[0];
  }
  return undefined;
}
