import { describe, expect, it } from "vitest";
import { type MigrationConcept, buildMigrationModel, fallbackKindLabel } from "../../src/report/migration.js";
import { checkFixture } from "./migration-fixtures.js";

/** A compact, complete picture of a concept's migration model (every list, in order). */
function project(c: MigrationConcept) {
  const at = (l: { file: string; line: number }) => `${l.file}:${l.line}`;
  return {
    id: c.id,
    canonical: `${at(c.canonical)} ${c.canonical.symbol}`,
    progress: c.progress,
    remaining: c.remaining,
    canonicalCallers: c.canonicalCallers.map((g) => [g.file, g.sites.map((s) => s.line)]),
    delegates: c.delegates.map((d) => `${at(d)} ${d.symbol}`),
    implementations: c.implementations.map((i) => [
      `${at(i)} ${i.symbol}`,
      i.reason,
      i.fallbacks,
      i.callers.map((k) => `${at(k)}${k.confidence === "likely" ? " likely" : ""}`),
    ]),
    unattributedCalls: c.unattributedCalls.map((k) => `${at(k)} ${k.callee}`),
    fallbacks: c.fallbacks.map((f) => `${at(f)} ${f.kind} → ${f.reaches.map((r) => `${r.kind}:${r.label}`).join(", ")}`),
    sinksByFile: c.sinksByFile.map((g) => [g.file, g.uses.map((u) => `${u.line} ${u.text}`)]),
    deprecatedImports: c.deprecatedImports.map((d) => `${at(d)} ${d.names.join(",")}`),
    tasks: c.tasks.map((t) => `${t.impact} ${t.kind} ${t.subject} @ ${t.file}:${t.line}`),
  };
}

describe("buildMigrationModel on fixtures/python-broadcast", () => {
  it("maps every implementation to its callers, and lists fallbacks, sinks, imports and tasks exactly", async () => {
    const model = buildMigrationModel(await checkFixture("fixtures/python-broadcast"));
    const B = "netra_backend/app";
    expect(model.concepts.map(project)).toEqual([
      {
        id: "websocket-broadcast",
        canonical: `${B}/services/websocket_broadcast_service.py:26 WebSocketBroadcastService.broadcast_to_user`,
        progress: 7 / 20,
        remaining: 13 + 5 + 5 + 6,
        canonicalCallers: [
          [`${B}/adapters/notification_adapter.py`, [15]],
          [`${B}/handlers/agent_handler.py`, [30]],
          [`${B}/handlers/chat_handler.py`, [21, 24]],
          [`${B}/services/event_helpers.py`, [40]],
          [`${B}/services/user_scoped_websocket_event_router.py`, [29, 39]],
        ],
        delegates: [`${B}/adapters/notification_adapter.py:13 NotificationAdapter.broadcast_to_user`],
        implementations: [
          [
            `${B}/services/websocket_event_router.py:27 WebSocketEventRouter.broadcast_to_user`,
            "name",
            1,
            [
              `${B}/handlers/agent_handler.py:25`,
              `${B}/handlers/agent_handler.py:32`,
              `${B}/handlers/thread_handler.py:12`,
              `${B}/services/event_helpers.py:46`,
              `${B}/services/websocket_event_router.py:48`,
            ],
          ],
          [
            `${B}/services/event_helpers.py:43 broadcast_user_event`,
            "name",
            0,
            [`${B}/handlers/agent_handler.py:36`, `${B}/handlers/session_handler.py:30 likely`, `${B}/handlers/thread_handler.py:19`],
          ],
          [
            `${B}/services/user_scoped_websocket_event_router.py:41 UserScopedWebSocketEventRouter._legacy_broadcast_to_user`,
            "name",
            0,
            [
              `${B}/handlers/session_handler.py:24 likely`,
              `${B}/services/user_scoped_websocket_event_router.py:32`,
              `${B}/services/user_scoped_websocket_event_router.py:38`,
            ],
          ],
          [`${B}/services/presence_notifier.py:20 PresenceNotifier.notify_all_tabs`, "clone", 0, [`${B}/services/presence_notifier.py:38 likely`]],
          [
            `${B}/services/user_scoped_websocket_event_router.py:26 UserScopedWebSocketEventRouter.broadcast_to_user`,
            "name",
            0,
            [`${B}/handlers/session_handler.py:16`],
          ],
        ],
        unattributedCalls: [],
        fallbacks: [
          `${B}/handlers/agent_handler.py:29 conditional → implementation:WebSocketEventRouter.broadcast_to_user`,
          `${B}/handlers/agent_handler.py:40 or → implementation:WebSocketEventRouter instance`,
          `${B}/services/event_helpers.py:10 import-fallback → deprecated-module:netra_backend.app.services.websocket_event_router`,
          `${B}/services/user_scoped_websocket_event_router.py:28 try → legacy-name:_legacy_broadcast_to_user`,
          `${B}/services/user_scoped_websocket_event_router.py:37 conditional → legacy-name:_legacy_broadcast_to_user`,
        ],
        sinksByFile: [
          [`${B}/handlers/status_handler.py`, ["17 websocket.send_json", "19 websocket.send_json", "23 websocket.send_text"]],
          [`${B}/services/presence_notifier.py`, ["26 conn.websocket.send_json"]],
          [`${B}/services/user_scoped_websocket_event_router.py`, ["45 connection.websocket.send_json"]],
          [`${B}/services/websocket_event_router.py`, ["31 connection.websocket.send_json"]],
        ],
        deprecatedImports: [
          `${B}/handlers/agent_handler.py:11 get_websocket_router`,
          `${B}/handlers/status_handler.py:9 ROUTER_EVENT_TYPES`,
          `${B}/handlers/thread_handler.py:6 WebSocketEventRouter`,
          `${B}/services/event_helpers.py:13 get_websocket_router`,
          `${B}/services/event_helpers.py:15 get_websocket_router`,
        ],
        // Highest impact first; ties: retire, review, fallback, sinks, imports; then file and line.
        tasks: [
          `6 retire-implementation WebSocketEventRouter.broadcast_to_user @ ${B}/services/websocket_event_router.py:27`,
          `4 retire-implementation broadcast_user_event @ ${B}/services/event_helpers.py:43`,
          `4 retire-implementation UserScopedWebSocketEventRouter._legacy_broadcast_to_user @ ${B}/services/user_scoped_websocket_event_router.py:41`,
          `3 route-sinks **.send_json, **.send_text @ ${B}/handlers/status_handler.py:17`,
          `2 retire-implementation PresenceNotifier.notify_all_tabs @ ${B}/services/presence_notifier.py:20`,
          `2 retire-implementation UserScopedWebSocketEventRouter.broadcast_to_user @ ${B}/services/user_scoped_websocket_event_router.py:26`,
          `2 replace-imports netra_backend.app.services.websocket_event_router @ ${B}/services/event_helpers.py:13`,
          `1 remove-fallback AgentMessageHandler.on_agent_completed @ ${B}/handlers/agent_handler.py:29`,
          `1 remove-fallback AgentMessageHandler.on_agent_thinking @ ${B}/handlers/agent_handler.py:40`,
          `1 remove-fallback  @ ${B}/services/event_helpers.py:10`,
          `1 remove-fallback UserScopedWebSocketEventRouter.broadcast_to_user @ ${B}/services/user_scoped_websocket_event_router.py:28`,
          `1 remove-fallback UserScopedWebSocketEventRouter.send_agent_update @ ${B}/services/user_scoped_websocket_event_router.py:37`,
          `1 route-sinks **.send_json @ ${B}/services/presence_notifier.py:26`,
          `1 route-sinks **.send_json @ ${B}/services/user_scoped_websocket_event_router.py:45`,
          `1 route-sinks **.send_json @ ${B}/services/websocket_event_router.py:31`,
          `1 replace-imports netra_backend.app.services.websocket_event_router @ ${B}/handlers/agent_handler.py:11`,
          `1 replace-imports netra_backend.app.services.websocket_event_router @ ${B}/handlers/status_handler.py:9`,
          `1 replace-imports netra_backend.app.services.websocket_event_router @ ${B}/handlers/thread_handler.py:6`,
        ],
      },
      {
        id: "env-config",
        canonical: `${B}/config.py:20 get_settings`,
        progress: 1,
        remaining: 2,
        canonicalCallers: [
          [`${B}/handlers/agent_handler.py`, [20]],
          [`${B}/services/llm_client.py`, [16]],
        ],
        delegates: [],
        implementations: [],
        unattributedCalls: [],
        fallbacks: [],
        sinksByFile: [[`${B}/services/llm_client.py`, ["18 E.get", "19 os.getenv"]]],
        deprecatedImports: [],
        tasks: [`2 route-sinks os.environ, os.getenv @ ${B}/services/llm_client.py:18`],
      },
    ]);
    expect(model.totals).toEqual({ canonical: 9, nonCanonical: 13, duplicates: 5, fallbacks: 5, sinkCalls: 8, remaining: 31, tasks: 19 });
  });

  it("counts a call site as fixable exactly when its non-canonical-call finding is", async () => {
    const result = await checkFixture("fixtures/python-broadcast");
    const model = buildMigrationModel(result);
    const fixable = new Set(
      result.report.findings.filter((f) => f.ruleId === "non-canonical-call" && f.fixable).map((f) => `${f.file}:${f.line}:${f.column}`),
    );
    const callers = model.concepts.flatMap((c) => c.implementations.flatMap((i) => i.callers));
    expect(callers.filter((k) => k.fixable).map((k) => `${k.file}:${k.line}:${k.column}`)).toEqual(
      callers.map((k) => `${k.file}:${k.line}:${k.column}`).filter((k) => fixable.has(k)),
    );
    for (const c of model.concepts) {
      for (const t of c.tasks.filter((task) => task.kind === "retire-implementation")) {
        const impl = c.implementations.find((i) => i.symbol === t.subject);
        expect(t.fixable).toBe(impl?.callers.filter((k) => k.fixable).length);
      }
    }
  });
});

describe("buildMigrationModel agrees with the JSON report's concept counts", () => {
  it.each([
    ["fixtures/python-broadcast"],
    ["fixtures/python-broadcast/netra_backend/app/handlers"],
    ["fixtures/ts-broadcast"],
    ["fixtures/clean-python"],
  ])("%s", async (fixture) => {
    const result = await checkFixture(fixture);
    const model = buildMigrationModel(result);
    expect(model.concepts.map((c) => c.summary)).toEqual(result.report.concepts);
    for (const c of model.concepts) {
      const calls = c.implementations.reduce((n, i) => n + i.callers.length, 0) + c.unattributedCalls.length;
      expect([
        c.canonicalCallers.reduce((n, g) => n + g.sites.length, 0),
        calls,
        c.implementations.length + 1,
        c.fallbacks.length,
        c.sinksByFile.reduce((n, g) => n + g.uses.length, 0),
      ]).toEqual([
        c.summary.callSites.canonical,
        c.summary.callSites.nonCanonical,
        c.summary.implementations,
        c.summary.fallbacks,
        c.summary.sinkCalls,
      ]);
    }
  });

  it("reports only what lies under the requested folder", async () => {
    const model = buildMigrationModel(await checkFixture("fixtures/python-broadcast/netra_backend/app/handlers"));
    const files = model.concepts.flatMap((c) => [
      ...c.implementations.flatMap((i) => [i.file, ...i.callers.map((k) => k.file)]),
      ...c.fallbacks.map((f) => f.file),
      ...c.sinksByFile.map((g) => g.file),
      ...c.deprecatedImports.map((d) => d.file),
      ...c.tasks.map((t) => t.file),
    ]);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !f.startsWith("netra_backend/app/handlers/"))).toEqual([]);
  });
});

describe("fallback kinds in words", () => {
  it("speaks each language's words: try/except and or in Python, try/catch and || in TS/JS", () => {
    expect([fallbackKindLabel("try", "app/a.py"), fallbackKindLabel("or", "app/a.py"), fallbackKindLabel("try", "src/a.ts")]).toEqual([
      "try/except fallback",
      "or fallback",
      "try/catch fallback",
    ]);
    expect([fallbackKindLabel("or", "lib/a.js"), fallbackKindLabel("promise-catch", "src/a.ts"), fallbackKindLabel("try")]).toEqual([
      "|| fallback",
      ".catch() fallback",
      "try/except fallback",
    ]);
  });
});
