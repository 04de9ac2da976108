import { describe, expect, it } from "vitest";
import { defNamed, extract, slice, src } from "./helpers.js";

describe("python extractor: definitions", () => {
  const text = src(
    '"""Routing helpers.',
    "",
    'More detail."""',
    "import abc",
    "",
    "",
    "class Router(BaseRouter, abc.ABC, metaclass=Meta):",
    '    """Routes events."""',
    "",
    "    def __init__(self, registry, *, timeout: float = 3.0) -> None:",
    "        self.registry = registry",
    "",
    "    @staticmethod",
    "    def build(a, /, b, *args, c, d: int = 1, **kwargs):",
    "        return Router(a)",
    "",
    "    @classmethod",
    "    def create(cls):",
    "        return cls._instance",
    "",
    "    async def broadcast(self, user, event):",
    '        """Send to user."""',
    "        return await self.service.broadcast_to_user(user, event)",
    "",
    "    def two_statements(self, user):",
    "        log(user)",
    "        return self.service.send(user)",
    "",
    "    class Inner:",
    "        def deep(self):",
    "            def helper():",
    "                return 1",
    "            return helper",
    "",
    "",
    "@decorator.one",
    "@decorator_two(1)",
    "async def top(x):",
    "    await other(x)",
  );

  it("lists every definition in source order with kind, owner and export flag", async () => {
    const facts = await extract(text);
    expect(facts.moduleDoc).toBe("Routing helpers.");
    expect(facts.definitions.map((d) => [d.qualifiedName, d.name, d.kind, d.className, d.exported, d.isAsync])).toEqual([
      ["Router", "Router", "class", undefined, true, false],
      ["Router.__init__", "__init__", "method", "Router", false, false],
      ["Router.build", "build", "method", "Router", false, false],
      ["Router.create", "create", "method", "Router", false, false],
      ["Router.broadcast", "broadcast", "method", "Router", false, true],
      ["Router.two_statements", "two_statements", "method", "Router", false, false],
      ["Router.Inner", "Inner", "class", undefined, false, false],
      ["Router.Inner.deep", "deep", "method", "Router.Inner", false, false],
      ["Router.Inner.deep.helper", "helper", "function", undefined, false, false],
      ["top", "top", "function", undefined, true, true],
    ]);
  });

  it("records bases without keyword arguments, decorators without @, docs and return types", async () => {
    const facts = await extract(text);
    const router = defNamed(facts, "Router");
    expect(router.bases).toEqual(["BaseRouter", "abc.ABC"]);
    expect(router.doc).toBe("Routes events.");
    expect(router.signatureOnly).toBeUndefined();
    expect(defNamed(facts, "Router.broadcast").doc).toBe("Send to user.");
    expect(defNamed(facts, "Router.__init__").returnType).toBe("None");
    expect(defNamed(facts, "Router.build").decorators).toEqual(["staticmethod"]);
    expect(defNamed(facts, "top").decorators).toEqual(["decorator.one", "decorator_two(1)"]);
    expect(defNamed(facts, "top").returnType).toBeUndefined();
  });

  it("drops the implicit receiver of methods but not of static methods or plain functions", async () => {
    const facts = await extract(text);
    expect(defNamed(facts, "Router.__init__").params).toEqual([
      { name: "registry", kind: "positional", hasDefault: false },
      { name: "timeout", kind: "keyword-only", hasDefault: true, type: "float" },
    ]);
    expect(defNamed(facts, "Router.build").params).toEqual([
      { name: "a", kind: "positional-only", hasDefault: false },
      { name: "b", kind: "positional", hasDefault: false },
      { name: "args", kind: "rest", hasDefault: false },
      { name: "c", kind: "keyword-only", hasDefault: false },
      { name: "d", kind: "keyword-only", hasDefault: true, type: "int" },
      { name: "kwargs", kind: "kwrest", hasDefault: false },
    ]);
    expect(defNamed(facts, "Router.create").params).toEqual([]);
    expect(defNamed(facts, "Router.Inner.deep").params).toEqual([]);
    expect(defNamed(facts, "Router.Inner.deep.helper").params).toEqual([]);

    const plain = await extract(src("def todo(self, x):", "    return x"));
    expect(defNamed(plain, "todo").params.map((p) => p.name)).toEqual(["self", "x"]);
  });

  it("handles typed splats, classes inside functions and receivers named other than self", async () => {
    const facts = await extract(
      src(
        'def g(*args: str, **kw: Any) -> "X":',
        "    class Local(Base):",
        "        def m(this, v):",
        "            this.v = v",
        "    return Local",
      ),
    );
    expect(defNamed(facts, "g").params).toEqual([
      { name: "args", kind: "rest", hasDefault: false, type: "str" },
      { name: "kw", kind: "kwrest", hasDefault: false, type: "Any" },
    ]);
    expect(defNamed(facts, "g").returnType).toBe('"X"');
    expect(facts.definitions.map((d) => [d.qualifiedName, d.kind, d.className, d.exported])).toEqual([
      ["g", "function", undefined, true],
      ["g.Local", "class", undefined, false],
      ["g.Local.m", "method", "g.Local", false],
    ]);
    expect(defNamed(facts, "g.Local.m").params.map((p) => p.name)).toEqual(["v"]);
    expect(facts.bindings.map((b) => [b.target, b.scope])).toEqual([[["this", "v"], "g.Local"]]);
  });

  it("records returned member paths and thin delegates", async () => {
    const facts = await extract(text);
    expect(facts.calls.map((c) => c.callee)).toEqual([
      ["Router"],
      ["self", "service", "broadcast_to_user"],
      ["log"],
      ["self", "service", "send"],
      ["decorator_two"],
      ["other"],
    ]);
    expect(facts.definitions.map((d) => [d.qualifiedName, d.returns, d.delegateCall])).toEqual([
      ["Router", [], undefined],
      ["Router.__init__", [], undefined],
      ["Router.build", [["Router()"]], 0],
      ["Router.create", [["cls", "_instance"]], undefined],
      ["Router.broadcast", [["self", "service", "broadcast_to_user()"]], 1],
      // two statements: not a delegate
      ["Router.two_statements", [["self", "service", "send()"]], undefined],
      ["Router.Inner", [], undefined],
      ["Router.Inner.deep", [["helper"]], undefined],
      ["Router.Inner.deep.helper", [], undefined],
      ["top", [], 5],
    ]);
  });

  it("spans the whole definition including decorators, the name and the body", async () => {
    const facts = await extract(text);
    const top = defNamed(facts, "top");
    expect(slice(text, top.span)).toBe("@decorator.one\n@decorator_two(1)\nasync def top(x):\n    await other(x)");
    expect([top.span.line, top.span.column, top.span.endLine, top.span.endColumn]).toEqual([36, 1, 39, 19]);
    expect(slice(text, top.nameSpan)).toBe("top");
    expect(top.nameSpan.line).toBe(38);
    expect(top.bodySpan && slice(text, top.bodySpan)).toBe("await other(x)");
    const broadcast = defNamed(facts, "Router.broadcast");
    expect(broadcast.bodySpan && slice(text, broadcast.bodySpan)).toBe(
      '"""Send to user."""\n        return await self.service.broadcast_to_user(user, event)',
    );
  });

  it("collects returns of the function itself only, unwrapping await, deduplicated and capped at 5", async () => {
    const facts = await extract(
      src(
        "async def get(kind):",
        "    def nested():",
        "        return Nested()",
        "    if kind == 1:",
        "        return await make_a()",
        "    if kind == 2:",
        "        return _instance",
        "    if kind == 3:",
        "        return _instance",
        "    if kind == 4:",
        "        return x + 1",
        "    if kind == 5:",
        "        return cache[kind]",
        "    if kind == 6:",
        "        return a.b(c).d",
        "    if kind == 7:",
        "        return (Paren())",
        "    if kind == 8:",
        "        return Sixth()",
        "    return None",
      ),
    );
    expect(defNamed(facts, "get").returns).toEqual([["make_a()"], ["_instance"], ["a", "b()", "d"], ["Paren()"], ["Sixth()"]]);
    expect(defNamed(facts, "get.nested").returns).toEqual([["Nested()"]]);
  });

  it("recognises delegates written as return, return await, await and bare call statements", async () => {
    const facts = await extract(
      src(
        "def a(x):",
        '    """Doc."""',
        "    return impl(x)",
        "async def b(x):",
        "    return await impl(x)",
        "async def c(x):",
        "    await impl(x)",
        "def d(x):",
        "    impl(x)  # trailing comment",
        "def e(x):",
        "    return impl(x) + 1",
        "def f(x):",
        "    y = impl(x)",
        "def g(x):",
        "    return wrap(inner(x))",
      ),
    );
    const callees = facts.calls.map((c) => c.callee.join("."));
    expect(callees).toEqual(["impl", "impl", "impl", "impl", "impl", "impl", "wrap", "inner"]);
    expect(facts.definitions.map((d) => [d.name, d.delegateCall])).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["d", 3],
      ["e", undefined],
      ["f", undefined],
      ["g", 6],
    ]);
  });

  it("recognises a delegate behind a leading deprecation warning (what fix --unsafe writes), and nothing else before the call", async () => {
    const facts = await extract(
      src(
        "import warnings",
        "import warnings as w",
        "from warnings import warn",
        "def a(x):",
        '    """Doc."""',
        "    warnings.warn(",
        '        "a is deprecated; use impl instead",',
        "        DeprecationWarning,",
        "        stacklevel=2,",
        "    )",
        "    return impl(x)",
        "async def b(x):",
        '    w.warn("old", category=PendingDeprecationWarning)',
        "    return await impl(x)",
        "def c(x):",
        '    warn("old", builtins.DeprecationWarning)',
        "    impl(x)",
        "def d(x):",
        '    warnings.warn("careful")',
        "    return impl(x)",
        "def e(x):",
        '    log.warn("old", DeprecationWarning)',
        "    return impl(x)",
        "def f(x):",
        '    warnings.warn("old", DeprecationWarning)',
        '    warnings.warn("old", DeprecationWarning)',
        "    return impl(x)",
        "def g(x):",
        '    warnings.warn("old", DeprecationWarning)',
      ),
    );
    const callees = facts.calls.map((c) => c.callee.join("."));
    expect(callees).toEqual([
      "warnings.warn",
      "impl",
      "w.warn",
      "impl",
      "warn",
      "impl",
      "warnings.warn",
      "impl",
      "log.warn",
      "impl",
      "warnings.warn",
      "warnings.warn",
      "impl",
      "warnings.warn",
    ]);
    expect(facts.definitions.map((d) => [d.name, d.delegateCall])).toEqual([
      ["a", 1],
      ["b", 3],
      ["c", 5],
      ["d", undefined],
      ["e", undefined],
      ["f", undefined],
      ["g", 13],
    ]);
  });
});

describe("python extractor: signature-only definitions", () => {
  const text = src(
    "from typing import Protocol, overload",
    "import typing",
    "",
    "class Sender(Protocol):",
    "    def send(self, msg: str) -> None:",
    '        """Send."""',
    "        log(msg)",
    "",
    "class GenericSender(typing.Protocol[T]):",
    "    async def send(self, msg): ...",
    "",
    "class Base(abc.ABC):",
    "    @abc.abstractmethod",
    "    def run(self): return 1",
    "",
    "    @abstractmethod",
    "    def stop(self): ...",
    "",
    "@overload",
    "def parse(x: int) -> int: ...",
    "@typing.overload",
    "def parse(x: str) -> str: ...",
    "def parse(x):",
    "    return x",
    "",
    "def todo():",
    '    """Not yet."""',
    "    raise NotImplementedError",
    "",
    "def todo2():",
    '    raise NotImplementedError("later")',
    "",
    "def empty():",
    "    pass",
    "",
    "def only_doc():",
    '    """Only a docstring."""',
    "",
    "def ellipsis_body(): ...",
    "",
    "def not_stub():",
    '    raise ValueError("x")',
    "",
    "def pass_then_call():",
    "    pass",
    "    go()",
  );

  it("classifies abstract, overload, protocol and stub definitions", async () => {
    const facts = await extract(text);
    expect(facts.definitions.map((d) => [d.qualifiedName, d.signatureOnly])).toEqual([
      ["Sender", "protocol"],
      ["Sender.send", "protocol"],
      ["GenericSender", "protocol"],
      ["GenericSender.send", "protocol"],
      ["Base", undefined],
      ["Base.run", "abstract"],
      ["Base.stop", "abstract"],
      ["parse", "overload"],
      ["parse", "overload"],
      ["parse", undefined],
      ["todo", "stub"],
      ["todo2", "stub"],
      ["empty", "stub"],
      ["only_doc", "stub"],
      ["ellipsis_body", "stub"],
      ["not_stub", undefined],
      ["pass_then_call", undefined],
    ]);
  });

  it("omits bodySpan and shape exactly for signature-only definitions", async () => {
    const facts = await extract(text);
    for (const d of facts.definitions) {
      expect([d.qualifiedName, d.bodySpan === undefined, d.shape === undefined]).toEqual([
        d.qualifiedName,
        d.signatureOnly !== undefined,
        d.signatureOnly !== undefined,
      ]);
    }
    expect(defNamed(facts, "todo").doc).toBe("Not yet.");
  });
});

describe("python extractor: body shapes", () => {
  it("gives renamed copies the same shape, ignoring docstrings and comments", async () => {
    const facts = await extract(
      src(
        "def a(x):",
        '    """Doc A."""',
        "    total = 0",
        "    for item in x:",
        "        total += item.value * 2",
        "    return total",
        "",
        "def b(items):",
        "    # different names, same structure",
        "    acc = 10",
        "    for it in items:",
        "        acc += it.price * 3",
        "    return acc",
        "",
        "def c(x):",
        "    total = 0",
        "    for item in x:",
        "        total -= item.value * 2",
        "    return total",
      ),
    );
    const [a, b, c] = facts.definitions.map((d) => d.shape);
    // expression_statement assignment ID = LIT | for_statement ID in ID | block expression_statement
    // augmented_assignment ID += binary_operator attribute ID ID * LIT | return_statement ID
    expect(a?.size).toBe(22);
    expect(a?.minhash).toHaveLength(32);
    expect(b).toEqual(a);
    expect(c?.size).toBe(22);
    expect(c?.hash).not.toBe(a?.hash);
  });
});

describe("python extractor: calls", () => {
  const text = src(
    "def handler(ws, io, room, items):",
    "    get_service().broadcast(user, *args, key=1, **extra)",
    "    io.to(room).emit('event')",
    "    self.svc.send(x)",
    "    items[0].send()",
    "    (a or b).send()",
    "    os.environ.get('X')",
    "    sum(x for x in items)",
    "    fn()(1)",
  );

  it("writes callee member paths with () segments and ? for other receivers", async () => {
    const facts = await extract(text);
    expect(facts.calls.map((c) => [c.callee, c.span.line, c.enclosing])).toEqual([
      [["get_service()", "broadcast"], 2, "handler"],
      [["get_service"], 2, "handler"],
      [["io", "to()", "emit"], 3, "handler"],
      [["io", "to"], 3, "handler"],
      [["self", "svc", "send"], 4, "handler"],
      [["?", "send"], 5, "handler"],
      [["?", "send"], 6, "handler"],
      [["os", "environ", "get"], 7, "handler"],
      [["sum"], 8, "handler"],
      [["fn()"], 9, "handler"],
      [["fn"], 9, "handler"],
    ]);
  });

  it("records callee, argument list and argument spans", async () => {
    const facts = await extract(text);
    const first = facts.calls[0];
    expect(first && slice(text, first.span)).toBe("get_service().broadcast(user, *args, key=1, **extra)");
    expect(first && slice(text, first.calleeSpan)).toBe("get_service().broadcast");
    expect(first && slice(text, first.argsSpan)).toBe("(user, *args, key=1, **extra)");
    expect(first?.args.map((a) => [slice(text, a.span), a.name, a.spread])).toEqual([
      ["user", undefined, undefined],
      ["*args", undefined, "list"],
      ["key=1", "key", undefined],
      ["**extra", undefined, "dict"],
    ]);
    const sum = facts.calls[8];
    expect(sum?.args.map((a) => [slice(text, a.span), a.name, a.spread])).toEqual([["x for x in items", undefined, undefined]]);
    expect(sum && slice(text, sum.argsSpan)).toBe("(x for x in items)");
  });

  it("marks awaited calls and uses the class as enclosing outside methods", async () => {
    const t = src(
      "class C:",
      "    x = make()",
      '    @register(name="m")',
      "    async def m(self, d=default()):",
      "        await a.b()",
      "        await (c())",
      "        await d().e()",
      "top_level()",
    );
    const facts = await extract(t);
    expect(facts.calls.map((c) => [c.callee.join("."), c.awaited, c.enclosing])).toEqual([
      ["make", false, "C"],
      ["register", false, "C"],
      ["default", false, "C"],
      ["a.b", true, "C.m"],
      ["c", true, "C.m"],
      ["d().e", true, "C.m"],
      ["d", false, "C.m"],
      ["top_level", false, undefined],
    ]);
    expect(facts.calls[1]?.args.map((a) => a.name)).toEqual(["name"]);
  });

  it("records calls inside f-string interpolations, lambdas and comprehensions", async () => {
    const facts = await extract(src('msg = f"{fmt(x)}!"', "cb = lambda y: wrap(y)", "vals = [conv(v) for v in vs]"));
    expect(facts.calls.map((c) => c.callee.join("."))).toEqual(["fmt", "wrap", "conv"]);
  });

  it("computes UTF-16 columns and offsets after non-ASCII text", async () => {
    const text1 = 's = "é😀"; foo(1)\n';
    const facts = await extract(text1);
    expect(facts.calls[0]?.span).toEqual({ line: 1, column: 12, endLine: 1, endColumn: 18, start: 11, end: 17 });
    expect(facts.calls[0] && slice(text1, facts.calls[0].span)).toBe("foo(1)");

    const text2 = '# 😀 ünïcödé\r\nx = "ß"\r\n  # 😀\r\nbar(x)\r\n';
    const facts2 = await extract(text2);
    const bar = facts2.calls[0];
    expect(bar && [bar.span.line, bar.span.column, slice(text2, bar.span)]).toEqual([4, 1, "bar(x)"]);
    expect(facts2.lines).toBe(4);
  });
});

describe("python extractor: references", () => {
  it("records maximal attribute chains that are not callees or assignment targets", async () => {
    const text = src(
      "import os.path",
      'x = os.environ["X"]',
      'y = os.environ.get("Y")',
      "z = settings.DEBUG",
      "self.value = other.attr.deep",
      "a.b().c",
      "print(conf.options.flag)",
      "for k in obj.items: pass",
      "self.count += 1",
      "self.cache[key] = v",
      "first = rows[0].name",
      "@app.route",
      "def view(): pass",
    );
    const facts = await extract(text);
    expect(facts.references.map((r) => [r.path, r.span.line, slice(text, r.span)])).toEqual([
      [["os", "environ"], 2, "os.environ"],
      [["settings", "DEBUG"], 4, "settings.DEBUG"],
      [["other", "attr", "deep"], 5, "other.attr.deep"],
      [["a", "b()", "c"], 6, "a.b().c"],
      [["conf", "options", "flag"], 7, "conf.options.flag"],
      [["obj", "items"], 8, "obj.items"],
      [["self", "cache"], 10, "self.cache"],
      [["?", "name"], 11, "rows[0].name"],
      [["app", "route"], 12, "app.route"],
    ]);
  });

  it("records single names read inside fallback sides", async () => {
    const text = src(
      "handler = new_impl or legacy_impl",
      "try:",
      "    svc = canonical",
      "except Exception as exc:",
      "    svc = fallback_impl",
      "    notify(exc, key=val)",
      "if ready:",
      "    run(job)",
      "plain = untouched",
    );
    const facts = await extract(text);
    expect(facts.references.map((r) => [r.path, r.span.line])).toEqual([
      [["new_impl"], 1],
      [["legacy_impl"], 1],
      [["canonical"], 3],
      [["fallback_impl"], 5],
      [["exc"], 6],
      [["val"], 6],
    ]);
  });

  it("attributes references to the enclosing definition", async () => {
    const facts = await extract(src("class A:", "    def m(self):", "        return self.svc or legacy"));
    expect(facts.references.map((r) => [r.path, r.enclosing])).toEqual([
      [["self", "svc"], "A.m"],
      [["legacy"], "A.m"],
    ]);
  });
});

describe("python extractor: imports", () => {
  const text = src(
    "import a.b.c",
    "import a.b as m, os",
    "from a.b import c as d, e",
    "from ..x import y",
    "from . import z",
    "from .pkg.mod import (p, q as r)",
    "from m import *",
    "from __future__ import annotations",
    "def f():",
    "    import json",
    "try:",
    "    import ujson as json",
    "except (ImportError, ValueError):",
    "    from fallback import json",
    "    import simplejson",
    "except Exception:",
    "    import other",
  );

  it("records module, level, names, root binding, fallback role and enclosing", async () => {
    const facts = await extract(text);
    expect(
      facts.imports.map((i) => ({
        ...i,
        span: undefined,
        names: i.names.map((n) => [n.imported, n.local]),
      })),
    ).toEqual([
      { module: "a.b.c", level: 0, names: [["*", "a"]], bindsRoot: true },
      { module: "a.b", level: 0, names: [["*", "m"]] },
      { module: "os", level: 0, names: [["*", "os"]], bindsRoot: true },
      {
        module: "a.b",
        level: 0,
        names: [
          ["c", "d"],
          ["e", "e"],
        ],
      },
      { module: "x", level: 2, names: [["y", "y"]] },
      { module: "", level: 1, names: [["z", "z"]] },
      {
        module: "pkg.mod",
        level: 1,
        names: [
          ["p", "p"],
          ["q", "r"],
        ],
      },
      { module: "m", level: 0, names: [["*", "*"]] },
      { module: "__future__", level: 0, names: [["annotations", "annotations"]] },
      { module: "json", level: 0, names: [["*", "json"]], bindsRoot: true, enclosing: "f" },
      { module: "ujson", level: 0, names: [["*", "json"]], inFallback: "primary" },
      { module: "fallback", level: 0, names: [["json", "json"]], inFallback: "fallback" },
      { module: "simplejson", level: 0, names: [["*", "simplejson"]], bindsRoot: true, inFallback: "fallback" },
      { module: "other", level: 0, names: [["*", "other"]], bindsRoot: true },
    ]);
  });

  it("spans the statement and each imported name", async () => {
    const facts = await extract(text);
    const rel = facts.imports[6];
    expect(rel && slice(text, rel.span)).toBe("from .pkg.mod import (p, q as r)");
    expect(rel?.names.map((n) => slice(text, n.span))).toEqual(["p", "q as r"]);
    const two = facts.imports.slice(1, 3);
    expect(two.map((i) => [slice(text, i.span), i.names.map((n) => slice(text, n.span))])).toEqual([
      ["import a.b as m, os", ["a.b as m"]],
      ["import a.b as m, os", ["os"]],
    ]);
  });

  it("marks imports that only type checkers see (the if-branch of TYPE_CHECKING, the else of not TYPE_CHECKING) as type-only", async () => {
    const facts = await extract(
      src(
        "import typing",
        "import typing as t",
        "from typing import TYPE_CHECKING",
        "if TYPE_CHECKING:",
        "    from a import A",
        "    if x:",
        "        import nested",
        "else:",
        "    from a_rt import A",
        "if typing.TYPE_CHECKING:",
        "    import b",
        "if (t.TYPE_CHECKING):",
        "    from c import C",
        "elif other:",
        "    from c_rt import C",
        "if not TYPE_CHECKING:",
        "    import d_rt",
        "else:",
        "    import d",
        "if TYPE_CHECKING_EXTRA:",
        "    import e_rt",
        "def f():",
        "    if TYPE_CHECKING:",
        "        from g import G",
        "    from g_rt import G",
      ),
    );
    expect(facts.imports.map((i) => [i.module, i.typeOnly ?? false, i.enclosing ?? null])).toEqual([
      ["typing", false, null],
      ["typing", false, null],
      ["typing", false, null],
      ["a", true, null],
      ["nested", true, null],
      ["a_rt", false, null],
      ["b", true, null],
      ["c", true, null],
      ["c_rt", false, null],
      ["d_rt", false, null],
      ["d", true, null],
      ["e_rt", false, null],
      ["g", true, "f"],
      ["g_rt", false, "f"],
    ]);
  });
});

describe("python extractor: bindings", () => {
  it("records call, alias and annotation bindings with their scopes", async () => {
    const text = src(
      "import os",
      "E = os.environ",
      "svc = Service(config)",
      "other = svc",
      "typed: Service = make_service()",
      "bare: Service",
      "count: int = 0",
      "plain = 5",
      "a, b = pair()",
      "y = z = get_service()",
      "parens = (Wrapped())",
      "class Holder:",
      '    inst: Optional["Holder"] = None',
      "    factory = Factory()",
      "    def __init__(self, dep):",
      "        self.dep = dep",
      "        self.svc = get_service().child()",
      "        self.items[0] = Item()",
      "        local = Local()",
      "        async def inner():",
      "            self.late = await fetch()",
      "    @staticmethod",
      "    def s(self):",
      "        self.x = X()",
      "def f():",
      "    global _instance",
      "    _instance = Foo()",
      "    other_local = Bar()",
      "    with Session() as sess, open(p) as (fa, fb):",
      "        pass",
      "    with lock:",
      "        pass",
    );
    const facts = await extract(text);
    expect(facts.bindings.map((b) => ({ ...b, span: slice(text, b.span) }))).toEqual([
      { target: ["E"], value: { kind: "alias", path: ["os", "environ"] }, span: "E = os.environ" },
      { target: ["svc"], value: { kind: "call", callee: ["Service"] }, span: "svc = Service(config)" },
      { target: ["other"], value: { kind: "alias", path: ["svc"] }, span: "other = svc" },
      {
        target: ["typed"],
        value: { kind: "call", callee: ["make_service"] },
        type: "Service",
        span: "typed: Service = make_service()",
      },
      { target: ["bare"], value: { kind: "annotation" }, type: "Service", span: "bare: Service" },
      { target: ["count"], value: { kind: "annotation" }, type: "int", span: "count: int = 0" },
      { target: ["y"], value: { kind: "call", callee: ["get_service"] }, span: "y = z = get_service()" },
      { target: ["z"], value: { kind: "call", callee: ["get_service"] }, span: "z = get_service()" },
      { target: ["parens"], value: { kind: "call", callee: ["Wrapped"] }, span: "parens = (Wrapped())" },
      {
        target: ["inst"],
        value: { kind: "annotation" },
        type: 'Optional["Holder"]',
        scope: "Holder",
        span: 'inst: Optional["Holder"] = None',
      },
      { target: ["factory"], value: { kind: "call", callee: ["Factory"] }, scope: "Holder", span: "factory = Factory()" },
      { target: ["self", "dep"], value: { kind: "alias", path: ["dep"] }, scope: "Holder", span: "self.dep = dep" },
      {
        target: ["self", "svc"],
        value: { kind: "call", callee: ["get_service()", "child"] },
        scope: "Holder",
        span: "self.svc = get_service().child()",
      },
      { target: ["local"], value: { kind: "call", callee: ["Local"] }, scope: "Holder.__init__", span: "local = Local()" },
      {
        target: ["self", "late"],
        value: { kind: "call", callee: ["fetch"] },
        scope: "Holder",
        span: "self.late = await fetch()",
      },
      { target: ["self", "x"], value: { kind: "call", callee: ["X"] }, scope: "Holder.s", span: "self.x = X()" },
      { target: ["_instance"], value: { kind: "call", callee: ["Foo"] }, span: "_instance = Foo()" },
      { target: ["other_local"], value: { kind: "call", callee: ["Bar"] }, scope: "f", span: "other_local = Bar()" },
      { target: ["sess"], value: { kind: "call", callee: ["Session"] }, scope: "f", span: "Session() as sess" },
    ]);
  });
});

describe("python extractor: fallbacks", () => {
  it("records or-chains, ternaries and if/else sites with both sides", async () => {
    const text = src(
      "def pick(a, b, c):",
      "    h = a or b or c",
      "    m = a or (b or c)",
      "    n = a and b or c",
      "    v = x if cond else y",
      "    if ready():",
      "        primary()",
      "    elif other:",
      "        secondary()",
      "    else:",
      "        tertiary()",
      "    if not svc:",
      "        return legacy()",
      "    rest()",
      "    return done",
    );
    const facts = await extract(text);
    expect(
      facts.fallbacks.map((f) => ({
        kind: f.kind,
        span: slice(text, f.span),
        primary: f.primary.map((r) => slice(text, r)),
        fallback: f.fallback.map((r) => slice(text, r)),
        condition: f.condition,
        enclosing: f.enclosing,
      })),
    ).toEqual([
      { kind: "or", span: "a or b or c", primary: ["a"], fallback: ["b", "c"], condition: undefined, enclosing: "pick" },
      { kind: "or", span: "a or (b or c)", primary: ["a"], fallback: ["(b or c)"], condition: undefined, enclosing: "pick" },
      { kind: "or", span: "b or c", primary: ["b"], fallback: ["c"], condition: undefined, enclosing: "pick" },
      { kind: "or", span: "a and b or c", primary: ["a and b"], fallback: ["c"], condition: undefined, enclosing: "pick" },
      {
        kind: "conditional",
        span: "x if cond else y",
        primary: ["cond", "y"],
        fallback: ["x"],
        condition: "cond",
        enclosing: "pick",
      },
      {
        kind: "conditional",
        span: "if ready():\n        primary()\n    elif other:\n        secondary()\n    else:\n        tertiary()",
        primary: ["ready()", "elif other:\n        secondary()\n    else:\n        tertiary()"],
        fallback: ["primary()"],
        condition: "ready()",
        enclosing: "pick",
      },
      {
        kind: "conditional",
        span: "if not svc:\n        return legacy()",
        primary: ["not svc", "\n    rest()\n    return done"],
        fallback: ["return legacy()"],
        condition: "not svc",
        enclosing: "pick",
      },
    ]);
  });

  it("ignores if statements without else unless the branch returns or raises", async () => {
    const facts = await extract(
      src("if a:", "    x()", "if b:", "    raise Unavailable()", "if c:", "    y()", "    return", "and_more()"),
    );
    expect(facts.fallbacks.map((f) => [f.kind, f.condition, f.primary.length])).toEqual([
      ["conditional", "b", 2],
      ["conditional", "c", 2],
    ]);
  });

  it("marks imports by the innermost try that guards ImportError", async () => {
    const facts = await extract(
      src(
        "try:",
        "    from fast import impl",
        "except ImportError:",
        "    try:",
        "        from medium import impl",
        "    except ImportError:",
        "        from slow import impl",
        "else:",
        "    import extra",
      ),
    );
    expect(facts.imports.map((i) => [i.module, i.inFallback])).toEqual([
      ["fast", "primary"],
      ["medium", "primary"],
      ["slow", "fallback"],
      ["extra", undefined],
    ]);
    expect(facts.fallbacks.map((f) => f.kind)).toEqual(["import-fallback", "import-fallback"]);
  });

  it("records try/except sites with the caught types", async () => {
    const text = src(
      "try:",
      "    run()",
      "except (ValueError, KeyError):",
      "    recover()",
      "except Exception as e:",
      "    log(e)",
      "except:",
      "    pass",
      "finally:",
      "    close()",
      "try:",
      "    x()",
      "finally:",
      "    y()",
      "try:",
      "    import fast_impl as impl",
      "except ModuleNotFoundError:",
      "    impl = None",
      "try:",
      "    value = compute()",
      "except ImportError:",
      "    value = None",
    );
    const facts = await extract(text);
    expect(
      facts.fallbacks.map((f) => [f.kind, f.caught, f.primary.map((r) => slice(text, r)), f.fallback.map((r) => slice(text, r))]),
    ).toEqual([
      ["try", ["ValueError", "KeyError", "Exception"], ["run()"], ["recover()", "log(e)", "pass"]],
      ["import-fallback", ["ModuleNotFoundError"], ["import fast_impl as impl"], ["impl = None"]],
      // catches ImportError but the body has no import
      ["try", ["ImportError"], ["value = compute()"], ["value = None"]],
    ]);
    expect(facts.fallbacks[0] && slice(text, facts.fallbacks[0].span).split("\n")[0]).toBe("try:");
    expect(facts.imports.map((i) => [i.module, i.inFallback])).toEqual([["fast_impl", "primary"]]);
  });
});

describe("python extractor: suppressions, docs and lines", () => {
  it("parses suppression comments anywhere", async () => {
    const text = src(
      "# ssot-audit-ignore-file[direct-sink-call]: generated",
      "x = 1  # ssot-audit-ignore[legacy-fallback]: migrating",
      "# a normal comment",
      "def f(",
      "    a,  # ssot-audit-ignore",
      "): pass",
    );
    const facts = await extract(text);
    expect(facts.suppressions.map((s) => [s.scope, s.rules, s.reason, s.line, slice(text, s.span)])).toEqual([
      ["file", ["direct-sink-call"], "generated", 1, "# ssot-audit-ignore-file[direct-sink-call]: generated"],
      ["line", ["legacy-fallback"], "migrating", 2, "# ssot-audit-ignore[legacy-fallback]: migrating"],
      ["line", [], undefined, 5, "# ssot-audit-ignore"],
    ]);
  });

  it("reads the module docstring after comments but not an f-string", async () => {
    expect((await extract(src("# header", "", '"""', "   Doc line.  ", '"""'))).moduleDoc).toBe("Doc line.");
    expect((await extract(src("x = 1", '"""Not a doc."""'))).moduleDoc).toBeUndefined();
    expect((await extract(src('f"""{x} not a doc"""'))).moduleDoc).toBeUndefined();
    expect((await extract(src("r'''Raw doc.'''"))).moduleDoc).toBe("Raw doc.");
  });

  it("returns empty facts for an empty file", async () => {
    const facts = await extract("");
    expect(facts).toEqual({
      file: "pkg/mod.py",
      language: "python",
      lines: 0,
      definitions: [],
      calls: [],
      references: [],
      imports: [],
      exports: [],
      bindings: [],
      fallbacks: [],
      suppressions: [],
      parseErrors: [],
    });
  });
});
