import { describe, expect, it } from "vitest";
import { dedent, findingsOf, lineOf } from "../helpers/project.js";

describe("legacy-fallback (Python)", () => {
  const config = dedent(`
    concepts:
      broadcast:
        canonical: app/broadcast.py::BroadcastService.broadcast_to_user
        sinks: ["**.send_json"]
        deprecatedModules: [app.old_router]
  `);
  const canonical = dedent(`
    class BroadcastService:
        async def broadcast_to_user(self, user_id, event):
            return 1


    def get_broadcast_service() -> BroadcastService:
        return BroadcastService()
  `);
  const oldRouter = dedent(`
    class OldRouter:
        async def broadcast_to_user(self, user_id, event):
            return 0


    def get_router() -> OldRouter:
        return OldRouter()
  `);
  const code = dedent(`
    import logging

    from app.broadcast import get_broadcast_service
    from app.old_router import get_router

    try:
        from app.broadcast import get_broadcast_service as svc_factory
    except ImportError:
        from app.old_router import get_router as svc_factory


    class Scoped:
        def __init__(self, user_id, websocket):
            self.user_id = user_id
            self.websocket = websocket
            self.service = get_broadcast_service()

        async def broadcast_to_user(self, event):
            try:
                await self.service.broadcast_to_user(self.user_id, event)
            except Exception:
                await self._legacy_broadcast_to_user(event)

        async def _legacy_broadcast_to_user(self, event):
            await self.websocket.send_json(event)

        async def notify(self, event):
            if self.service is None:
                await self.websocket.send_json(event)
            else:
                await self.service.broadcast_to_user(self.user_id, event)

        async def notify_early(self, event):
            if not self.service:
                return await get_router().broadcast_to_user(self.user_id, event)
            return await self.service.broadcast_to_user(self.user_id, event)

        def pick(self):
            return self.service or get_router()


    async def only_logs(uid, event):
        try:
            await get_broadcast_service().broadcast_to_user(uid, event)
        except Exception:
            logging.exception("broadcast failed")
            raise


    async def handler(websocket, payload):
        try:
            result = compute(payload)
        except ValueError:
            await websocket.send_json({"error": "bad payload"})


    def settings(config=None):
        return config or {}


    def compute(payload):
        return payload
  `);

  /** The rule's findings in a project of the concept's config, its canonical module and `files`. */
  const findingsWith = (files: Record<string, string>) =>
    findingsOf({ "ssot-audit.config.yaml": config, "app/__init__.py": "", "app/broadcast.py": canonical, ...files }, "legacy-fallback");

  it("reports try/except, import, conditional, early-return and or fallbacks; not near-misses", async () => {
    const findings = await findingsWith({ "app/old_router.py": oldRouter, "app/scoped.py": code });
    expect(findings).toEqual([
      ["legacy-fallback", "app/scoped.py", lineOf(code, "try:")],
      ["legacy-fallback", "app/scoped.py", lineOf(code, "try:", 2)],
      ["legacy-fallback", "app/scoped.py", lineOf(code, "if self.service is None")],
      ["legacy-fallback", "app/scoped.py", lineOf(code, "if not self.service")],
      ["legacy-fallback", "app/scoped.py", lineOf(code, "self.service or get_router()")],
    ]);
  });

  it("counts an instance of a class that holds an implementation as reached, never as touching the concept", async () => {
    // `OldRouter` is not an implementation itself: it holds one (its `broadcast_to_user`), and is
    // used for much else. Choosing between two of its instances is no fallback around the concept.
    const pool = dedent(`
      from app.broadcast import get_broadcast_service
      from app.old_router import OldRouter, get_router


      class Pool:
          def pick(self, fresh):
              if fresh:
                  return OldRouter()
              else:
                  return get_router()

          def pick_try(self):
              try:
                  return get_router()
              except Exception:
                  return OldRouter()

          def same(self, other):
              return self if other is None else OldRouter()


      def choose(fresh):
          if fresh:
              return get_broadcast_service()
          return OldRouter()
    `);
    const findings = await findingsWith({ "app/old_router.py": oldRouter, "app/pool.py": pool });
    expect(findings).toEqual([["legacy-fallback", "app/pool.py", lineOf(pool, "if fresh:", 2)]]);
  });

  it("needs something to fall back from: not one copy on both sides, not a test of a holder instance", async () => {
    const near = dedent(`
      from app.broadcast import BroadcastService, get_broadcast_service
      from app.old_router import OldRouter, get_router


      async def greet(user_id, formal):
          if formal:
              return await get_router().broadcast_to_user(user_id, {"t": "Good day"})
          return await get_router().broadcast_to_user(user_id, {"t": "hi"})


      class Response:
          def __init__(self):
              self._service: BroadcastService = get_broadcast_service()
              self._router = OldRouter()

          def release(self):
              if not self._service or not self._router:
                  return None
              self.keep(self._router)
              self._router = None

          def keep(self, router):
              return router

          def pick(self):
              return self._service or self._router


      if formal_platform():
          def send_it(user_id, event):
              from app.sharer import BUFSIZE
              return BUFSIZE
      else:
          async def send_it(user_id, event):
              return await get_broadcast_service().broadcast_to_user(user_id, event)


      def formal_platform():
          return True
    `);
    // A module that holds a copy, imported for a constant only.
    const sharer = "BUFSIZE = 4096\n\n\nclass Sharer:\n    async def broadcast_to_user(self, user_id, event):\n        return 0\n";
    const findings = await findingsWith({ "app/old_router.py": oldRouter, "app/near.py": near, "app/sharer.py": sharer });
    // Only `pick`: the canonical service, else the old router, as a value.
    expect(findings).toEqual([["legacy-fallback", "app/near.py", lineOf(near, "return self._service or self._router")]]);
  });

  it("finds no fallback in a stub: nothing in a .pyi runs", async () => {
    const versioned = dedent(`
      import sys

      from app.old_router import OldRouter

      if sys.version_info >= (3, 12):
          def pick() -> OldRouter: ...
      else:
          def pick() -> OldRouter: ...

      try:
          router = get_broadcast_service()
      except ImportError:
          router = _legacy_broadcast_to_user()
    `);
    const findings = await findingsWith({ "app/old_router.py": oldRouter, "app/stubs.pyi": versioned, "app/same.py": versioned });
    expect(findings).toEqual([["legacy-fallback", "app/same.py", lineOf(versioned, "try:")]]);
  });

  it("does not count a non-canonical implementation calling itself as a fallback", async () => {
    const recursive = dedent(`
      from app.broadcast import get_broadcast_service


      async def broadcast_to_user(user_id, event, retries=3):
          if retries == 0:
              return await get_broadcast_service().broadcast_to_user(user_id, event)
          else:
              return await broadcast_to_user(user_id, event, retries - 1)


      async def _legacy_broadcast_to_user(user_id, events):
          if isinstance(events, list):
              for e in events:
                  await _legacy_broadcast_to_user(user_id, e)
          else:
              await get_broadcast_service().broadcast_to_user(user_id, events)


      async def caller(user_id, event, ok):
          if ok:
              return await get_broadcast_service().broadcast_to_user(user_id, event)
          return await broadcast_to_user(user_id, event)


      async def legacy_caller(user_id, event, ok):
          if ok:
              return await get_broadcast_service().broadcast_to_user(user_id, event)
          return await _legacy_broadcast_to_user(user_id, event)
    `);
    const findings = await findingsWith({ "app/recursive.py": recursive });
    expect(findings).toEqual([
      ["legacy-fallback", "app/recursive.py", lineOf(recursive, "if ok:")],
      ["legacy-fallback", "app/recursive.py", lineOf(recursive, "if ok:", 2)],
    ]);
  });
});

describe("legacy-fallback (TypeScript)", () => {
  const config = dedent(`
    concepts:
      push:
        canonical: src/hub.ts::NotificationHub.pushToUser
        sinks: ["**.socket.send"]
  `);
  const hub = dedent(`
    export class NotificationHub {
      async pushToUser(userId: string, event: object): Promise<number> {
        return 1;
      }
    }
    export const hub: NotificationHub | undefined = new NotificationHub();
  `);
  const legacy = dedent(`
    export class LegacyRouter {
      async pushToUser(userId: string, event: object): Promise<number> {
        return 0;
      }
    }
    export const legacyRouter = new LegacyRouter();
    export function pushToUserLegacy(userId: string, event: object) {
      return legacyRouter.pushToUser(userId, event);
    }
  `);
  const code = dedent(`
    import { hub } from "./hub";
    import { legacyRouter, pushToUserLegacy } from "./legacy";

    export class Scoped {
      constructor(private userId: string, private socket: { send(d: string): void }) {}

      async push(event: object) {
        try {
          await hub?.pushToUser(this.userId, event);
        } catch {
          await pushToUserLegacy(this.userId, event);
        }
      }

      pushLater(event: object) {
        return hub?.pushToUser(this.userId, event).catch(() => this.socket.send(JSON.stringify(event)));
      }

      router() {
        return hub ?? legacyRouter;
      }

      routerOr() {
        return hub || legacyRouter;
      }

      pick(event: object) {
        return hub ? hub.pushToUser(this.userId, event) : legacyRouter.pushToUser(this.userId, event);
      }

      async onlyLogs(event: object) {
        try {
          await hub?.pushToUser(this.userId, event);
        } catch (error) {
          console.error(error);
          throw error;
        }
      }

      label(name?: string) {
        return name ?? "anonymous";
      }
    }
  `);

  it("reports try/catch, .catch, ??, ||, ternary fallbacks; not near-misses", async () => {
    const findings = await findingsOf(
      { "ssot-audit.config.yaml": config, "src/hub.ts": hub, "src/legacy.ts": legacy, "src/scoped.ts": code },
      "legacy-fallback",
    );
    expect(findings).toEqual([
      ["legacy-fallback", "src/scoped.ts", lineOf(code, "try {")],
      ["legacy-fallback", "src/scoped.ts", lineOf(code, ".catch(")],
      ["legacy-fallback", "src/scoped.ts", lineOf(code, "hub ?? legacyRouter")],
      ["legacy-fallback", "src/scoped.ts", lineOf(code, "hub || legacyRouter")],
      ["legacy-fallback", "src/scoped.ts", lineOf(code, "return hub ? hub.pushToUser")],
    ]);
  });

  it("needs something to fall back from: not one copy on both sides, not a legacy-looking alias of the canonical", async () => {
    const near = dedent(`
      import { hub, NotificationHub } from "./hub";
      import { hub as hubV2 } from "./hub";
      import { legacyRouter, LegacyRouter } from "./legacy";

      export function both(flag: boolean, u: string) {
        return flag ? legacyRouter.pushToUser(u, {}) : legacyRouter.pushToUser(u, { flag });
      }

      export function aliased(u: string, ok: boolean) {
        if (!ok) {
          return 0;
        }
        return hubV2?.pushToUser(u, {});
      }

      export const ready = !hub || !legacyRouter;

      export function holder(fresh: boolean, router: LegacyRouter, service: NotificationHub) {
        if (fresh) {
          service.pushToUser("u", {});
        } else {
          router.toString();
        }
      }
    `);
    const findings = await findingsOf(
      { "ssot-audit.config.yaml": config, "src/hub.ts": hub, "src/legacy.ts": legacy, "src/near.ts": near },
      "legacy-fallback",
    );
    expect(findings).toEqual([]);
  });
});
