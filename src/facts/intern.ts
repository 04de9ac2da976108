/**
 * One copy of each name, and of each list of names, in a project's facts (the codec decodes
 * through a pool). A million-line project repeats the same few thousand names (`self`, `logger`,
 * `OrderService.handle_order`) in hundreds of thousands of calls, references and bindings;
 * decoded apart, each occurrence is its own string. Interning them saves about a tenth of the
 * facts' heap, and copies each pooled string once, so no pooled name keeps a larger string alive
 * (V8 may represent a slice as a view into the string it was cut from).
 */

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
