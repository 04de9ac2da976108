/**
 * The HTML report's one stylesheet and one script, as constants: the page's Content-Security-
 * Policy allows exactly these two by their SHA-256 hashes, so nothing injected into the page
 * could run or restyle it. Both are static (no data interpolated); the script reads its data
 * from the page (`data-*` attributes and the `application/json` block).
 */

export const HTML_STYLE = `
:root {
  --fg: #1f2328; --muted: #59636e; --faint: #8c959f; --border: #d1d9e0; --line: #eaeef2;
  --bg: #ffffff; --bg-soft: #f6f8fa; --accent: #0969da;
  --ok: #1a7f37; --ok-soft: #dafbe1; --bad: #cf222e; --bad-soft: #ffebe9; --warn: #9a6700; --warn-soft: #fff8c5;
  --s0: #0969da; --s1: #8250df; --s2: #bf3989; --s3: #bc4c00; --s4: #1a7f37; --s5: #0a7ea4; --s6: #6e7781; --s7: #cf222e;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg-soft);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.wrap { max-width: 1200px; margin: 0 auto; padding: 0 28px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--mono); }
code { font-size: 12.5px; background: var(--bg-soft); border: 1px solid var(--line); border-radius: 5px; padding: 0 5px; overflow-wrap: anywhere; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 18px; font-weight: 600; }
h2 code { font-size: 17px; background: none; border: 0; padding: 0; }
h3 { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 26px 0 10px; }
.muted { color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.zero { color: var(--faint); }

header.top { background: #1f2328; color: #f0f3f6; padding: 26px 0 24px; }
header.top .brand { font: 600 12px/1 var(--mono); letter-spacing: .08em; text-transform: uppercase; color: #9198a1; }
header.top h1 { font-size: 26px; font-weight: 600; margin: 10px 0 6px; }
header.top h1 .project { color: #9198a1; font-weight: 400; }
header.top .meta { color: #b7bdc8; margin: 0; font-size: 13px; }
header.top .meta span + span::before { content: "·"; margin: 0 8px; color: #6e7681; }
header.top code { background: #2f353d; border-color: #3d444d; color: #f0f3f6; }

main.wrap { padding-top: 24px; padding-bottom: 40px; }
.card { background: var(--bg); border: 1px solid var(--border); border-radius: 10px; padding: 22px 26px; margin: 0 0 20px; }
.card > h2 { margin-bottom: 14px; }
.section-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; flex-wrap: wrap; margin-bottom: 14px; }
.section-head h2 { margin: 0; }

.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 14px; margin-bottom: 20px; }
.kpi { background: var(--bg); border: 1px solid var(--border); border-radius: 10px; padding: 14px 18px; }
.kpi .value { font-size: 28px; font-weight: 600; line-height: 1.1; font-variant-numeric: tabular-nums; }
.kpi .label { color: var(--muted); font-size: 12px; margin-top: 4px; }
.kpi.good .value { color: var(--ok); }
.kpi.bad .value { color: var(--bad); }

table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 12px; font-weight: 600; color: var(--muted); padding: 8px 10px; border-bottom: 1px solid var(--border); white-space: nowrap; }
td { padding: 9px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tbody tr:last-child td { border-bottom: 0; }
th.num { text-align: right; }
td.bar-cell { width: 30%; min-width: 180px; }
td .desc { color: var(--muted); font-size: 12.5px; margin-top: 2px; }
.bar-line { display: flex; align-items: center; gap: 10px; }
.bar-line .pct { width: 40px; text-align: right; font-weight: 600; font-variant-numeric: tabular-nums; }
svg.bar { display: block; flex: 1; width: 100%; height: 10px; border-radius: 999px; overflow: hidden; }
svg.bar-large { height: 14px; }
.bar-ok { fill: var(--ok); }
.bar-bad { fill: #ff8182; }
.bar-empty { fill: #d1d9e0; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 12.5px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; background: var(--faint); }
.swatch.ok { background: var(--ok); } .swatch.bad { background: #ff8182; } .swatch.warn { background: #d4a72c; }
.swatch.s0 { background: var(--s0); } .swatch.s1 { background: var(--s1); } .swatch.s2 { background: var(--s2); } .swatch.s3 { background: var(--s3); }
.swatch.s4 { background: var(--s4); } .swatch.s5 { background: var(--s5); } .swatch.s6 { background: var(--s6); } .swatch.s7 { background: var(--s7); }

svg.chart { display: block; width: 100%; height: auto; }
svg.chart .grid { stroke: var(--line); }
svg.chart .axis { stroke: #afb8c1; }
svg.chart .tick { font-size: 11px; fill: var(--muted); font-family: system-ui, sans-serif; }
svg.chart .line { stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .dot { stroke: #fff; stroke-width: 1.5; }
svg.chart .area { fill-opacity: .08; stroke: none; }
svg.chart .end-label { font-size: 12px; font-weight: 600; font-family: system-ui, sans-serif; }
.area.s0, .end-label.s0 { fill: var(--s0); } .area.s1, .end-label.s1 { fill: var(--s1); } .area.s2, .end-label.s2 { fill: var(--s2); } .area.s3, .end-label.s3 { fill: var(--s3); }
.area.s4, .end-label.s4 { fill: var(--s4); } .area.s5, .end-label.s5 { fill: var(--s5); } .area.s6, .end-label.s6 { fill: var(--s6); } .area.s7, .end-label.s7 { fill: var(--s7); }
.line.s0 { stroke: var(--s0); } .line.s1 { stroke: var(--s1); } .line.s2 { stroke: var(--s2); } .line.s3 { stroke: var(--s3); }
.line.s4 { stroke: var(--s4); } .line.s5 { stroke: var(--s5); } .line.s6 { stroke: var(--s6); } .line.s7 { stroke: var(--s7); }
.dot.s0 { fill: var(--s0); } .dot.s1 { fill: var(--s1); } .dot.s2 { fill: var(--s2); } .dot.s3 { fill: var(--s3); }
.dot.s4 { fill: var(--s4); } .dot.s5 { fill: var(--s5); } .dot.s6 { fill: var(--s6); } .dot.s7 { fill: var(--s7); }
.empty-chart { border: 1px dashed var(--border); border-radius: 8px; padding: 18px; color: var(--muted); background: var(--bg-soft); }

svg.map { display: block; width: 100%; max-width: 1080px; height: auto; }
svg.map text { font: 12.5px var(--mono); fill: var(--fg); }
svg.map text.strong { font-weight: 700; fill: var(--ok); }
svg.map .edge { fill: none; stroke-opacity: .42; }
svg.map .edge:hover { stroke-opacity: .85; }
svg.map .edge-canonical { stroke: var(--ok); }
svg.map .edge-implementation { stroke: var(--bad); }
svg.map .edge-unknown { stroke: #d4a72c; }
svg.map .node-file { fill: var(--faint); }
svg.map .node-canonical { fill: var(--ok); }
svg.map .node-implementation { fill: var(--bad); }
svg.map .node-unknown { fill: #d4a72c; }

.concept-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 20px; }
.concept-head .desc { margin: 6px 0 0; color: var(--muted); }
.concept-head .score { text-align: right; white-space: nowrap; }
.concept-head .score .big { font-size: 30px; font-weight: 600; line-height: 1; font-variant-numeric: tabular-nums; }
.concept-head .score .small { font-size: 12px; color: var(--muted); }
.concept .bar-wrap { margin: 16px 0 0; }
.canonical-box { display: flex; gap: 12px; align-items: flex-start; margin-top: 18px; padding: 12px 16px; background: var(--ok-soft); border: 1px solid #aceebb; border-radius: 8px; }
.canonical-box .tag { font-size: 11px; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; color: var(--ok); padding-top: 2px; }
.canonical-box code { background: #fff; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 36px; }
.where { margin-top: 2px; font-size: 12px; color: var(--muted); }
.where code { font-size: 11.5px; background: none; border: 0; padding: 0; color: var(--muted); }
table.impls details { margin-top: 4px; font-size: 13px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: minmax(0, 1fr); } .concept-head { flex-direction: column; } .concept-head .score { text-align: left; } }

ol.tasks { list-style: none; margin: 0; padding: 0; }
ol.tasks li { display: flex; gap: 10px; align-items: flex-start; padding: 8px 0; border-bottom: 1px solid var(--line); }
ol.tasks li:last-child { border-bottom: 0; }
ol.tasks li::before { content: ""; flex: none; width: 14px; height: 14px; margin-top: 3px; border: 1.5px solid var(--faint); border-radius: 4px; }
ol.tasks .task-text { flex: 1; }
.impact { flex: none; font-size: 11.5px; font-weight: 600; color: var(--muted); background: var(--bg-soft); border: 1px solid var(--line); border-radius: 999px; padding: 1px 8px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.done { color: var(--ok); font-weight: 600; }

.badge { display: inline-block; font-size: 11.5px; font-weight: 600; border-radius: 999px; padding: 1px 8px; white-space: nowrap; }
.badge.error { color: var(--bad); background: var(--bad-soft); }
.badge.warning { color: var(--warn); background: var(--warn-soft); }
.badge.neutral { color: var(--muted); background: var(--bg-soft); border: 1px solid var(--line); }
.badge.clone { color: #8250df; background: #fbefff; }
.callers { margin: 4px 0 0; padding-left: 18px; color: var(--muted); font-size: 13px; }
.callers li { margin: 2px 0; }
details > summary { cursor: pointer; color: var(--accent); }
details > summary:hover { text-decoration: underline; }

.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 0 0 14px; }
.toolbar[hidden] { display: none; }
.toolbar input, .toolbar select { font: inherit; font-size: 13px; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 6px 10px; }
.toolbar input { flex: 1; min-width: 240px; }
.toolbar input:focus, .toolbar select:focus { outline: 2px solid var(--accent); outline-offset: -1px; }
.toolbar .count { margin-left: auto; color: var(--muted); font-size: 13px; white-space: nowrap; }
th button { all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
th button:focus-visible { outline: 2px solid var(--accent); border-radius: 3px; }
th button::after { content: "↕"; color: #afb8c1; font-size: 11px; }
th[aria-sort="ascending"] button::after { content: "▲"; color: var(--fg); }
th[aria-sort="descending"] button::after { content: "▼"; color: var(--fg); }
#findings-table { table-layout: fixed; }
#findings-table th:nth-child(1) { width: 96px; }
#findings-table th:nth-child(2) { width: 180px; }
#findings-table th:nth-child(3) { width: 30%; }
#findings-table td { overflow-wrap: anywhere; }
#findings tr[hidden] { display: none; }
.no-match { padding: 18px; text-align: center; color: var(--muted); }
pre.code { font-size: 12px; line-height: 1.5; background: var(--bg-soft); border: 1px solid var(--border); border-radius: 6px; padding: 6px 0; margin: 8px 0 2px; overflow-x: auto; tab-size: 4; }
pre.code .row { display: block; padding-right: 12px; white-space: pre; }
pre.code .row.hl { background: var(--warn-soft); box-shadow: inset 3px 0 0 #d4a72c; }
pre.code .ln { display: inline-block; width: 4.2em; padding-right: 12px; text-align: right; color: var(--faint); user-select: none; }
footer { color: var(--muted); font-size: 12.5px; padding: 0 0 32px; }

@media print {
  body { background: #fff; font-size: 10pt; }
  .wrap { max-width: none; padding: 0; }
  header.top { background: none; color: #000; padding: 0 0 10pt; border-bottom: 2px solid #000; }
  header.top .brand, header.top .meta, header.top h1 .project { color: #444; }
  header.top code { background: none; border: 0; color: #000; }
  main { padding-top: 12pt; }
  .card, .kpi { border: 1px solid #bbb; break-inside: avoid-page; }
  .card.concept, .card#findings { break-inside: auto; }
  .concept { break-before: page; }
  .toolbar, th button::after { display: none !important; }
  tr, ol.tasks li, svg { break-inside: avoid; }
  a { color: inherit; }
  details > summary { color: inherit; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 14mm; }
}
`;

export const HTML_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ssot-data").textContent);
  var table = document.getElementById("findings-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var rule = document.getElementById("filter-rule");
  var concept = document.getElementById("filter-concept");
  var severity = document.getElementById("filter-severity");
  var count = document.getElementById("filter-count");
  var none = document.getElementById("no-match");

  function fill(select, values) {
    var counts = {};
    values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    Object.keys(counts).sort().forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v + " (" + counts[v] + ")";
      select.appendChild(option);
    });
  }
  fill(rule, data.findings.map(function (f) { return f.ruleId; }));
  fill(concept, data.findings.map(function (f) { return f.concept; }));

  function apply() {
    var q = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok = (!rule.value || d.rule === rule.value) && (!concept.value || d.concept === concept.value) &&
        (!severity.value || d.severity === severity.value) && (!q || d.text.indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown === rows.length ? rows.length + " findings" : shown + " of " + rows.length + " findings";
    none.hidden = shown !== 0;
  }
  [text, rule, concept, severity].forEach(function (el) {
    el.addEventListener(el === text ? "input" : "change", apply);
  });

  var SEVERITY = { error: 0, warning: 1 };
  var keys = {
    severity: function (d) { return [SEVERITY[d.severity], 0]; },
    rule: function (d) { return [d.rule, d.concept]; },
    location: function (d) { return [d.file, Number(d.line)]; },
    message: function (d) { return [d.message, 0]; }
  };
  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  var headers = Array.prototype.slice.call(table.tHead.querySelectorAll("th[data-sort]"));
  headers.forEach(function (th) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var key = keys[th.dataset.sort];
      rows.sort(function (x, y) {
        var a = key(x.dataset), b = key(y.dataset);
        var c = compare(a[0], b[0]) || compare(a[1], b[1]);
        return (ascending ? c : -c) || Number(x.dataset.index) - Number(y.dataset.index);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  document.getElementById("findings-toolbar").hidden = false;
  apply();

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
`;
