/**
 * Import bookkeeping for one file and one pass: insert the imports the accepted units need
 * (at module level, after the module docstring / `__future__` imports / last top-level import
 * in Python; with the import group in TypeScript, merged into an existing import of the same
 * module when there is one) and remove imports the units left unused (the name no longer
 * occurs anywhere outside import statements; when unsure, the import stays).
 */
import type { FileFacts, ImportFact } from "../facts/types.js";
import type { ProjectModel } from "../model/project.js";
import { tsTargetFile } from "./fixability.js";
import type { PythonSource } from "./python-source.js";
import { inRanges, lineEndOf, lineStartOf, nextLineStart, startsLine, wordOccurrences } from "./text.js";
import type { FixUnit, ImportNeed, TextEdit } from "./types.js";
import type { TypeScriptSource } from "./typescript-source.js";

export interface ImportPlan {
  edits: TextEdit[];
  /** Units whose import could not be placed, with the reason (they become manual items). */
  unplaceable: { unit: FixUnit; reason: string }[];
}

interface FileContext {
  model: ProjectModel;
  facts: FileFacts;
  text: string;
  eol: string;
}

function needKey(n: ImportNeed): string {
  return n.kind === "python" ? n.statement : `${n.specifier}\0${n.imported}\0${n.local}\0${n.statement ?? ""}`;
}

// ------------------------------------------------------------------------------------ python

function pythonTopImports(facts: FileFacts): ImportFact[] {
  return facts.imports
    .filter((i) => i.enclosing === undefined && i.inFallback === undefined && i.span.column === 1)
    .sort((a, b) => a.span.start - b.span.start);
}

export function planPythonImports(ctx: FileContext, units: readonly FixUnit[], source: PythonSource): ImportPlan {
  const { text, eol, facts } = ctx;
  const edits: TextEdit[] = [];
  const byNeed = new Map<string, { statement: string; firstUse: number }>();
  for (const u of units) {
    for (const n of u.needs) {
      if (n.kind !== "python") continue;
      const entry = byNeed.get(needKey(n)) ?? { statement: n.statement, firstUse: Number.POSITIVE_INFINITY };
      if (u.moduleLevelAt !== undefined) entry.firstUse = Math.min(entry.firstUse, u.moduleLevelAt);
      byNeed.set(needKey(n), entry);
    }
  }
  // `from __future__` imports belong to the header (a blank line separates them from imports).
  const top = pythonTopImports(facts).filter((i) => !(i.module === "__future__" && i.level === 0));
  const header = source.header();
  const groups = new Map<number, { statements: string[]; afterHeader: boolean; atCodeStart: boolean }>();
  for (const { statement, firstUse } of byNeed.values()) {
    const before = top.filter((i) => i.span.end <= firstUse);
    const last = before[before.length - 1];
    let at: number;
    let afterHeader = false;
    let atCodeStart = false;
    if (last) at = nextLineStart(text, last.span.end);
    else if (header.after) {
      at = nextLineStart(text, header.offset);
      afterHeader = true;
    } else {
      at = lineStartOf(text, header.offset);
      atCodeStart = true;
    }
    const g = groups.get(at) ?? { statements: [], afterHeader, atCodeStart };
    g.statements.push(statement);
    groups.set(at, g);
  }
  for (const [at, g] of groups) {
    const lines = [...g.statements]
      .sort((a, b) => Number(a.startsWith("from")) - Number(b.startsWith("from")) || a.localeCompare(b))
      .join(eol);
    const atEnd = at >= text.length && !/[\r\n]$/.test(text) && text.length > 0;
    let insert = `${lines}${eol}`;
    if (atEnd) insert = `${eol}${lines}${eol}`;
    else if (g.afterHeader) insert = `${eol}${lines}${eol}${blankLineAt(text, at) ? "" : eol}`;
    // PEP 8: two blank lines between the imports and a top-level definition.
    else if (g.atCodeStart) insert = `${lines}${eol}${eol}${/^(?:@|def\s|async\s+def\s|class\s)/.test(text.slice(at)) ? eol : ""}`;
    edits.push({ file: facts.file, start: at, end: at, text: insert });
  }
  edits.push(...unusedImportEdits(ctx, units, pythonTopImports(facts), "python", edits));
  return { edits, unplaceable: [] };
}

function blankLineAt(text: string, at: number): boolean {
  return text.slice(at, lineEndOf(text, at)).trim() === "";
}

// ------------------------------------------------------------------------------------ typescript

function tsTopImports(
  facts: FileFacts,
  source: TypeScriptSource,
): { fact: ImportFact; parts: NonNullable<ReturnType<TypeScriptSource["importAt"]>> }[] {
  const out: { fact: ImportFact; parts: NonNullable<ReturnType<TypeScriptSource["importAt"]>> }[] = [];
  for (const fact of facts.imports) {
    if (fact.enclosing !== undefined || fact.inFallback !== undefined) continue;
    const parts = source.importAt(fact.span.start);
    if (parts) out.push({ fact, parts });
  }
  return out.sort((a, b) => a.fact.span.start - b.fact.span.start);
}

export function planTypeScriptImports(ctx: FileContext, units: readonly FixUnit[], source: TypeScriptSource): ImportPlan {
  const { text, eol, facts, model } = ctx;
  const edits: TextEdit[] = [];
  const unplaceable: { unit: FixUnit; reason: string }[] = [];
  const declarations = tsTopImports(facts, source);
  // No import declaration to follow: a `.cjs` file, one that loads modules with require(), or a
  // JavaScript file with no `export` (CommonJS or a script) would break with an `import` added.
  const usesRequire = facts.imports.some((i) => /\brequire\s*\(/.test(text.slice(i.span.start, i.span.end)));
  const isCommonJs =
    declarations.length === 0 && (facts.file.endsWith(".cjs") || usesRequire || (/\.jsx?$/.test(facts.file) && !/^[ \t]*export\b/m.test(text)));
  const style = declarations[0]?.parts;
  const quote = style?.specifier.quote ?? '"';
  const semi = style ? (style.semicolon ? ";" : "") : ";";
  const needs = new Map<string, Extract<ImportNeed, { kind: "typescript" }>>();
  for (const u of units) {
    for (const n of u.needs) {
      if (n.kind !== "typescript") continue;
      if (isCommonJs) {
        unplaceable.push({ unit: u, reason: "the file is CommonJS (no import declarations); add the delegate's require by hand" });
        continue;
      }
      needs.set(needKey(n), n);
    }
  }
  const newStatements: string[] = [];
  const merged = new Set<ImportFact>();
  for (const n of needs.values()) {
    if (n.statement) {
      newStatements.push(n.statement);
      continue;
    }
    const spec = n.imported === n.local ? n.local : `${n.imported} as ${n.local}`;
    const target = n.specifier.startsWith(".") ? model.tsModuleFile(facts.file, n.specifier) : tsTargetFile(model, n.specifier);
    const host = declarations.find(
      (d) =>
        !merged.has(d.fact) &&
        !d.parts.typeOnly &&
        !d.parts.namespace &&
        (target ? model.importedFile(facts.file, d.fact) === target : d.fact.module === n.specifier) &&
        (n.imported === "default" ? !d.parts.defaultName : n.imported !== "*"),
    );
    if (host) {
      const edit = mergeInto(facts.file, text, eol, host.parts, n, spec);
      if (edit) {
        merged.add(host.fact);
        edits.push(edit);
        continue;
      }
    }
    const clause = n.imported === "default" ? n.local : n.imported === "*" ? `* as ${n.local}` : `{ ${spec} }`;
    newStatements.push(`import ${clause} from ${quote}${n.specifier}${quote}${semi}`);
  }
  if (newStatements.length > 0) {
    const last = declarations[declarations.length - 1];
    const lines = newStatements.join(eol);
    if (last) {
      const at = nextLineStart(text, last.fact.span.end);
      const atEnd = at >= text.length && !/[\r\n]$/.test(text);
      edits.push({ file: facts.file, start: at, end: at, text: atEnd ? `${eol}${lines}${eol}` : `${lines}${eol}` });
    } else {
      const at = lineStartOf(text, source.firstStatementStart());
      edits.push({ file: facts.file, start: at, end: at, text: `${lines}${eol}${blankLineAt(text, at) ? "" : eol}` });
    }
  }
  edits.push(
    ...unusedImportEdits(
      ctx,
      units,
      declarations.map((d) => d.fact),
      "typescript",
      edits,
      source,
    ),
  );
  return { edits, unplaceable };
}

function mergeInto(
  file: string,
  text: string,
  eol: string,
  parts: NonNullable<ReturnType<TypeScriptSource["importAt"]>>,
  need: Extract<ImportNeed, { kind: "typescript" }>,
  spec: string,
): TextEdit | undefined {
  if (need.imported === "default") {
    // `import { a } from "m"` → `import hub, { a } from "m"`
    if (!parts.named) return undefined;
    return { file, start: parts.named.start, end: parts.named.start, text: `${need.local}, ` };
  }
  if (!parts.named) {
    if (!parts.defaultName) return undefined;
    return { file, start: parts.defaultName.end, end: parts.defaultName.end, text: `, { ${spec} }` };
  }
  const elements = parts.named.elements;
  const last = elements[elements.length - 1];
  if (!last) return { file, start: parts.named.start + 1, end: parts.named.start + 1, text: ` ${spec} ` };
  const closing = parts.named.end - 1;
  const between = text.slice(last.end, closing);
  const comma = between.indexOf(",");
  if (comma < 0) return { file, start: last.end, end: last.end, text: `, ${spec}` };
  const at = last.end + comma + 1;
  if (between.includes("\n")) {
    const indent = /^[ \t]*/.exec(text.slice(lineStartOf(text, last.start), last.start))?.[0] ?? "";
    return { file, start: at, end: at, text: `${eol}${indent}${spec},` };
  }
  return { file, start: at, end: at, text: ` ${spec},` };
}

// ------------------------------------------------------------------------------------ removal

/**
 * Removes the names whose last uses the units removed: a name is dropped when it occurred in a
 * removed range and occurs nowhere else outside import statements and member names (strings and
 * comments count as uses, so `__all__` entries and doc mentions keep the import).
 */
function unusedImportEdits(
  ctx: FileContext,
  units: readonly FixUnit[],
  candidates: readonly ImportFact[],
  language: "python" | "typescript",
  insertions: readonly TextEdit[],
  source?: TypeScriptSource,
): TextEdit[] {
  const { text, facts } = ctx;
  const removed = units.flatMap((u) => u.removed);
  if (removed.length === 0) return [];
  const importSpans = facts.imports.map((i) => ({ start: i.span.start, end: i.span.end }));
  const inserted = units.flatMap((u) => u.edits.map((e) => e.text)).join("\n");
  // A member name (`get_service().notify_user`, in the file or in the rewritten code) is no use of
  // an imported `notify_user`.
  const unused = (local: string): boolean => {
    if (local === "*" || local === "") return false;
    const all = wordOccurrences(text, local);
    if (!all.some((o) => inRanges(o, removed))) return false;
    if (all.some((o) => !inRanges(o, removed) && !inRanges(o, importSpans) && !isMemberName(text, o))) return false;
    if (!wordOccurrences(inserted, local).every((o) => isMemberName(inserted, o))) return false;
    // Last, as it looks at every module of the project: only for a name about to be removed.
    return !(language === "python" && importedFromHere(ctx, local));
  };
  // Statements: imports sharing one span (`import a, b` is two facts) are one statement.
  const statements = new Map<number, ImportFact[]>();
  for (const c of candidates) statements.set(c.span.start, [...(statements.get(c.span.start) ?? []), c]);
  const edits: TextEdit[] = [];
  for (const facts of statements.values()) {
    const first = facts[0];
    if (!first) continue;
    const names = facts.flatMap((f) => f.names).sort((a, b) => a.span.start - b.span.start);
    const drop = names.filter((n) => unused(n.local));
    if (drop.length === 0) continue;
    if (drop.length === names.length) {
      const whole = wholeStatement(text, first.span.start, first.span.end, language);
      if (whole) edits.push({ file: ctx.facts.file, ...whole, text: "" });
      continue;
    }
    if (language === "python") {
      edits.push(
        ...dropFromList(
          ctx.facts.file,
          names.map((n) => ({ start: n.span.start, end: n.span.end, drop: drop.includes(n) })),
        ),
      );
      continue;
    }
    const parts = source?.importAt(first.span.start);
    if (!parts || parts.namespace) continue;
    const named = parts.named?.elements ?? [];
    const dropNames = new Set(drop.map((n) => n.local));
    const dropDefault = parts.defaultName !== undefined && names.some((n) => n.imported === "default" && dropNames.has(n.local));
    const keptNamed = named.filter((el) => !dropNames.has(el.name));
    if (parts.named && keptNamed.length === 0 && parts.defaultName && !dropDefault) {
      edits.push({ file: ctx.facts.file, start: parts.defaultName.end, end: parts.named.end, text: "" });
      continue;
    }
    if (dropDefault && parts.defaultName) {
      if (!parts.named || keptNamed.length === 0) continue;
      edits.push({ file: ctx.facts.file, start: parts.defaultName.start, end: parts.named.start, text: "" });
    }
    edits.push(
      ...dropFromList(
        ctx.facts.file,
        named.map((el) => ({ start: el.start, end: el.end, drop: dropNames.has(el.name) })),
      ),
    );
  }
  return [...edits, ...tidyBlankLines(ctx.facts.file, text, edits, insertions)];
}

/**
 * Whether another project module imports `name` from this Python module (`from app.handlers
 * import notify`, or a `*` import of a public name): the import that binds it here re-exports it,
 * and removing it would break that module.
 */
function importedFromHere(ctx: FileContext, name: string): boolean {
  const { model } = ctx;
  const here = ctx.facts.file;
  for (const [file, entry] of model.files) {
    if (file === here || entry.facts.language !== "python") continue;
    for (const imp of entry.facts.imports) {
      if (!imp.names.some((n) => n.imported === name || (n.imported === "*" && !name.startsWith("_") && !imp.bindsRoot))) continue;
      if (model.importedFile(file, imp) === here) return true;
    }
  }
  return false;
}

/** Whether the word at `at` follows a `.` (or `?.`) member access; a `...` spread is no member. */
function isMemberName(code: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (code[i] === " " || code[i] === "\t")) i--;
  return code[i] === "." && code[i - 1] !== ".";
}

function isBlankLine(text: string, start: number): boolean {
  return start < text.length && text.slice(start, lineEndOf(text, start)).trim() === "";
}

/**
 * Whole import lines removed between two blank lines would leave a double blank line inside
 * the import block: the blank line after them goes too (unless code is inserted there or the
 * next line is blank as well, e.g. the two blank lines before a top-level definition).
 */
function tidyBlankLines(file: string, text: string, edits: readonly TextEdit[], insertions: readonly TextEdit[]): TextEdit[] {
  const lines = edits
    .filter((e) => e.text === "" && lineStartOf(text, e.start) === e.start && (e.end === text.length || lineStartOf(text, e.end) === e.end))
    .sort((a, b) => a.start - b.start);
  const out: TextEdit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (!first) continue;
    let end = first.end;
    while (lines[i + 1]?.start === end) end = lines[++i]?.end ?? end;
    const before = first.start === 0 || isBlankLine(text, lineStartOf(text, first.start - 1));
    if (!before || !isBlankLine(text, end) || insertions.some((x) => x.start === end && x.end === end)) continue;
    const after = nextLineStart(text, end);
    if (after >= text.length || isBlankLine(text, after)) continue;
    out.push({ file, start: end, end: after, text: "" });
  }
  return out;
}

/** The whole lines of a statement that is alone on them (a trailing comment goes with it). */
function wholeStatement(
  text: string,
  start: number,
  end: number,
  language: "python" | "typescript",
): { start: number; end: number } | undefined {
  if (!startsLine(text, start)) return undefined;
  const rest = text.slice(end, lineEndOf(text, end)).trim();
  const comment = language === "python" ? rest.startsWith("#") : rest.startsWith("//");
  if (rest !== "" && !comment && !(language === "typescript" && rest === ";")) return undefined;
  return { start: lineStartOf(text, start), end: nextLineStart(text, end) };
}

/**
 * Drops items from a comma-separated list given their spans: an item before the last kept one
 * goes with everything up to the next item; trailing items go with everything after the last
 * kept one.
 */
function dropFromList(file: string, items: { start: number; end: number; drop: boolean }[]): TextEdit[] {
  const edits: TextEdit[] = [];
  let lastKept = -1;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!items[i]?.drop) {
      lastKept = i;
      break;
    }
  }
  if (lastKept < 0) return [];
  for (let i = 0; i < lastKept; i++) {
    const item = items[i];
    const next = items[i + 1];
    if (item?.drop && next) edits.push({ file, start: item.start, end: next.start, text: "" });
  }
  const kept = items[lastKept];
  const tail = items[items.length - 1];
  if (kept && tail && lastKept < items.length - 1) edits.push({ file, start: kept.end, end: tail.end, text: "" });
  return edits;
}
