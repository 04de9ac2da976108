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
});
