import { describe, expect, it } from "vitest";
import type { Definition } from "../../../src/facts/types.js";
import { extract, textAt } from "./helpers.js";

const row = (d: Definition) => [d.qualifiedName, d.kind, d.signatureOnly ?? null, d.className ?? null];

describe("typescript definitions", () => {
  const SRC = `import { Injectable } from "di";

/** Hub doc line.
 * second line */
@Injectable()
export default class Hub extends Base<Event> implements Pusher, Closer {
  static instance = new Hub();
  private readonly io = createServer();
  handle = async (e: Event) => this.pushToUser(e.user, e);
  constructor(private readonly svc: Service, plain: number) {
    super();
  }
  get size(): number { return 1; }
  set size(v: number) {}
  @Log("push")
  async pushToUser(userId: string, payload?: Payload, ...rest: unknown[]): Promise<void> {
    function format(p: Payload) { return p; }
    await this.io.to(userId).emit("event", format(payload));
  }
  close(): void {}
  notReady(): void { throw new Error("Not implemented yet"); }
  fails(): void { throw new Error("boom"); }
  render(x: string): string;
  render(x: number): string;
  render(x: unknown): string { return String(x); }
}

export abstract class Base<T> {
  abstract send(e: T): Promise<void>;
  protected log(): void { console.log("x"); }
}

interface Pusher extends Closer {
  pushToUser(userId: string, payload: Payload): Promise<void>;
  close: () => void;
  name: string;
}

export type Closer = { close(): void; readonly id: number };

declare function legacyPush(userId: string): void;

export const sendLater = async ({ user, data: d }: Msg, retries = 3) => {
  setTimeout(() => sendNow(user, d), 10);
};

export const api = {
  ping() { return "pong"; },
  nested: { deep: () => 1 },
  value: 3,
};

function makeHub() {
  return {
    pushToUser(u: string) { return u; },
  };
}
`;

  it("records functions, classes, methods, arrows, object-literal methods and signatures", async () => {
    const f = await extract(SRC);
    expect(f.definitions.map(row)).toEqual([
      ["Hub", "class", null, null],
      ["Hub.handle", "method", null, "Hub"],
      ["Hub.pushToUser", "method", null, "Hub"],
      ["Hub.pushToUser.format", "function", null, null],
      ["Hub.close", "method", "stub", "Hub"],
      ["Hub.notReady", "method", "stub", "Hub"],
      ["Hub.fails", "method", null, "Hub"],
      ["Hub.render", "method", "overload", "Hub"],
      ["Hub.render", "method", "overload", "Hub"],
      ["Hub.render", "method", null, "Hub"],
      ["Base", "class", null, null],
      ["Base.send", "method", "abstract", "Base"],
      ["Base.log", "method", null, "Base"],
      ["Pusher", "class", "interface", null],
      ["Pusher.pushToUser", "method", "interface", "Pusher"],
      ["Pusher.close", "method", "interface", "Pusher"],
      ["Closer", "class", "interface", null],
      ["Closer.close", "method", "interface", "Closer"],
      ["legacyPush", "function", "declare", null],
      ["sendLater", "function", null, null],
      ["api.ping", "method", null, "api"],
      ["api.nested.deep", "method", null, "api.nested"],
      ["makeHub", "function", null, null],
      ["makeHub.pushToUser", "method", null, null],
    ]);
  });

  it("records export flags, async, decorators, bases, return types and docs", async () => {
    const f = await extract(SRC);
    const pick = (qn: string) => {
      const d = f.definitions.find((x) => x.qualifiedName === qn);
      if (!d) throw new Error(`no ${qn}`);
      return {
        exported: d.exported,
        isDefaultExport: d.isDefaultExport ?? false,
        isAsync: d.isAsync,
        decorators: d.decorators,
        bases: d.bases,
        returnType: d.returnType ?? null,
        doc: d.doc ?? null,
      };
    };
    expect(pick("Hub")).toEqual({
      exported: true,
      isDefaultExport: true,
      isAsync: false,
      decorators: ["Injectable()"],
      bases: ["Base<Event>", "Pusher", "Closer"],
      returnType: null,
      doc: "Hub doc line.",
    });
    expect(pick("Hub.pushToUser")).toEqual({
      exported: true,
      isDefaultExport: false,
      isAsync: true,
      decorators: ['Log("push")'],
      bases: [],
      returnType: "Promise<void>",
      doc: null,
    });
    expect(pick("Hub.pushToUser.format").exported).toBe(false);
    expect(pick("Pusher")).toMatchObject({ exported: false, bases: ["Closer"] });
    expect(pick("Closer").exported).toBe(true);
    expect(pick("sendLater")).toMatchObject({ exported: true, isAsync: true });
    expect(pick("api.ping").exported).toBe(true);
    expect(pick("makeHub.pushToUser").exported).toBe(false);
  });

  it("records params: rest, destructured with properties, defaults and optionals, no `this`", async () => {
    const f = await extract(`
export function a(this: Window, x: number, y = 2, z?: string, ...rest: string[]) {}
export const b = ({ user, data: d, ...others }: Msg, [p, q]: number[]) => user;
`);
    expect(f.definitions.map((d) => d.params)).toEqual([
      [
        { name: "x", kind: "positional", hasDefault: false, type: "number" },
        { name: "y", kind: "positional", hasDefault: true },
        { name: "z", kind: "positional", hasDefault: true, type: "string" },
        { name: "rest", kind: "rest", hasDefault: false, type: "string[]" },
      ],
      [
        { name: "{ user, data: d, ...others }", kind: "destructured", hasDefault: false, type: "Msg", properties: ["user", "data"] },
        { name: "[p, q]", kind: "destructured", hasDefault: false, type: "number[]" },
      ],
    ]);
  });

  it("records returns (up to 5) and thin delegates, but not two-statement bodies", async () => {
    const src = `
class Hub {
  static instance?: Hub;
  get() { return this.instance; }
  make() { return new Hub(); }
  named() { const h = hub; return h; }
  many(x: number) {
    if (x === 1) return a;
    if (x === 2) return b.c;
    if (x === 3) return getD();
    if (x === 4) return "lit";
    if (x === 5) return e;
    if (x === 6) return f;
    return g;
  }
  async delegate(u: string) { return await this.svc.pushToUser(u); }
  async awaitOnly(u: string) { await svc().push(u); }
  callOnly(u: string) { legacy.push(u); }
  twoStatements(u: string) { log(u); return svc.push(u); }
  notACall() { return this.svc; }
  constructs() { return new Hub(); }
}
const arrow = (u: string) => hub.pushToUser(u);
const awaitedArrow = async (u: string) => await hub.pushToUser(u);
const nested = (u: string) => { return () => inner(u); };
`;
    const f = await extract(src);
    expect(
      f.definitions.map((d) => [d.qualifiedName, d.returns, d.delegateCall === undefined ? null : f.calls[d.delegateCall]?.callee]),
    ).toEqual([
      ["Hub", [], null],
      ["Hub.get", [["this", "instance"]], null],
      ["Hub.make", [["Hub()"]], null],
      ["Hub.named", [["h"]], null],
      ["Hub.many", [["a"], ["b", "c"], ["getD()"], ["e"], ["f"]], null],
      ["Hub.delegate", [["this", "svc", "pushToUser()"]], ["this", "svc", "pushToUser"]],
      ["Hub.awaitOnly", [], ["svc()", "push"]],
      ["Hub.callOnly", [], ["legacy", "push"]],
      ["Hub.twoStatements", [["svc", "push()"]], null],
      ["Hub.notACall", [["this", "svc"]], null],
      ["Hub.constructs", [["Hub()"]], null],
      ["arrow", [["hub", "pushToUser()"]], ["hub", "pushToUser"]],
      ["awaitedArrow", [["hub", "pushToUser()"]], ["hub", "pushToUser"]],
      // returning a function is not a delegate, and the inner arrow's return is not the outer's
      ["nested", [], null],
    ]);
  });

  it("looks through ??, ||, assignments and ternaries in returned expressions", async () => {
    const f = await extract(`
let instance: Hub | undefined;
export function getHub() { return instance ?? (instance = new Hub()); }
const pick = (c: boolean) => (c ? primaryHub : legacy.hub);
`);
    expect(f.definitions.map((d) => [d.name, d.returns])).toEqual([
      ["getHub", [["instance"], ["Hub()"]]],
      ["pick", [["primaryHub"], ["legacy", "hub"]]],
    ]);
  });

  it("tells, for functions neither async nor annotated, whether returns look like promises or cannot be ones", async () => {
    const f = await extract(`
export function length(u: string) { return u.length + 1; }
export function nothing(u: string) { console.log(u); if (!u) return; }
export function literals(c: boolean) { return c ? { ok: true } : [1, \`x\`, null, undefined, !c, typeof c]; }
export function wrapped(u: string) { return new Promise((resolve) => resolve(u)); }
export function chained(u: string) { return load(u).then((x) => x.length); }
export function resolved(u: string) { if (!u) return 0; return Promise.resolve(u.length); }
export function fallback(u: string) { return cached(u) ?? fetchIt(u).catch(() => null); }
export function property(u: string) { return u.length; }
export function name(u: string) { const n = load(u); return n; }
export function call(u: string) { return load(u); }
export function mixed(u: string) { if (u) return 1; return other(u); }
export const arrow = (u: string) => u.length * 2;
export const arrowCall = (u: string) => load(u);
export async function isAsync(u: string) { return u.length; }
export function annotated(u: string): number { return u.length; }
export function* gen(u: string) { yield u; }
export function outer(u: string) { const inner = () => load(u); return [inner]; }
class K { m(u: string) { return new K(); } }
`);
    expect(f.definitions.map((d) => [d.name, d.returnKind ?? null])).toEqual([
      ["length", "value"],
      ["nothing", "value"],
      ["literals", "value"],
      ["wrapped", "promise"],
      ["chained", "promise"],
      ["resolved", "promise"],
      ["fallback", "promise"],
      ["property", "value"],
      ["name", null],
      ["call", null],
      ["mixed", null],
      ["arrow", "value"],
      ["arrowCall", null],
      ["isAsync", null],
      ["annotated", null],
      ["gen", null],
      ["outer", "value"],
      ["inner", null],
      ["K", null],
      ["m", "value"],
    ]);
  });

  it("marks stubs: empty body, not-implemented throws; not other throws or expression arrows", async () => {
    const f = await extract(`
function a() {}
function b() { /* todo */ }
function c() { throw new Error("not implemented"); }
function d() { throw new NotImplementedError(); }
function e() { throw new Error("invalid state"); }
function g() { return; }
const h = () => {};
const i = () => undefined;
`);
    expect(f.definitions.map((d) => [d.name, d.signatureOnly ?? null])).toEqual([
      ["a", "stub"],
      ["b", "stub"],
      ["c", "stub"],
      ["d", "stub"],
      ["e", null],
      ["g", null],
      ["h", "stub"],
      ["i", null],
    ]);
  });

  it("marks overloads of functions and declare'd classes; every definition of a .d.ts is declare", async () => {
    const f = await extract(`
export function parse(x: string): number;
export function parse(x: number): number;
export function parse(x: unknown): number { return 0; }
declare class Legacy { push(): void; }
declare module "ext" { function helper(): void; }
`);
    expect(f.definitions.map(row)).toEqual([
      ["parse", "function", "overload", null],
      ["parse", "function", "overload", null],
      ["parse", "function", null, null],
      ["Legacy", "class", "declare", null],
      ["Legacy.push", "method", "declare", "Legacy"],
      ["helper", "function", "declare", null],
    ]);
    const d = await extract(
      `export declare class Hub { push(): void; }\nexport function make(): Hub;\nexport interface Opts { push(): void }\n`,
      "types/hub.d.ts",
    );
    expect(d.definitions.map(row)).toEqual([
      ["Hub", "class", "declare", null],
      ["Hub.push", "method", "declare", "Hub"],
      ["make", "function", "declare", null],
      ["Opts", "class", "declare", null],
      ["Opts.push", "method", "declare", "Opts"],
    ]);
  });

  it("qualifies namespaces, class expressions and anonymous default exports", async () => {
    const f = await extract(`
export namespace Net { export function send() {} class Inner { go() {} } }
const Klass = class { run() {} };
export default () => notify();
`);
    expect(f.definitions.map((d) => [d.qualifiedName, d.kind, d.exported, d.isDefaultExport ?? false])).toEqual([
      ["Net.send", "function", true, false],
      ["Net.Inner", "class", false, false],
      ["Net.Inner.go", "method", false, false],
      ["Klass", "class", false, false],
      ["Klass.run", "method", false, false],
      ["default", "function", true, true],
    ]);
  });

  it("marks definitions exported through export lists and export default <name>", async () => {
    const f = await extract(`
function a() {}
function b() {}
class C { m() {} }
function d() {}
export { a, b as bee };
export default C;
`);
    expect(f.definitions.map((d) => [d.qualifiedName, d.exported, d.isDefaultExport ?? false])).toEqual([
      ["a", true, false],
      ["b", true, false],
      ["C", true, true],
      ["C.m", true, false],
      ["d", false, false],
    ]);
  });

  it("gives spans of the whole definition (with decorators and export), the name and the body", async () => {
    const src = `export class A {\n  @dec()\n  run(x: number) { return x; }\n}\nexport const go = async () => { await x(); };\nexport default function () {}\n`;
    const f = await extract(src);
    expect(f.definitions.map((d) => [textAt(src, d.span), textAt(src, d.nameSpan), d.bodySpan ? textAt(src, d.bodySpan) : null])).toEqual([
      ["export class A {\n  @dec()\n  run(x: number) { return x; }\n}", "A", "{\n  @dec()\n  run(x: number) { return x; }\n}"],
      ["@dec()\n  run(x: number) { return x; }", "run", "{ return x; }"],
      ["export const go = async () => { await x(); };", "go", "{ await x(); }"],
      ["export default function () {}", "default", "{}"],
    ]);
    const run = f.definitions[1];
    expect(run && [run.span.line, run.span.column, run.nameSpan.line, run.nameSpan.column]).toEqual([2, 3, 3, 3]);
  });

  it("gives renamed copies equal shapes and different bodies different shapes", async () => {
    const f = await extract(`
function one(a: number) { if (a > 1) { return send(a, "x"); } return 0; }
function two(b: number) { if (b > 2) { return emit(b, "y"); } return 7; }
function three(b: number) { while (b > 2) { b = emit(b, "y"); } return 7; }
`);
    const [one, two, three] = f.definitions.map((d) => d.shape);
    expect(one?.hash).toBe(two?.hash);
    expect(one?.hash).not.toBe(three?.hash);
    expect(one?.minhash).toHaveLength(32);
    expect(one?.size).toBeGreaterThan(10);
  });
});
