import { describe, expect, it } from "vitest";
import { hasLeftoverAffix } from "../../src/discover/fallbacks.js";
import { familyName, isCommonName, legacyWordIn, ssotClaimIn } from "../../src/discover/vocabulary.js";

describe("familyName", () => {
  it.each([
    ["JobScheduler", "job_scheduler", []],
    ["UnifiedJobScheduler", "job_scheduler", ["unified"]],
    ["JobSchedulerLegacyAdapter", "job_scheduler", ["legacy", "adapter"]],
    ["ConsolidatedJobSchedulerWrapper", "job_scheduler", ["consolidated", "wrapper"]],
    ["RequestScopedJobScheduler", "job_scheduler", ["request scoped"]],
    ["UserScopedWebSocketEventRouter", "web_socket_event_router", ["user scoped"]],
    ["PerRequestJobScheduler", "job_scheduler", ["per request"]],
    ["SSOTJobScheduler", "job_scheduler", ["ssot"]],
    ["JobSchedulerV2", "job_scheduler", ["v2"]],
    ["NewJobScheduler", "job_scheduler", ["new"]],
    ["JobSchedulerImpl", "job_scheduler", ["impl"]],
  ])("class %s → %s", (name, key, markers) => {
    expect(familyName(name, true)).toEqual({ key, markers });
  });

  it("keeps qualifiers that name what a class is, and role words, in the head phrase", () => {
    expect(familyName("RedisJobStore", true).key).toBe("redis_job_store");
    expect(familyName("MemoryJobStore", true).key).toBe("memory_job_store");
    expect(familyName("BaseJobScheduler", true).key).toBe("base_job_scheduler");
    expect(familyName("JobSchedulerManager", true).key).toBe("job_scheduler_manager");
    expect(familyName("DefaultJobScheduler", true).key).toBe("default_job_scheduler");
  });

  it("treats new/canonical/isolated as markers of class names only", () => {
    expect(familyName("new_session", false)).toEqual({ key: "new_session", markers: [] });
    expect(familyName("canonical_url", false)).toEqual({ key: "canonical_url", markers: [] });
    expect(familyName("broadcast_to_user_wrapper", false)).toEqual({ key: "broadcast_to_user", markers: ["wrapper"] });
  });

  it("counts stand-in nouns as markers only at the end of a name", () => {
    expect(familyName("ProxyError", true)).toEqual({ key: "proxy_error", markers: [] });
    expect(familyName("AdapterRegistry", true)).toEqual({ key: "adapter_registry", markers: [] });
    expect(familyName("ErrorWrapperLegacy", true)).toEqual({ key: "error", markers: ["wrapper", "legacy"] });
  });

  it("leaves nothing when a name is only markers", () => {
    expect(familyName("LegacyAdapter", true).key).toBe("");
  });
});

describe("isCommonName", () => {
  it.each([
    ["__init__", "method"],
    ["__repr__", "method"],
    ["setUp", "method"],
    ["tearDown", "method"],
    ["toString", "method"],
    ["to_dict", "method"],
    ["main", "function"],
    ["run", "function"],
    ["get", "method"],
    ["constructor", "method"],
    ["on_message", "method"],
    ["onClick", "method"],
    ["visit_Call", "method"],
    ["Meta", "class"],
    ["Migration", "class"],
  ] as const)("%s (%s) is common", (name, kind) => {
    expect(isCommonName(name, kind)).toBe(true);
  });

  it.each([
    ["broadcast_to_user", "method"],
    ["on_session_resumed", "function"],
    ["get_broadcast_service", "function"],
    ["RateLimiter", "class"],
    ["JobScheduler", "class"],
  ] as const)("%s (%s) is not", (name, kind) => {
    expect(isCommonName(name, kind)).toBe(false);
  });
});

describe("docstring words", () => {
  it("recognises a component calling itself the source of truth", () => {
    expect(ssotClaimIn("WebSocket broadcast service — the single source of truth for user broadcasts.")).toBe("single source of truth");
    expect(ssotClaimIn("SSOT job scheduler: the single source of truth for deferred work.")).toBe("SSOT");
    expect(ssotClaimIn("Application settings: the one module that reads the process environment.")).toBe("the one module that");
  });

  it("does not take references to another component, or legacy code, as claims", () => {
    expect(ssotClaimIn("Adapter from the notification port to the SSOT service.")).toBeUndefined();
    expect(ssotClaimIn("Deliver through the SSOT broadcast service.")).toBeUndefined();
    expect(ssotClaimIn("Pre-SSOT delivery loop, kept during the migration.")).toBeUndefined();
    expect(ssotClaimIn("Legacy router; the SSOT is the broadcast service.")).toBeUndefined();
    expect(ssotClaimIn("Return the canonical URL of a page.")).toBeUndefined();
  });

  it("finds legacy words", () => {
    expect(legacyWordIn("Legacy WebSocket event router.")).toBe("Legacy");
    expect(legacyWordIn("DEPRECATED: use the service")).toBe("DEPRECATED");
    expect(legacyWordIn("Pre-SSOT delivery loop")).toBe("Pre-SSOT");
    expect(legacyWordIn("Keeps the threshold of the bold text")).toBeUndefined();
    expect(legacyWordIn("This method is deprecated.")).toBe("deprecated");
    expect(legacyWordIn("Send one event; do not use in new code")).toBe("do not use");
    expect(legacyWordIn("Whether a module is one of the concept's legacy modules")).toBeUndefined();
    expect(legacyWordIn("Return the shared legacy router.")).toBeUndefined();
  });
});

describe("hasLeftoverAffix", () => {
  it.each([
    "_legacy_broadcast_to_user",
    "legacy_send",
    "compute_price_fallback",
    "InvoiceRendererLegacy",
    "export_csv_old",
    "JobSchedulerLegacyAdapter",
  ])("%s has one", (name) => {
    expect(hasLeftoverAffix(name)).toBe(true);
  });
  it.each(["replay_from_legacy_buffer", "migrate_legacy_accounts", "legacy", "deprecated", "original_text_for", "golden_path", "holder"])(
    "%s has none",
    (name) => {
      expect(hasLeftoverAffix(name)).toBe(false);
    },
  );
});
