/**
 * One copy of each name in a project's facts. A million-line project repeats the same few
 * thousand names (`self`, `logger`, `OrderService.handle_order`) in hundreds of thousands of
 * calls, references and bindings; decoded or extracted apart, each occurrence is its own string.
 * Interning them into one pool saves about a tenth of the facts' heap, and copies each pooled
 * string once, so no pooled name keeps a whole source text alive (V8 may represent `text.slice()`
 * as a view into the text).
 */
import type { FileFacts } from "./types.js";

/** The one empty list that decoded facts share (frozen, like every shared list). */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);

interface ListNode {
  /** The list of the names on the way to this node, once asked for. */
  list?: readonly string[];
  next?: Map<string, ListNode>;
}

export class StringPool {
  private readonly strings = new Map<string, string>();
  private readonly lists: ListNode = {};

  intern(s: string): string {
    let pooled = this.strings.get(s);
    if (pooled === undefined) {
      // A fresh flat copy, independent of whatever string `s` was cut from.
      pooled = s.length > 12 ? (JSON.parse(JSON.stringify(s)) as string) : s;
      this.strings.set(pooled, pooled);
    }
    return pooled;
  }

  /**
   * One frozen copy of each distinct list of names: a project repeats the same member paths
   * (`self.logger.info`, `os.environ`) in thousands of calls and references, and an array costs
   * more than its names. `items` must be names from this pool (`intern`). Callers must not
   * mutate the result (it is frozen: mutation throws).
   */
  list(items: readonly string[]): readonly string[] {
    if (items.length === 0) return EMPTY_LIST;
    // A trie keyed by the pooled names: no key string to build and hash per lookup.
    let node = this.lists;
    for (const name of items) {
      let next = node.next?.get(name);
      if (!next) {
        next = {};
        node.next ??= new Map();
        node.next.set(name, next);
      }
      node = next;
    }
    node.list ??= Object.freeze([...items]);
    return node.list;
  }

  get size(): number {
    return this.strings.size;
  }
}

function internAll(pool: StringPool, list: string[]): void {
  for (let i = 0; i < list.length; i++) list[i] = pool.intern(list[i] as string);
}

/** Replaces the names in `facts` by their pooled copies, in place; returns `facts`. */
export function internFacts(facts: FileFacts, pool: StringPool): FileFacts {
  const p = (s: string) => pool.intern(s);
  for (const d of facts.definitions) {
    d.name = p(d.name);
    d.qualifiedName = p(d.qualifiedName);
    if (d.className !== undefined) d.className = p(d.className);
    internAll(pool, d.decorators);
    internAll(pool, d.bases);
    for (const param of d.params) {
      param.name = p(param.name);
      if (param.type !== undefined) param.type = p(param.type);
    }
    for (const r of d.returns) internAll(pool, r);
  }
  for (const c of facts.calls) {
    internAll(pool, c.callee);
    if (c.enclosing !== undefined) c.enclosing = p(c.enclosing);
    for (const a of c.args) if (a.name !== undefined) a.name = p(a.name);
  }
  for (const r of facts.references) {
    internAll(pool, r.path);
    if (r.enclosing !== undefined) r.enclosing = p(r.enclosing);
  }
  for (const i of facts.imports) {
    i.module = p(i.module);
    for (const n of i.names) {
      n.imported = p(n.imported);
      n.local = p(n.local);
    }
    if (i.enclosing !== undefined) i.enclosing = p(i.enclosing);
  }
  for (const b of facts.bindings) {
    internAll(pool, b.target);
    if (b.scope !== undefined) b.scope = p(b.scope);
    if (b.type !== undefined) b.type = p(b.type);
    if (b.value.kind === "call") internAll(pool, b.value.callee);
    else if (b.value.kind === "alias") internAll(pool, b.value.path);
  }
  for (const s of facts.fallbacks) {
    if (s.enclosing !== undefined) s.enclosing = p(s.enclosing);
    if (s.caught) internAll(pool, s.caught);
  }
  return facts;
}
