import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadRuleDocs } from "../../src/cli/report-outputs.js";
import { escapeXmlAttribute, escapeXmlText, junitReporter } from "../../src/report/junit.js";
import type { Report } from "../../src/report/types.js";
import { sampleReport } from "./github-junit-sample.js";

/** Parses XML with Python's expat-based ElementTree (a real, strict XML parser) and returns the tree as JSON. */
const PARSE = `
import json, sys, xml.etree.ElementTree as ET
def walk(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": (e.text or "").strip(), "children": [walk(c) for c in e]}
print(json.dumps(walk(ET.fromstring(sys.stdin.buffer.read()))))
`;
interface XmlNode {
  tag: string;
  attrib: Record<string, string>;
  text: string;
  children: XmlNode[];
}
const PYTHON_UNAVAILABLE =
  spawnSync("python3", ["-c", "import xml.etree.ElementTree"]).status === 0 ? undefined : "python3 with xml.etree is not available";

function parseXml(xml: string): XmlNode {
  const r = spawnSync("python3", ["-c", PARSE], { input: xml, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as XmlNode;
}

describe("junit reporter", () => {
  it("escapes markup, quotes, line breaks and characters XML cannot hold", () => {
    expect(escapeXmlText(`a<b>&"c"\u0001\uFFFE😀`)).toBe(`a&lt;b&gt;&amp;"c"\uFFFD\uFFFD😀`);
    expect(escapeXmlAttribute(`'x'\n"y"\t\r`)).toBe("&apos;x&apos;&#10;&quot;y&quot;&#9;&#13;");
    expect(escapeXmlText("lone \uD800 surrogate")).toBe("lone \uFFFD surrogate");
  });

  it.skipIf(PYTHON_UNAVAILABLE !== undefined)(
    "writes one suite per rule: failures for active findings, skipped for baselined/suppressed, a pass when clean",
    () => {
      const xml = junitReporter(sampleReport(), { color: false, quiet: false, rules: loadRuleDocs() });
      const tree = parseXml(xml);
      expect(tree.tag).toBe("testsuites");
      expect(tree.attrib).toEqual({ name: "ssot-audit", tests: "7", failures: "2", errors: "0", skipped: "2", time: "1.234" });
      const summary = tree.children.map((s) => [
        s.attrib.name,
        s.attrib.tests,
        s.attrib.failures,
        s.attrib.skipped,
        s.children.map((c) => [c.attrib.name, c.children.map((x) => x.tag).join(",") || "pass"]),
      ]);
      expect(summary).toEqual([
        ["duplicate-implementation", "1", "0", "0", [["no findings", "pass"]]],
        ["legacy-fallback", "1", "0", "0", [["no findings", "pass"]]],
        [
          "direct-sink-call",
          "3",
          "1",
          "2",
          [
            ["app/h.py:3:5 on_message", "failure"],
            ["app/h.py:9:5 on_message", "skipped"],
            ["app/h.py:12:5 on_message", "skipped"],
          ],
        ],
        ["non-canonical-call", "1", "0", "0", [["no findings", "pass"]]],
        ["non-canonical-import", "1", "1", "0", [["app/a,b:c.py:1:1 (module)", "failure"]]],
      ]);
      const importCase = tree.children[4]?.children[0];
      const failure = importCase?.children[0];
      // Attribute values and text survive the escaping exactly (the carriage return included).
      expect(failure?.attrib.message).toBe("import 'x' from deprecated module 'old' — 100% \"legacy\" <b>&\nsecond line\r");
      expect(failure?.attrib.type).toBe("warning");
      expect(failure?.text.split("\n").slice(1)).toEqual([
        "second line",
        "rule: non-canonical-import",
        "concept: broadcast",
        "at: app/a,b:c.py:1:1",
        "confidence: likely",
        "related: app/broadcast.py:2 canonical: app/broadcast.py::BroadcastService.broadcast_to_user",
      ]);
      expect(tree.children[2]?.children[2]?.children[0]?.attrib.message).toBe("suppressed inline: transport layer");
    },
  );

  it.skipIf(PYTHON_UNAVAILABLE !== undefined)("a clean run is a passing testcase per rule; without rule docs, one suite", () => {
    const clean: Report = { ...sampleReport(), findings: [], summary: { files: 1, findings: 0, errors: 0, warnings: 0, durationMs: 5 } };
    const tree = parseXml(junitReporter(clean, { color: false, quiet: false, rules: loadRuleDocs() }));
    expect(tree.attrib).toMatchObject({ tests: "5", failures: "0" });
    const bare = parseXml(junitReporter(clean, { color: false, quiet: false }));
    expect(bare.children.map((s) => [s.attrib.name, s.children.map((c) => c.attrib.name)])).toEqual([["ssot-audit", ["no findings"]]]);
  });
});
