import { createHash } from "node:crypto";
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html.js";
import { escapeHtml, jsonForScript } from "../../src/report/html-escape.js";
import { XSS_FILE, checkFixture, exampleHistory, makeXssProject, reportInput } from "./migration-fixtures.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error("expected one item");
  return item;
}

/** The page's inline style and scripts, and the CSP it declares. */
function parts(html: string) {
  const style = only([...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? ""));
  const scripts = [...html.matchAll(/<script( type="application\/json" id="ssot-data")?>([\s\S]*?)<\/script>/g)];
  const code = only(scripts.filter((m) => !m[1]).map((m) => m[2] ?? ""));
  const data = only(scripts.filter((m) => m[1]).map((m) => m[2] ?? ""));
  const csp = only([...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)].map((m) => m[1] ?? "")).replaceAll(
    "&#39;",
    "'",
  );
  return { style, code, data, csp };
}

const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

describe("html report", () => {
  it("declares a CSP that allows exactly its own stylesheet and script, by hash, and nothing else", async () => {
    const html = renderHtml(await reportInput(await checkFixture("fixtures/python-broadcast"), exampleHistory(), true));
    const { style, code, csp } = parts(html);
    expect(csp).toBe(
      `default-src 'none'; style-src ${sha(style)}; script-src ${sha(code)}; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    expect(csp).not.toContain("unsafe");
    // Nothing the CSP would block, so a browser shows no violations: no style or event-handler attributes, no external URLs.
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect([...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1])).toEqual([
      "data:,",
      ...Array.from({ length: 2 }, (_, i) => `#concept-${i}`),
    ]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("shows the fixture's concepts, numbers, charts, findings and snippets", async () => {
    const html = renderHtml(await reportInput(await checkFixture("fixtures/python-broadcast"), exampleHistory(), true));
    const rows = [...html.matchAll(/<tr data-index="(\d+)"/g)];
    expect(rows).toHaveLength(36);
    expect(html.match(/<svg class="bar bar-small"/g)).toHaveLength(2);
    expect(html.match(/<polyline class="line s\d"/g)).toHaveLength(2 + 2 * 4);
    expect(html.match(/<path class="edge edge-(canonical|implementation)"/g)?.length).toBeGreaterThan(10);
    expect(html.match(/<details class="snippet">/g)).toHaveLength(36);
    expect(html).toContain('<span class="row hl"><span class="ln">17</span>        await websocket.send_json(');
  });

  it("escapes every piece of analysed text (fixtures/report-xss)", async () => {
    const dir = makeXssProject();
    temps.push(dir);
    const input = await reportInput(await checkFixture(dir, dir), [], true);
    const html = renderHtml(input);
    const { data } = parts(html);
    // Only the page's own two script elements; no tag from the analysed text survives.
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("app/&lt;img src=x onerror=alert(1)&gt;.py");
    // Code snippets: a string and a comment with </script>, and a docstring with a whole script element.
    expect(html).toContain("html = &quot;&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;  # &lt;/script&gt; in code");
    expect(html).toContain(
      "&quot;&quot;&quot;Old delivery path: &lt;/script&gt;&lt;script&gt;window.__xss = 4&lt;/script&gt;&quot;&quot;&quot;",
    );
    expect(html).toContain('data-concept="notify&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=3&quot;&gt;"');
    // The embedded data round-trips, hostile strings included.
    const parsed = JSON.parse(data) as { findings: { file: string }[] };
    expect(parsed.findings.map((f) => f.file)).toContain(XSS_FILE);
    expect(data).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it("draws a long history sampled evenly, and says so", async () => {
    const history = Array.from({ length: 1000 }, (_, i) => ({
      date: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      commit: null,
      concepts: { "env-config": { implementations: 1, canonical: 2, nonCanonical: 0, fallbacks: 0, sinkCalls: 1000 - i } },
    }));
    const html = renderHtml(await reportInput(await checkFixture("fixtures/python-broadcast"), history));
    expect(html).toContain("open items per concept over 1,001 snapshots, 200 shown");
    const burnDown = html.slice(html.indexOf('id="trend"'), html.indexOf('id="concept-0"'));
    expect(burnDown.match(/<circle class="dot s1"/g)).toHaveLength(200);
    expect(burnDown.match(/<circle class="dot s0"/g)).toHaveLength(1);
  });

  it("escapes HTML and script-embedded JSON", () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    const hostile = { s: "</script><!--<script>\u2028\u2029&" };
    const encoded = jsonForScript(hostile);
    expect(encoded).toBe('{"s":"\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u2028\\u2029\\u0026"}');
    expect(JSON.parse(encoded)).toEqual(hostile);
  });
});
