import { describe, expect, it } from "vitest";
import { dedent, findingsOf, lineOf } from "../helpers/project.js";

const CONFIG = dedent(`
  concepts:
    broadcast:
      canonical: svc/broadcast.py::BroadcastService.broadcast_to_user
      names: [broadcast_to_user, broadcast_user_event]
`);

const CANONICAL = dedent(`
  """The SSOT broadcast service."""


  class BroadcastService:
      def __init__(self):
          self._connections = {}

      async def broadcast_to_user(self, user_id: str, event: dict) -> int:
          sent = 0
          for connection in self._connections.get(user_id, []):
              if connection.is_open:
                  await connection.websocket.send_json(event)
                  sent += 1
          return sent


  _service = BroadcastService()


  def get_broadcast_service() -> BroadcastService:
      return _service
`);

describe("duplicate-implementation (Python)", () => {
  const legacy = dedent(`
    class LegacyRouter:
        async def broadcast_to_user(self, user_id, event):
            for ws in self.sockets(user_id):
                await ws.send_json(event)

        async def _legacy_broadcast_to_user(self, user_id, event):
            print("legacy", user_id)

        async def broadcast_to_user_v1(self, user_id, event):
            return await self.inner.broadcast_to_user(user_id, event)

        def sockets(self, user_id):
            return []


    def broadcastUserEventV2(user_id, event):
        print(user_id, event)


    class RoomRouter:
        async def push_to_member(self, member: str, payload: dict) -> int:
            count = 0
            for conn in self._conns.get(member, []):
                if conn.is_open:
                    await conn.websocket.send_json(payload)
                    count += 1
            return count

        async def broadcast_to_room(self, room, event):
            print(room, event)
  `);
  const silent = dedent(`
    import abc
    from typing import Protocol

    from svc.broadcast import get_broadcast_service


    async def broadcast_to_user(user_id, event):
        """Adapter kept for old imports."""
        return await get_broadcast_service().broadcast_to_user(user_id, event)


    async def _legacy_broadcast_to_user(user_id, event):
        return await get_broadcast_service().broadcast_to_user(user_id, event)


    async def broadcast_user_event(service, user_id, event):
        await service.broadcast_to_user(user_id, event)


    class Broadcaster(Protocol):
        async def broadcast_to_user(self, user_id: str, event: dict) -> int: ...


    class BaseBroadcaster(abc.ABC):
        @abc.abstractmethod
        async def broadcast_to_user(self, user_id, event):
            raise NotImplementedError


    class FakeBroadcaster:
        async def broadcast_to_user(self, user_id, event):
            self.sent.append((user_id, event))
  `);
  const testFile = dedent(`
    def broadcast_to_user(user_id, event):
        return 1
  `);

  it("reports name matches across styles and affixes, and renamed near-clones", async () => {
    const findings = await findingsOf(
      {
        "ssot-audit.config.yaml": CONFIG,
        "svc/broadcast.py": CANONICAL,
        "legacy/router.py": legacy,
        "adapters/compat.py": silent,
        "tests/test_broadcast.py": testFile,
      },
      "duplicate-implementation",
    );
    expect(findings).toEqual([
      ["duplicate-implementation", "legacy/router.py", lineOf(legacy, "async def broadcast_to_user")],
      ["duplicate-implementation", "legacy/router.py", lineOf(legacy, "_legacy_broadcast_to_user")],
      // Legacy-named, forwarding to a broadcast_to_user of unknown origin.
      ["duplicate-implementation", "legacy/router.py", lineOf(legacy, "broadcast_to_user_v1")],
      ["duplicate-implementation", "legacy/router.py", lineOf(legacy, "def broadcastUserEventV2")],
      ["duplicate-implementation", "legacy/router.py", lineOf(legacy, "def push_to_member")],
    ]);
  });
});

describe("duplicate-implementation (TypeScript)", () => {
  const config = dedent(`
    concepts:
      push:
        canonical: src/hub.ts::NotificationHub.pushToUser
  `);
  const hub = dedent(`
    export class NotificationHub {
      private sockets = new Map<string, { send(data: string): void }[]>();

      async pushToUser(userId: string, event: object): Promise<number> {
        let sent = 0;
        for (const socket of this.sockets.get(userId) ?? []) {
          socket.send(JSON.stringify(event));
          sent += 1;
        }
        return sent;
      }
    }

    export const hub = new NotificationHub();
  `);
  const legacy = dedent(`
    export class LegacySocketRouter {
      pushToUserLegacy(userId: string, event: object): void {
        console.log(userId, event);
      }
      push_to_user(userId: string, event: object): void {
        console.log(userId, event);
      }
    }

    export const pushToUserV2 = async (userId: string, event: object) => {
      console.log(userId, event);
    };

    export function pushToUserOld(target: { pushToUser(u: string, e: object): void }, userId: string, event: object) {
      return target.pushToUser(userId, event);
    }
  `);
  const silent = dedent(`
    import { hub } from "./hub";

    export interface Pusher {
      pushToUser(userId: string, event: object): Promise<number>;
    }

    export abstract class BasePusher {
      abstract pushToUser(userId: string, event: object): Promise<number>;
    }

    declare function pushToUserAmbient(userId: string): void;

    export function pushToUser(userId: string, event: object): Promise<number>;
    export function pushToUser(userId: string, event: object, extra?: boolean): Promise<number> {
      return hub.pushToUser(userId, event);
    }

    export class Adapter {
      pushToUser(userId: string, event: object) {
        return hub.pushToUser(userId, event);
      }
    }

    export function legacyPushToUser(userId: string, event: object) {
      return hub.pushToUser(userId, event);
    }
  `);

  it("reports name matches and stays silent on signatures and delegates", async () => {
    const findings = await findingsOf(
      {
        "ssot-audit.config.yaml": config,
        "src/hub.ts": hub,
        "src/legacy.ts": legacy,
        "src/silent.ts": silent,
        "src/hub.test.ts": "export function pushToUser() { return 1; }\n",
      },
      "duplicate-implementation",
    );
    expect(findings).toEqual([
      ["duplicate-implementation", "src/legacy.ts", lineOf(legacy, "pushToUserLegacy(")],
      ["duplicate-implementation", "src/legacy.ts", lineOf(legacy, "push_to_user(")],
      ["duplicate-implementation", "src/legacy.ts", lineOf(legacy, "pushToUserV2")],
      ["duplicate-implementation", "src/legacy.ts", lineOf(legacy, "pushToUserOld")],
    ]);
  });
});
