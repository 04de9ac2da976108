/**
 * Python rewrites on small projects written for each case: argument mapping, where imports go,
 * which imports go away, shadowing, suppressions, `--include-likely`, and multi-pass fixing.
 * Each test asserts the whole fixed file and the whole manual list.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { runFix } from "../../src/fix/engine.js";
import { dedent, findingsOf, makeProject } from "../helpers/project.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const CONFIG = dedent(`
  concepts:
    notify:
      canonical: app/service.py::Service.notify_user
      names: ["notify_user"]
      delegate:
        python:
          import: "from app.service import get_service"
          expression: "get_service().notify_user"
`);

const SERVICE = dedent(`
  class Service:
      async def notify_user(self, user_id: str, text: str, *, urgent: bool = False) -> bool:
          return True


  _service = Service()


  def get_service() -> Service:
      return _service
`);

const LEGACY = dedent(`
  async def notify_user_legacy(user_id, text, retries=3):
      return False


  async def notify_user_v2(text, user_id):
      return False


  async def notify_user_fallback(user_id, **options):
      return False


  class Router:
      async def notify_user(self, user_id, text):
          return False


  OTHER = 1
`);

interface Outcome {
  /** Fixed text per changed file. */
  files: Record<string, string>;
  manual: [file: string, line: number, reason: string][];
  fixes: [file: string, line: number, ruleId: string, pass: number][];
}

async function fix(files: Record<string, string>, flags: { includeLikely?: boolean; unsafe?: boolean } = {}): Promise<Outcome> {
  const root = makeProject({
    "ssot-audit.config.yaml": CONFIG,
    "app/__init__.py": "",
    "app/service.py": SERVICE,
    "app/legacy.py": LEGACY,
    ...files,
  });
  roots.push(root);
  const result = await runFix({
    paths: ["."],
    cwd: root,
    includeLikely: Boolean(flags.includeLikely),
    unsafe: Boolean(flags.unsafe),
    write: false,
    allowDirty: false,
  });
  expect(result.refused).toEqual([]);
  return {
    files: Object.fromEntries(result.files.map((f) => [f.file, f.after])),
    manual: result.manual.map((m) => [m.file, m.line, m.reason]),
    fixes: result.fixes.map((f) => [f.file, f.line, f.ruleId, f.pass]),
  };
}

describe("python call rewrites: arguments", () => {
  it("keeps positional arguments that line up, and keyword arguments by name", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy


        async def a(uid, msg):
            await notify_user_legacy(uid, msg)
            await notify_user_legacy(text=msg, user_id=uid)
            await notify_user_legacy(uid, text=msg)
      `),
    });
    expect(out.files).toEqual({
      "app/a.py": dedent(`
        from app.service import get_service


        async def a(uid, msg):
            await get_service().notify_user(uid, msg)
            await get_service().notify_user(text=msg, user_id=uid)
            await get_service().notify_user(uid, text=msg)
      `),
    });
    expect(out.manual).toEqual([]);
  });

  it("passes arguments by keyword from the first one whose position differs", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import notify_user_v2


        async def a(uid):
            return await notify_user_v2(
                "hello",  # the text comes first here
                uid,
            )
      `),
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        from app.service import get_service


        async def a(uid):
            return await get_service().notify_user(
                text="hello",  # the text comes first here
                user_id=uid,
            )
      `),
    );
  });

  it("lists what cannot be mapped, with the reason, and leaves it alone", async () => {
    const source = dedent(`
      from app.legacy import Router, notify_user_fallback, notify_user_legacy


      async def a(uid, msg, args):
          await notify_user_legacy(uid, msg, 5)
          await notify_user_legacy(*args)
          await notify_user_fallback(uid, text=msg)
          await Router.notify_user(Router(), uid, msg)
    `);
    const out = await fix({ "app/a.py": source });
    expect(out.files).toEqual({});
    expect(out.manual).toEqual([
      [
        "app/a.py",
        5,
        "argument 3 is 'notify_user_legacy' parameter 'retries', but the canonical 'Service.notify_user' has no parameter 'retries'",
      ],
      ["app/a.py", 6, "the call passes *args/**kwargs"],
      ["app/a.py", 7, "keyword argument 'text' goes to **kwargs of 'notify_user_fallback'"],
      ["app/a.py", 8, "'Router.notify_user' is called through its class (self passed explicitly)"],
    ]);
  });
});

describe("python call rewrites: imports", () => {
  it("puts the import after the module docstring and __future__ imports when there is no other import", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        """Module doc."""
        from __future__ import annotations
        # A comment that stays where it is.


        async def notify_user_old(user_id, text):
            return False


        async def a(uid):
            await notify_user_old(uid, "x")
      `),
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        """Module doc."""
        from __future__ import annotations

        from app.service import get_service

        # A comment that stays where it is.


        async def notify_user_old(user_id, text):
            return False


        async def a(uid):
            await get_service().notify_user(uid, "x")
      `),
    );
  });

  it("puts it at the top, below leading comments, when there is no docstring and no import (two blank lines before a def)", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        #!/usr/bin/env python3
        # Licensed under the MIT license.
        async def notify_user_old(user_id, text):
            return False


        async def a(uid):
            await notify_user_old(uid, "x")
      `),
    });
    expect(out.files["app/a.py"]?.split("\n").slice(0, 6)).toEqual([
      "#!/usr/bin/env python3",
      "# Licensed under the MIT license.",
      "from app.service import get_service",
      "",
      "",
      "async def notify_user_old(user_id, text):",
    ]);
  });

  it("places the import before module-level code that uses it, never inside try/except", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        import os

        try:
            import ujson as json
        except ImportError:
            import json

        from app.legacy import notify_user_legacy

        STARTUP = notify_user_legacy("boot", os.name)

        import sys
      `),
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        import os

        try:
            import ujson as json
        except ImportError:
            import json

        from app.service import get_service

        STARTUP = get_service().notify_user("boot", os.name)

        import sys
      `),
    );
  });

  it("removes only the names the rewrite left unused; strings such as __all__ count as uses", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import (
            OTHER,
            notify_user_legacy,
            notify_user_v2,
        )
        from app.legacy import notify_user_legacy as exported

        __all__ = ["exported"]


        async def a(uid):
            await notify_user_legacy(uid, "x")
            await notify_user_v2("y", uid)
            await exported(uid, "z")
            return OTHER
      `),
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        from app.legacy import (
            OTHER,
        )
        from app.legacy import notify_user_legacy as exported
        from app.service import get_service

        __all__ = ["exported"]


        async def a(uid):
            await get_service().notify_user(uid, "x")
            await get_service().notify_user(text="y", user_id=uid)
            await get_service().notify_user(uid, "z")
            return OTHER
      `),
    );
  });

  it("keeps an import another module imports from this one (Python re-exports what it imports)", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy, notify_user_v2


        async def a(uid):
            await notify_user_legacy(uid, "x")
            await notify_user_v2("y", uid)
      `),
      "app/b.py": "from app.a import notify_user_legacy\n\nHANDLERS = [notify_user_legacy]\n",
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        from app.legacy import notify_user_legacy
        from app.service import get_service


        async def a(uid):
            await get_service().notify_user(uid, "x")
            await get_service().notify_user(text="y", user_id=uid)
      `),
    );
  });

  it("removes the import of a same-named function whose calls became the delegate's attribute", async () => {
    // `get_service().notify_user` mentions `notify_user` only as an attribute (in the file and in
    // the rewritten call): the import is unused.
    const out = await fix({
      "app/old.py": "async def notify_user(user_id, text):\n    return False\n",
      "app/a.py": dedent(`
        from app.old import notify_user
        from app.service import get_service


        async def a(uid):
            try:
                await get_service().notify_user(uid, "x")
            except Exception:
                await notify_user(uid, "x")
      `),
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        from app.service import get_service


        async def a(uid):
            try:
                await get_service().notify_user(uid, "x")
            except Exception:
                await get_service().notify_user(uid, "x")
      `),
    );
  });

  it("reuses an existing import of the delegate, under its local name", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app import service as svc_module
        from app.legacy import notify_user_legacy
        from app.service import get_service as current_service


        async def a(uid):
            await notify_user_legacy(uid, "x")
            return svc_module
      `),
    });
    expect(out.files["app/a.py"]).toBe(
      dedent(`
        from app import service as svc_module
        from app.service import get_service as current_service


        async def a(uid):
            await current_service().notify_user(uid, "x")
            return svc_module
      `),
    );
  });
});

describe("python call rewrites: f-strings", () => {
  it("does not put a quoted delegate expression inside an f-string (a syntax error before Python 3.12)", async () => {
    const root = makeProject({
      "ssot-audit.config.yaml": CONFIG.replace(
        'expression: "get_service().notify_user"',
        "expression: \"get_service('main').notify_user\"",
      ),
      "app/__init__.py": "",
      "app/service.py": SERVICE.replace("def get_service() -> Service:", "def get_service(name: str = 'main') -> Service:"),
      "app/legacy.py": LEGACY,
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy


        async def a(uid):
            print(f"sent: {await notify_user_legacy(uid, 'x')}")
            return await notify_user_legacy(uid, "y")
      `),
    });
    roots.push(root);
    const result = await runFix({ paths: ["."], cwd: root, includeLikely: false, unsafe: false, write: false, allowDirty: false });
    expect(result.manual.map((m) => [m.file, m.line, m.reason])).toEqual([
      ["app/a.py", 5, "the call is inside an f-string and the delegate expression has quotes"],
    ]);
    expect(result.files.map((f) => f.after)).toEqual([
      dedent(`
        from app.legacy import notify_user_legacy
        from app.service import get_service


        async def a(uid):
            print(f"sent: {await notify_user_legacy(uid, 'x')}")
            return await get_service('main').notify_user(uid, "y")
      `),
    ]);
  });
});

describe("python call rewrites: shadowing", () => {
  it("refuses when the delegate's name is bound where the call is (parameter, or a plain assignment facts do not see)", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy


        async def a(uid, get_service):
            await notify_user_legacy(uid, "x")


        async def b(uid):
            get_service = 42
            await notify_user_legacy(uid, str(get_service))


        async def c(uid):
            await notify_user_legacy(uid, "fine: nothing shadows here")
      `),
    });
    expect(out.manual).toEqual([
      ["app/a.py", 5, "'get_service' is a parameter of 'a'"],
      // Once the import is added, facts keep `get_service = 42` as a local that shadows it.
      ["app/a.py", 10, "'get_service' is assigned inside 'b'"],
    ]);
    expect(out.files["app/a.py"]).toContain('    await get_service().notify_user(uid, "fine: nothing shadows here")');
    expect(out.files["app/a.py"]?.startsWith("from app.legacy import notify_user_legacy\nfrom app.service import get_service\n")).toBe(
      true,
    );
  });
});

describe("python call rewrites: shadowing by match captures", () => {
  it("refuses where a case pattern captures the delegate's name", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy


        async def a(event):
            match event:
                case {"user": uid, "svc": get_service}:
                    await notify_user_legacy(uid, str(get_service))
                case ("bye", uid, get_service):
                    await notify_user_legacy(uid, str(get_service))
                case Event(user=uid, svc=get_service):
                    await notify_user_legacy(uid, str(get_service))
                case [uid, *get_service]:
                    await notify_user_legacy(uid, str(get_service))
      `),
    });
    expect(out.manual.map(([file, line]) => [file, line])).toEqual([
      ["app/a.py", 7],
      ["app/a.py", 9],
      ["app/a.py", 11],
      ["app/a.py", 13],
    ]);
    expect(out.manual[0]?.[2]).toBe("'get_service' is also bound at line 6, which could shadow it at the rewritten code");
  });
});

describe("python call rewrites: scope", () => {
  const CALLS = dedent(`
    from app.legacy import notify_user_legacy


    async def a(uid, hooks):
        await notify_user_legacy(uid, "certain")  # ssot-audit-ignore[non-canonical-call]: migrated with the billing team
        # (a suppression also covers the line after it)
        await hooks.notify_user_legacy(uid, "likely")
  `);

  it("skips suppressed findings (with a reason) and likely ones unless --include-likely", async () => {
    expect((await fix({ "app/a.py": CALLS })).files).toEqual({});
    const likely = await fix({ "app/a.py": CALLS }, { includeLikely: true });
    expect(likely.files["app/a.py"]).toBe(
      dedent(`
        from app.legacy import notify_user_legacy
        from app.service import get_service


        async def a(uid, hooks):
            await notify_user_legacy(uid, "certain")  # ssot-audit-ignore[non-canonical-call]: migrated with the billing team
            # (a suppression also covers the line after it)
            await get_service().notify_user(uid, "likely")
      `),
    );
  });

  it("still fixes a finding whose suppression gives no reason (it has no effect, as in check)", async () => {
    const out = await fix({
      "app/a.py": dedent(`
        from app.legacy import notify_user_legacy


        async def a(uid):
            await notify_user_legacy(uid, "x")  # ssot-audit-ignore[non-canonical-call]
      `),
    });
    expect(out.files["app/a.py"]).toContain('    await get_service().notify_user(uid, "x")  # ssot-audit-ignore[non-canonical-call]\n');
  });

  it("defers an overlapping suggestion to the next pass, then applies it", async () => {
    const out = await fix(
      {
        "app/dup.py": dedent(`
          import logging

          from app.legacy import Router

          log = logging.getLogger(__name__)


          async def notify_user_compat(user_id: str, text: str) -> bool:
              """Old entry point."""
              log.info("compat path")
              return await Router().notify_user(user_id, text)
        `),
      },
      { unsafe: true },
    );
    // Pass 1 rewrites the call inside the body; the body → delegate suggestion overlaps it and waits.
    expect(out.fixes.filter(([file]) => file === "app/dup.py")).toEqual([
      ["app/dup.py", 11, "non-canonical-call", 1],
      ["app/dup.py", 8, "duplicate-implementation", 2],
    ]);
    expect(out.files["app/dup.py"]).toBe(
      dedent(`
        import logging

        from app.service import get_service
        import warnings

        log = logging.getLogger(__name__)


        async def notify_user_compat(user_id: str, text: str) -> bool:
            """Old entry point."""
            warnings.warn(
                "notify_user_compat is deprecated; use get_service().notify_user instead",
                DeprecationWarning,
                stacklevel=2,
            )
            return await get_service().notify_user(user_id, text)
      `),
    );
  });
});

describe("python rewrites: imports under TYPE_CHECKING are not run-time bindings", () => {
  const NOTIFY_CONFIG = dedent(`
    concepts:
      notify:
        canonical: app/canon.py::notify
        deprecatedModules: ["app.old"]
        delegate:
          python: { import: "from app.canon import notify", expression: "notify" }
  `);
  const OLD = dedent(`
    class Widget:
        pass


    def _legacy_notify(user, message):
        print(user, message)
        return ("old", user, message)
  `);

  it("does not repoint an import to a canonical module that imports the name only for type checkers", async () => {
    const out = await fix({
      "ssot-audit.config.yaml": NOTIFY_CONFIG,
      "app/old.py": OLD,
      "app/canon.py": dedent(`
        import typing
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from app.old import Widget
        if typing.TYPE_CHECKING:
            from app.old import Gadget
        else:
            from app.old import Gadget


        def notify(user, message):
            return ("canonical", user, message)
      `),
      "app/use.py": dedent(`
        from app.old import Widget
        from app.old import Gadget


        def make():
            return Widget(), Gadget()
      `),
    });
    expect(out.files).toEqual({
      "app/use.py": dedent(`
        from app.old import Widget
        from app.canon import Gadget


        def make():
            return Widget(), Gadget()
      `),
    });
    expect(out.manual).toEqual([
      ["app/canon.py", 5, "the import is in the canonical module itself"],
      ["app/canon.py", 7, "the import is in the canonical module itself"],
      ["app/canon.py", 9, "the import is in the canonical module itself"],
      [
        "app/use.py",
        1,
        "the canonical module app/canon.py has no function, class, import or typed/assigned name 'Widget' (it imports 'Widget' only under TYPE_CHECKING, which is false at run time)",
      ],
    ]);
  });

  it("does not take an import under TYPE_CHECKING for an import cycle", async () => {
    const canon = dedent(`
      from typing import TYPE_CHECKING

      if TYPE_CHECKING:
          from app.use import Context


      def notify(user, message):
          return ("canonical", user, message)
    `);
    const use = dedent(`
      from app.old import _legacy_notify


      class Context:
          pass


      def go(u):
          return _legacy_notify(u, "j")
    `);
    const files = { "ssot-audit.config.yaml": NOTIFY_CONFIG, "app/old.py": OLD, "app/canon.py": canon, "app/use.py": use };
    const out = await fix(files);
    expect(out.manual).toEqual([]);
    expect(out.files).toEqual({ "app/use.py": use.replace("from app.old import _legacy_notify", "from app.canon import notify").replace("_legacy_notify(u", "notify(u") });
    // At run time it would be one: that is refused.
    const cyclic = await fix({ ...files, "app/canon.py": canon.replace("if TYPE_CHECKING:\n    from app.use", "if True:\n    from app.use") });
    expect(cyclic.manual).toEqual([
      ["app/use.py", 1, "the canonical module app/canon.py has no function, class, import or typed/assigned name '_legacy_notify'"],
      ["app/use.py", 9, 'adding "from app.canon import notify" would create an import cycle (app/canon.py imports this module)'],
    ]);
  });

  it("imports the delegate for real when the file imports it only for type checkers", async () => {
    const out = await fix({
      "ssot-audit.config.yaml": NOTIFY_CONFIG,
      "app/old.py": OLD,
      "app/canon.py": 'def notify(user, message):\n    return ("canonical", user, message)\n',
      "app/use.py": dedent(`
        from typing import TYPE_CHECKING

        from app.old import _legacy_notify

        if TYPE_CHECKING:
            from app.canon import notify


        def go(u):
            return _legacy_notify(u, "j")
      `),
    });
    expect(out.manual).toEqual([]);
    expect(out.files).toEqual({
      "app/use.py": dedent(`
        from typing import TYPE_CHECKING

        from app.canon import notify

        if TYPE_CHECKING:
            from app.canon import notify


        def go(u):
            return notify(u, "j")
      `),
    });
  });
});

describe("python suggestions: the delegate a duplicate becomes", () => {
  it("is a thin delegate to check: after fix --unsafe the duplicate is no longer reported", async () => {
    const files = {
      "ssot-audit.config.yaml": dedent(`
        concepts:
          notify:
            canonical: app/canon.py::notify
            names: ["notify", "send_notice"]
            delegate:
              python: { import: "from app.canon import notify", expression: "notify" }
      `),
      "app/__init__.py": "",
      "app/canon.py": 'def notify(user, message):\n    return ("canonical", user, message)\n',
      "app/other.py": dedent(`
        def send_notice(user, message):
            """Other copy."""
            print(user, message)
            return ("other", user, message)
      `),
    };
    expect(await findingsOf(files, "duplicate-implementation")).toEqual([["duplicate-implementation", "app/other.py", 1]]);
    const out = await fix(files, { unsafe: true });
    expect(out.files).toEqual({
      "app/other.py": dedent(`
        import warnings
        from app.canon import notify


        def send_notice(user, message):
            """Other copy."""
            warnings.warn(
                "send_notice is deprecated; use notify instead",
                DeprecationWarning,
                stacklevel=2,
            )
            return notify(user, message)
      `),
    });
    expect(await findingsOf({ ...files, ...out.files }, "duplicate-implementation")).toEqual([]);
  });
});
