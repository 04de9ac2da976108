/**
 * Discovery on the `fixtures/discover-*` scenarios and the seed fixture: the exact clusters
 * (kind, name, definitions), their order and their suggested canonicals — an extra, missing or
 * reordered candidate fails.
 */
import { describe, expect, it } from "vitest";
import { type Cluster, cluster, discoverIn } from "./helpers.js";

/** The mean similarity is a MinHash estimate: its exact value follows the shape hashing, its presence is what matters. */
function roughly(evidence: readonly string[] | undefined): string[] {
  return (evidence ?? []).map((e) => e.replace(/^bodies \d+% similar$/, "bodies N% similar"));
}

async function clusters(dir: string): Promise<Cluster[]> {
  return (await discoverIn(dir)).map(cluster);
}

describe("discovery on fixtures/python-broadcast (the seed case)", () => {
  it("finds the broadcast triple with its renamed copy, the import fallback and the router family", async () => {
    expect(await clusters("fixtures/python-broadcast")).toEqual([
      {
        kind: "same-name",
        name: "broadcast_to_user",
        definitions: [
          "netra_backend/app/services/presence_notifier.py:20 PresenceNotifier.notify_all_tabs",
          "netra_backend/app/services/user_scoped_websocket_event_router.py:26 UserScopedWebSocketEventRouter.broadcast_to_user",
          "netra_backend/app/services/user_scoped_websocket_event_router.py:41 UserScopedWebSocketEventRouter._legacy_broadcast_to_user",
          "netra_backend/app/services/websocket_broadcast_service.py:26 WebSocketBroadcastService.broadcast_to_user",
          "netra_backend/app/services/websocket_event_router.py:27 WebSocketEventRouter.broadcast_to_user",
        ],
        canonical: "netra_backend/app/services/websocket_broadcast_service.py::WebSocketBroadcastService.broadcast_to_user",
      },
      {
        kind: "fallback",
        name: "get_broadcast_service",
        definitions: [
          "netra_backend/app/services/websocket_broadcast_service.py:46 get_broadcast_service",
          "netra_backend/app/services/websocket_event_router.py:40 get_websocket_router",
        ],
        canonical: "netra_backend/app/services/websocket_broadcast_service.py::get_broadcast_service",
      },
      {
        kind: "family",
        name: "WebSocketEventRouter",
        definitions: [
          "netra_backend/app/services/user_scoped_websocket_event_router.py:18 UserScopedWebSocketEventRouter",
          "netra_backend/app/services/websocket_event_router.py:20 WebSocketEventRouter",
        ],
        canonical: "netra_backend/app/services/user_scoped_websocket_event_router.py::UserScopedWebSocketEventRouter",
      },
    ]);
  });

  it("explains the canonical and the evidence in words", async () => {
    const [top] = await discoverIn("fixtures/python-broadcast");
    expect(top?.suggestedCanonical.why).toBe(
      "2 definitions already delegate to it (NotificationAdapter.broadcast_to_user, UserScopedWebSocketEventRouter.broadcast_to_user); " +
        "it is the primary side of the fallbacks if/else at netra_backend/app/handlers/agent_handler.py:29, if/else at netra_backend/app/services/user_scoped_websocket_event_router.py:37; " +
        "its module docstring says 'single source of truth'; 7 call sites resolve to it; 2 of the others are marked legacy or stand-in",
    );
    expect(roughly(top?.evidence)).toEqual([
      "4 modules",
      "bodies N% similar",
      "renamed copy PresenceNotifier.notify_all_tabs (body 100% similar)",
      "legacy name UserScopedWebSocketEventRouter._legacy_broadcast_to_user",
      "module docstring of netra_backend/app/services/websocket_event_router.py says 'Legacy'",
      "module docstring of netra_backend/app/services/websocket_broadcast_service.py says 'single source of truth'",
      "if/else at netra_backend/app/handlers/agent_handler.py:29 falls back to WebSocketEventRouter.broadcast_to_user()",
      "except Exception at netra_backend/app/services/user_scoped_websocket_event_router.py:28 falls back to UserScopedWebSocketEventRouter._legacy_broadcast_to_user()",
      "if/else at netra_backend/app/services/user_scoped_websocket_event_router.py:37 falls back to UserScopedWebSocketEventRouter._legacy_broadcast_to_user()",
      "2 definitions delegate to WebSocketBroadcastService.broadcast_to_user",
      "19 call sites",
    ]);
  });

  it("keeps the Protocol, the abstract method, the thin adapter and the test double out", async () => {
    const symbols = (await discoverIn("fixtures/python-broadcast")).flatMap((c) => c.definitions.map((d) => `${d.file}::${d.symbol}`));
    for (const absent of [
      "netra_backend/app/interfaces.py::Broadcaster.broadcast_to_user",
      "netra_backend/app/interfaces.py::BaseEventSink.broadcast_to_user",
      "netra_backend/app/adapters/notification_adapter.py::NotificationAdapter.broadcast_to_user",
      "tests/test_broadcast.py::FakeBroadcaster.broadcast_to_user",
    ]) {
      expect(symbols).not.toContain(absent);
    }
  });
});

describe("discovery on fixtures/discover-job-family", () => {
  it("reports the JobScheduler family with the unified scheduler as canonical, and not the job stores", async () => {
    const candidates = await discoverIn("fixtures/discover-job-family");
    expect(candidates.map(cluster)).toEqual([
      {
        kind: "family",
        name: "JobScheduler",
        definitions: [
          "jobs/consolidated.py:9 ConsolidatedJobSchedulerWrapper",
          "jobs/legacy_adapter.py:9 JobSchedulerLegacyAdapter",
          "jobs/request_scoped.py:11 RequestScopedJobScheduler",
          "jobs/scheduler.py:11 JobScheduler",
          "jobs/unified_scheduler.py:12 UnifiedJobScheduler",
        ],
        canonical: "jobs/unified_scheduler.py::UnifiedJobScheduler",
      },
    ]);
    expect(candidates[0]?.suggestedCanonical.why).toBe(
      "2 definitions already delegate to it (ConsolidatedJobSchedulerWrapper, JobSchedulerLegacyAdapter); its module docstring says 'SSOT'; 1 call site resolves to it; 2 of the others are marked legacy or stand-in",
    );
    expect(roughly(candidates[0]?.evidence)).toEqual([
      "5 modules",
      "bodies N% similar",
      "variants: ConsolidatedJobSchedulerWrapper (consolidated, wrapper), JobSchedulerLegacyAdapter (legacy, adapter), RequestScopedJobScheduler (request scoped), UnifiedJobScheduler (unified)",
      "wrapper name ConsolidatedJobSchedulerWrapper",
      "legacy name JobSchedulerLegacyAdapter",
      "module docstring of jobs/unified_scheduler.py says 'SSOT'",
      "cancel() implemented in 3 of its modules",
      "due_jobs() implemented in 3 of its modules",
      "schedule() implemented in 4 of its modules",
      "2 definitions delegate to UnifiedJobScheduler",
      "1 call site",
    ]);
  });
});

describe("discovery on fixtures/discover-duplicate-classes", () => {
  it("reports RateLimiter once, with the gateway's (the SSOT) as canonical", async () => {
    const candidates = await discoverIn("fixtures/discover-duplicate-classes");
    expect(candidates.map(cluster)).toEqual([
      {
        kind: "class",
        name: "RateLimiter",
        definitions: ["api/throttle.py:11 RateLimiter", "gateway/rate_limiter.py:9 RateLimiter", "workers/limits.py:8 RateLimiter"],
        canonical: "gateway/rate_limiter.py::RateLimiter",
      },
    ]);
    expect(candidates[0]?.suggestedCanonical.why).toBe("its module docstring says 'single source of truth'; 2 call sites resolve to it");
    expect(candidates[0]?.evidence).toContain("allow() implemented in 3 of its modules");
  });
});

describe("discovery on fixtures/discover-renamed-copy", () => {
  it("finds the renamed copy by body shape and keeps the tiny and the different bodies out", async () => {
    const candidates = await discoverIn("fixtures/discover-renamed-copy");
    expect(candidates.map(cluster)).toEqual([
      {
        kind: "clone",
        name: "compute_invoice_total",
        definitions: ["billing/invoices.py:8 compute_invoice_total", "orders/summary.py:8 calculate_order_sum"],
        canonical: "billing/invoices.py::compute_invoice_total",
      },
    ]);
    expect(candidates[0]?.suggestedCanonical.why).toBe("2 call sites resolve to it");
    expect(candidates[0]?.evidence).toEqual([
      "2 modules",
      "bodies 100% similar",
      "renamed copy calculate_order_sum (body 100% similar)",
      "3 call sites",
    ]);
  });
});

describe("discovery on fixtures/discover-leftover-fallbacks", () => {
  it("reports each leftover with what to keep, and not the optional import, the logging except or a legacy word inside a name", async () => {
    // A live import fallback to an old module outranks a dormant legacy-named copy; lone copies come last.
    const candidates = await discoverIn("fixtures/discover-leftover-fallbacks");
    expect(candidates.map(cluster)).toEqual([
      {
        kind: "fallback",
        name: "load_settings",
        definitions: ["settings/old_loader.py:8 read_settings", "settings/v2_loader.py:10 load_settings"],
        canonical: "settings/v2_loader.py::load_settings",
      },
      {
        kind: "class",
        name: "InvoiceRenderer",
        definitions: ["reports/invoice.py:6 InvoiceRenderer", "reports/render.py:6 InvoiceRendererLegacy"],
        canonical: "reports/invoice.py::InvoiceRenderer",
      },
      {
        kind: "fallback",
        name: "charge_card",
        definitions: ["billing/charges.py:14 charge_card", "billing/charges.py:23 _legacy_charge_card"],
        canonical: "billing/charges.py::charge_card",
      },
      {
        kind: "fallback",
        name: "resolve_tax_rate",
        definitions: ["billing/tax.py:8 resolve_tax_rate", "billing/tax.py:18 resolve_tax_rate_fallback"],
        canonical: "billing/tax.py::resolve_tax_rate",
      },
      {
        kind: "fallback",
        name: "export_csv",
        definitions: ["reports/export.py:9 export_csv", "reports/export.py:19 export_csv_old"],
        canonical: "reports/export.py::export_csv",
      },
    ]);
    const evidence = candidates.flatMap((c) => c.evidence);
    expect(evidence).toContain("except ImportError at settings/loader.py:5 falls back to settings/old_loader.py::read_settings");
    expect(evidence).toContain("except GatewayError at billing/charges.py:16 falls back to _legacy_charge_card()");
    expect(evidence.some((e) => e.includes("loader.py:10"))).toBe(false); // ujson/json
    expect(evidence.some((e) => e.includes("refund") || e.includes("charges.py:34"))).toBe(false); // except KeyError: log
    expect(candidates.find((c) => c.name === "export_csv")?.suggestedCanonical.why).toBe("the other is marked legacy or stand-in");
    const symbols = candidates.flatMap((c) => c.definitions.map((d) => d.symbol));
    expect(symbols).not.toContain("format_date_old");
    expect(symbols).not.toContain("migrate_legacy_accounts");
  });
});

describe("discovery on fixtures/discover-noisy-codebase", () => {
  it("puts the documented duplicates first, in order, and nothing of the noise", async () => {
    const candidates = await discoverIn("fixtures/discover-noisy-codebase");
    expect(candidates.map(cluster)).toEqual([
      {
        kind: "same-name",
        name: "broadcast_to_user",
        definitions: [
          "shop/presence/notifier.py:9 PresenceNotifier.broadcast_to_user",
          "shop/realtime/broadcast.py:16 BroadcastService.broadcast_to_user",
          "shop/realtime/event_router.py:14 EventRouter.broadcast_to_user",
        ],
        canonical: "shop/realtime/broadcast.py::BroadcastService.broadcast_to_user",
      },
      {
        kind: "family",
        name: "JobScheduler",
        definitions: [
          "shop/jobs/legacy.py:5 JobSchedulerLegacyAdapter",
          "shop/jobs/request_scoped.py:5 RequestScopedJobScheduler",
          "shop/jobs/scheduler.py:6 JobScheduler",
          "shop/jobs/unified.py:7 UnifiedJobScheduler",
        ],
        canonical: "shop/jobs/unified.py::UnifiedJobScheduler",
      },
      {
        kind: "clone",
        name: "compute_invoice_total",
        definitions: ["shop/billing/invoices.py:7 compute_invoice_total", "shop/orders/summary.py:5 calculate_order_sum"],
        canonical: "shop/billing/invoices.py::compute_invoice_total",
      },
      {
        kind: "class",
        name: "TokenValidator",
        definitions: ["shop/api/auth.py:8 TokenValidator", "shop/auth/tokens.py:7 TokenValidator"],
        canonical: "shop/api/auth.py::TokenValidator",
      },
      {
        kind: "same-name",
        name: "compute_vat",
        definitions: ["shop/billing/legacy_tax.py:4 compute_vat", "shop/billing/tax.py:6 compute_vat"],
        canonical: "shop/billing/tax.py::compute_vat",
      },
    ]);
    expect(candidates[0]?.suggestedCanonical.why).toBe(
      "it is the primary side of the fallback if/else at shop/realtime/handlers.py:14; its module docstring says 'single source of truth'; 3 call sites resolve to it; 1 of the others is marked legacy or stand-in",
    );
    expect(candidates[4]?.evidence).toContain(
      "except ImportError at shop/billing/charges.py:2 falls back to shop/billing/legacy_tax.py::compute_vat",
    );
    // Spelled out so that a regression names the noise that came back.
    const symbols = candidates.flatMap((c) => c.definitions.map((d) => `${d.file}::${d.symbol}`));
    for (const absent of [
      "shop/query/lookups.py::Lookup.as_sql",
      "shop/query/where.py::WhereNode.as_sql",
      "shop/query/lookups.py::Lookup.process_lhs",
      "shop/query/builtin_lookups.py::In.process_lhs",
      "shop/query/expressions.py::Expression.get_source_expressions",
      "shop/query/where.py::WhereNode.get_source_expressions",
      "shop/notifications/email.py::EmailChannel.render_body",
      "shop/orders/receipts.py::ReceiptPrinter.render_body",
      "shop/utils/audit.py::AuditLog.info",
      "shop/utils/console.py::Console.error",
      "shop/db/fields.py::Field",
      "shop/forms/fields.py::DateTimeField",
      "shop/db/backends/postgres/base.py::DatabaseWrapper",
      "shop/catalog/migrations/0002_backfill_slugs.py::populate_slugs",
      "shop/utils/retry.py::retry_with_backoff",
      "vendor/retrying/__init__.py::retry_with_backoff",
      "vendor/select2/i18n/de.js::default.inputTooShort",
      "shop/catalog/cache.py::CatalogCache._add_to_cache",
      "shop/static/js/select_box.js::SelectBox.add_to_cache",
      "shop/utils/compat.py::removeprefix",
      "tests/test_tokens.py::TokenValidator",
    ]) {
      expect(symbols).not.toContain(absent);
    }
  });
});

describe("discovery on fixtures/discover-typescript", () => {
  it("finds the TS duplicates and keeps interface overrides, toString and test copies out", async () => {
    const candidates = await discoverIn("fixtures/discover-typescript");
    expect(candidates.map(cluster)).toEqual([
      {
        kind: "same-name",
        name: "pushToUser",
        definitions: [
          "src/notify/hub.ts:13 Hub.pushToUser",
          "src/notify/legacy-push.ts:4 pushToUserLegacy",
          "src/realtime/push.ts:5 pushToUser",
        ],
        canonical: "src/notify/hub.ts::Hub.pushToUser",
      },
      {
        kind: "clone",
        name: "formatDuration",
        definitions: ["src/ui/elapsed.ts:3 humanizeElapsed", "src/util/time.ts:1 formatDuration"],
        canonical: "src/util/time.ts::formatDuration",
      },
    ]);
    expect(candidates[0]?.suggestedCanonical.why).toBe(
      "1 definition already delegates to it (pushToUser (in adapter.ts)); its module docstring says 'single source of truth'; 1 call site resolves to it; 1 of the others is marked legacy or stand-in",
    );
  });
});

describe("discovery on fixtures/discover-near-misses", () => {
  it("reports nothing", async () => {
    expect(await clusters("fixtures/discover-near-misses")).toEqual([]);
  });
});
