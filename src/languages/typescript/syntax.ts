/**
 * Small, pure helpers over the TypeScript syntax tree used by the TS/JS extractor: member
 * paths, names, modifiers, comment text. Nothing here keeps state.
 */
import type { ts } from "ts-morph";
import { typescript } from "./compiler.js";
import { shapeTokenId } from "../../util/shape.js";

/** The compiler's values; its types are the `ts` namespace. */
const tsc = typescript();

const SK = tsc.SyntaxKind;

/**
 * `NodeFlags.Ambient` is set by the parser on every node inside an ambient context (a `.d.ts`
 * file, or under a `declare` modifier). It is marked internal in the typings, so read it by name
 * with the known value as a fallback.
 */
export const AMBIENT_FLAG: number = (tsc.NodeFlags as unknown as Record<string, number>).Ambient ?? 1 << 25;

/** The script kind for a file name, by extension; undefined for extensions we do not handle. */
export function scriptKindFor(file: string): ts.ScriptKind | undefined {
  const dot = file.lastIndexOf(".");
  const ext = dot >= 0 ? file.slice(dot).toLowerCase() : "";
  switch (ext) {
    case ".ts":
    case ".mts":
    case ".cts":
      return tsc.ScriptKind.TS;
    case ".tsx":
      return tsc.ScriptKind.TSX;
    case ".js":
    case ".mjs":
    case ".cjs":
      return tsc.ScriptKind.JS;
    case ".jsx":
      return tsc.ScriptKind.JSX;
    default:
      return undefined;
  }
}

/** Normalized token names for body shapes: the first (real) enum member name for each kind. */
const KIND_NAMES: string[] = (() => {
  const out: string[] = [];
  for (const [name, value] of Object.entries(tsc.SyntaxKind)) {
    if (typeof value === "number" && out[value] === undefined) out[value] = name;
  }
  return out;
})();

/** Shape token of one node: `ID` for identifiers, `LIT` for literals, else the syntax kind name. */
export function shapeToken(node: ts.Node): string {
  switch (node.kind) {
    case SK.Identifier:
    case SK.PrivateIdentifier:
      return "ID";
    case SK.StringLiteral:
    case SK.NumericLiteral:
    case SK.BigIntLiteral:
    case SK.NoSubstitutionTemplateLiteral:
    case SK.TemplateHead:
    case SK.TemplateMiddle:
    case SK.TemplateTail:
    case SK.RegularExpressionLiteral:
    case SK.JsxText:
      return "LIT";
    default:
      return KIND_NAMES[node.kind] ?? "Unknown";
  }
}

/** Shape token ids (`shapeTokenId`) by syntax kind. */
const KIND_TOKEN_IDS: Uint32Array = Uint32Array.from(KIND_NAMES, (name) => shapeTokenId(name ?? "Unknown"));
const ID_TOKEN = shapeTokenId("ID");
const LIT_TOKEN = shapeTokenId("LIT");
const UNKNOWN_TOKEN = shapeTokenId("Unknown");

/** `shapeTokenId(shapeToken(node))`, without building the string. */
function shapeTokenIdOf(node: ts.Node): number {
  const token = shapeToken(node);
  if (token === "ID") return ID_TOKEN;
  if (token === "LIT") return LIT_TOKEN;
  return KIND_TOKEN_IDS[node.kind] ?? UNKNOWN_TOKEN;
}

/**
 * Appends the pre-order shape token ids (`shapeTokenId`) of `node` and its descendants to `out`.
 * Iterative (explicit stack), so deeply nested generated code cannot overflow the call stack.
 */
export function collectShapeIds(node: ts.Node, out: number[]): void {
  const stack: ts.Node[] = [node];
  const push = (child: ts.Node): void => {
    stack.push(child);
  };
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    out.push(shapeTokenIdOf(n));
    const base = stack.length;
    tsc.forEachChild(n, push);
    // Children were pushed in source order; reverse them in place so the first is popped first.
    for (let i = base, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i] as ts.Node;
      stack[i] = stack[j] as ts.Node;
      stack[j] = t;
    }
  }
}

/** True for nodes that are erased at runtime and only wrap a value: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
export function isTransparentWrapper(node: ts.Node): boolean {
  switch (node.kind) {
    case SK.ParenthesizedExpression:
    case SK.AsExpression:
    case SK.SatisfiesExpression:
    case SK.NonNullExpression:
    case SK.TypeAssertionExpression:
      return true;
    default:
      return false;
  }
}

/** Strips parentheses, type assertions, `satisfies` and non-null assertions. */
export function skipWrappers(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (isTransparentWrapper(e)) e = (e as ts.ParenthesizedExpression).expression;
  return e;
}

/** Like `skipWrappers`, and also looks through `await`. */
export function skipWrappersAndAwait(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (isTransparentWrapper(e) || e.kind === SK.AwaitExpression) e = (e as ts.ParenthesizedExpression).expression;
  return e;
}

/** Longer member paths keep their last segments behind a `"?"` root (only generated code gets there). */
export const MAX_PATH_SEGMENTS = 64;

/**
 * Member path of an expression (see `src/facts/types.ts`): `a.b.c` → `["a","b","c"]`,
 * `getHub().push` → `["getHub()","push"]`, `new Hub().push` → `["Hub()","push"]`. Parentheses,
 * type assertions, non-null assertions and `await` are transparent (`(await getHub()).push` →
 * `["getHub()","push"]`); any other receiver (element access, literal, binary expression,
 * function …) is the single segment `"?"`. Iterative, capped at MAX_PATH_SEGMENTS.
 */
export function memberPath(expr: ts.Expression): string[] {
  const reversed: string[] = [];
  let calls = 0;
  let e = expr;
  const segment = (name: string): string => (calls === 0 ? name : name + "()".repeat(calls));
  for (;;) {
    e = skipWrappersAndAwait(e);
    if (reversed.length >= MAX_PATH_SEGMENTS) {
      reversed.push("?");
      break;
    }
    if (e.kind === SK.PropertyAccessExpression) {
      reversed.push(segment((e as ts.PropertyAccessExpression).name.text));
      calls = 0;
      e = (e as ts.PropertyAccessExpression).expression;
      continue;
    }
    if (e.kind === SK.CallExpression || e.kind === SK.NewExpression) {
      calls++;
      e = (e as ts.CallExpression | ts.NewExpression).expression;
      continue;
    }
    if (e.kind === SK.Identifier) reversed.push(segment((e as ts.Identifier).text));
    else if (e.kind === SK.ThisKeyword) reversed.push(segment("this"));
    else if (e.kind === SK.SuperKeyword) reversed.push(segment("super"));
    else reversed.push("?");
    break;
  }
  return reversed.reverse();
}

/** Text of a property / member name when it is static (identifier, private name, string or number literal). */
export function staticName(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  switch (name.kind) {
    case SK.Identifier:
    case SK.PrivateIdentifier:
    case SK.StringLiteral:
    case SK.NumericLiteral:
    case SK.NoSubstitutionTemplateLiteral:
      return (name as ts.Identifier).text;
    case SK.ComputedPropertyName: {
      const inner = (name as ts.ComputedPropertyName).expression;
      return inner.kind === SK.StringLiteral || inner.kind === SK.NoSubstitutionTemplateLiteral
        ? (inner as ts.StringLiteral).text
        : undefined;
    }
    default:
      return undefined;
  }
}

type WithModifiers = { readonly modifiers?: ts.NodeArray<ts.ModifierLike> };

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const mods = (node as WithModifiers).modifiers;
  if (!mods) return false;
  for (const m of mods) if (m.kind === kind) return true;
  return false;
}

/** The `default` keyword among a declaration's modifiers. */
export function defaultModifier(node: ts.Node): ts.Node | undefined {
  const mods = (node as WithModifiers).modifiers;
  return mods?.find((m) => m.kind === SK.DefaultKeyword);
}

export function decoratorsOf(node: ts.Node): ts.Decorator[] {
  const mods = (node as WithModifiers).modifiers;
  if (!mods) return [];
  const out: ts.Decorator[] = [];
  for (const m of mods) if (m.kind === SK.Decorator) out.push(m as ts.Decorator);
  return out;
}

export function isFunctionValue(e: ts.Node): e is ts.ArrowFunction | ts.FunctionExpression {
  return e.kind === SK.ArrowFunction || e.kind === SK.FunctionExpression;
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= SK.FirstAssignment && kind <= SK.LastAssignment;
}

/** The string of `require("m")` / `import("m")` when the call is one, else undefined. */
export function moduleLoadSpecifier(call: ts.CallExpression): { module: string; dynamic: boolean } | undefined {
  const callee = call.expression;
  const dynamic = callee.kind === SK.ImportKeyword;
  if (!dynamic && !(callee.kind === SK.Identifier && (callee as ts.Identifier).text === "require")) return undefined;
  const arg = call.arguments[0];
  if (!arg || (arg.kind !== SK.StringLiteral && arg.kind !== SK.NoSubstitutionTemplateLiteral)) return undefined;
  return { module: (arg as ts.StringLiteral).text, dynamic };
}

/** Local names bound by a binding name (identifier or nested patterns), in source order. */
export function boundNames(name: ts.BindingName, out: string[] = []): string[] {
  if (name.kind === SK.Identifier) {
    out.push(name.text);
  } else {
    for (const el of name.elements) {
      if (el.kind === SK.BindingElement) boundNames(el.name, out);
    }
  }
  return out;
}

/** First non-empty line of a comment, without comment markers and JSDoc `*`, trimmed, at most 200 chars. */
export function commentFirstLine(comment: string): string | undefined {
  let body: string;
  if (comment.startsWith("//")) body = comment.replace(/^\/\/+/, "");
  else body = comment.replace(/^\/\*+/, "").replace(/\*+\/$/, "");
  for (const raw of body.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/^\s*\*+(?!\/)/, "").trim();
    if (line.length > 0) return line.slice(0, 200);
  }
  return undefined;
}

/** Comments that are tool directives rather than documentation. */
export function isDirectiveComment(comment: string): boolean {
  return /^(\/\/\/|#!|\/\/\s*(eslint|@ts-|prettier|jshint|global\b|istanbul|biome|ssot-audit-ignore)|\/\*\s*(eslint|global\b|jshint|prettier|istanbul|biome|ssot-audit-ignore))/.test(
    comment,
  );
}
