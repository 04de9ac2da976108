import { describe, expect, it } from "vitest";
import type { ImportFact } from "../../../src/facts/types.js";
import { extract, textAt } from "./helpers.js";

const imp = (i: ImportFact) => ({
  module: i.module,
  names: i.names.map((n) => `${n.imported}:${n.local}`),
  typeOnly: i.typeOnly ?? false,
  inFallback: i.inFallback ?? null,
  enclosing: i.enclosing ?? null,
});

describe("typescript imports", () => {
  it("records ES imports: named, default, namespace, type-only, side-effect, import = require", async () => {
    const src = `import { a as b, c } from "./m";
import hub from "./hub";
import * as ns from "x";
import type { T } from "t";
import { type U, type V } from "u";
import def, { type W } from "w";
import "side";
import legacy = require("legacy");
export { z } from "./z";
`;
    const f = await extract(src);
    expect(f.imports.map(imp)).toEqual([
      { module: "./m", names: ["a:b", "c:c"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "./hub", names: ["default:hub"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "x", names: ["*:ns"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "t", names: ["T:T"], typeOnly: true, inFallback: null, enclosing: null },
      { module: "u", names: ["U:U", "V:V"], typeOnly: true, inFallback: null, enclosing: null },
      { module: "w", names: ["default:def", "W:W"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "side", names: [], typeOnly: false, inFallback: null, enclosing: null },
      { module: "legacy", names: ["*:legacy"], typeOnly: false, inFallback: null, enclosing: null },
    ]);
    expect(f.imports.map((i) => i.level)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const first = f.imports[0];
    expect(first && [textAt(src, first.span), first.names.map((n) => textAt(src, n.span))]).toEqual([
      'import { a as b, c } from "./m";',
      ["a as b", "c"],
    ]);
  });

  it("records require() and dynamic import(), bound or not, with their fallback side", async () => {
    const src = `const x = require("m1");
const { a, b: c } = require("m2");
const fn = require("m3").helper;
require("m4");
async function load() {
  const mod = await import("m5");
  const { default: d } = await import("m6");
  await import("m7");
  try { const fast = require("fast-json"); } catch (e) { const slow = require("./slow-json"); }
}
let impl;
try { impl = require("native"); } catch { impl = require("./pure"); }
`;
    const f = await extract(src, "lib/load.js");
    expect(f.imports.map(imp)).toEqual([
      { module: "m1", names: ["*:x"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "m2", names: ["a:a", "b:c"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "m3", names: ["helper:fn"], typeOnly: false, inFallback: null, enclosing: null },
      { module: "m4", names: [], typeOnly: false, inFallback: null, enclosing: null },
      { module: "m5", names: ["*:mod"], typeOnly: false, inFallback: null, enclosing: "load" },
      { module: "m6", names: ["default:d"], typeOnly: false, inFallback: null, enclosing: "load" },
      { module: "m7", names: [], typeOnly: false, inFallback: null, enclosing: "load" },
      { module: "fast-json", names: ["*:fast"], typeOnly: false, inFallback: "primary", enclosing: "load" },
      { module: "./slow-json", names: ["*:slow"], typeOnly: false, inFallback: "fallback", enclosing: "load" },
      { module: "native", names: ["*:impl"], typeOnly: false, inFallback: "primary", enclosing: null },
      { module: "./pure", names: ["*:impl"], typeOnly: false, inFallback: "fallback", enclosing: null },
    ]);
    expect(f.imports.map((i) => textAt(src, i.span)).slice(0, 4)).toEqual([
      'const x = require("m1");',
      'const { a, b: c } = require("m2");',
      'const fn = require("m3").helper;',
      'require("m4")',
    ]);
    expect(f.fallbacks.map((s) => s.kind)).toEqual(["import-fallback", "import-fallback"]);
    // the variables bound by require/import are imports, not bindings
    expect(f.bindings).toEqual([]);
  });

  it("does not mark imports outside try/catch or in try/finally as fallbacks", async () => {
    const f = await extract(`try { require("a"); } finally { require("b"); }\n`, "x.cjs");
    expect(f.imports.map((i) => [i.module, i.inFallback ?? null])).toEqual([
      ["a", null],
      ["b", null],
    ]);
    expect(f.fallbacks).toEqual([]);
  });
});

describe("typescript exports", () => {
  it("records export lists, re-exports, export default <name> and exported variables", async () => {
    const src = `const a = 1, hub = new Hub();
export { a as b };
export { c } from "./x";
export * from "./y";
export * as ns from "./z";
export default hub;
export const q = new Q(), r = 2;
export function f() {}
export class K {}
`;
    const f = await extract(src);
    expect(f.exports.map((e) => [e.exported, e.local, e.from ?? null, textAt(src, e.span)])).toEqual([
      ["b", "a", null, "a as b"],
      ["c", "c", "./x", "c"],
      ["*", "*", "./y", 'export * from "./y";'],
      ["ns", "*", "./z", 'export * as ns from "./z";'],
      ["default", "hub", null, "export default hub;"],
      ["q", "q", null, "q = new Q()"],
      ["r", "r", null, "r = 2"],
    ]);
  });

  it("records CommonJS exports and the methods of a module.exports object", async () => {
    const f = await extract(
      `function send() {}
module.exports = { send, other: impl, make() { return 1; } };
exports.extra = helper;
module.exports.more = 1;
`,
      "lib/c.js",
    );
    expect(f.exports.map((e) => [e.exported, e.local])).toEqual([
      ["send", "send"],
      ["other", "impl"],
      ["extra", "helper"],
      ["more", "more"],
    ]);
    expect(f.definitions.map((d) => [d.qualifiedName, d.kind, d.exported])).toEqual([
      ["send", "function", true],
      ["make", "method", true],
    ]);
  });

  it("records functions assigned to CommonJS exports and prototypes as definitions", async () => {
    const src = `exports.pushToUser = async function (userId, event) { return hub.send(userId, event); };
module.exports.legacyPush = (u) => legacy(u);
function Hub() {}
Hub.prototype.push = function (u) { this.sock.send(u); };
module.exports = function createHub() { return new Hub(); };
`;
    const f = await extract(src, "lib/hub.js");
    expect(
      f.definitions.map((d) => [
        d.qualifiedName,
        d.kind,
        d.className ?? null,
        d.exported,
        d.isDefaultExport ?? false,
        textAt(src, d.nameSpan),
        d.delegateCall === undefined ? null : f.calls[d.delegateCall]?.callee,
      ]),
    ).toEqual([
      ["pushToUser", "function", null, true, false, "exports.pushToUser", ["hub", "send"]],
      ["legacyPush", "function", null, true, false, "module.exports.legacyPush", ["legacy"]],
      ["Hub", "function", null, false, false, "Hub", null],
      ["Hub.push", "method", "Hub", false, false, "Hub.prototype.push", ["this", "sock", "send"]],
      ["createHub", "function", null, true, true, "createHub", null],
    ]);
    expect(f.exports.map((e) => [e.exported, e.local])).toEqual([
      ["pushToUser", "pushToUser"],
      ["legacyPush", "legacyPush"],
      ["default", "createHub"],
    ]);
    expect(f.bindings).toEqual([]);
  });
});
