/**
 * Language-neutral facts about one source file.
 *
 * Both front ends (`src/languages/python`, `src/languages/typescript`) produce exactly this
 * shape. Facts are plain data (no syntax trees) so they can be cached by content hash, computed
 * in worker threads and merged across shards: extractors build plain objects, and facts decoded
 * from the cache are compact objects that read and serialize as the same data
 * (`cache/decoded-fact.ts`); treat both as read-only. Everything later in the pipeline (model,
 * rules, reporters, fixer) reads facts, never source trees.
 *
 * Conventions:
 * - `line`/`column` are 1-based; `column` counts UTF-16 code units (as JS strings do).
 * - `start`/`end` are 0-based offsets (UTF-16 code units) into the decoded text of the file
 *   with any BOM removed; `end` is exclusive. The fixer edits text with these offsets.
 * - A member path ("callee path") is an array of segments: `a.b.c` → `["a","b","c"]`. A segment
 *   that is itself called is written with `()`: `get_service().send(x)` → `["get_service()","send"]`,
 *   `io.to(room).emit()` → `["io","to()","emit"]`. `new Foo()` in TS is `["Foo"]` with `isNew`.
 *   A receiver that is not a plain name/attribute/call chain (subscript, literal, parenthesised
 *   expression, lambda …) is the segment `"?"`. `this`/`self`/`cls` stay as written.
 */

export type Language = "python" | "typescript";

/** A source range: 1-based line/column for humans, 0-based offsets for edits. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based start offset (UTF-16 code units) in the BOM-less text. */
  start: number;
  /** 0-based exclusive end offset. */
  end: number;
}

/** A bare offset range, used for fallback sides. */
export interface Range {
  start: number;
  end: number;
}

export type DefinitionKind = "function" | "method" | "class";

export interface Param {
  name: string;
  /**
   * positional: plain parameter (Python positional-or-keyword, TS parameter);
   * positional-only: Python params before `/`;
   * keyword-only: Python params after `*` / `*args`;
   * rest: `*args` / `...args`; kwrest: `**kwargs`;
   * destructured: a TS object/array binding pattern (name is the pattern's text).
   */
  kind: "positional" | "positional-only" | "keyword-only" | "rest" | "kwrest" | "destructured";
  hasDefault: boolean;
  /** Annotation text as written, e.g. `WebSocketBroadcastService`, `Optional[Foo]`. */
  type?: string;
  /** For TS destructured params: the property names of the object pattern. */
  properties?: string[];
}

/**
 * Why a definition is only a signature, not an implementation. Such definitions are never
 * duplicate implementations.
 * - abstract: `@abstractmethod`, TS `abstract` member
 * - protocol: member of a `typing.Protocol` class (or the Protocol class itself)
 * - interface: TS interface member / type literal method signature
 * - declare: TS `declare` / ambient declaration (incl. `.d.ts` files)
 * - overload: `@overload` / TS overload signature without body
 * - stub: body is only `...`, `pass`, a docstring, or `raise NotImplementedError`
 */
export type SignatureOnlyReason = "abstract" | "protocol" | "interface" | "declare" | "overload" | "stub";

/** Compact structural description of a body, for clone detection. */
export interface BodyShape {
  /** Number of normalized tokens (AST node types with identifiers and literals abstracted). */
  size: number;
  /** Hex hash of the whole normalized token sequence: equal hash = same shape. */
  hash: string;
  /**
   * MinHash signature (32 unsigned 32-bit ints) over 4-shingles of the normalized token
   * sequence; the share of equal slots estimates Jaccard similarity between two bodies.
   * Empty when the body has fewer than 4 tokens.
   */
  minhash: number[];
}

export interface Definition {
  /** Simple name as written: `broadcast_to_user`. */
  name: string;
  /** Dotted qualified name within the module: `WebSocketBroadcastService.broadcast_to_user`, `outer.inner`. */
  qualifiedName: string;
  kind: DefinitionKind;
  /** Span of the whole definition (including decorators). */
  span: Span;
  /** Span of the name identifier. */
  nameSpan: Span;
  /** Span of the body (Python block / TS block or expression body); absent for signature-only defs. */
  bodySpan?: Span;
  /** Parameters; a Python method's implicit receiver (`self`/`cls`) is NOT included. */
  params: Param[];
  /** `async def` / `async function` / async arrow. */
  isAsync: boolean;
  /** Qualified name of the enclosing class, for methods. */
  className?: string;
  /** Decorator expressions as written, without `@`: `staticmethod`, `abc.abstractmethod`. */
  decorators: string[];
  /** For classes: base class expressions as written (`Protocol`, `abc.ABC`, `BaseRouter`). TS: extends + implements. */
  bases: string[];
  /** Set when the definition has no real body (see SignatureOnlyReason). */
  signatureOnly?: SignatureOnlyReason;
  /** Return type annotation text as written, if any. */
  returnType?: string;
  /**
   * TS/JS, for a function that is neither `async` nor annotated with a return type: what its
   * `return` expressions (or arrow expression body) show. `promise`: one of them looks like a
   * promise (`new Promise(…)`, `Promise.x(…)`, a call of `.then`/`.catch`/`.finally`); `value`:
   * none is taken to be one (it returns nothing, literals, object/array literals, functions,
   * property reads such as `u.length`, operator results, `new X()` of another class). Absent
   * otherwise (it returns a plain name or a call result, whose type facts do not know).
   */
  returnKind?: "promise" | "value";
  /**
   * Member paths of expressions returned by this function (`return Foo()` → `["Foo()"]`,
   * `return _instance` → `["_instance"]`), at most 5, used to infer what a factory returns.
   */
  returns: string[][];
  /**
   * When the body is a thin delegate — after an optional docstring (and, in Python, an optional
   * `warnings.warn(…, DeprecationWarning, …)` statement), a single statement that
   * returns/awaits/evaluates one call (possibly `await`ed) — the index into `FileFacts.calls`
   * of that call.
   */
  delegateCall?: number;
  /** First line of the docstring / leading JSDoc comment, trimmed, at most 200 chars. */
  doc?: string;
  /** TS: exported from its module (`export function`, `export class`, `export default`). Python: always true for top-level names. */
  exported: boolean;
  /** TS: `export default`. */
  isDefaultExport?: boolean;
  shape?: BodyShape;
}

export interface CallArgument {
  /** Keyword name (Python `k=v`), or undefined for positional. */
  name?: string;
  /** `*args` / `**kwargs` / TS spread. */
  spread?: "list" | "dict";
  span: Span;
}

export interface CallSite {
  /** Member path of the callee (see file header). */
  callee: string[];
  /** Span of the callee expression (what a fix replaces). */
  calleeSpan: Span;
  /** Span of the whole call expression. */
  span: Span;
  args: CallArgument[];
  /** Span of the argument list including parentheses. */
  argsSpan: Span;
  /** TS `new Foo()`. */
  isNew?: boolean;
  /** The call is the operand of `await`. */
  awaited: boolean;
  /** Qualified name of the innermost enclosing definition, absent at module level. */
  enclosing?: string;
}

/**
 * A use of a member path that is not a callee: `os.environ["X"]`, `process.env.FOO`,
 * `handler = legacy_impl`. Only maximal chains are recorded (for `a.b.c` not also `a.b`),
 * and only chains of two or more segments, or single names that appear inside a fallback side.
 */
export interface Reference {
  path: string[];
  span: Span;
  enclosing?: string;
}

export interface ImportedName {
  /** Name in the source module; `*` for a namespace/module binding or star import; `default` for TS default. */
  imported: string;
  /** Local binding name; `*` for a Python star import (`from m import *`). */
  local: string;
  span: Span;
}

export interface ImportFact {
  /**
   * Python: the module as written without leading dots (`a.b` for `from ..a.b import c`; empty
   * for `from . import c`). TS: the module specifier string as written (`./hub`, `socket.io`).
   */
  module: string;
  /** Python relative-import level: number of leading dots (0 = absolute). TS: always 0. */
  level: number;
  /**
   * Python `import a.b.c` binds `a` → names `[{imported:"*", local:"a"}]` with module `a.b.c`
   * and `bindsRoot: true`; `import a.b as m` binds `m` to module `a.b`.
   */
  names: ImportedName[];
  bindsRoot?: boolean;
  /** TS `import type` / all-type import. */
  typeOnly?: boolean;
  /** TS side-effect import `import "x"` (no names) or `require("x")` assigned to a name (names filled). */
  span: Span;
  /** Inside the `try` body of a try/except ImportError, or inside the `except ImportError` handler. */
  inFallback?: "primary" | "fallback";
  enclosing?: string;
}

/** TS re-exports and local export lists; Python has none (its `__all__` is not tracked). */
export interface ExportFact {
  /** Exported name; `*` for `export * from`. */
  exported: string;
  /** Local name (for `export { a as b }`) or the name in `from` (for re-exports). */
  local: string;
  /** Module specifier for re-exports. */
  from?: string;
  span: Span;
}

/**
 * A name or attribute bound to a value whose type we can know: `svc = Service()`,
 * `self.svc = get_service()`, `const hub = new Hub()`, `E = os.environ`, `const { env } = process`,
 * `svc: Service = …`, `this.svc = new Service()`.
 */
export interface Binding {
  /** Bound path: `["svc"]`, `["self","svc"]`, `["this","svc"]`. */
  target: string[];
  /** Qualified name of the enclosing definition; absent for module level. Class-body assignments use the class name. */
  scope?: string;
  /**
   * call: value is a call (member path of the callee, with `()` segments inside);
   * alias: value is a member path (`E = os.environ`, destructuring `const { env } = process` → `["process","env"]`);
   * annotation: only a type annotation is known (`svc: Service`).
   */
  value:
    | { kind: "call"; callee: string[]; isNew?: boolean }
    | { kind: "alias"; path: string[] }
    | { kind: "annotation" };
  /** Type annotation text, if written. */
  type?: string;
  span: Span;
}

export type FallbackKind =
  | "try" // Python try/except, TS try/catch
  | "import-fallback" // Python try: import … except ImportError: import …
  | "promise-catch" // TS p.catch(cb) / p.then(ok, fail)
  | "or" // Python `a or b`, TS `a || b`
  | "nullish" // TS `a ?? b`
  | "conditional"; // if/else, ternary, early-return `if …: return legacy()`

export interface FallbackSite {
  kind: FallbackKind;
  /** Span of the whole construct (the `try` statement, the binary expression …). */
  span: Span;
  /** Ranges of the primary side (try body; left operand; condition + the other branch). */
  primary: Range[];
  /** Ranges of the fallback side (except/catch bodies; right operand; the branch taken when the condition holds). */
  fallback: Range[];
  /** For try sites: the caught exception types as written (`Exception`, `ImportError`); empty for bare except / catch. */
  caught?: string[];
  /** For conditional sites: the condition's text, trimmed, at most 200 chars. */
  condition?: string;
  enclosing?: string;
}

/** `# ssot-audit-ignore[rule-id]: reason` and the file-level form. */
export interface Suppression {
  /** Rule ids listed in brackets; empty = all rules. */
  rules: string[];
  reason?: string;
  /** `line`: applies to its own line and the next line; `file`: the whole file. */
  scope: "line" | "file";
  line: number;
  span: Span;
}

export interface ParseErrorFact {
  line: number;
  column?: number;
  message: string;
}

export interface FileFacts {
  /** Path relative to the analysis root, with `/` separators. */
  file: string;
  language: Language;
  /** Number of lines in the file. */
  lines: number;
  /** Hex content hash of the raw bytes. */
  hash: string;
  /** True when the text started with a UTF-8 BOM (removed before offsets were computed). */
  bom?: boolean;
  /** Dominant line ending. */
  eol?: "\n" | "\r\n";
  /** First line of the module docstring / leading file comment, at most 200 chars. */
  moduleDoc?: string;
  definitions: Definition[];
  calls: CallSite[];
  references: Reference[];
  imports: ImportFact[];
  exports: ExportFact[];
  bindings: Binding[];
  fallbacks: FallbackSite[];
  suppressions: Suppression[];
  /** Syntax errors found. A file with parse errors still has the facts that could be extracted. */
  parseErrors: ParseErrorFact[];
}

/** Options that affect extraction (part of the cache key). */
export interface ExtractOptions {
  /** Parse time budget per file in milliseconds; when exceeded the file gets a single parse error. */
  parseBudgetMs: number;
}

/** The interface every language front end implements. */
export interface Extractor {
  language: Language;
  /**
   * Extracts facts from one file. `file` is the root-relative `/` path, `text` the decoded
   * content without BOM. Never throws for bad input: syntax problems go to `parseErrors`.
   */
  extract(file: string, text: string, options: ExtractOptions): Promise<Omit<FileFacts, "hash" | "bom" | "eol">>;
}
