import { describe, expect, it } from "vitest";
import { extract, textAt } from "./helpers.js";

describe("typescript calls", () => {
  it("writes callee member paths per the facts convention", async () => {
    const src = `class K {
  async m() {
    a.b.c(x);
    getHub().pushToUser(x);
    io.to(room).emit("e", d);
    this.hub.push();
    new Hub();
    new Hub().push();
    a?.b();
    (a || b).push();
    x!.y();
    handlers[name]();
    (await getHub()).push();
    super.init();
    (hub as Hub).send();
  }
}`;
    const f = await extract(src);
    expect(f.calls.map((c) => [c.callee, c.isNew ?? false, c.awaited])).toEqual([
      [["a", "b", "c"], false, false],
      [["getHub()", "pushToUser"], false, false],
      [["getHub"], false, false],
      [["io", "to()", "emit"], false, false],
      [["io", "to"], false, false],
      [["this", "hub", "push"], false, false],
      [["Hub"], true, false],
      [["Hub()", "push"], false, false],
      [["Hub"], true, false],
      [["a", "b"], false, false],
      [["?", "push"], false, false],
      [["x", "y"], false, false],
      [["?"], false, false],
      [["getHub()", "push"], false, false],
      [["getHub"], false, true],
      [["super", "init"], false, false],
      [["hub", "send"], false, false],
    ]);
    expect(f.calls.map((c) => c.enclosing)).toEqual(Array(17).fill("K.m"));
    expect(f.calls.map((c) => textAt(src, c.calleeSpan))).toEqual([
      "a.b.c",
      "getHub().pushToUser",
      "getHub",
      "io.to(room).emit",
      "io.to",
      "this.hub.push",
      "Hub",
      "new Hub().push",
      "Hub",
      "a?.b",
      "(a || b).push",
      "x!.y",
      "handlers[name]",
      "(await getHub()).push",
      "getHub",
      "super.init",
      "(hub as Hub).send",
    ]);
  });

  it("records spans, argument spans, spreads, awaited and enclosing definitions", async () => {
    const src = `class Svc {
  async run(items: string[]) {
    await this.hub.push(...items, { a: 1 });
    const r = await (fetchIt());
    helper(() => inner());
  }
}
top( /* c */ );
new Bare;
`;
    const f = await extract(src);
    expect(
      f.calls.map((c) => ({
        callee: c.callee.join("."),
        text: textAt(src, c.span),
        args: textAt(src, c.argsSpan),
        each: c.args.map((a) => [textAt(src, a.span), a.spread ?? null]),
        awaited: c.awaited,
        enclosing: c.enclosing ?? null,
      })),
    ).toEqual([
      {
        callee: "this.hub.push",
        text: "this.hub.push(...items, { a: 1 })",
        args: "(...items, { a: 1 })",
        each: [
          ["...items", "list"],
          ["{ a: 1 }", null],
        ],
        awaited: true,
        enclosing: "Svc.run",
      },
      { callee: "fetchIt", text: "fetchIt()", args: "()", each: [], awaited: true, enclosing: "Svc.run" },
      {
        callee: "helper",
        text: "helper(() => inner())",
        args: "(() => inner())",
        each: [["() => inner()", null]],
        awaited: false,
        enclosing: "Svc.run",
      },
      // an arrow function that is not bound to a name is not a definition
      { callee: "inner", text: "inner()", args: "()", each: [], awaited: false, enclosing: "Svc.run" },
      { callee: "top", text: "top( /* c */ )", args: "( /* c */ )", each: [], awaited: false, enclosing: null },
      { callee: "Bare", text: "new Bare", args: "", each: [], awaited: false, enclosing: null },
    ]);
    const first = f.calls[0];
    expect(first && [first.span.line, first.span.column, first.span.endLine, first.span.endColumn]).toEqual([3, 11, 3, 44]);
  });

  it("counts columns in UTF-16 code units after non-ASCII text", async () => {
    const src = `const s = "héllo wörld 🎉"; send(s);\n// ünïcode ✓ comment\nemoji("🎉🎉").then(ok);\n`;
    const f = await extract(src);
    expect(f.calls.map((c) => [c.callee, c.span.line, c.span.column, c.span.endColumn, textAt(src, c.span)])).toEqual([
      [["send"], 1, 29, 36, "send(s)"],
      [["emoji()", "then"], 3, 1, 23, 'emoji("🎉🎉").then(ok)'],
      [["emoji"], 3, 1, 14, 'emoji("🎉🎉")'],
    ]);
  });

  it("does not record dynamic import() as a call, but records require()", async () => {
    const f = await extract(`const m = require("m");\nconst n = await import("n");\n`, "src/a.mjs");
    expect(f.calls.map((c) => c.callee)).toEqual([["require"]]);
  });
});

describe("typescript references", () => {
  it("records maximal member chains that are not callees or assignment targets", async () => {
    const src = `class C {
  init() {
    this.x = 1;
    this.cfg.port = 2;
    const key = process.env.API_KEY;
    const x = process.env["X"];
    process.env.NODE_ENV = "test";
    foo.bar.baz();
    const r = a.b.c;
    const y = getX().y;
    const u = cfg?.user?.name;
    const len = list[0].length;
    use(this.hub);
  }
}`;
    const f = await extract(src);
    expect(f.references.map((r) => [r.path, textAt(src, r.span), r.enclosing])).toEqual([
      [["this", "cfg"], "this.cfg", "C.init"],
      [["process", "env", "API_KEY"], "process.env.API_KEY", "C.init"],
      [["process", "env"], "process.env", "C.init"],
      [["process", "env"], "process.env", "C.init"],
      [["a", "b", "c"], "a.b.c", "C.init"],
      [["getX()", "y"], "getX().y", "C.init"],
      [["cfg", "user", "name"], "cfg?.user?.name", "C.init"],
      [["this", "hub"], "this.hub", "C.init"],
    ]);
  });

  it("records single names only inside fallback sides", async () => {
    const src = `const v = legacy ?? modern;
const w = primary.send || legacyImpl;
const plain = other;
if (!svc) { handler = legacyHandler; } else { use(svc); }
`;
    const f = await extract(src);
    expect(f.references.map((r) => [r.path, r.span.line])).toEqual([
      [["legacy"], 1],
      [["modern"], 1],
      [["primary", "send"], 2],
      [["legacyImpl"], 2],
      [["svc"], 4],
      [["legacyHandler"], 4],
      [["svc"], 4],
    ]);
  });

  it("treats JSX component tags as names, intrinsic elements not", async () => {
    const f = await extract("const el = ok ? <Panel /> : <div>{legacyLabel}</div>;\n", "ui/x.tsx");
    expect(f.references.map((r) => r.path)).toEqual([["ok"], ["Panel"], ["legacyLabel"]]);
  });
});
