import { describe, expect, it } from "vitest";
import { matchesSinkPrefix, parseSinkPattern } from "../../src/util/sink-pattern.js";

const matches = (pattern: string, chain: string[], whole = false) => {
  const parsed = parseSinkPattern(pattern);
  if (!parsed) throw new Error(`invalid pattern ${pattern}`);
  return matchesSinkPrefix(parsed, chain, whole);
};

describe("sink patterns", () => {
  it("parses names, call segments and wildcards; rejects the rest", () => {
    expect(parseSinkPattern("io.to().emit")).toEqual(["io", "to()", "emit"]);
    expect(parseSinkPattern("**.send_json")).toEqual(["**", "send_json"]);
    expect(parseSinkPattern("os..environ")).toBeUndefined();
    expect(parseSinkPattern("os.environ[0]")).toBeUndefined();
  });

  it("matches any prefix of a chain; `whole` requires the entire chain", () => {
    expect(matches("os.environ", ["os", "environ", "get"])).toBe(true);
    expect(matches("os.environ", ["os", "environ", "get"], true)).toBe(false);
    expect(matches("os.environ", ["os", "environ"], true)).toBe(true);
    expect(matches("os.environ", ["os", "path", "join"])).toBe(false);
  });

  it("treats `**` as any number of segments and `*` as exactly one", () => {
    expect(matches("**.send_json", ["send_json"])).toBe(true);
    expect(matches("**.send_json", ["self", "ws", "send_json"])).toBe(true);
    expect(matches("*.send_json", ["self", "ws", "send_json"])).toBe(false);
    expect(matches("**.send_json", ["ws", "send_json_schema"])).toBe(false);
  });

  it("matches `name()` only against a call segment; a plain name matches either", () => {
    expect(matches("io.to().emit", ["io", "to()", "emit"])).toBe(true);
    expect(matches("io.to().emit", ["io", "to", "emit"])).toBe(false);
    expect(matches("**.send", ["get_ws()", "send"])).toBe(true);
    expect(matches("get_ws.send", ["get_ws()", "send"])).toBe(true);
  });

  it("agrees with a plain recursive matcher on every short pattern and chain", () => {
    // The reference: the definition, with no shortcuts.
    const segment = (p: string, c: string) => p === "*" || (p.endsWith("()") ? c === p : c === p || c === `${p}()`);
    const reference = (p: readonly string[], c: readonly string[], whole: boolean): boolean => {
      if (p.length === 0) return !whole || c.length === 0;
      const [head, ...rest] = p;
      if (head === "**") return Array.from({ length: c.length + 1 }, (_, k) => k).some((k) => reference(rest, c.slice(k), whole));
      return c.length > 0 && segment(head as string, c[0] as string) && reference(rest, c.slice(1), whole);
    };
    const words = (alphabet: string[], max: number): string[][] => {
      const out: string[][] = [[]];
      for (let n = 1; n <= max; n++) for (const w of out.filter((x) => x.length === n - 1)) for (const a of alphabet) out.push([...w, a]);
      return out;
    };
    const patterns = words(["a", "b()", "*", "**"], 3).filter((p) => p.length > 0);
    const chains = words(["a", "a()", "b", "b()"], 4);
    let checked = 0;
    for (const p of patterns) {
      for (const c of chains) {
        for (const whole of [false, true]) {
          expect([p.join("."), c.join("."), whole, matchesSinkPrefix(p, c, whole)]).toEqual([p.join("."), c.join("."), whole, reference(p, c, whole)]);
          checked++;
        }
      }
    }
    expect(checked).toBe(84 * 341 * 2);
  });
});
