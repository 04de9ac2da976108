import { describe, expect, it } from "vitest";
import type { FallbackSite } from "../../../src/facts/types.js";
import { extract, textAt } from "./helpers.js";

describe("typescript bindings", () => {
  it("records calls, constructor calls, aliases, destructuring and annotations with their scope", async () => {
    const src = `const hub = new Hub();
const svc = getService();
async function boot() {
  const s2 = await getService();
  let later: Hub;
  const e = process.env;
  const { env } = process;
  const { env: E, argv } = process;
  const { x } = getCfg();
  const typed: Hub = pick();
  const n = 1;
  other = makeOther();
}
class Owner {
  private hub = new Hub();
  static shared = Hub.create();
  ref: Hub;
  count = 0;
  constructor(private readonly svc: Service, public other = make(), plain: Plain) {}
  init() { this.late = new Late(); this.fn = legacyFn; }
}
export default new Default();
`;
    const f = await extract(src);
    expect(f.bindings.map((b) => [b.target, b.scope ?? null, b.value, b.type ?? null, textAt(src, b.span)])).toEqual([
      [["hub"], null, { kind: "call", callee: ["Hub"], isNew: true }, null, "hub = new Hub()"],
      [["svc"], null, { kind: "call", callee: ["getService"] }, null, "svc = getService()"],
      [["s2"], "boot", { kind: "call", callee: ["getService"] }, null, "s2 = await getService()"],
      [["later"], "boot", { kind: "annotation" }, "Hub", "later: Hub"],
      [["e"], "boot", { kind: "alias", path: ["process", "env"] }, null, "e = process.env"],
      [["env"], "boot", { kind: "alias", path: ["process", "env"] }, null, "env"],
      [["E"], "boot", { kind: "alias", path: ["process", "env"] }, null, "env: E"],
      [["argv"], "boot", { kind: "alias", path: ["process", "argv"] }, null, "argv"],
      [["x"], "boot", { kind: "alias", path: ["getCfg()", "x"] }, null, "x"],
      [["typed"], "boot", { kind: "call", callee: ["pick"] }, "Hub", "typed: Hub = pick()"],
      [["other"], "boot", { kind: "call", callee: ["makeOther"] }, null, "other = makeOther()"],
      [["this", "hub"], "Owner", { kind: "call", callee: ["Hub"], isNew: true }, null, "private hub = new Hub();"],
      [["Owner", "shared"], "Owner", { kind: "call", callee: ["Hub", "create"] }, null, "static shared = Hub.create();"],
      [["this", "ref"], "Owner", { kind: "annotation" }, "Hub", "ref: Hub;"],
      [["this", "svc"], "Owner", { kind: "annotation" }, "Service", "private readonly svc: Service"],
      [["this", "other"], "Owner", { kind: "call", callee: ["make"] }, null, "public other = make()"],
      [["this", "late"], "Owner", { kind: "call", callee: ["Late"], isNew: true }, null, "this.late = new Late()"],
      [["this", "fn"], "Owner", { kind: "alias", path: ["legacyFn"] }, null, "this.fn = legacyFn"],
      [["default"], null, { kind: "call", callee: ["Default"], isNew: true }, null, "export default new Default();"],
    ]);
  });
});

const site = (src: string) => (s: FallbackSite) => ({
  kind: s.kind,
  text: textAt(src, s.span),
  primary: s.primary.map((r) => textAt(src, r)),
  fallback: s.fallback.map((r) => textAt(src, r)),
  ...(s.condition !== undefined ? { condition: s.condition } : {}),
  ...(s.caught !== undefined ? { caught: s.caught } : {}),
  enclosing: s.enclosing ?? null,
});

describe("typescript fallbacks", () => {
  it("records try/catch, .catch(), .then(ok, fail), ||, ??, if/else, early returns and ternaries", async () => {
    const src = `async function f() {
  try { await primary(); } catch (e) { legacy(); }
  try { x(); } finally { y(); }
  p.catch((err) => fallback(err));
  p.then(ok, fail);
  p.then(ok);
  const a = x || y || z;
  const b = x ?? (y ?? z);
  if (canonical) { useCanonical(); } else { useLegacy(); }
  if (ready) { log(); }
  if (!svc) return legacySend();
  next();
  const c = ready ? fast() : slow();
}
`;
    const f = await extract(src);
    expect(f.fallbacks.map(site(src))).toEqual([
      {
        kind: "try",
        text: "try { await primary(); } catch (e) { legacy(); }",
        primary: ["{ await primary(); }"],
        fallback: ["{ legacy(); }"],
        caught: [],
        enclosing: "f",
      },
      {
        kind: "promise-catch",
        text: "p.catch((err) => fallback(err))",
        primary: ["p"],
        fallback: ["(err) => fallback(err)"],
        enclosing: "f",
      },
      { kind: "promise-catch", text: "p.then(ok, fail)", primary: ["p", "ok"], fallback: ["fail"], enclosing: "f" },
      { kind: "or", text: "x || y || z", primary: ["x"], fallback: ["y || z"], enclosing: "f" },
      { kind: "nullish", text: "x ?? (y ?? z)", primary: ["x"], fallback: ["(y ?? z)"], enclosing: "f" },
      { kind: "nullish", text: "y ?? z", primary: ["y"], fallback: ["z"], enclosing: "f" },
      {
        kind: "conditional",
        text: "if (canonical) { useCanonical(); } else { useLegacy(); }",
        primary: ["canonical", "{ useLegacy(); }"],
        fallback: ["{ useCanonical(); }"],
        condition: "canonical",
        enclosing: "f",
      },
      {
        kind: "conditional",
        text: "if (!svc) return legacySend();",
        primary: ["!svc", "next();\n  const c = ready ? fast() : slow();"],
        fallback: ["return legacySend();"],
        condition: "!svc",
        enclosing: "f",
      },
      {
        kind: "conditional",
        text: "ready ? fast() : slow()",
        primary: ["ready", "slow()"],
        fallback: ["fast()"],
        condition: "ready",
        enclosing: "f",
      },
    ]);
  });

  it("records an early return at the end of a block without a rest range, and module-level sites", async () => {
    const src = `const impl = globalThis.native ?? legacyImpl;
function g(x: number) {
  if (x) {
    throw new Error("x");
  }
}
`;
    const f = await extract(src);
    expect(f.fallbacks.map(site(src))).toEqual([
      {
        kind: "nullish",
        text: "globalThis.native ?? legacyImpl",
        primary: ["globalThis.native"],
        fallback: ["legacyImpl"],
        enclosing: null,
      },
      {
        kind: "conditional",
        text: 'if (x) {\n    throw new Error("x");\n  }',
        primary: ["x"],
        fallback: ['{\n    throw new Error("x");\n  }'],
        condition: "x",
        enclosing: "g",
      },
    ]);
  });

  it("marks imports inside a .catch() receiver and callback", async () => {
    const f = await extract(`const m = await import("./new").catch(() => import("./old"));\n`, "a.mts");
    expect(f.imports.map((i) => [i.module, i.inFallback ?? null])).toEqual([
      ["./new", "primary"],
      ["./old", "fallback"],
    ]);
    expect(f.fallbacks.map((s) => s.kind)).toEqual(["promise-catch"]);
  });
});
