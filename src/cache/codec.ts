/**
 * A compact encoding of one file's facts, for the cache and for the trip from a worker thread to
 * the main thread.
 *
 * Spans make up most of the facts (a call has three or more), and as JSON objects they are about
 * 75 bytes each. Here a span whose line/column agree with its offsets in the file's text is two
 * numbers `[start, end]`, and the decoder recomputes line and column from the file's line-start
 * table, which is stored once (delta-encoded). A span that does not agree (none today; the
 * encoder checks) keeps all six numbers. Ranges are `[start, end]`. Everything else is stored as
 * is, so `decodeFacts(encodeFacts(f, text))` deep-equals `f`.
 */
import type { Binding, CallSite, Definition, ExportFact, FallbackSite, FileFacts, ImportFact, Range, Reference, Span, Suppression } from "../facts/types.js";

/** Bump when the encoding changes (part of the cache key). */
export const CODEC_VERSION = 1;

type EncSpan = [number, number] | [number, number, number, number, number, number];
type EncRange = [number, number];

interface Encoded {
  /** Line starts after the first, as deltas. */
  l: number[];
  /** The facts, with spans and ranges encoded. */
  f: Record<string, unknown>;
}

/** Line starts exactly as `LineIndex` computes them (`\n`, `\r\n` and a lone `\r` end a line). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) starts.push(i + 1);
    else if (ch === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Index of the line holding `offset` (0-based), as `LineIndex.position` finds it. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

class Encoder {
  constructor(private readonly starts: number[]) {}

  span(s: Span): EncSpan {
    const a = lineAt(this.starts, s.start);
    const b = lineAt(this.starts, s.end);
    const consistent =
      s.line === a + 1 && s.column === s.start - (this.starts[a] ?? 0) + 1 && s.endLine === b + 1 && s.endColumn === s.end - (this.starts[b] ?? 0) + 1;
    return consistent ? [s.start, s.end] : [s.line, s.column, s.endLine, s.endColumn, s.start, s.end];
  }

  range(r: Range): EncRange {
    return [r.start, r.end];
  }
}

class Decoder {
  constructor(private readonly starts: number[]) {}

  span(e: EncSpan): Span {
    if (e.length === 6) return { line: e[0], column: e[1], endLine: e[2], endColumn: e[3], start: e[4], end: e[5] };
    const [start, end] = e;
    const a = lineAt(this.starts, start);
    const b = end === start ? a : lineAt(this.starts, end);
    return { line: a + 1, column: start - (this.starts[a] ?? 0) + 1, endLine: b + 1, endColumn: end - (this.starts[b] ?? 0) + 1, start, end };
  }

  range(e: EncRange): Range {
    return { start: e[0], end: e[1] };
  }
}

/** Encodes facts extracted from `text` (the decoded, BOM-less text the offsets refer to). */
export function encodeFacts(facts: FileFacts, text: string): string {
  const starts = lineStarts(text);
  const x = new Encoder(starts);
  const f: Record<string, unknown> = {
    ...facts,
    definitions: facts.definitions.map((d) => ({
      ...d,
      span: x.span(d.span),
      nameSpan: x.span(d.nameSpan),
      ...(d.bodySpan ? { bodySpan: x.span(d.bodySpan) } : {}),
    })),
    calls: facts.calls.map((c) => ({
      ...c,
      calleeSpan: x.span(c.calleeSpan),
      span: x.span(c.span),
      args: c.args.map((a) => ({ ...a, span: x.span(a.span) })),
      argsSpan: x.span(c.argsSpan),
    })),
    references: facts.references.map((r) => ({ ...r, span: x.span(r.span) })),
    imports: facts.imports.map((i) => ({ ...i, names: i.names.map((n) => ({ ...n, span: x.span(n.span) })), span: x.span(i.span) })),
    exports: facts.exports.map((e) => ({ ...e, span: x.span(e.span) })),
    bindings: facts.bindings.map((b) => ({ ...b, span: x.span(b.span) })),
    fallbacks: facts.fallbacks.map((s) => ({ ...s, span: x.span(s.span), primary: s.primary.map((r) => x.range(r)), fallback: s.fallback.map((r) => x.range(r)) })),
    suppressions: facts.suppressions.map((s) => ({ ...s, span: x.span(s.span) })),
  };
  const deltas: number[] = new Array<number>(starts.length - 1);
  for (let i = 1; i < starts.length; i++) deltas[i - 1] = (starts[i] ?? 0) - (starts[i - 1] ?? 0);
  const encoded: Encoded = { l: deltas, f };
  return JSON.stringify(encoded);
}

/**
 * Decodes `encodeFacts` output. Throws on malformed input (callers treat that as a cache miss);
 * the objects are rebuilt in place, so decoding allocates little beyond what `JSON.parse` does.
 */
export function decodeFacts(json: string): FileFacts {
  const encoded = JSON.parse(json) as Encoded;
  if (!encoded || !Array.isArray(encoded.l) || typeof encoded.f !== "object" || encoded.f === null) throw new Error("malformed facts");
  const starts = new Array<number>(encoded.l.length + 1);
  starts[0] = 0;
  for (let i = 0; i < encoded.l.length; i++) starts[i + 1] = (starts[i] ?? 0) + (encoded.l[i] ?? 0);
  const x = new Decoder(starts);
  const f = encoded.f as unknown as Record<keyof FileFacts, unknown[]>;
  for (const key of ["definitions", "calls", "references", "imports", "exports", "bindings", "fallbacks", "suppressions", "parseErrors"] as const) {
    if (!Array.isArray(f[key])) throw new Error(`malformed facts: ${key}`);
  }
  type Raw<T> = { -readonly [K in keyof T]: unknown };
  for (const d of f.definitions as Raw<Definition>[]) {
    d.span = x.span(d.span as EncSpan);
    d.nameSpan = x.span(d.nameSpan as EncSpan);
    if (d.bodySpan !== undefined) d.bodySpan = x.span(d.bodySpan as EncSpan);
  }
  for (const c of f.calls as Raw<CallSite>[]) {
    c.calleeSpan = x.span(c.calleeSpan as EncSpan);
    c.span = x.span(c.span as EncSpan);
    for (const a of c.args as { span: unknown }[]) a.span = x.span(a.span as EncSpan);
    c.argsSpan = x.span(c.argsSpan as EncSpan);
  }
  for (const r of f.references as Raw<Reference>[]) r.span = x.span(r.span as EncSpan);
  for (const i of f.imports as Raw<ImportFact>[]) {
    for (const n of i.names as { span: unknown }[]) n.span = x.span(n.span as EncSpan);
    i.span = x.span(i.span as EncSpan);
  }
  for (const e of f.exports as Raw<ExportFact>[]) e.span = x.span(e.span as EncSpan);
  for (const b of f.bindings as Raw<Binding>[]) b.span = x.span(b.span as EncSpan);
  for (const s of f.fallbacks as Raw<FallbackSite>[]) {
    s.span = x.span(s.span as EncSpan);
    s.primary = (s.primary as EncRange[]).map((r) => x.range(r));
    s.fallback = (s.fallback as EncRange[]).map((r) => x.range(r));
  }
  for (const s of f.suppressions as Raw<Suppression>[]) s.span = x.span(s.span as EncSpan);
  return f as unknown as FileFacts;
}
