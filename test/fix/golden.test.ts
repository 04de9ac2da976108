/**
 * Golden tests: `ssot-audit fix --write` (the real binary) on a copy of each fixture must
 * produce exactly the committed files under `fixtures/fix-<name>/expected/` — every other file
 * byte-for-byte unchanged — then:
 * - a second `fix --write` changes nothing (idempotent);
 * - `check` no longer reports the fixed findings and reports nothing new;
 * - the result compiles (`python3` compile of every file / `tsc --noEmit`);
 * - the findings left for manual migration are exactly the expected ones, with their reasons.
 *
 * Regenerate the goldens on purpose with `UPDATE_GOLDEN=1 npx vitest run test/fix/golden.test.ts`.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonReport } from "../fixtures/helpers.js";
import { cli, compilePythonIn, copyFixture, hasPython, readTree, REPO_ROOT, runPython, typeCheck } from "./helpers.js";

interface FixJson {
  version: number;
  fixes: { file: string; line: number; ruleId: string; concept: string; kind: string; pass: number }[];
  manual: { file: string; line: number; reason: string; ruleId: string; concept: string }[];
  refused: { file: string; reason: string }[];
  files: { file: string }[];
  written?: string[];
}

type Manual = [file: string, line: number, ruleId: string, reason: string];

interface Scenario {
  name: string;
  input: string;
  golden: string;
  args: string[];
  language: "python" | "typescript";
  manual: Manual[];
  /** Extra check on the fixed tree (e.g. run the fixed code). */
  verify?: (dir: string) => void;
}

const APP = "netra_backend/app";
const NEEDS_USER = (impl: string) =>
  `the canonical 'WebSocketBroadcastService.broadcast_to_user' requires 'user_id', which this call to '${impl}' does not pass (it takes 1 parameter; it may take 'user_id' from self)`;
const BROADCAST = "netra_backend/app/services/websocket_broadcast_service.py";

const PY_BROADCAST_MANUAL: Manual[] = [
  [
    `${APP}/handlers/agent_handler.py`,
    11,
    "non-canonical-import",
    `the canonical module ${BROADCAST} has no function, class, import or typed/assigned name 'get_websocket_router'`,
  ],
  [`${APP}/handlers/session_handler.py`, 16, "non-canonical-call", NEEDS_USER("UserScopedWebSocketEventRouter.broadcast_to_user")],
  [
    `${APP}/handlers/status_handler.py`,
    9,
    "non-canonical-import",
    `the canonical module ${BROADCAST} has no function, class, import or typed/assigned name 'ROUTER_EVENT_TYPES'`,
  ],
  [
    `${APP}/services/event_helpers.py`,
    13,
    "non-canonical-import",
    `the canonical module ${BROADCAST} has no function, class, import or typed/assigned name 'get_websocket_router'`,
  ],
  // presence_notifier.py:38 calls a near-clone: `likely`, so not a fix candidate without --include-likely.
  [
    `${APP}/services/user_scoped_websocket_event_router.py`,
    32,
    "non-canonical-call",
    NEEDS_USER("UserScopedWebSocketEventRouter._legacy_broadcast_to_user"),
  ],
  [
    `${APP}/services/user_scoped_websocket_event_router.py`,
    38,
    "non-canonical-call",
    NEEDS_USER("UserScopedWebSocketEventRouter._legacy_broadcast_to_user"),
  ],
];

const TS_PUSH_NEEDS_USER = (impl: string) =>
  `the canonical 'NotificationHub.pushToUser' requires 'userId', which this call to '${impl}' does not pass (it takes 1 parameter; it may take 'userId' from this)`;

const SCENARIOS: Scenario[] = [
  {
    name: "python-broadcast",
    input: "fixtures/python-broadcast",
    golden: "fixtures/fix-python-broadcast",
    args: [],
    language: "python",
    manual: PY_BROADCAST_MANUAL,
  },
  {
    name: "python-broadcast-unsafe",
    input: "fixtures/python-broadcast",
    golden: "fixtures/fix-python-broadcast-unsafe",
    args: ["--unsafe"],
    language: "python",
    manual: [
      PY_BROADCAST_MANUAL[0] as Manual,
      // The if/else fallback at line 29 is gone: both branches call the canonical now. So is
      // `self.broadcaster or get_websocket_router()` (line 40): the router's broadcast_to_user is
      // now a delegate to the canonical, so its instance reaches nothing non-canonical.
      PY_BROADCAST_MANUAL[2] as Manual,
      [
        `${APP}/services/presence_notifier.py`,
        20,
        "duplicate-implementation",
        "suggestion not possible: the canonical 'WebSocketBroadcastService.broadcast_to_user' requires 'user_id', which 'PresenceNotifier.notify_all_tabs' does not take (it may read 'user_id' from self)",
      ],
      // After the try/except collapsed, the early-return fallback and its call remain (lines of the original file).
      [
        `${APP}/services/user_scoped_websocket_event_router.py`,
        37,
        "legacy-fallback",
        "suggestion not possible: only try/except (try/catch) and .catch() fallbacks are collapsed automatically",
      ],
      PY_BROADCAST_MANUAL[5] as Manual,
      [
        `${APP}/services/user_scoped_websocket_event_router.py`,
        41,
        "duplicate-implementation",
        "suggestion not possible: the canonical 'WebSocketBroadcastService.broadcast_to_user' requires 'user_id', which 'UserScopedWebSocketEventRouter._legacy_broadcast_to_user' does not take (it may read 'user_id' from self)",
      ],
    ],
  },
  {
    name: "ts-broadcast",
    input: "fixtures/ts-broadcast",
    golden: "fixtures/fix-ts-broadcast",
    args: [],
    language: "typescript",
    manual: [
      [
        "src/handlers/agent.ts",
        4,
        "non-canonical-import",
        "the canonical module src/notify/hub.ts does not export 'legacyPushToUser', 'legacyRouter'",
      ],
      ["src/handlers/session.ts", 10, "non-canonical-call", TS_PUSH_NEEDS_USER("UserScopedRouter.pushToUser")],
      [
        "src/notify/user-router.ts",
        21,
        "non-canonical-call",
        "'UserScopedRouter.pushToUserLegacy' is synchronous but the canonical 'NotificationHub.pushToUser' returns a promise",
      ],
    ],
  },
  {
    name: "ts-broadcast-unsafe",
    input: "fixtures/ts-broadcast",
    golden: "fixtures/fix-ts-broadcast-unsafe",
    args: ["--unsafe"],
    language: "typescript",
    manual: [
      [
        "src/handlers/agent.ts",
        4,
        "non-canonical-import",
        "the canonical module src/notify/hub.ts does not export 'legacyPushToUser', 'legacyRouter'",
      ],
      // agent.ts:19 `options.push ?? legacyPushToUser` is gone: legacyPushToUser delegates to the hub now.
      // session.ts:10 `router.pushToUser(event)` is no longer manual: with its try/catch collapsed,
      // UserScopedRouter.pushToUser is a thin delegate to the hub, so the call counts as canonical.
      [
        "src/notify/user-router.ts",
        26,
        "duplicate-implementation",
        "suggestion not possible: 'UserScopedRouter.pushToUserLegacy' is synchronous but the canonical returns a promise",
      ],
    ],
  },
  {
    name: "python-styles",
    input: "fixtures/fix-python-styles/input",
    golden: "fixtures/fix-python-styles",
    args: [],
    language: "python",
    manual: [
      [
        "shop/notify/templates.py",
        3,
        "non-canonical-import",
        "the canonical module shop/notify/service.py has no function, class, import or typed/assigned name 'notify_customer_legacy'",
      ],
      [
        "shop/notify/templates.py",
        12,
        "non-canonical-call",
        'adding "import shop.notify.service" would create an import cycle (shop/notify/service.py imports this module)',
      ],
      [
        "shop/orders/admin.py",
        4,
        "non-canonical-import",
        "the canonical module shop/notify/service.py has no function, class, import or typed/assigned name 'CustomerMailbox', 'OldMailer', 'notify_customer_compat', 'notify_customer_legacy'",
      ],
      [
        "shop/orders/admin.py",
        22,
        "non-canonical-call",
        "the canonical 'NotificationService.notify_customer' requires 'customer_id', which this call to 'CustomerMailbox.notify_customer' does not pass (it takes 1 parameter; it may take 'customer_id' from self)",
      ],
      [
        "shop/orders/admin.py",
        27,
        "non-canonical-call",
        "'notify_customer_compat' is not async but the canonical 'NotificationService.notify_customer' is",
      ],
      ["shop/orders/admin.py", 32, "non-canonical-call", "the call passes *args/**kwargs"],
      [
        "shop/orders/settings_view.py",
        15,
        "non-canonical-call",
        "argument 3 is 'notify_customer_v2' parameter 'urgent', but the canonical 'NotificationService.notify_customer' has no parameter 'urgent'",
      ],
    ],
    verify: (dir) => {
      // Run the rewritten code: every migrated call must reach the canonical service.
      const run = runPython(
        dir,
        [
          "import asyncio, types",
          "import shop.notify.service as svc",
          "from shop.orders import admin, bom_handler, checkout, crlf_handler, latin1_handler, refunds, settings_view",
          "order = types.SimpleNamespace(id=7, customer_id='c1')",
          "async def main():",
          "    await checkout.place_order(order)",
          "    await checkout.chained(order)",
          "    await checkout.remind(order, 'sms')",
          "    await checkout.shadowed(order, 'x')",
          "    await refunds.refund(order)",
          "    await admin.broadcast_all(['c2'])",
          "    await admin.resend('c3')",
          "    await admin.continued('c4')",
          "    await crlf_handler.on_signup('c5')",
          "    await bom_handler.on_order('c6')",
          "    await latin1_handler.on_cancel('c7')",
          "asyncio.run(main())",
          "print(len(svc.get_notifier().sent), settings_view.channels())",
        ].join("\n"),
      );
      expect(run).toEqual({ status: 0, output: "14 ('email', 'email')" });
    },
  },
  {
    name: "ts-styles",
    input: "fixtures/fix-ts-styles/input",
    golden: "fixtures/fix-ts-styles",
    args: [],
    language: "typescript",
    manual: [
      ["src/app/admin.ts", 3, "non-canonical-import", "the canonical module src/mail/outbox.ts does not export 'AccountMailer'"],
      [
        "src/app/admin.ts",
        16,
        "non-canonical-call",
        "the canonical 'Outbox.deliver' reads 'to' from its options object, which this call does not pass; 'AccountMailer.deliver' may take it from this",
      ],
      ["src/app/admin.ts", 18, "non-canonical-call", "the canonical 'record' takes 'actor' at another position"],
      ["src/app/reports.ts", 3, "non-canonical-import", "the canonical module src/mail/outbox.ts does not export 'sendMailLegacy'"],
      ["src/app/reports.ts", 11, "non-canonical-call", "'outbox' is assigned inside 'sendAll'"],
    ],
  },
];

const UPDATE = process.env.UPDATE_GOLDEN === "1";

function checkJson(dir: string): JsonReport {
  const run = cli(["check", dir, "-f", "json", "--no-cache"]);
  return JSON.parse(run.stdout) as JsonReport;
}

describe.each(SCENARIOS)("fix --write on $name", (scenario) => {
  let dir: string;
  let input: Map<string, Buffer>;
  let first: FixJson;
  let firstStderr: string;
  let before: JsonReport;

  beforeAll(() => {
    dir = copyFixture(scenario.input);
    input = readTree(dir);
    before = checkJson(dir);
    const run = cli(["fix", dir, "--write", "-f", "json", ...scenario.args]);
    firstStderr = run.stderr;
    expect(run.status, run.stderr).toBe(0);
    first = JSON.parse(run.stdout) as FixJson;
    if (UPDATE) {
      const expectedDir = path.join(REPO_ROOT, scenario.golden, "expected");
      fs.rmSync(expectedDir, { recursive: true, force: true });
      for (const [file, bytes] of readTree(dir)) {
        if (input.get(file)?.equals(bytes)) continue;
        fs.mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
        fs.writeFileSync(path.join(expectedDir, file), bytes);
      }
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes exactly the golden files and leaves every other file untouched", () => {
    const expected = readTree(path.join(REPO_ROOT, scenario.golden, "expected"));
    const after = readTree(dir);
    expect([...after.keys()]).toEqual([...input.keys()]);
    const changed = [...after].filter(([file, bytes]) => !input.get(file)?.equals(bytes)).map(([file]) => file);
    expect(changed).toEqual([...expected.keys()]);
    for (const [file, bytes] of expected) expect(after.get(file)?.toString("latin1"), file).toBe(bytes.toString("latin1"));
    expect(first.written).toEqual(changed);
    expect(first.refused).toEqual([]);
    // Outside a git work tree it proceeds, and says so.
    expect(firstStderr).toContain("not inside a git work tree");
  });

  it("lists exactly the expected findings for manual migration, with reasons", () => {
    expect(first.manual.map((m): Manual => [m.file, m.line, m.ruleId, m.reason])).toEqual(scenario.manual);
  });

  it("is idempotent: a second fix --write changes nothing", () => {
    const snapshot = readTree(dir);
    const run = cli(["fix", dir, "--write", "-f", "json", ...scenario.args]);
    expect(run.status, run.stderr).toBe(0);
    const second = JSON.parse(run.stdout) as FixJson;
    expect(second.fixes).toEqual([]);
    expect(second.written).toEqual([]);
    expect(readTree(dir)).toEqual(snapshot);
  });

  it("check no longer reports the fixed findings and reports nothing new", () => {
    const after = checkJson(dir);
    const fixedCalls = before.findings.filter(
      (f) =>
        f.ruleId !== "duplicate-implementation" && first.fixes.some((x) => x.file === f.file && x.line === f.line && x.ruleId === f.ruleId),
    );
    expect(fixedCalls.length).toBeGreaterThan(0);
    const remaining = new Set(after.findings.map((f) => f.fingerprint));
    expect(fixedCalls.filter((f) => remaining.has(f.fingerprint)).map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([]);
    // Nothing new: per rule, concept, file and symbol, no more findings than before (a partly
    // emptied import keeps its finding under a new fingerprint, so fingerprints are not compared).
    const count = (r: JsonReport) => {
      const m = new Map<string, number>();
      for (const f of r.findings)
        m.set(
          `${f.ruleId} ${f.concept} ${f.file} ${f.symbol ?? ""}`,
          (m.get(`${f.ruleId} ${f.concept} ${f.file} ${f.symbol ?? ""}`) ?? 0) + 1,
        );
      return m;
    };
    const was = count(before);
    expect([...count(after)].filter(([key, n]) => n > (was.get(key) ?? 0))).toEqual([]);
    expect(after.findings.length).toBeLessThan(before.findings.length);
    expect(after.parseErrors).toEqual([]);
  });

  it.skipIf(scenario.language !== "python" || !hasPython())("the fixed Python compiles", () => {
    const files = [...readTree(dir).keys()].filter((f) => f.endsWith(".py"));
    expect(compilePythonIn(dir, files)).toBe("");
    scenario.verify?.(dir);
  });

  it.skipIf(scenario.language !== "typescript")("the fixed TypeScript type-checks", () => {
    expect(typeCheck(dir)).toEqual({ status: 0, output: "" });
  });
});
