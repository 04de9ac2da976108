/**
 * Fingerprints are what the baseline keys on: they must survive moving code within a file,
 * reformatting and unrelated lines added above, for every rule and both languages, and must
 * change when the violation itself changes.
 */
import { describe, expect, it } from "vitest";
import { checkProject, dedent } from "../helpers/project.js";

type Files = Record<string, string>;

async function fingerprints(files: Files): Promise<string[]> {
  const { report } = await checkProject(files);
  return report.findings.map((f) => `${f.ruleId} ${f.file} ${f.symbol} ${f.fingerprint}`).sort();
}

const pyBase: Files = {
  "ssot-audit.config.yaml": dedent(`
    concepts:
      broadcast:
        canonical: app/broadcast.py::BroadcastService.broadcast_to_user
        sinks: ["**.send_json"]
        deprecatedModules: [app.old_router]
  `),
  "app/__init__.py": "",
  "app/broadcast.py": dedent(`
    class BroadcastService:
        async def broadcast_to_user(self, user_id, event):
            return 1


    def get_broadcast_service():
        return BroadcastService()
  `),
};

const pyOldRouter = dedent(`
  class OldRouter:
      async def broadcast_to_user(self, user_id, event):
          print(user_id, event)


  def get_router() -> OldRouter:
      return OldRouter()
`);

const pyHandlers = dedent(`
  from app.broadcast import get_broadcast_service
  from app.old_router import get_router


  async def on_message(websocket, user_id, event):
      await websocket.send_json(event)


  async def notify(user_id, event):
      try:
          await get_broadcast_service().broadcast_to_user(user_id, event)
      except Exception:
          await get_router().broadcast_to_user(user_id, event)


  class Handler:
      async def send(self, user_id, event):
          await get_router().broadcast_to_user(user_id, event)
`);

/** The same violations: functions moved, code reformatted, unrelated lines above and between. */
const pyHandlersEdited = dedent(`
  """Handlers: the module docstring is new."""
  import logging

  from app.old_router import (
      get_router,
  )
  from app.broadcast import get_broadcast_service

  LOG = logging.getLogger(__name__)


  class Handler:
      async def send(self, user_id, event):
          await get_router().broadcast_to_user(
              user_id,
              event,
          )


  async def notify(user_id, event):
      LOG.debug("notify")
      try:
          await get_broadcast_service().broadcast_to_user(user_id, event)
      except Exception:  # the fallback being migrated
          await get_router().broadcast_to_user(user_id, event)


  async def on_message(websocket, user_id, event):
      LOG.info("sending %s", event)
      await websocket.send_json(
          event
      )
`);

const pyOldRouterEdited = dedent(`
  # Legacy router, kept until the migration ends.
  import logging


  def get_router() -> "OldRouter":
      return OldRouter()


  class OldRouter:
      """Old."""

      async def broadcast_to_user(
          self,
          user_id,
          event,
      ):
          logging.info("legacy")
          print(user_id, event)
`);

const tsBase: Files = {
  "ssot-audit.config.yaml": dedent(`
    concepts:
      push:
        canonical: src/hub.ts::Hub.pushToUser
        sinks: ["**.socket.send"]
        deprecatedModules: ["src/legacy.ts"]
  `),
  "src/hub.ts": dedent(`
    export class Hub {
      pushToUser(user: string, event: unknown): number {
        return 1;
      }
    }
    export const hub = new Hub();
  `),
};

const tsLegacy = dedent(`
  export class LegacyRouter {
    pushToUser(user: string, event: unknown): void {
      console.log(user, event);
    }
  }
  export const router = new LegacyRouter();
`);

const tsHandlers = dedent(`
  import { hub } from "./hub";
  import { router } from "./legacy";

  export function onMessage(conn: { socket: { send(x: string): void } }, e: string): void {
    conn.socket.send(e);
  }

  export async function notify(u: string, e: unknown): Promise<void> {
    try {
      await hub.pushToUser(u, e);
    } catch {
      await router.pushToUser(u, e);
    }
  }

  export class Handler {
    send(u: string, e: unknown): void {
      router.pushToUser(u, e);
    }
  }
`);

const tsHandlersEdited = dedent(`
  // Handlers. This header comment is new.
  import { router } from './legacy'
  import { hub } from './hub'

  const started = Date.now()

  export class Handler {
    send (u: string, e: unknown): void {
      console.debug(started)
      router.pushToUser(
        u,
        e,
      )
    }
  }

  export async function notify (u: string, e: unknown): Promise<void> {
    try {
      await hub.pushToUser(u, e)
    } catch {
      // fall back while migrating
      await router.pushToUser(u, e)
    }
  }

  export function onMessage (conn: { socket: { send(x: string): void } }, e: string): void {
    conn.socket
      .send(e)
  }
`);

const tsLegacyEdited = dedent(`
  /** Legacy, going away. */
  const prefix = 'legacy'

  export class LegacyRouter {
    pushToUser (
      user: string,
      event: unknown,
    ): void {
      console.log(prefix, user, event)
    }
  }

  export const router =
    new LegacyRouter()
`);

describe("finding fingerprints", () => {
  it("Python: stable under moving, reformatting and unrelated lines above, for every rule", async () => {
    const before = await fingerprints({ ...pyBase, "app/old_router.py": pyOldRouter, "app/handlers.py": pyHandlers });
    const after = await fingerprints({ ...pyBase, "app/old_router.py": pyOldRouterEdited, "app/handlers.py": pyHandlersEdited });
    expect(new Set(before.map((f) => f.split(" ")[0]))).toEqual(
      new Set(["duplicate-implementation", "legacy-fallback", "direct-sink-call", "non-canonical-call", "non-canonical-import"]),
    );
    expect(after).toEqual(before);
  });

  it("TypeScript: stable under moving, reformatting and unrelated lines above, for every rule", async () => {
    const before = await fingerprints({ ...tsBase, "src/legacy.ts": tsLegacy, "src/handlers.ts": tsHandlers });
    const after = await fingerprints({ ...tsBase, "src/legacy.ts": tsLegacyEdited, "src/handlers.ts": tsHandlersEdited });
    expect(new Set(before.map((f) => f.split(" ")[0]))).toEqual(
      new Set(["duplicate-implementation", "legacy-fallback", "direct-sink-call", "non-canonical-call", "non-canonical-import"]),
    );
    expect(after).toEqual(before);
  });

  it("changes when the violation moves to another symbol or file, or becomes a different call", async () => {
    const base = { ...pyBase, "app/old_router.py": pyOldRouter };
    const one = (code: string) => fingerprints({ ...base, "app/handlers.py": code });
    const sink = (body: string) =>
      dedent(`
      async def on_message(websocket, user_id, event):
          ${body}
    `);
    const [a] = await one(sink("await websocket.send_json(event)"));
    const [otherReceiver] = await one(sink("await websocket.conn.send_json(event)"));
    const [b] = await fingerprints({ ...base, "app/other.py": sink("await websocket.send_json(event)") });
    const [c] = await one(sink("await websocket.send_json(event)").replace("on_message", "on_close"));
    expect([a, otherReceiver, b, c].every((x) => x !== undefined)).toBe(true);
    expect(new Set([a, otherReceiver, b, c].map((x) => x?.split(" ")[3])).size).toBe(4);
  });
});
