import { describe, expect, it } from "vitest";
import { EMPTY_LIST, StringPool } from "../../src/facts/intern.js";

describe("the name pool", () => {
  it("keeps one copy of each name", () => {
    const pool = new StringPool();
    const long = ["OrderService", "handle_order"].join(".");
    const first = pool.intern(long);
    expect(first).toBe("OrderService.handle_order");
    expect(pool.intern(`OrderService.${"handle_order"}`)).toBe(first);
    pool.intern("self");
    pool.intern("self");
    expect(pool.size).toBe(2);
  });

  it("keeps one frozen copy of each list, telling apart lists that share a prefix or join alike", () => {
    const pool = new StringPool();
    const n = (...names: string[]) => names.map((s) => pool.intern(s));
    const abc = pool.list(n("a", "b", "c"));
    expect(abc).toEqual(["a", "b", "c"]);
    expect(Object.isFrozen(abc)).toBe(true);
    expect(pool.list(n("a", "b", "c"))).toBe(abc);
    const ab = pool.list(n("a", "b"));
    expect(ab).toEqual(["a", "b"]);
    expect(pool.list(n("a", "b", "c"))).toBe(abc);
    expect(pool.list(n("a\u0000b"))).toEqual(["a\u0000b"]);
    expect(pool.list(n("a\u0000b"))).not.toBe(ab);
    expect(pool.list(n("a.b"))).toEqual(["a.b"]);
    expect(pool.list([])).toBe(EMPTY_LIST);
    const input = n("x", "y");
    const xy = pool.list(input);
    input.push("z");
    expect(xy).toEqual(["x", "y"]);
  });
});
