/**
 * A compact encoding of one file's facts, for the cache and for the trip from a worker thread to
 * the main thread.
 *
 * Written as JSON objects, facts repeat every key of every call and span (`"calleeSpan":{"line":…`)
 * and every name wherever it occurs; here they are positional:
 * - each fact is an array `[mask, v1, v2, …]`: the values of its present fields in the order of
 *   its schema below, `mask` saying which fields are present (so absent optional fields stay
 *   absent: `decodeFacts(encodeFacts(f, text))` reads, and serializes, as `f`; it is made of the
 *   compact classes of `decoded-fact.ts`);
 * - each string is an index into the file's string table, stored once; each list of names
 *   (`self.logger.info`) is an index into the file's list table (of string indexes), stored once
 *   too — a file repeats its member paths in many calls and references, and one number parses
 *   faster than an array;
 * - a span whose line/column agree with its offsets is two numbers in the fact's own array,
 *   `start, end` — the decoder recomputes line and column from the file's line-start table, stored
 *   once, delta-encoded; a span that does not agree (none today; the encoder checks) is an array
 *   of all six numbers in the place of `start`. Ranges are `[start, end]` pairs in one array.
 * About a third of the size of plain JSON, and several times faster to decode. The schemas are
 * typed against `facts/types.ts`: adding a field there fails to compile until it is added here.
 */
import { EMPTY_LIST, type StringPool } from "../facts/intern.js";
import { LineIndex, LineStarts } from "../util/line-index.js";
import { type FactClass, factClass, generated, spanEndField, spanStartField } from "./decoded-fact.js";
import type {
  Binding,
  BodyShape,
  CallArgument,
  CallSite,
  Definition,
  ExportFact,
  FallbackSite,
  FileFacts,
  ImportedName,
  ImportFact,
  Param,
  ParseErrorFact,
  Range,
  Reference,
  Span,
  Suppression,
} from "../facts/types.js";

/** Bump when the encoding changes (part of the cache key). */
export const CODEC_VERSION = 3;

/** How one field is stored. */
type Kind =
  | "raw" // as is (numbers, booleans, plain JSON)
  | "str" // string → table index
  | "strs" // string[] → list table index
  | "paths" // string[][] → list table indexes
  | "span"
  | "ranges" // Range[] → [start, end] pairs
  | Schema // a nested fact
  | [Schema]; // a list of nested facts

interface Schema {
  names: readonly string[];
  kinds: readonly Kind[];
  /** Encodes one fact of this schema. */
  encode: FactEncoder;
  /** Decodes one fact of this schema into its class (`decoded-fact.ts`). */
  decode: FactDecoder;
}

type FactEncoder = (fact: object, encoder: Encoder) => unknown[];
type FactDecoder = (encoded: unknown, decoder: Decoder) => Record<string, unknown>;

/** A schema naming every field of `T`, in a fixed order (the encoding's order). */
function schema<T>(fields: { [K in keyof Required<T>]: Kind }): Schema {
  const names = Object.keys(fields);
  const kinds = Object.values(fields) as Kind[];
  return { names, kinds, encode: compileEncoder(names, kinds), decode: compileDecoder(names, kinds) };
}

/**
 * The encoder of one schema, generated from it like the decoder (`compileDecoder`): a straight
 * run of `v = o.field; if (v !== undefined) { mask |= bit; out.push(…) }`.
 */
function compileEncoder(names: readonly string[], kinds: readonly Kind[]): FactEncoder {
  const nested: FactEncoder[] = [];
  const steps = names.map((name, i) => {
    const kind = kinds[i] as Kind;
    let value: string;
    if (kind === "span") return `v = o.${name}; if (v !== undefined) { m |= ${1 << i}; x.pushSpan(out, v); }`;
    if (kind === "raw") value = "v";
    else if (typeof kind === "string") value = `x.${kind}(v)`;
    else if (Array.isArray(kind)) value = `x.list(v, nested[${nested.push(kind[0].encode) - 1}])`;
    else value = `nested[${nested.push(kind.encode) - 1}](v, x)`;
    return `v = o.${name}; if (v !== undefined) { m |= ${1 << i}; out.push(${value}); }`;
  });
  const body = ["const out = [0]; let m = 0; let v;", ...steps, "out[0] = m; return out;"].join("\n");
  return generated(
    () => new Function("nested", `return function encode(o, x) {\n${body}\n};`)(nested) as FactEncoder,
    () => interpretedEncoder(names, kinds),
  );
}

/** What `compileEncoder` generates, as a loop over the fields (where code cannot be generated). */
function interpretedEncoder(names: readonly string[], kinds: readonly Kind[]): FactEncoder {
  return (o, x) => {
    const fact = o as Record<string, unknown>;
    const out: unknown[] = [0];
    let mask = 0;
    names.forEach((name, i) => {
      const v = fact[name];
      if (v === undefined) return;
      mask |= 1 << i;
      const kind = kinds[i] as Kind;
      if (kind === "raw") out.push(v);
      else if (kind === "str") out.push(x.str(v as string));
      else if (kind === "strs") out.push(x.strs(v as string[]));
      else if (kind === "paths") out.push(x.paths(v as string[][]));
      else if (kind === "span") x.pushSpan(out, v as Span);
      else if (kind === "ranges") out.push(x.ranges(v as Range[]));
      else if (Array.isArray(kind)) out.push(x.list(v as object[], kind[0].encode));
      else out.push(kind.encode(v as object, x));
    });
    out[0] = mask;
    return out;
  };
}

/**
 * The decoder of one schema, generated from it: a straight run of `if (mask & bit) o.field = …`
 * (each a monomorphic store into the schema's class) decodes several times faster than a loop
 * storing by computed field names, and a project decodes millions of facts. Generated from the
 * schemas' field names (identifiers, checked by `factClass`), never from input.
 */
function compileDecoder(names: readonly string[], kinds: readonly Kind[]): FactDecoder {
  const Fact = factClass(names, new Set(names.filter((_, i) => kinds[i] === "span")));
  const nested: FactDecoder[] = [];
  const steps = names.map((name, i) => {
    const kind = kinds[i] as Kind;
    let store: string;
    if (kind === "span") {
      const [start, end] = [spanStartField(name), spanEndField(name)];
      store = `{ const v = a[j++]; if (typeof v === "number") { o.${start} = v; o.${end} = d.end(a[j++]); } else o.${start} = d.fullSpan(v); }`;
    } else if (kind === "raw") store = `o.${name} = a[j++];`;
    else if (typeof kind === "string") store = `o.${name} = d.${kind}(a[j++]);`;
    else if (Array.isArray(kind)) store = `o.${name} = d.list(a[j++], nested[${nested.push(kind[0].decode) - 1}]);`;
    else store = `o.${name} = nested[${nested.push(kind.decode) - 1}](a[j++], d);`;
    return `if ((m & ${1 << i}) !== 0) ${store}`;
  });
  const body = [
    'if (!Array.isArray(a)) throw new Error("malformed facts: expected a fact");',
    "const m = a[0]; let j = 1; const o = new Fact(d.lines);",
    ...steps,
    "return o;",
  ].join("\n");
  return generated(
    () => new Function("Fact", "nested", `return function decode(a, d) {\n${body}\n};`)(Fact, nested) as FactDecoder,
    () => interpretedDecoder(names, kinds, Fact),
  );
}

/** What `compileDecoder` generates, as a loop over the fields (where code cannot be generated). */
function interpretedDecoder(names: readonly string[], kinds: readonly Kind[], Fact: FactClass): FactDecoder {
  return (a, d) => {
    if (!Array.isArray(a)) throw new Error("malformed facts: expected a fact");
    const mask = a[0] as number;
    let j = 1;
    const o = new Fact(d.lines);
    names.forEach((name, i) => {
      if ((mask & (1 << i)) === 0) return;
      const v: unknown = a[j++];
      const kind = kinds[i] as Kind;
      if (kind === "span") {
        if (typeof v === "number") {
          o[spanStartField(name)] = v;
          o[spanEndField(name)] = d.end(a[j++]);
        } else o[spanStartField(name)] = d.fullSpan(v);
      } else if (kind === "raw") o[name] = v;
      else if (kind === "str") o[name] = d.str(v);
      else if (kind === "strs") o[name] = d.strs(v);
      else if (kind === "paths") o[name] = d.paths(v);
      else if (kind === "ranges") o[name] = d.ranges(v);
      else if (Array.isArray(kind)) o[name] = d.list(v, kind[0].decode);
      else o[name] = kind.decode(v, d);
    });
    return o;
  };
}

const SHAPE = schema<BodyShape>({ size: "raw", hash: "raw", minhash: "raw" });
const PARAM = schema<Param>({ name: "str", kind: "str", hasDefault: "raw", type: "str", properties: "strs" });
const DEFINITION = schema<Definition>({
  name: "str",
  qualifiedName: "str",
  kind: "str",
  span: "span",
  nameSpan: "span",
  bodySpan: "span",
  params: [PARAM],
  isAsync: "raw",
  className: "str",
  decorators: "strs",
  bases: "strs",
  signatureOnly: "str",
  returnType: "str",
  returns: "paths",
  delegateCall: "raw",
  doc: "str",
  exported: "raw",
  isDefaultExport: "raw",
  shape: SHAPE,
  returnKind: "str",
});
const ARGUMENT = schema<CallArgument>({ name: "str", spread: "str", span: "span" });
const CALL = schema<CallSite>({
  callee: "strs",
  calleeSpan: "span",
  span: "span",
  args: [ARGUMENT],
  argsSpan: "span",
  isNew: "raw",
  awaited: "raw",
  enclosing: "str",
});
const REFERENCE = schema<Reference>({ path: "strs", span: "span", enclosing: "str" });
const IMPORTED_NAME = schema<ImportedName>({ imported: "str", local: "str", span: "span" });
const IMPORT = schema<ImportFact>({
  module: "str",
  level: "raw",
  names: [IMPORTED_NAME],
  bindsRoot: "raw",
  typeOnly: "raw",
  span: "span",
  inFallback: "str",
  enclosing: "str",
});
const EXPORT = schema<ExportFact>({ exported: "str", local: "str", from: "str", span: "span" });
type BindingValueFields = { kind: string; callee: string[]; isNew: boolean; path: string[] };
const BINDING_VALUE = schema<BindingValueFields>({ kind: "str", callee: "strs", isNew: "raw", path: "strs" });
const BINDING = schema<Binding>({ target: "strs", scope: "str", value: BINDING_VALUE, type: "str", span: "span" });
const FALLBACK = schema<FallbackSite>({
  kind: "str",
  span: "span",
  primary: "ranges",
  fallback: "ranges",
  caught: "strs",
  condition: "str",
  enclosing: "str",
});
const SUPPRESSION = schema<Suppression>({ rules: "strs", reason: "str", scope: "str", line: "raw", span: "span" });
const PARSE_ERROR = schema<ParseErrorFact>({ line: "raw", column: "raw", message: "str" });
const FILE = schema<FileFacts>({
  file: "str",
  language: "str",
  lines: "raw",
  hash: "str",
  bom: "raw",
  eol: "str",
  moduleDoc: "str",
  definitions: [DEFINITION],
  calls: [CALL],
  references: [REFERENCE],
  imports: [IMPORT],
  exports: [EXPORT],
  bindings: [BINDING],
  fallbacks: [FALLBACK],
  suppressions: [SUPPRESSION],
  parseErrors: [PARSE_ERROR],
});
/** Fields every file has (a decoded file without one is malformed). */
const REQUIRED_LISTS = ["definitions", "calls", "references", "imports", "exports", "bindings", "fallbacks", "suppressions", "parseErrors"] as const;

type Encoded = [version: number, lineDeltas: number[], strings: string[], lists: number[][], file: unknown[]];

class Encoder {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** The list table: each distinct list of names, as string indexes. */
  readonly lists: number[][] = [];
  /** List table index by the list's string indexes joined with commas. */
  private readonly listIndex = new Map<string, number>();

  constructor(private readonly lines: LineStarts) {}

  str(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  /** Appends a span to a fact's array: its two offsets, or (line/column disagreeing with them) all six numbers as one array. */
  pushSpan(out: unknown[], s: Span): void {
    if (this.lines.agrees(s)) out.push(s.start, s.end);
    else out.push([s.line, s.column, s.endLine, s.endColumn, s.start, s.end]);
  }

  strs(v: readonly string[]): number {
    let key = "";
    for (const s of v) key += `${this.str(s)},`;
    let i = this.listIndex.get(key);
    if (i === undefined) {
      i = this.lists.length;
      this.lists.push(v.map((s) => this.str(s)));
      this.listIndex.set(key, i);
    }
    return i;
  }

  paths(v: readonly (readonly string[])[]): number[] {
    return v.map((p) => this.strs(p));
  }

  ranges(v: readonly { start: number; end: number }[]): number[] {
    const out = new Array<number>(v.length * 2);
    v.forEach((r, i) => {
      out[2 * i] = r.start;
      out[2 * i + 1] = r.end;
    });
    return out;
  }

  list(v: readonly object[], encode: FactEncoder): unknown[][] {
    return v.map((o) => encode(o, this));
  }
}

/** What the generated decoders (`compileDecoder`) call on, for one file. */
class Decoder {
  /** The list table, each list decoded when first used (one copy per file, or per pool). */
  private readonly decodedLists: (readonly string[] | undefined)[];

  constructor(
    readonly lines: LineStarts,
    private readonly strings: string[],
    private readonly lists: unknown[],
    private readonly pool: StringPool | undefined,
  ) {
    this.decodedLists = new Array<readonly string[] | undefined>(lists.length);
  }

  str(i: unknown): string {
    const s = this.strings[i as number];
    if (s === undefined) throw new Error("malformed facts: string index");
    return s;
  }

  strs(i: unknown): readonly string[] {
    const decoded = this.decodedLists[i as number];
    if (decoded !== undefined) return decoded;
    const indexes = this.lists[i as number];
    if (!Array.isArray(indexes)) throw new Error("malformed facts: list index");
    const names = indexes.map((k) => this.str(k));
    const list = this.pool ? this.pool.list(names) : names.length === 0 ? EMPTY_LIST : Object.freeze(names);
    this.decodedLists[i as number] = list;
    return list;
  }

  paths(v: unknown): readonly (readonly string[])[] {
    return (v as number[]).length === 0 ? EMPTY_LIST : (v as number[]).map((i) => this.strs(i));
  }

  /** A span's end offset (after its start, in the fact's array). */
  end(v: unknown): number {
    if (typeof v !== "number") throw new Error("malformed facts: span");
    return v;
  }

  ranges(v: unknown): readonly { start: number; end: number }[] {
    const flat = v as number[];
    if (flat.length === 0) return EMPTY_LIST;
    // Sized up front: a pushed-to array keeps room for 17.
    const out = new Array<{ start: number; end: number }>(flat.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = { start: flat[2 * i] ?? 0, end: flat[2 * i + 1] ?? 0 };
    return out;
  }

  list(v: unknown, decode: FactDecoder): readonly Record<string, unknown>[] {
    const items = v as unknown[];
    return items.length === 0 ? EMPTY_LIST : items.map((item) => decode(item, this));
  }

  /** A span as written in full (its line/column disagree with its offsets). */
  fullSpan(v: unknown): Span {
    if (!Array.isArray(v) || v.length !== 6) throw new Error("malformed facts: span");
    const e = v as number[];
    return { line: e[0] ?? 0, column: e[1] ?? 0, endLine: e[2] ?? 0, endColumn: e[3] ?? 0, start: e[4] ?? 0, end: e[5] ?? 0 };
  }
}

/** Encodes facts extracted from `text` (the decoded, BOM-less text the offsets refer to). */
export function encodeFacts(facts: FileFacts, text: string): string {
  return encodeWith(facts, new LineIndex(text));
}

/** Encodes facts that `decodeFacts` made (their file's line starts came with them). */
export function encodeDecodedFacts(facts: FileFacts): string {
  const lines = decodedLines.get(facts);
  if (!lines) throw new Error(`internal: the facts of ${facts.file} were not decoded`);
  return encodeWith(facts, lines);
}

function encodeWith(facts: FileFacts, lines: LineStarts): string {
  const x = new Encoder(lines);
  const file = FILE.encode(facts, x);
  const { starts } = lines;
  const deltas: number[] = new Array<number>(starts.length - 1);
  for (let i = 1; i < starts.length; i++) deltas[i - 1] = (starts[i] ?? 0) - (starts[i - 1] ?? 0);
  const encoded: Encoded = [CODEC_VERSION, deltas, x.strings, x.lists, file];
  return JSON.stringify(encoded);
}

/** The line starts each decoded file came with (for `encodeDecodedFacts`). */
const decodedLines = new WeakMap<FileFacts, LineStarts>();

/**
 * Decodes `encodeFacts` output, taking each name from `pool` when given (see `facts/intern.ts`).
 * Throws on malformed input (callers treat that as a cache miss).
 */
export function decodeFacts(json: string, pool?: StringPool): FileFacts {
  const encoded = JSON.parse(json) as Encoded;
  if (
    !Array.isArray(encoded) ||
    encoded[0] !== CODEC_VERSION ||
    !Array.isArray(encoded[1]) ||
    !Array.isArray(encoded[2]) ||
    !Array.isArray(encoded[3]) ||
    !Array.isArray(encoded[4])
  ) {
    throw new Error("malformed facts");
  }
  const [, deltas, strings, lists, file] = encoded;
  const starts = new Array<number>(deltas.length + 1);
  starts[0] = 0;
  for (let i = 0; i < deltas.length; i++) starts[i + 1] = (starts[i] ?? 0) + (deltas[i] ?? 0);
  if (pool) for (let i = 0; i < strings.length; i++) strings[i] = pool.intern(strings[i] as string);
  const lines = new LineStarts(starts);
  const facts = FILE.decode(file, new Decoder(lines, strings, lists, pool));
  for (const key of REQUIRED_LISTS) if (!Array.isArray(facts[key])) throw new Error(`malformed facts: ${key}`);
  if (typeof facts.file !== "string") throw new Error("malformed facts: file");
  decodedLines.set(facts as unknown as FileFacts, lines);
  return facts as unknown as FileFacts;
}
