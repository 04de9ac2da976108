import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, githubReporter } from "../../src/report/github.js";
import { sampleReport } from "./github-junit-sample.js";

describe("github reporter", () => {
  it("escapes messages and properties like @actions/core", () => {
    expect(escapeData("100% done\r\nnext: a,b")).toBe("100%25 done%0D%0Anext: a,b");
    expect(escapeProperty("a:b,c%d\ne")).toBe("a%3Ab%2Cc%25d%0Ae");
  });

  it("annotates active findings with repository-root paths, and warns about suppression, baseline and parse problems", () => {
    const out = githubReporter(sampleReport(), { color: false, quiet: false, location: { rootUri: "file:///repo/", prefix: "svc/" } });
    expect(out.split("\n")).toEqual([
      "::error file=svc/app/h.py,line=3,col=5,endLine=3,endColumn=25,title=direct-sink-call::direct call of sink '**.send_json' (ws.send_json) bypasses 'broadcast'",
      "::warning file=svc/app/a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=30,title=non-canonical-import::import 'x' from deprecated module 'old' — 100%25 \"legacy\" <b>&%0Asecond line%0D (likely)",
      "::warning file=svc/app/h.py,line=20,title=ssot-audit suppression::unused ssot-audit-ignore[legacy-fallback]: no legacy-fallback finding on line 20 or 21",
      "::warning file=svc/app/old.py,title=ssot-audit stale baseline entry::2 baselined findings of legacy-fallback in module scope no longer found; prune with: ssot-audit baseline --update",
      "::warning file=svc/app/broken.py,line=4,title=ssot-audit parse error::invalid syntax",
      "ssot-audit: 1 error, 1 warning (1 baselined, 1 suppressed)",
      "",
    ]);
  });

  it("--quiet keeps error annotations only", () => {
    const out = githubReporter(sampleReport(), { color: false, quiet: true });
    expect(out.split("\n")).toEqual([
      "::error file=app/h.py,line=3,col=5,endLine=3,endColumn=25,title=direct-sink-call::direct call of sink '**.send_json' (ws.send_json) bypasses 'broadcast'",
      "ssot-audit: 1 error, 0 warnings (1 baselined, 1 suppressed)",
      "",
    ]);
  });
});
