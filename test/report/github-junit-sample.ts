/** A small hand-made report for the reporter tests: active, baselined and suppressed findings, and every diagnostic. */
import type { Finding } from "../../src/engine/types.js";
import type { Report } from "../../src/report/types.js";

export function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: "direct-sink-call",
    severity: "error",
    concept: "broadcast",
    file: "app/h.py",
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 25,
    symbol: "on_message",
    message: "direct call of sink '**.send_json' (ws.send_json) bypasses 'broadcast'",
    confidence: "certain",
    fingerprint: "0123456789abcdef0123",
    fixable: false,
    related: [{ file: "app/broadcast.py", line: 2, message: "canonical: app/broadcast.py::BroadcastService.broadcast_to_user" }],
    ...over,
  };
}

export function sampleReport(): Report {
  const findings = [
    finding({}),
    finding({
      ruleId: "non-canonical-import",
      severity: "warning",
      file: "app/a,b:c.py",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 30,
      symbol: "",
      message: "import 'x' from deprecated module 'old' — 100% \"legacy\" <b>&\nsecond line\r",
      confidence: "likely",
      fingerprint: "1111111111111111111a",
    }),
    finding({ line: 9, endLine: 9, fingerprint: "2222222222222222222b", baselined: true }),
    finding({
      line: 12,
      endLine: 12,
      fingerprint: "3333333333333333333c",
      suppressed: { kind: "inline", reason: "transport layer", line: 11 },
    }),
  ];
  return {
    version: 1,
    tool: { name: "ssot-audit", version: "0.1.0" },
    summary: { files: 3, findings: 2, errors: 1, warnings: 1, baselined: 1, suppressed: 1, durationMs: 1234 },
    concepts: [],
    findings,
    parseErrors: [{ file: "app/broken.py", line: 4, message: "invalid syntax" }],
    skipped: [],
    suppressionProblems: [
      {
        file: "app/h.py",
        line: 20,
        kind: "unused",
        message: "unused ssot-audit-ignore[legacy-fallback]: no legacy-fallback finding on line 20 or 21",
      },
    ],
    baseline: {
      file: ".ssot-audit-baseline.json",
      stale: [
        { fingerprint: "4444444444444444444d", ruleId: "legacy-fallback", concept: "broadcast", file: "app/old.py", symbol: "", count: 2 },
      ],
    },
  };
}
