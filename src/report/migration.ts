/**
 * The migration model: what the `report` command's formatters render. Built purely from a
 * check result — per concept the canonical, every other implementation with its callers, the
 * fallbacks, the sink uses by file, the deprecated imports, and the remaining work as a
 * checklist ordered by impact. Counts agree with the JSON report's `concepts[]`: only files
 * under the requested paths and outside tests are counted.
 */
import type { CheckResult } from "../engine/check.js";
import type { Finding } from "../engine/types.js";
import { type TrendPoint, countsOf, remainingOf } from "../history/snapshot.js";
import type { ClassifiedCall, ConceptAnalysis } from "../model/concepts.js";
import { type DefRef, defKey } from "../model/types.js";
import type { ConceptSummary, Report } from "./types.js";
import { compareText, plural } from "../util/text.js";

export { plural };

/** A place in the code, 1-based. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/** A call site in the call-site map. */
export interface CallerSite extends Location {
  /** Qualified name of the enclosing definition; empty at module level. */
  symbol: string;
  /** The callee as written, dotted (`get_router().broadcast_to_user`). */
  callee: string;
  confidence: "certain" | "likely";
  /** `ssot-audit fix` can rewrite it (its `non-canonical-call` finding is fixable). */
  fixable: boolean;
}

export interface ImplementationEntry extends Location {
  /** Qualified name, e.g. `WebSocketEventRouter.broadcast_to_user`. */
  symbol: string;
  kind: "function" | "method" | "class";
  /** Why it counts: same normalized name, or a near-clone body (with its similarity, 0..1). */
  reason: "name" | "clone";
  similarity?: number;
  /** Call sites that reach it, in file/line order. */
  callers: CallerSite[];
  /** Fallbacks whose fallback side reaches it. */
  fallbacks: number;
}

export interface FallbackEntry extends Location {
  symbol: string;
  /** `try`, `import-fallback`, `promise-catch`, `or`, `nullish`, `conditional`. */
  kind: string;
  /** What the fallback side reaches, as labels (`WebSocketEventRouter.broadcast_to_user`, `**.send_json`). */
  reaches: { kind: "implementation" | "legacy-name" | "sink" | "deprecated-module"; label: string }[];
}

export interface SinkUseEntry extends Location {
  symbol: string;
  /** The use as written, dotted (`connection.websocket.send_json`). */
  text: string;
  /** The configured sink pattern it matched. */
  pattern: string;
  isCall: boolean;
}

export interface DeprecatedImportEntry extends Location {
  /** The configured deprecated module. */
  module: string;
  /** Imported names (`*` for a whole module). */
  names: string[];
}

export type TaskKind = "retire-implementation" | "review-calls" | "remove-fallback" | "route-sinks" | "replace-imports";

/** One item of the remaining-work checklist. */
export interface Task {
  kind: TaskKind;
  /** Number of code sites the task clears: its call sites, sink uses or imports, plus the duplicate itself. */
  impact: number;
  /** Where to start. */
  file: string;
  line: number;
  /** The symbol, callee or module the task is about. */
  subject: string;
  /** Call sites `ssot-audit fix` can rewrite (retire-implementation, review-calls). */
  fixable: number;
  /** Sites involved: call sites, sink uses or imports. */
  sites: number;
  /** Fallbacks that reach the implementation (retire-implementation); the fallback kind otherwise. */
  detail?: string;
}

export interface MigrationConcept {
  id: string;
  description?: string;
  canonical: Location & { symbol: string; kind: "function" | "method" | "class" };
  /** The JSON report's counts for the concept. */
  summary: ConceptSummary;
  /** Share of call sites on the canonical, 0..1; undefined when there are none. */
  progress?: number;
  /** Open items: non-canonical call sites + other implementations + fallbacks + sink uses. */
  remaining: number;
  /** Call sites on the canonical (or its thin delegates), grouped by file. */
  canonicalCallers: { file: string; sites: CallerSite[] }[];
  /** Thin delegates to the canonical: fine, listed so readers know they were seen. */
  delegates: (Location & { symbol: string })[];
  /** Other implementations, most called first. */
  implementations: ImplementationEntry[];
  /** Non-canonical call sites whose target is known only by name. */
  unattributedCalls: CallerSite[];
  fallbacks: FallbackEntry[];
  sinksByFile: { file: string; uses: SinkUseEntry[] }[];
  deprecatedImports: DeprecatedImportEntry[];
  /** Remaining work, highest impact first. */
  tasks: Task[];
}

export interface MigrationModel {
  concepts: MigrationConcept[];
  totals: {
    canonical: number;
    nonCanonical: number;
    duplicates: number;
    fallbacks: number;
    sinkCalls: number;
    remaining: number;
    tasks: number;
  };
}

/** A few lines of source around a finding, read by the CLI (formatters never touch files). */
export interface Snippet {
  /** 1-based number of the first line. */
  startLine: number;
  lines: string[];
}

/** Everything a migration report formatter renders. */
export interface MigrationReportInput {
  report: Report;
  model: MigrationModel;
  /** Oldest first; the current run last (when recorded). */
  trend: TrendPoint[];
  /** When the report was made, ISO 8601. */
  generatedAt: string;
  /** Commit the work tree is on, if known. */
  commit?: string | null;
  /** Display name of the audited project (its folder name). */
  project?: string;
  /** Code around findings, by `snippetKey(file, line)`. */
  snippets?: Readonly<Record<string, Snippet>>;
}

export function snippetKey(file: string, line: number): string {
  return `${file}:${line}`;
}

const TASK_ORDER: Record<TaskKind, number> = {
  "retire-implementation": 0,
  "review-calls": 1,
  "remove-fallback": 2,
  "route-sinks": 3,
  "replace-imports": 4,
};

/** Builds the migration model of a check result. Pure: reads the analysis, not the files. */
export function buildMigrationModel(result: Pick<CheckResult, "report" | "concepts" | "project">): MigrationModel {
  const { model } = result.project;
  const counted = (file: string): boolean => {
    const e = model.entry(file);
    return Boolean(e?.reported && !e.isTest);
  };
  const fixableCalls = new Set(
    result.report.findings.filter((f) => f.ruleId === "non-canonical-call" && f.fixable).map((f) => positionKey(f.concept, f)),
  );
  const summaries = new Map(result.report.concepts.map((c) => [c.id, c]));
  const concepts = result.concepts.flatMap((analysis) => {
    const summary = summaries.get(analysis.id);
    return summary ? [buildConcept(analysis, summary, counted, fixableCalls)] : [];
  });
  const sum = (f: (c: MigrationConcept) => number) => concepts.reduce((n, c) => n + f(c), 0);
  return {
    concepts,
    totals: {
      canonical: sum((c) => c.summary.callSites.canonical),
      nonCanonical: sum((c) => c.summary.callSites.nonCanonical),
      duplicates: sum((c) => c.implementations.length),
      fallbacks: sum((c) => c.summary.fallbacks),
      sinkCalls: sum((c) => c.summary.sinkCalls),
      remaining: sum((c) => c.remaining),
      tasks: sum((c) => c.tasks.length),
    },
  };
}

function positionKey(concept: string, l: Pick<Finding, "file" | "line" | "column">): string {
  return `${concept}\0${l.file}\0${l.line}\0${l.column}`;
}

function buildConcept(
  a: ConceptAnalysis,
  summary: ConceptSummary,
  counted: (file: string) => boolean,
  fixableCalls: ReadonlySet<string>,
): MigrationConcept {
  const caller = (c: ClassifiedCall): CallerSite => ({
    file: c.file,
    line: c.call.span.line,
    column: c.call.span.column,
    symbol: c.call.enclosing ?? "",
    callee: c.call.callee.join("."),
    confidence: c.confidence,
    fixable: fixableCalls.has(positionKey(a.id, { file: c.file, line: c.call.span.line, column: c.call.span.column })),
  });
  const calls = a.calls.filter((c) => counted(c.file));
  const fallbackHits = a.fallbacks.filter((f) => counted(f.file));

  const implementations: ImplementationEntry[] = a.implementations
    .filter((i) => counted(i.ref.file))
    .map((i) => {
      const key = defKey(i.ref);
      return {
        ...defLocation(i.ref),
        kind: i.ref.def.kind,
        reason: i.reason,
        ...(i.similarity !== undefined ? { similarity: i.similarity } : {}),
        callers: sortLocations(
          calls.filter((c) => c.target === "implementation" && c.implementation && defKey(c.implementation) === key).map(caller),
        ),
        fallbacks: fallbackHits.filter((f) => f.targets.some((t) => t.implementation && defKey(t.implementation) === key)).length,
      };
    })
    .sort((x, y) => y.callers.length - x.callers.length || compareLocations(x, y));
  const implKeys = new Set(a.implementations.filter((i) => counted(i.ref.file)).map((i) => defKey(i.ref)));
  // Calls attributed to an implementation that is not counted itself (e.g. in a folder outside the paths) stay visible here.
  const unattributedCalls = sortLocations(
    calls.filter((c) => c.target === "implementation" && !(c.implementation && implKeys.has(defKey(c.implementation)))).map(caller),
  );

  const fallbacks: FallbackEntry[] = sortLocations(
    fallbackHits.map((hit) => ({
      file: hit.file,
      line: hit.site.span.line,
      column: hit.site.span.column,
      symbol: hit.site.enclosing ?? "",
      kind: hit.site.kind,
      reaches: uniqueBy(
        hit.targets.map((t) => ({ kind: t.kind, label: t.label })),
        (t) => `${t.kind}\0${t.label}`,
      ),
    })),
  );

  const sinkUses: SinkUseEntry[] = sortLocations(
    a.sinkUses
      .filter((s) => counted(s.file))
      .map((s) => ({
        file: s.file,
        line: s.span.line,
        column: s.span.column,
        symbol: s.enclosing ?? "",
        text: s.chain.join("."),
        pattern: s.pattern,
        isCall: s.isCall,
      })),
  );
  const sinksByFile = groupByFile(sinkUses).map(([file, uses]) => ({ file, uses }));

  const deprecatedImports: DeprecatedImportEntry[] = sortLocations(
    a.deprecatedImports
      .filter((d) => counted(d.file))
      .map((d) => ({
        file: d.file,
        line: d.fact.span.line,
        column: d.fact.span.column,
        module: d.module,
        names: d.fact.names.map((n) => n.imported),
      })),
  );

  const canonicalCallers = groupByFile(sortLocations(calls.filter((c) => c.target === "canonical").map(caller))).map(([file, sites]) => ({
    file,
    sites,
  }));
  const { canonical: onCanonical, nonCanonical } = summary.callSites;
  const total = onCanonical + nonCanonical;
  return {
    id: a.id,
    ...(a.config.description ? { description: a.config.description } : {}),
    canonical: { ...defLocation(a.canonical), kind: a.canonical.def.kind },
    summary,
    ...(total > 0 ? { progress: onCanonical / total } : {}),
    remaining: remainingOf(countsOf(summary)),
    canonicalCallers,
    delegates: sortLocations(a.delegates.filter((d) => counted(d.file)).map(defLocation)),
    implementations,
    unattributedCalls,
    fallbacks,
    sinksByFile,
    deprecatedImports,
    tasks: buildTasks(implementations, unattributedCalls, fallbacks, sinksByFile, deprecatedImports),
  };
}

function buildTasks(
  implementations: ImplementationEntry[],
  unattributed: CallerSite[],
  fallbacks: FallbackEntry[],
  sinksByFile: { file: string; uses: SinkUseEntry[] }[],
  imports: DeprecatedImportEntry[],
): Task[] {
  const tasks: Task[] = [];
  for (const impl of implementations) {
    tasks.push({
      kind: "retire-implementation",
      impact: impl.callers.length + 1,
      file: impl.file,
      line: impl.line,
      subject: impl.symbol,
      sites: impl.callers.length,
      fixable: impl.callers.filter((c) => c.fixable).length,
      ...(impl.fallbacks > 0 ? { detail: String(impl.fallbacks) } : {}),
    });
  }
  for (const [callee, sites] of groupBy(unattributed, (c) => c.callee)) {
    const first = sites[0];
    if (!first) continue;
    tasks.push({
      kind: "review-calls",
      impact: sites.length,
      file: first.file,
      line: first.line,
      subject: callee,
      sites: sites.length,
      fixable: sites.filter((s) => s.fixable).length,
    });
  }
  for (const f of fallbacks) {
    tasks.push({ kind: "remove-fallback", impact: 1, file: f.file, line: f.line, subject: f.symbol, sites: 1, fixable: 0, detail: f.kind });
  }
  for (const { file, uses } of sinksByFile) {
    const first = uses[0];
    if (!first) continue;
    tasks.push({
      kind: "route-sinks",
      impact: uses.length,
      file,
      line: first.line,
      subject: [...new Set(uses.map((u) => u.pattern))].join(", "),
      sites: uses.length,
      fixable: 0,
    });
  }
  for (const [file, list] of groupByFile(imports)) {
    const first = list[0];
    if (!first) continue;
    tasks.push({
      kind: "replace-imports",
      impact: list.length,
      file,
      line: first.line,
      subject: [...new Set(list.map((i) => i.module))].join(", "),
      sites: list.length,
      fixable: 0,
    });
  }
  return tasks.sort(
    (x, y) => y.impact - x.impact || TASK_ORDER[x.kind] - TASK_ORDER[y.kind] || compareText(x.file, y.file) || x.line - y.line,
  );
}

function defLocation(ref: DefRef): Location & { symbol: string } {
  return { file: ref.file, line: ref.def.span.line, column: ref.def.span.column, symbol: ref.def.qualifiedName };
}


function compareLocations(a: Location, b: Location): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

function sortLocations<T extends Location>(items: T[]): T[] {
  return items.sort(compareLocations);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return [...groups];
}

function groupByFile<T extends Location>(items: readonly T[]): [string, T[]][] {
  return groupBy(items, (i) => i.file);
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ------------------------------------------------------------------ wording shared by the formatters

/** How a fallback kind reads in a sentence. */
const FALLBACK_KIND_LABEL: Readonly<Record<string, string>> = {
  try: "try/except fallback",
  "import-fallback": "import fallback",
  "promise-catch": ".catch() fallback",
  or: "or/|| fallback",
  nullish: "?? fallback",
  conditional: "if/else fallback",
};

/** The kinds whose words differ, in Python and in TypeScript/JavaScript. */
const PY_FALLBACK_KIND_LABEL: Readonly<Record<string, string>> = { or: "or fallback" };
const TS_FALLBACK_KIND_LABEL: Readonly<Record<string, string>> = { try: "try/catch fallback", or: "|| fallback" };

/** Plain-text label of a fallback kind: `try/except fallback` (`try/catch fallback` in a TS/JS `file`). */
export function fallbackKindLabel(kind: string, file?: string): string {
  const own = file === undefined ? undefined : (/\.pyi?$/.test(file) ? PY_FALLBACK_KIND_LABEL : TS_FALLBACK_KIND_LABEL)[kind];
  return own ?? FALLBACK_KIND_LABEL[kind] ?? `${kind} fallback`;
}

/** `2025-01-31 14:05 UTC` (stable whatever the local time zone). */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `812 ms`, `4.2 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `35%` (rounded down, so 99.6% never shows as done), or `—` without call sites. */
export function formatPercent(progress: number | undefined): string {
  if (progress === undefined) return "—";
  return `${progress >= 1 ? 100 : Math.floor(progress * 100)}%`;
}


/**
 * One checklist sentence for a task. `code` renders analysed text (symbols, files) and must
 * escape it; `text` renders the fixed wording around it.
 */
export function describeTask(task: Task, code: (analysed: string) => string, text: (plain: string) => string = (s) => s): string {
  const at = code(`${task.file}:${task.line}`);
  switch (task.kind) {
    case "retire-implementation": {
      const parts: string[] = [];
      if (task.sites > 0)
        parts.push(
          text(
            `move ${plural(task.sites, "call site")} to the canonical${task.fixable > 0 ? ` (${task.fixable} fixable with ssot-audit fix)` : ""}`,
          ),
        );
      if (task.detail) parts.push(text(`remove ${plural(Number(task.detail), "fallback")} reaching it`));
      parts.push(text("then delete it or make it delegate"));
      return `${text("Retire ")}${code(task.subject)}${text(" (")}${at}${text("): ")}${parts.join(text(", "))}`;
    }
    case "review-calls":
      return `${text(`Move ${plural(task.sites, "call site")} of `)}${code(task.subject)}${text(" (matched by name only, first at ")}${at}${text(") to the canonical")}`;
    case "remove-fallback":
      return `${text(`Remove the ${fallbackKindLabel(task.detail ?? "", task.file)} in `)}${task.subject ? `${code(task.subject)}${text(" (")}${at}${text(")")}` : at}${text(" and call the canonical only")}`;
    case "route-sinks":
      return `${text(`Route ${plural(task.sites, "direct sink use")} (`)}${code(task.subject)}${text(") in ")}${code(task.file)}${text(" through the canonical")}`;
    case "replace-imports":
      return `${text(`Replace ${plural(task.sites, "import")} from `)}${code(task.subject)}${text(" in ")}${code(task.file)}${text(" with imports from the canonical module")}`;
  }
}
