/**
 * The classes decoded facts are instances of (one per kind of fact), built from the codec's
 * schemas.
 *
 * A decoded project holds millions of facts, most of them spans of calls, arguments and
 * references whose lines nobody reads. So a decoded fact keeps each span as its two offsets,
 * inline, and its `span`-like fields are getters that make an `OffsetSpan` (line and column
 * computed from the file's line starts) when read: about 40 bytes less per span than a span
 * object. Everything else is a plain own field. Absent optional fields are own fields holding
 * undefined, so every fact of a kind has one hidden class.
 *
 * They read like the plain facts of `facts/types.ts` (`call.span.line`) and serialize to them
 * (`JSON.stringify` through `toJSON`); but `Object.keys` (and so a deep-equality check or a
 * spread) sees the stored fields (`$span`, `$spanEnd`, `$lines`), not the getters — compare
 * them as JSON or read field by field (the codec's test does both).
 */
import { type LineStarts, OffsetSpan } from "../util/line-index.js";
import type { Span } from "../facts/types.js";

/** Constructs a fact with every stored field undefined; the decoder fills them in order. */
export type FactClass = new (lines: LineStarts) => Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The stored field of a span's start (or, for a span whose line/column disagree with its offsets, the span itself). */
export const spanStartField = (name: string): string => `$${name}`;
/** The stored field of a span's end offset. */
export const spanEndField = (name: string): string => `$${name}End`;

/**
 * Compiles generated source with `new Function`, or, where code generation from strings is
 * disallowed (`node --disallow-code-generation-from-strings`, some embedders), returns
 * `fallback()`: equivalent code that is slower but needs no compiler.
 */
export function generated<T>(compile: () => T, fallback: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof EvalError) return fallback();
    throw error;
  }
}

/**
 * A class for facts with these fields, of which `spanFields` are spans.
 *
 * The constructor is generated: V8 sizes a constructor's objects from the `this.x =` assignments
 * in its body, so one that assigns every stored field gets them all inside the object (a class
 * with an empty constructor gets room for eight; the rest would go to a separate store).
 */
export function factClass(names: readonly string[], spanFields: ReadonlySet<string>): FactClass {
  const stored = names.flatMap((n) => (spanFields.has(n) ? [spanStartField(n), spanEndField(n)] : [n]));
  for (const field of stored) if (!IDENTIFIER.test(field)) throw new Error(`internal: fact field ${field} is not an identifier`);
  // Built from the schemas' field names only (checked above), never from analysed input.
  const body = [...(spanFields.size > 0 ? ["this.$lines = lines;"] : []), ...stored.map((f) => `this.${f} = undefined;`)].join(" ");
  const Fact = generated(
    () => new Function("lines", body) as FactClass,
    () =>
      function (this: Record<string, unknown>, lines: LineStarts) {
        if (spanFields.size > 0) this.$lines = lines;
        for (const field of stored) this[field] = undefined;
      } as unknown as FactClass,
  );
  for (const name of spanFields) {
    const startField = spanStartField(name);
    const endField = spanEndField(name);
    Object.defineProperty(Fact.prototype, name, {
      get(this: Record<string, unknown>): Span | undefined {
        const start = this[startField];
        if (typeof start !== "number") return start as Span | undefined;
        return new OffsetSpan(this.$lines as LineStarts, start, this[endField] as number);
      },
      enumerable: false,
    });
  }
  Object.defineProperty(Fact.prototype, "toJSON", {
    value(this: Record<string, unknown>): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const name of names) {
        const v = this[name];
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
    enumerable: false,
  });
  return Fact;
}
