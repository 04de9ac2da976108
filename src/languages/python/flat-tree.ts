import type { Tree, TreeCursor } from "web-tree-sitter";
import { K, type PythonGrammar, type RawCursorApi } from "./grammar.js";

const TS_ERROR_SYMBOL = 65535;

/**
 * A syntax tree copied out of WASM memory into typed arrays, in pre-order. Walking the
 * web-tree-sitter API costs a WASM round trip per property; copying once with a TreeCursor
 * (a handful of calls per node) and then analysing plain arrays is much cheaper, and lets the
 * WASM tree be freed immediately.
 *
 * Node `k`'s subtree is exactly the index range `[k, after(k))`. Index 0 is the root.
 * Missing children are reported as -1. Anonymous tokens (`(`, `def`, `or` …) have start and end
 * -1 unless the tree has syntax errors: only named nodes carry offsets.
 */
export class FlatTree {
  count = 0;
  // Assigned by `allocate`, which the constructor calls.
  private typeIds!: Uint16Array;
  private kinds!: Uint8Array;
  private fields!: Uint8Array;
  private starts!: Int32Array;
  private ends!: Int32Array;
  private parents!: Int32Array;
  private firstChildren!: Int32Array;
  private lastChildren!: Int32Array;
  private nextSiblings!: Int32Array;
  private afters!: Int32Array;
  private missings!: Uint8Array;

  constructor(
    readonly grammar: PythonGrammar,
    capacity: number,
  ) {
    this.allocate(Math.max(64, capacity));
  }

  /** New, zeroed arrays with room for `n` nodes. */
  private allocate(n: number): void {
    this.typeIds = new Uint16Array(n);
    this.kinds = new Uint8Array(n);
    this.fields = new Uint8Array(n);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.parents = new Int32Array(n);
    this.firstChildren = new Int32Array(n);
    this.lastChildren = new Int32Array(n);
    this.nextSiblings = new Int32Array(n);
    this.afters = new Int32Array(n);
    this.missings = new Uint8Array(n);
  }

  /** Every per-node array, in a fixed order. */
  private columns(): (Uint8Array | Uint16Array | Int32Array)[] {
    return [
      this.typeIds,
      this.kinds,
      this.fields,
      this.starts,
      this.ends,
      this.parents,
      this.firstChildren,
      this.lastChildren,
      this.nextSiblings,
      this.afters,
      this.missings,
    ];
  }

  typeId(k: number): number {
    return this.typeIds[k] ?? 0;
  }
  kind(k: number): number {
    return this.kinds[k] ?? 0;
  }
  field(k: number): number {
    return this.fields[k] ?? 0;
  }
  start(k: number): number {
    return this.starts[k] ?? 0;
  }
  end(k: number): number {
    return this.ends[k] ?? 0;
  }
  parent(k: number): number {
    return this.parents[k] ?? -1;
  }
  firstChild(k: number): number {
    return this.firstChildren[k] ?? -1;
  }
  lastChild(k: number): number {
    return this.lastChildren[k] ?? -1;
  }
  nextSibling(k: number): number {
    return this.nextSiblings[k] ?? -1;
  }
  /** Pre-order index just past the subtree of `k`. */
  after(k: number): number {
    return this.afters[k] ?? k + 1;
  }
  isMissing(k: number): boolean {
    return this.missings[k] === 1;
  }
  isNamed(k: number): boolean {
    return this.grammar.namedOf[this.typeId(k)] === 1;
  }
  typeName(k: number): string {
    return this.grammar.typeNames[this.typeId(k)] ?? "ERROR";
  }

  /** First child with the given field id, or -1. */
  childByField(k: number, field: number): number {
    for (let c = this.firstChild(k); c >= 0; c = this.nextSibling(c)) if (this.field(c) === field) return c;
    return -1;
  }

  /** First child of the given kind, or -1. */
  childOfKind(k: number, kind: number): number {
    for (let c = this.firstChild(k); c >= 0; c = this.nextSibling(c)) if (this.kind(c) === kind) return c;
    return -1;
  }

  /** Named children other than comments. */
  namedChildren(k: number): number[] {
    const out: number[] = [];
    for (let c = this.firstChild(k); c >= 0; c = this.nextSibling(c)) {
      if (this.isNamed(c) && this.kind(c) !== K.comment && this.kind(c) !== K.line_continuation) out.push(c);
    }
    return out;
  }

  /** First named child other than a comment, or -1. */
  firstNamedChild(k: number): number {
    for (let c = this.firstChild(k); c >= 0; c = this.nextSibling(c)) {
      if (this.isNamed(c) && this.kind(c) !== K.comment && this.kind(c) !== K.line_continuation) return c;
    }
    return -1;
  }

  /**
   * Empties the tree for reuse, with room for at least `capacity` nodes: one file's tree is
   * garbage once its facts are out, and a thread's next file can take its arrays instead of
   * allocating (and zeroing) new ones — a megabyte or more per large file.
   */
  reset(capacity: number): this {
    this.count = 0;
    if (this.typeIds.length < capacity) this.allocate(Math.max(capacity, this.typeIds.length * 2));
    return this;
  }

  private grow(): void {
    const before = this.columns();
    this.allocate(this.typeIds.length * 2);
    const after = this.columns();
    for (let i = 0; i < after.length; i++) after[i]?.set(before[i] as Uint8Array);
  }

  /** Appends a node under `parent` (or the root when -1) and returns its index. */
  add(parent: number, typeId: number, field: number, start: number, end: number, missing: boolean): number {
    if (this.count === this.typeIds.length) this.grow();
    const i = this.count++;
    const id = typeId === TS_ERROR_SYMBOL ? this.grammar.errorTypeId : typeId;
    this.typeIds[i] = id;
    this.kinds[i] = this.grammar.kindOf[id] ?? 0;
    this.fields[i] = field;
    this.starts[i] = start;
    this.ends[i] = end;
    this.parents[i] = parent;
    this.firstChildren[i] = -1;
    this.lastChildren[i] = -1;
    this.nextSiblings[i] = -1;
    this.afters[i] = i + 1;
    this.missings[i] = missing ? 1 : 0;
    if (parent >= 0) {
      const last = this.lastChildren[parent] ?? -1;
      if (last >= 0) this.nextSiblings[last] = i;
      else this.firstChildren[parent] = i;
      this.lastChildren[parent] = i;
    }
    return i;
  }

  setAfter(k: number, after: number): void {
    this.afters[k] = after;
  }
}

export interface FlattenOptions {
  /** Walk with web-tree-sitter's public cursor API instead of the raw functions (tests compare both). */
  publicApi?: boolean;
  /** Fill this tree (emptied first) instead of a new one; it must be of the same grammar and no longer in use. */
  reuse?: FlatTree;
}

/** A tree for `textLength` characters of source: `reuse` emptied, when it fits the grammar, else a new one. */
function treeFor(grammar: PythonGrammar, textLength: number, reuse: FlatTree | undefined): FlatTree {
  // Ordinary Python has about one node per three characters.
  const capacity = Math.ceil(textLength / 2.5) + 64;
  return reuse && reuse.grammar === grammar ? reuse.reset(capacity) : new FlatTree(grammar, capacity);
}

/** Copies a web-tree-sitter tree into a FlatTree with one cursor walk. */
export function flatten(tree: Tree, grammar: PythonGrammar, textLength: number, options: FlattenOptions = {}): FlatTree {
  const flat = treeFor(grammar, textLength, options.reuse);
  const hasError = tree.rootNode.hasError;
  if (grammar.raw && !options.publicApi) return flattenRaw(tree, grammar.raw, flat, hasError);
  const c = tree.walk();
  try {
    copySubtree(c, flat, -1, hasError);
    return flat;
  } finally {
    c.delete();
  }
}

/**
 * Copies the node at the cursor and its subtree under `parent` (-1: as the root) through the
 * public cursor API, and leaves the cursor on that node. Returns the node's index.
 */
function copySubtree(c: TreeCursor, flat: FlatTree, parent: number, hasError: boolean): number {
  const { leafOf, fieldParentOf, namedOf } = flat.grammar;
  const add = (under: number): number => {
    const typeId = c.nodeTypeId;
    // Offsets of anonymous tokens are only needed to locate syntax errors; skipping them
    // saves two WASM round trips for about half of all nodes.
    const located = hasError || namedOf[typeId] === 1;
    const start = located ? c.startIndex : -1;
    const end = located ? c.endIndex : -1;
    const field = under >= 0 && fieldParentOf[flat.typeId(under)] === 1 ? c.currentFieldId : 0;
    return flat.add(under, typeId, field, start, end, hasError && start === end && c.nodeIsMissing);
  };
  const top = add(parent);
  let idx = top;
  for (;;) {
    // Tokens never have children: skip the cursor round trip for them (unless the tree has
    // errors, where recovery may build unusual shapes).
    if ((hasError || leafOf[flat.typeId(idx)] !== 1) && c.gotoFirstChild()) {
      idx = add(idx);
      continue;
    }
    for (;;) {
      flat.setAfter(idx, flat.count);
      if (idx === top) return top;
      if (c.gotoNextSibling()) {
        idx = add(flat.parent(idx));
        break;
      }
      c.gotoParent();
      idx = flat.parent(idx);
    }
  }
}

/**
 * The same walk through the runtime's own cursor functions (see `RawCursorApi`): the cursor lives
 * in the runtime's transfer buffer for the whole walk, so nothing else may call web-tree-sitter
 * until it returns. About twice as fast as the public API.
 */
function flattenRaw(tree: Tree, raw: RawCursorApi, flat: FlatTree, hasError: boolean): FlatTree {
  const { leafOf, fieldParentOf, namedOf } = flat.grammar;
  const t = (tree as unknown as { 0: number })[0];
  const cursor = tree.walk();
  // Reading a property copies the new cursor into the transfer buffer; from here on the raw
  // functions keep it there.
  cursor.nodeTypeId;
  try {
    const add = (parent: number): number => {
      const typeId = raw._ts_tree_cursor_current_node_type_id_wasm(t);
      const located = hasError || namedOf[typeId] === 1;
      const start = located ? raw._ts_tree_cursor_start_index_wasm(t) : -1;
      const end = located ? raw._ts_tree_cursor_end_index_wasm(t) : -1;
      const field = parent >= 0 && fieldParentOf[flat.typeId(parent)] === 1 ? raw._ts_tree_cursor_current_field_id_wasm(t) : 0;
      const missing = hasError && start === end && raw._ts_tree_cursor_current_node_is_missing_wasm(t) === 1;
      return flat.add(parent, typeId, field, start, end, missing);
    };
    let idx = add(-1);
    for (;;) {
      if ((hasError || leafOf[flat.typeId(idx)] !== 1) && raw._ts_tree_cursor_goto_first_child_wasm(t) === 1) {
        idx = add(idx);
        continue;
      }
      for (;;) {
        flat.setAfter(idx, flat.count);
        if (raw._ts_tree_cursor_goto_next_sibling_wasm(t) === 1) {
          idx = add(flat.parent(idx));
          break;
        }
        if (raw._ts_tree_cursor_goto_parent_wasm(t) !== 1) return flat;
        idx = flat.parent(idx);
      }
    }
  } finally {
    // The JS object's copy of the cursor is stale (the C side may have moved its stack): free the
    // cursor from the transfer buffer and leave the JS object empty, never `cursor.delete()`.
    raw._ts_tree_cursor_delete_wasm(t);
    const handle = cursor as unknown as { 0: number; 1: number; 2: number; 3: number };
    handle[0] = handle[1] = handle[2] = handle[3] = 0;
  }
}

/**
 * Copies the trees of a file parsed in chunks (`parse.ts`) into one FlatTree: a module root
 * spanning the whole text, holding the top-level nodes of every chunk in order. Offsets are
 * recorded for every node (chunks come from broken files, where errors need locating).
 */
export function flattenChunks(trees: readonly Tree[], grammar: PythonGrammar, textLength: number, options: Pick<FlattenOptions, "reuse"> = {}): FlatTree {
  const flat = treeFor(grammar, textLength, options.reuse);
  const moduleType = grammar.typeNames.indexOf("module");
  const root = flat.add(-1, moduleType, 0, 0, textLength, false);
  for (const tree of trees) {
    const c = tree.walk();
    try {
      // A chunk that did not parse as a module at all is one ERROR: keep it (its syntax error
      // and what recovery made of its contents), as the whole file's parse would.
      if (c.nodeTypeId !== moduleType) copySubtree(c, flat, root, true);
      else if (c.gotoFirstChild()) {
        do copySubtree(c, flat, root, true);
        while (c.gotoNextSibling());
      }
    } finally {
      c.delete();
    }
  }
  flat.setAfter(root, flat.count);
  return flat;
}
