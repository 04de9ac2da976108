import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import { shapeTokenId } from "../../util/shape.js";

/**
 * Node kinds the Python front end cares about. Named node types are keyed by their name,
 * anonymous tokens by their text in quotes (`'or'`), because tree-sitter uses the same name
 * for the `await` keyword and the named `await` expression. Kind 0 is "anything else".
 */
const KIND_NAMES = [
  "(other)",
  "ERROR",
  "module",
  "block",
  "comment",
  "line_continuation",
  "identifier",
  "attribute",
  "subscript",
  "call",
  "argument_list",
  "generator_expression",
  "keyword_argument",
  "list_splat",
  "dictionary_splat",
  "parenthesized_expression",
  "await",
  "string",
  "concatenated_string",
  "string_start",
  "string_end",
  "integer",
  "float",
  "true",
  "false",
  "none",
  "ellipsis",
  "function_definition",
  "class_definition",
  "decorated_definition",
  "decorator",
  "parameters",
  "lambda_parameters",
  "typed_parameter",
  "default_parameter",
  "typed_default_parameter",
  "list_splat_pattern",
  "dictionary_splat_pattern",
  "keyword_separator",
  "positional_separator",
  "tuple_pattern",
  "list_pattern",
  "pattern_list",
  "expression_statement",
  "return_statement",
  "raise_statement",
  "pass_statement",
  "assignment",
  "augmented_assignment",
  "with_item",
  "as_pattern",
  "as_pattern_target",
  "try_statement",
  "except_clause",
  "boolean_operator",
  "if_statement",
  "conditional_expression",
  "import_statement",
  "import_from_statement",
  "future_import_statement",
  "aliased_import",
  "dotted_name",
  "relative_import",
  "import_prefix",
  "wildcard_import",
  "for_statement",
  "for_in_clause",
  "named_expression",
  "global_statement",
  "nonlocal_statement",
  "tuple",
  "not_operator",
  "comparison_operator",
  "case_pattern",
  "'or'",
  "'async'",
] as const;

type KindName = (typeof KIND_NAMES)[number];

/** Kind codes: `K.call`, `K.ERROR`, `K["'or'"]` … */
export const K = Object.fromEntries(KIND_NAMES.map((name, i) => [name, i])) as { readonly [P in KindName]: number };

const FIELD_NAMES = [
  "name",
  "body",
  "parameters",
  "return_type",
  "superclasses",
  "function",
  "arguments",
  "object",
  "attribute",
  "left",
  "right",
  "type",
  "value",
  "alias",
  "condition",
  "consequence",
  "alternative",
  "operator",
  "module_name",
  "definition",
] as const;

type FieldName = (typeof FIELD_NAMES)[number];

/** Anonymous tokens that carry meaning in a body shape (operators and operator keywords). */
const SHAPE_KEYWORDS = new Set(["and", "or", "not", "in", "is", "not in", "is not", "await", "yield", "lambda"]);
const PUNCTUATION = new Set(["(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "\\"]);
const LITERAL_TYPES = new Set(["string", "concatenated_string", "integer", "float", "true", "false", "none"]);
const NAMED_LEAVES = new Set([
  "identifier",
  "integer",
  "float",
  "true",
  "false",
  "none",
  "comment",
  "string_start",
  "string_end",
  "ellipsis",
  "line_continuation",
  "type_conversion",
]);
/** Node types whose children are looked up by field (see the extractor). */
const FIELD_PARENTS = new Set([
  "function_definition",
  "class_definition",
  "decorated_definition",
  "typed_parameter",
  "default_parameter",
  "typed_default_parameter",
  "call",
  "attribute",
  "assignment",
  "augmented_assignment",
  "keyword_argument",
  "with_item",
  "as_pattern",
  "except_clause",
  "try_statement",
  "boolean_operator",
  "if_statement",
  "import_statement",
  "import_from_statement",
  "future_import_statement",
  "aliased_import",
  "for_statement",
  "for_in_clause",
  "named_expression",
]);

/** Per-language lookup tables, built once. */
export interface PythonGrammar {
  language: Language;
  /** Type id used in flat trees for ERROR nodes (tree-sitter reports them as 65535). */
  errorTypeId: number;
  /** Node type name by (remapped) type id. */
  typeNames: string[];
  /** Kind code by type id. */
  kindOf: Uint8Array;
  /** 1 when the type id is a named node type. */
  namedOf: Uint8Array;
  /**
   * Body-shape token by type id: `ID` for identifiers, `LIT` for literals, the node type for
   * other named nodes and operators; null for nodes that do not contribute (comments, punctuation).
   */
  shapeToken: (string | null)[];
  /** `shapeTokenId` of `shapeToken` by type id; 0 where the token is null. */
  shapeId: Uint32Array;
  /** 1 when a node of this type is a literal whose subtree collapses into one `LIT` token. */
  literalOf: Uint8Array;
  /**
   * 1 for node types that never have children (tokens, identifiers), so the flattening walk can
   * skip asking the cursor for a first child.
   */
  leafOf: Uint8Array;
  /** 1 for node types whose children's field names the extractor reads (others get field 0). */
  fieldParentOf: Uint8Array;
  /** Field ids by field name (0 when the grammar lacks the field). */
  F: { readonly [P in FieldName]: number };
  /** The runtime's cursor entry points, when reachable (see `RawCursorApi`). */
  raw?: RawCursorApi;
}

/**
 * The tree-sitter runtime's own cursor functions. web-tree-sitter's `TreeCursor` copies the
 * cursor between JS and WASM memory around every call (four `setValue`s and four `getValue`s);
 * the C side already keeps the cursor in its transfer buffer between calls, so a walk that makes
 * no other web-tree-sitter calls can use these directly at a fraction of the cost. Each takes the
 * tree's address and works on the cursor in the transfer buffer.
 */
export interface RawCursorApi {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_delete_wasm(tree: number): void;
}

const RAW_CURSOR_FUNCTIONS = [
  "_ts_tree_cursor_goto_first_child_wasm",
  "_ts_tree_cursor_goto_next_sibling_wasm",
  "_ts_tree_cursor_goto_parent_wasm",
  "_ts_tree_cursor_current_node_type_id_wasm",
  "_ts_tree_cursor_current_field_id_wasm",
  "_ts_tree_cursor_current_node_is_missing_wasm",
  "_ts_tree_cursor_start_index_wasm",
  "_ts_tree_cursor_end_index_wasm",
  "_ts_tree_cursor_delete_wasm",
] as const;

/** The emscripten module object, when it exposes every raw cursor function. */
function rawCursorApi(runtime: Record<string, unknown>): RawCursorApi | undefined {
  return RAW_CURSOR_FUNCTIONS.every((name) => typeof runtime[name] === "function") ? (runtime as unknown as RawCursorApi) : undefined;
}

function buildGrammar(language: Language, raw: RawCursorApi | undefined): PythonGrammar {
  const types = language.types;
  const errorTypeId = types.length;
  const size = types.length + 1;
  const typeNames: string[] = new Array<string>(size);
  const kindOf = new Uint8Array(size);
  const namedOf = new Uint8Array(size);
  const literalOf = new Uint8Array(size);
  const shapeToken: (string | null)[] = new Array<string | null>(size);
  const leafOf = new Uint8Array(size);
  const fieldParentOf = new Uint8Array(size);
  const kindIndex = new Map<string, number>(KIND_NAMES.map((name, i) => [name, i]));
  for (let id = 0; id < types.length; id++) {
    const name = types[id] ?? "";
    const named = language.nodeTypeIsNamed(id);
    typeNames[id] = name;
    namedOf[id] = named ? 1 : 0;
    kindOf[id] = kindIndex.get(named ? name : `'${name}'`) ?? 0;
    // Anonymous nodes are tokens, except aliased keyword pairs such as `not in` / `is not`.
    leafOf[id] = (named ? NAMED_LEAVES.has(name) : !name.includes(" ")) ? 1 : 0;
    fieldParentOf[id] = named && FIELD_PARENTS.has(name) ? 1 : 0;
    if (named) {
      if (name === "identifier") shapeToken[id] = "ID";
      else if (LITERAL_TYPES.has(name)) {
        shapeToken[id] = "LIT";
        literalOf[id] = 1;
      } else if (name === "comment" || name === "line_continuation") shapeToken[id] = null;
      else shapeToken[id] = name;
    } else if (SHAPE_KEYWORDS.has(name) || (name.length > 0 && !/[\w\s]/.test(name) && !PUNCTUATION.has(name))) {
      shapeToken[id] = name;
    } else {
      shapeToken[id] = null;
    }
  }
  typeNames[errorTypeId] = "ERROR";
  kindOf[errorTypeId] = K.ERROR;
  namedOf[errorTypeId] = 1;
  shapeToken[errorTypeId] = "ERROR";
  const F = Object.fromEntries(FIELD_NAMES.map((name) => [name, language.fieldIdForName(name) ?? 0])) as {
    [P in FieldName]: number;
  };
  fieldParentOf[errorTypeId] = 1;
  const shapeId = new Uint32Array(size);
  for (let id = 0; id < size; id++) {
    const token = shapeToken[id];
    shapeId[id] = token ? shapeTokenId(token) : 0;
  }
  return {
    language,
    errorTypeId,
    typeNames,
    kindOf,
    namedOf,
    shapeToken,
    shapeId,
    literalOf,
    leafOf,
    fieldParentOf,
    F,
    ...(raw ? { raw } : {}),
  };
}

let grammarPromise: Promise<PythonGrammar> | undefined;

/** Loads the tree-sitter runtime and the Python grammar once per thread. */
export function loadPythonGrammar(): Promise<PythonGrammar> {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      // Emscripten builds the runtime *in* the options object it is given (`Module = moduleArg`),
      // so the object passed here ends up holding the raw entry points. When the runtime was
      // initialised elsewhere first, it stays empty and the walk uses the public cursor API.
      const runtime: Record<string, unknown> = {};
      await Parser.init(runtime);
      const wasm = createRequire(import.meta.url).resolve("tree-sitter-python/tree-sitter-python.wasm");
      return buildGrammar(await Language.load(wasm), rawCursorApi(runtime));
    })();
    // Let a later call retry when loading failed (e.g. a transient I/O error).
    grammarPromise.catch(() => {
      grammarPromise = undefined;
    });
  }
  return grammarPromise;
}

let parser: Parser | undefined;

/** The thread's parser, created on first use. */
export function pythonParser(grammar: PythonGrammar): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(grammar.language);
  }
  return parser;
}
