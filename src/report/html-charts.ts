/**
 * Inline SVG charts for the HTML report: progress bars, line charts (burn-down) and the
 * call-site map. Pure string builders; colours come from CSS classes of the page's one
 * stylesheet (no `style` attributes: the page's CSP allows only the hashed stylesheet).
 */
import { escapeHtml, truncateEnd, truncateStart } from "./html-escape.js";
import type { MigrationConcept } from "./migration.js";
import { formatDate, formatPercent } from "./migration.js";

/** Rounds to 1 decimal for compact, stable coordinates. */
function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A horizontal bar: the canonical share in green, the rest in red; grey without call sites. */
export function progressBar(canonical: number, nonCanonical: number, size: "small" | "large" = "small"): string {
  const total = canonical + nonCanonical;
  const label =
    total === 0
      ? "no call sites"
      : `${formatPercent(canonical / total)} of call sites on the canonical: ${canonical} canonical, ${nonCanonical} non-canonical`;
  const w = 200;
  const ok = total === 0 ? 0 : (canonical / total) * w;
  return (
    `<svg class="bar bar-${size}" viewBox="0 0 ${w} 10" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>` +
    `<rect class="${total === 0 ? "bar-empty" : "bar-bad"}" x="0" y="0" width="${w}" height="10"/>` +
    (ok > 0 ? `<rect class="bar-ok" x="0" y="0" width="${r(ok)}" height="10"/>` : "") +
    "</svg>"
  );
}

export interface ChartSeries {
  label: string;
  /** Index into the page's series palette (`s0`…`s7`). */
  color: number;
  /** One value per chart point; undefined where the series has no value. */
  values: (number | undefined)[];
}

export interface ChartPoint {
  date: string;
  commit: string | null;
  /** Shown in tooltips: `history`, `git`, `current`. */
  source: string;
}

/** Chart size in SVG units; the chart scales to its container's width. */
export interface ChartSize {
  width: number;
  height: number;
}

const M = { left: 40, right: 44, top: 16, bottom: 30 };

/** A step of 1, 2 or 5 × 10^k that gives at most 5 ticks up to `max`. */
function niceStep(max: number): number {
  if (max <= 5) return 1;
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].find((u) => u * pow >= raw) ?? 10;
  return unit * pow;
}

function shortDate(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs < 2 * 86_400_000 ? iso.slice(5, 16).replace("T", " ") : iso.slice(0, 10);
}

/**
 * A line chart over time (x proportional to the dates when they differ, else evenly spaced),
 * y from 0, with a light area under single series, the last value labelled, and a tooltip
 * (date, commit, value) on every point.
 */
export function lineChart(
  points: readonly ChartPoint[],
  series: readonly ChartSeries[],
  ariaLabel: string,
  unit: string,
  size: ChartSize,
): string {
  const { width: W, height: H } = size;
  const times = points.map((p) => Date.parse(p.date));
  const t0 = Math.min(...times);
  const span = Math.max(...times) - t0;
  const byTime = times.every((t) => !Number.isNaN(t)) && span > 0;
  const innerW = W - M.left - M.right;
  const innerH = H - M.top - M.bottom;
  const x = (i: number): number => {
    if (points.length === 1) return M.left + innerW / 2;
    return M.left + (byTime ? ((times[i] ?? t0) - t0) / span : i / (points.length - 1)) * innerW;
  };
  const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (v: number): number => M.top + innerH - (v / top) * innerH;

  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${r(y(v))}" y2="${r(y(v))}"/>`);
    parts.push(`<text class="tick" x="${M.left - 8}" y="${r(y(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  const labels: { at: number; text: string; anchor: string }[] = [];
  if (byTime) {
    for (let k = 0; k <= 4; k++) {
      const t = t0 + (span * k) / 4;
      labels.push({ at: M.left + (innerW * k) / 4, text: shortDate(t, span), anchor: k === 0 ? "start" : k === 4 ? "end" : "middle" });
    }
  } else {
    const first = points[0];
    const last = points[points.length - 1];
    if (first) labels.push({ at: x(0), text: first.date.slice(0, 10), anchor: points.length === 1 ? "middle" : "start" });
    if (last && points.length > 1) labels.push({ at: x(points.length - 1), text: last.date.slice(0, 10), anchor: "end" });
  }
  for (const l of labels)
    parts.push(`<text class="tick" x="${r(l.at)}" y="${H - 8}" text-anchor="${l.anchor}">${escapeHtml(l.text)}</text>`);
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${r(y(0))}" y2="${r(y(0))}"/>`);

  const endLabels: { x: number; y: number; color: string; value: number }[] = [];
  for (const s of series) {
    const color = `s${s.color % 8}`;
    const coords = s.values.flatMap((v, i) => (v === undefined ? [] : [{ i, v }]));
    const first = coords[0];
    const last = coords[coords.length - 1];
    if (!first || !last) continue;
    if (coords.length > 1) {
      const line = coords.map((c) => `${r(x(c.i))},${r(y(c.v))}`).join(" ");
      if (series.length === 1)
        parts.push(`<polygon class="area ${color}" points="${r(x(first.i))},${r(y(0))} ${line} ${r(x(last.i))},${r(y(0))}"/>`);
      parts.push(`<polyline class="line ${color}" fill="none" points="${line}"/>`);
    }
    for (const c of coords) {
      const p = points[c.i];
      const tip = `${s.label}: ${c.v}${unit ? ` ${unit}` : ""}\n${p ? formatDate(p.date) : ""}${p?.commit ? `\ncommit ${p.commit.slice(0, 10)}` : ""}${p?.source === "current" ? "\nthis run" : ""}`;
      parts.push(`<circle class="dot ${color}" cx="${r(x(c.i))}" cy="${r(y(c.v))}" r="4"><title>${escapeHtml(tip)}</title></circle>`);
    }
    endLabels.push({ x: x(last.i) + 8, y: y(last.v) + 4, color, value: last.v });
  }
  // Last values, pushed apart vertically so that close lines keep readable labels.
  endLabels.sort((a, b) => a.y - b.y);
  for (const [i, l] of endLabels.entries()) {
    const prev = endLabels[i - 1];
    if (prev && l.y - prev.y < 13) l.y = prev.y + 13;
    parts.push(`<text class="end-label ${l.color}" x="${r(l.x)}" y="${r(l.y)}">${l.value}</text>`);
  }
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(ariaLabel)}">${parts.join("")}</svg>`;
}

const MAP_ROW = 26;
const MAP_MAX_FILES = 24;

interface MapTarget {
  label: string;
  detail: string;
  kind: "canonical" | "implementation" | "unknown";
}

/**
 * The call-site map: files with call sites on the left, the canonical and the other
 * implementations on the right, one curve per (file, target) pair, as thick as its calls.
 */
export function callSiteMap(c: MigrationConcept): string {
  const targets: MapTarget[] = [
    { label: c.canonical.symbol, detail: `${c.canonical.file}:${c.canonical.line}`, kind: "canonical" },
    ...c.implementations.map((i): MapTarget => ({ label: i.symbol, detail: `${i.file}:${i.line}`, kind: "implementation" })),
  ];
  const edges = new Map<string, Map<number, number>>();
  const add = (file: string, target: number) => {
    const perFile = edges.get(file) ?? new Map<number, number>();
    perFile.set(target, (perFile.get(target) ?? 0) + 1);
    edges.set(file, perFile);
  };
  for (const g of c.canonicalCallers) for (const _ of g.sites) add(g.file, 0);
  for (const [i, impl] of c.implementations.entries()) for (const k of impl.callers) add(k.file, i + 1);
  if (c.unattributedCalls.length > 0) {
    targets.push({
      label: "matched by name only",
      detail: [...new Set(c.unattributedCalls.map((k) => k.callee))].join(", "),
      kind: "unknown",
    });
    for (const k of c.unattributedCalls) add(k.file, targets.length - 1);
  }
  if (edges.size === 0) return `<p class="muted">No call sites of this concept in the reported files.</p>`;

  const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const dominant = (m: Map<number, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  let files = [...edges].sort((a, b) => dominant(a[1]) - dominant(b[1]) || total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1));
  if (files.length > MAP_MAX_FILES) {
    const rest = new Map<number, number>();
    for (const [, m] of files.slice(MAP_MAX_FILES - 1)) for (const [t, n] of m) rest.set(t, (rest.get(t) ?? 0) + n);
    files = [...files.slice(0, MAP_MAX_FILES - 1), [`${files.length - MAP_MAX_FILES + 1} more files`, rest]];
  }
  const rows = Math.max(files.length, targets.length);
  const height = rows * MAP_ROW + 12;
  const leftX = 372;
  const rightX = 588;
  const yOf = (i: number, n: number) => 6 + ((i + 0.5) * (rows * MAP_ROW)) / n;

  const parts: string[] = [];
  for (const [fi, [, m]] of files.entries()) {
    for (const [t, n] of m) {
      const y1 = yOf(fi, files.length);
      const y2 = yOf(t, targets.length);
      const kind = targets[t]?.kind ?? "unknown";
      const tip = `${files[fi]?.[0] ?? ""} → ${targets[t]?.label ?? ""}: ${n} call site${n === 1 ? "" : "s"}`;
      parts.push(
        `<path class="edge edge-${kind}" d="M${leftX + 6},${r(y1)} C${r((leftX + rightX) / 2)},${r(y1)} ${r((leftX + rightX) / 2)},${r(y2)} ${rightX},${r(y2)}" stroke-width="${r(1.5 + 2.2 * Math.sqrt(n))}"><title>${escapeHtml(tip)}</title></path>`,
      );
    }
  }
  for (const [fi, [file, m]] of files.entries()) {
    const y = yOf(fi, files.length);
    parts.push(
      `<g class="map-file"><title>${escapeHtml(`${file}: ${total(m)} call site${total(m) === 1 ? "" : "s"}`)}</title>` +
        `<text x="${leftX - 6}" y="${r(y + 4)}" text-anchor="end">${escapeHtml(truncateStart(file, 46))}</text>` +
        `<rect class="node-file" x="${leftX}" y="${r(y - 7)}" width="6" height="14" rx="2"/></g>`,
    );
  }
  for (const [ti, t] of targets.entries()) {
    const y = yOf(ti, targets.length);
    parts.push(
      `<g class="map-target"><title>${escapeHtml(`${t.label} — ${t.detail}`)}</title>` +
        `<rect class="node-${t.kind}" x="${rightX}" y="${r(y - 9)}" width="8" height="18" rx="2"/>` +
        `<text x="${rightX + 14}" y="${r(y + 4)}"${t.kind === "canonical" ? ` class="strong"` : ""}>${escapeHtml(truncateEnd(t.label, 46))}</text></g>`,
    );
  }
  return `<svg class="map" viewBox="0 0 960 ${height}" role="img" aria-label="${escapeHtml(`Call-site map of ${c.id}`)}">${parts.join("")}</svg>`;
}
