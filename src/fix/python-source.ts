/**
 * What the fixer needs to know about a Python file's layout that facts do not carry: where the
 * module header (docstring, `from __future__`) ends, which identifiers are bound where (to make
 * sure a rewritten call's root name is not shadowed), a function body's docstring, and the
 * shape of a `try` statement. Parsed with the same tree-sitter grammar as the extractor.
 */
import type { Node, Tree } from "web-tree-sitter";
import { loadPythonGrammar, pythonParser } from "../languages/python/grammar.js";

/** Node types an assignment target may be nested in (`a, (b, c) = …`). */
const PATTERN_WRAPPERS = new Set([
  "pattern_list",
  "tuple_pattern",
  "list_pattern",
  "list_splat_pattern",
  "dictionary_splat_pattern",
  "tuple",
  "list",
  "parenthesized_expression",
  "expression_list",
  "as_pattern_target",
  "typed_parameter",
  "case_pattern",
]);

function same(a: Node | null | undefined, b: Node): boolean {
  return Boolean(a && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type);
}

/** Whether an identifier node binds its name (assignment target, parameter, def name, `global` …). */
function isBinding(id: Node): boolean {
  // `case x:`, `case P(k=x):` — a capture is a one-name dotted_name in a pattern; `case [*x]:`.
  const holder = id.parent;
  if (holder?.type === "splat_pattern") return true;
  if (holder?.type === "dotted_name" && holder.namedChildCount === 1) {
    const pattern = holder.parent?.type;
    if (pattern === "case_pattern" || (pattern === "keyword_pattern" && !same(holder.parent?.firstNamedChild, holder))) return true;
  }
  let node: Node = id;
  let parent = id.parent;
  while (parent && PATTERN_WRAPPERS.has(parent.type)) {
    if (parent.type === "typed_parameter" && !same(parent.firstNamedChild, node)) return false;
    if (parent.type === "case_pattern") return true;
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  switch (parent.type) {
    case "assignment":
    case "augmented_assignment":
    case "for_statement":
    case "for_in_clause":
      return same(parent.childForFieldName("left"), node);
    case "named_expression":
    case "function_definition":
    case "class_definition":
      return same(parent.childForFieldName("name"), node);
    case "default_parameter":
    case "typed_default_parameter":
      return same(parent.childForFieldName("name"), node);
    case "as_pattern":
      return same(parent.childForFieldName("alias"), node);
    case "parameters":
    case "lambda_parameters":
    case "global_statement":
    case "nonlocal_statement":
    case "delete_statement":
      return true;
    default:
      return false;
  }
}

export interface PythonTry {
  /** Statements of the try body, comments not counted. */
  statements: number;
  hasElse: boolean;
  hasFinally: boolean;
  /** Offset of the start of the line after `try:` (where the body's first line starts). */
  bodyLineStart: number;
  /** End of the try body block. */
  bodyEnd: number;
  /** Whether a string in the body spans several lines (re-indenting would change it). */
  multilineString: boolean;
}

export class PythonSource {
  private constructor(
    private readonly tree: Tree,
    readonly text: string,
  ) {}

  static async parse(text: string): Promise<PythonSource> {
    const grammar = await loadPythonGrammar();
    const tree = pythonParser(grammar).parse(text);
    if (!tree) throw new Error("python parser returned no tree");
    return new PythonSource(tree, text);
  }

  dispose(): void {
    this.tree.delete();
  }

  private get root(): Node {
    return this.tree.rootNode;
  }

  /** Offsets of identifiers named `name` that bind it (imports excluded: facts cover those). */
  bindings(name: string): number[] {
    const out: number[] = [];
    for (const id of this.root.descendantsOfType("identifier")) {
      if (id && id.text === name && isBinding(id)) out.push(id.startIndex);
    }
    return out;
  }

  /**
   * Where module-level code starts after the module docstring and `from __future__` imports:
   * `{ offset, after: true }` is the end of the last such statement; `{ offset, after: false }`
   * is the start of the first statement (after leading comments) when there is no header.
   */
  header(): { offset: number; after: boolean } {
    let end: number | undefined;
    let first: number | undefined;
    let index = 0;
    for (const child of this.root.namedChildren) {
      if (!child || child.type === "comment") continue;
      first ??= child.startIndex;
      const isDoc =
        index === 0 &&
        child.type === "expression_statement" &&
        child.namedChildCount === 1 &&
        /^(string|concatenated_string)$/.test(child.firstNamedChild?.type ?? "");
      if (isDoc || child.type === "future_import_statement") end = child.endIndex;
      else break;
      index++;
    }
    if (end !== undefined) return { offset: end, after: true };
    return { offset: first ?? this.text.length, after: false };
  }

  /** The block node starting at `start` (a definition's bodySpan.start). */
  private blockAt(start: number): Node | undefined {
    let node = this.root.descendantForIndex(start);
    while (node && !(node.type === "block" && node.startIndex === start)) node = node.parent;
    return node ?? undefined;
  }

  /** End offset of the docstring that opens the block starting at `bodyStart`, if any. */
  docstringEnd(bodyStart: number): number | undefined {
    const block = this.blockAt(bodyStart);
    const first = block?.namedChildren.find((c) => c && c.type !== "comment");
    if (
      first?.type === "expression_statement" &&
      first.namedChildCount === 1 &&
      /^(string|concatenated_string)$/.test(first.firstNamedChild?.type ?? "")
    ) {
      return first.endIndex;
    }
    return undefined;
  }

  /** Number of statements in the block starting at `bodyStart` (comments not counted). */
  blockStatements(bodyStart: number): number {
    return this.blockAt(bodyStart)?.namedChildren.filter((c) => c && c.type !== "comment").length ?? 0;
  }

  /** The try statement starting at `start`, if it is one. */
  tryAt(start: number): PythonTry | undefined {
    let node = this.root.descendantForIndex(start);
    while (node && !(node.type === "try_statement" && node.startIndex === start)) node = node.parent;
    if (!node) return undefined;
    const body = node.childForFieldName("body");
    if (!body) return undefined;
    const colonLineEnd = this.text.indexOf("\n", start);
    if (colonLineEnd < 0 || colonLineEnd >= body.startIndex) return undefined;
    let hasElse = false;
    let hasFinally = false;
    for (const c of node.namedChildren) {
      if (c?.type === "else_clause") hasElse = true;
      if (c?.type === "finally_clause") hasFinally = true;
    }
    const strings = body.descendantsOfType("string");
    const multilineString = strings.some((s) => s?.text.includes("\n"));
    return {
      statements: body.namedChildren.filter((c) => c && c.type !== "comment").length,
      hasElse,
      hasFinally,
      bodyLineStart: colonLineEnd + 1,
      bodyEnd: body.endIndex,
      multilineString,
    };
  }

  /** Whether `offset` lies inside a string (an f-string's interpolation). */
  insideString(offset: number): boolean {
    for (let n = this.root.descendantForIndex(offset); n; n = n.parent) if (n.type === "string") return true;
    return false;
  }

  /** Whether a string literal overlapping `[start, end)` spans several lines. */
  hasMultilineString(start: number, end: number): boolean {
    return this.root
      .descendantsOfType("string")
      .some((s) => s !== null && s.startIndex < end && s.endIndex > start && s.text.includes("\n"));
  }
}
