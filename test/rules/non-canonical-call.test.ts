import { describe, expect, it } from "vitest";
import { checkProject, dedent, lineOf } from "../helpers/project.js";

describe("non-canonical-call (Python)", () => {
  const config = dedent(`
    concepts:
      broadcast:
        canonical: app/svc/broadcast.py::BroadcastService.broadcast_to_user
  `);
  const canonical = dedent(`
    class BroadcastService:
        async def broadcast_to_user(self, user_id: str, event: dict) -> int:
            return 0


    _service = None


    def get_broadcast_service() -> "BroadcastService":
        global _service
        if _service is None:
            _service = BroadcastService()
        return _service
  `);
  const legacy = dedent(`
    class LegacyRouter:
        async def broadcast_to_user(self, user_id, event):
            print("legacy", user_id, event)


    _router = LegacyRouter()


    def get_router() -> LegacyRouter:
        return _router


    def get_router_untyped():
        return _router


    def make_router():
        return LegacyRouter()
  `);
  const handlers = dedent(`
    import app.legacy.router
    import app.legacy.router as lr
    from app.legacy import router as router_module
    from app.legacy.router import LegacyRouter as Router, get_router, get_router_untyped, make_router
    from app.svc.broadcast import BroadcastService, get_broadcast_service


    class Handler:
        def __init__(self):
            self.router = Router()
            self.service = get_broadcast_service()

        async def on_a(self, uid, ev):
            await self.router.broadcast_to_user(uid, ev)
            await self.service.broadcast_to_user(uid, ev)


    async def on_b(uid, ev, unknown):
        await get_router().broadcast_to_user(uid, ev)
        await get_router_untyped().broadcast_to_user(uid, ev)
        await make_router().broadcast_to_user(uid, ev)
        await router_module._router.broadcast_to_user(uid, ev)
        await app.legacy.router.get_router().broadcast_to_user(uid, ev)
        await lr.LegacyRouter().broadcast_to_user(uid, ev)
        r = Router()
        await r.broadcast_to_user(uid, ev)
        svc: BroadcastService = get_broadcast_service()
        await svc.broadcast_to_user(uid, ev)
        await get_broadcast_service().broadcast_to_user(uid, ev)
        await unknown.broadcast_to_user(uid, ev)
        await unknown._legacy_broadcast_to_user(uid, ev)
  `);
  const relative = dedent(`
    from .legacy.router import get_router
    from .svc import broadcast


    async def on_c(uid, ev):
        await get_router().broadcast_to_user(uid, ev)
        await broadcast.get_broadcast_service().broadcast_to_user(uid, ev)
  `);
  const tests = dedent(`
    from app.legacy.router import get_router


    async def test_it():
        await get_router().broadcast_to_user("u", {})
  `);

  it("resolves imports, aliases, factories, singletons and self attributes", async () => {
    const { report } = await checkProject({
      "ssot-audit.config.yaml": config,
      "app/__init__.py": "",
      "app/svc/__init__.py": "",
      "app/svc/broadcast.py": canonical,
      "app/legacy/__init__.py": "",
      "app/legacy/router.py": legacy,
      "app/handlers.py": handlers,
      "app/relative.py": relative,
      "tests/test_handlers.py": tests,
    });
    const calls = report.findings.filter((f) => f.ruleId === "non-canonical-call").map((f) => [f.file, f.line, f.confidence]);
    expect(calls).toEqual([
      ["app/handlers.py", lineOf(handlers, "self.router.broadcast_to_user"), "certain"],
      ["app/handlers.py", lineOf(handlers, "get_router().broadcast_to_user"), "certain"],
      ["app/handlers.py", lineOf(handlers, "get_router_untyped().broadcast_to_user"), "certain"],
      ["app/handlers.py", lineOf(handlers, "make_router().broadcast_to_user"), "certain"],
      ["app/handlers.py", lineOf(handlers, "router_module._router"), "certain"],
      ["app/handlers.py", lineOf(handlers, "app.legacy.router.get_router()"), "certain"],
      ["app/handlers.py", lineOf(handlers, "lr.LegacyRouter()"), "certain"],
      ["app/handlers.py", lineOf(handlers, "await r.broadcast_to_user"), "certain"],
      ["app/handlers.py", lineOf(handlers, "unknown._legacy_broadcast_to_user"), "likely"],
      ["app/relative.py", lineOf(relative, "get_router().broadcast_to_user"), "certain"],
    ]);
    expect(report.concepts[0]?.callSites).toEqual({ canonical: 4, nonCanonical: 10 });
  });

  it("rates a resolved call to a near-clone no surer than the clone: likely", async () => {
    const body = (stream: string) =>
      dedent(`
        import sys


        def text_${stream}(encoding=None, errors=None):
            stream = sys.${stream}
            if encoding is not None:
                stream.reconfigure(encoding=encoding, errors=errors or "strict")
            if errors is not None:
                stream.reconfigure(errors=errors)
            return stream
      `);
    const cli = "from app.other import text_stdout\n\n\ndef echo(message):\n    text_stdout().write(message)\n";
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  text-stderr:\n    canonical: app/streams.py::text_stderr\n",
      "app/__init__.py": "",
      "app/streams.py": body("stderr"),
      "app/other.py": body("stdout"),
      "app/cli.py": cli,
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence])).toEqual([
      ["non-canonical-call", "app/cli.py", 5, "likely"],
      ["duplicate-implementation", "app/other.py", 4, "likely"],
    ]);
  });
});

describe("non-canonical-call (TypeScript)", () => {
  const config = dedent(`
    concepts:
      push:
        canonical: src/hub.ts::NotificationHub.pushToUser
  `);
  const hub = dedent(`
    export class NotificationHub {
      async pushToUser(userId: string, event: object): Promise<number> {
        return 0;
      }
    }

    export const hub = new NotificationHub();

    export function getHub(): NotificationHub {
      return hub;
    }
  `);
  const router = dedent(`
    export class LegacyRouter {
      async pushToUser(userId: string, event: object): Promise<void> {
        console.log(userId, event);
      }
    }

    export const legacyRouter = new LegacyRouter();

    export function getLegacyRouter() {
      return legacyRouter;
    }

    export default LegacyRouter;
  `);
  const barrel = dedent(`
    export { LegacyRouter as Router } from "./router";
    export * from "./router";
  `);
  const handlers = dedent(`
    import Default from "./legacy/router";
    import { legacyRouter, getLegacyRouter } from "./legacy/router.js";
    import * as legacy from "./legacy/router";
    import { Router, getLegacyRouter as viaBarrel } from "./legacy";
    import { hub, getHub, type NotificationHub } from "./hub";

    export class Handler {
      private router = new Router();

      constructor(private readonly hubRef: NotificationHub) {}

      async a(u: string, e: object) {
        await this.router.pushToUser(u, e);
        await this.hubRef.pushToUser(u, e);
      }
    }

    export async function b(u: string, e: object, unknown: any) {
      await legacyRouter.pushToUser(u, e);
      await getLegacyRouter().pushToUser(u, e);
      await viaBarrel().pushToUser(u, e);
      await legacy.legacyRouter.pushToUser(u, e);
      await new Default().pushToUser(u, e);
      const local = new legacy.LegacyRouter();
      await local.pushToUser(u, e);
      await hub.pushToUser(u, e);
      await getHub().pushToUser(u, e);
      await unknown.pushToUser(u, e);
    }
  `);

  it("resolves named, default, namespace imports, re-exports and class fields", async () => {
    const { report } = await checkProject({
      "ssot-audit.config.yaml": config,
      "src/hub.ts": hub,
      "src/legacy/router.ts": router,
      "src/legacy/index.ts": barrel,
      "src/handlers.ts": handlers,
    });
    const calls = report.findings.filter((f) => f.ruleId === "non-canonical-call").map((f) => [f.file, f.line, f.confidence]);
    expect(calls).toEqual([
      ["src/handlers.ts", lineOf(handlers, "this.router.pushToUser"), "certain"],
      ["src/handlers.ts", lineOf(handlers, "legacyRouter.pushToUser"), "certain"],
      ["src/handlers.ts", lineOf(handlers, "getLegacyRouter().pushToUser"), "certain"],
      ["src/handlers.ts", lineOf(handlers, "viaBarrel().pushToUser"), "certain"],
      ["src/handlers.ts", lineOf(handlers, "legacy.legacyRouter.pushToUser"), "certain"],
      ["src/handlers.ts", lineOf(handlers, "new Default().pushToUser"), "certain"],
      ["src/handlers.ts", lineOf(handlers, "local.pushToUser"), "certain"],
    ]);
    expect(report.concepts[0]?.callSites).toEqual({ canonical: 3, nonCanonical: 7 });
  });
});

describe("non-canonical-call: functions reached under another name", () => {
  it("finds calls through a default import, `default as`, a renamed re-export and a const alias of a member", async () => {
    const legacy = dedent(`
      export default function pushToUserV2(userId: string): number {
        return userId.length;
      }

      export function legacyPushToUser(userId: string): number {
        return userId.length + 1;
      }
    `);
    const app = dedent(`
      import pushV2 from "./legacy";
      import { default as pushV2b } from "./legacy";
      import { notify } from "./index";
      import * as old from "./legacy";

      export function run(u: string) {
        const alias = old.legacyPushToUser;
        return [pushV2(u), pushV2b(u), notify(u), alias(u), unrelated(u)];
      }

      function unrelated(u: string) {
        return u;
      }
    `);
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::pushToUser\n",
      "src/hub.ts": "export function pushToUser(userId: string): number {\n  return 0;\n}\n",
      "src/legacy.ts": legacy,
      "src/index.ts": 'export { legacyPushToUser as notify } from "./legacy";\n',
      "src/app.ts": app,
    });
    const line = lineOf(app, "return [pushV2(u)");
    const column = (call: string) => (app.split("\n")[line - 1] ?? "").indexOf(call) + 1;
    const calls = report.findings.filter((f) => f.ruleId === "non-canonical-call").map((f) => [f.file, f.line, f.column, f.confidence]);
    expect(calls).toEqual([
      ["src/app.ts", line, column("pushV2(u)"), "certain"],
      ["src/app.ts", line, column("pushV2b(u)"), "certain"],
      ["src/app.ts", line, column("notify(u)"), "certain"],
      ["src/app.ts", line, column("alias(u)"), "certain"],
    ]);
  });
});
