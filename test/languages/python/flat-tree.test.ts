import { describe, expect, it } from "vitest";
import { type FlatTree, flatten } from "../../../src/languages/python/flat-tree.js";
import { loadPythonGrammar, pythonParser } from "../../../src/languages/python/grammar.js";
import { src } from "./helpers.js";

/** Every stored field of every node, for whole-tree comparison. */
function dump(flat: FlatTree): number[][] {
  const rows: number[][] = [];
  for (let k = 0; k < flat.count; k++) {
    rows.push([flat.typeId(k), flat.field(k), flat.start(k), flat.end(k), flat.parent(k), flat.after(k), flat.nextSibling(k), flat.isMissing(k) ? 1 : 0]);
  }
  return rows;
}

const SOURCES: Record<string, string> = {
  ordinary: src(
    "import os",
    "from .hub import broadcast as send",
    "",
    "class Service(Base):",
    "    @property",
    "    def name(self) -> str:",
    '        """Doc."""',
    "        return self._name or os.environ.get('X', 'y')",
    "",
    "    async def run(self, *args, key=1, **kw):",
    "        try:",
    "            await send(self.room, [a for a in args if a], key=key)",
    "        except (ValueError, KeyError) as exc:",
    "            legacy_send(exc)",
  ),
  // Missing tokens and ERROR nodes: the walk then records offsets of anonymous tokens too.
  broken: src("def f(:", "    x = (1, 2", "    return g(x", "class C", "    pass", "if a and", "    b()"),
  deep: `x = ${"(".repeat(200)}1${")".repeat(200)}\n`,
  empty: "",
};

describe("python flat tree: the raw cursor walk", () => {
  it("is available with this web-tree-sitter (the fast path is in use)", async () => {
    const grammar = await loadPythonGrammar();
    expect(grammar.raw).toBeDefined();
  });

  for (const [name, text] of Object.entries(SOURCES)) {
    it(`copies exactly what the public cursor API copies: ${name}`, async () => {
      const grammar = await loadPythonGrammar();
      const tree = pythonParser(grammar).parse(text);
      if (!tree) throw new Error("no tree");
      try {
        const viaPublic = dump(flatten(tree, grammar, text.length, { publicApi: true }));
        const viaRaw = dump(flatten(tree, grammar, text.length));
        expect(viaRaw).toEqual(viaPublic);
        expect(viaRaw.length).toBeGreaterThan(0);
        // The runtime is still usable afterwards (the cursor was freed, not left in the buffer).
        expect(tree.rootNode.descendantCount).toBe(viaRaw.length);
      } finally {
        tree.delete();
      }
    });
  }
});

describe("python flat tree: reuse", () => {
  it("fills a reused tree exactly as a new one, whatever the previous file's size", async () => {
    const grammar = await loadPythonGrammar();
    const parser = pythonParser(grammar);
    let reused: FlatTree | undefined;
    // Big to small (stale nodes beyond the new count), small to big (the arrays grow), broken in between.
    for (const name of ["deep", "ordinary", "empty", "broken", "deep", "ordinary"]) {
      const text = SOURCES[name] ?? "";
      const tree = parser.parse(text);
      if (!tree) throw new Error("no tree");
      try {
        const fresh = dump(flatten(tree, grammar, text.length));
        const filled = flatten(tree, grammar, text.length, { reuse: reused });
        expect(dump(filled)).toEqual(fresh);
        if (reused) expect(filled).toBe(reused);
        reused = filled;
      } finally {
        tree.delete();
      }
    }
  });
});
