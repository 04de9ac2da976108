/**
 * The one place the TypeScript type checker joins the pipeline: between the project model and
 * the concept analysis. Facts stay parse-only; when the root has a `tsconfig.json`, the
 * concept-named TS/JS call sites the model cannot resolve are handed to the checker
 * (`languages/typescript/checker.ts`), and the declarations it finds become call targets of the
 * model (`ProjectModel.setCallTargets`). Rules never see the checker.
 */
import fs from "node:fs";
import path from "node:path";
import type { CallSite } from "../facts/types.js";
import { isInside, toPosix } from "../files/paths.js";
import { readSourceSync } from "../files/read.js";
import { type TypedCallQuery, resolveTypedCalls } from "../languages/typescript/checker.js";
import type { ConceptAnalyzer } from "../model/concepts.js";
import { type ProjectModel, callTargetKey } from "../model/project.js";
import type { DefRef } from "../model/types.js";

export interface TypeCheckOptions {
  /** Diagnostics (a tsconfig that cannot be used: one line). */
  warn?: (message: string) => void;
  /** The analysed text of a file when it is not the one on disk (the fixer's later passes). */
  sourceText?: (file: string) => string | undefined;
}

/** The `tsconfig.json` of a project root, if there is one (a regular file, not a link). */
export function projectTsconfig(rootDir: string): string | undefined {
  const file = path.join(rootDir, "tsconfig.json");
  try {
    return fs.lstatSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** A tsconfig file the type checker reads, and its content hash. */
export interface TsconfigInput {
  /** Root-relative `/` path. */
  rel: string;
  hash: string;
}

/**
 * The files whose content decides what the type checker sees of the project's configuration:
 * the root's `tsconfig.json` and, in order, every config it `extends` (transitively) that the
 * checker may read — inside the root and outside `node_modules`, like its config host
 * (`languages/typescript/checker.ts`). The run memo is keyed by them: a `paths` alias moved into
 * a `tsconfig.base.json` changes the report like one in `tsconfig.json`. Undefined when one of
 * them exists but cannot be read (the caller then does not trust a memoized report).
 */
export function tsconfigInputs(rootDir: string, tsconfigFile: string): TsconfigInput[] | undefined {
  const inputs: TsconfigInput[] = [];
  const seen = new Set<string>();
  const visit = (file: string, depth: number): boolean => {
    if (seen.has(file) || depth > 16) return true;
    seen.add(file);
    const read = readSourceSync(file);
    if (!("text" in read)) return false;
    inputs.push({ rel: toPosix(path.relative(rootDir, file)), hash: read.hash });
    for (const entry of tsconfigExtends(read.text)) {
      const target = extendedConfigFile(rootDir, path.dirname(file), entry);
      if (target && !visit(target, depth + 1)) return false;
    }
    return true;
  };
  return visit(path.resolve(tsconfigFile), 0) ? inputs : undefined;
}

/**
 * The `extends` entries of a tsconfig's text (JSON with comments), as written; [] when it has
 * none. Every `"extends"` key counts, nested ones too: one too many only keys the memo on one
 * more file.
 */
export function tsconfigExtends(text: string): string[] {
  const code = withoutJsonComments(text);
  const entries: string[] = [];
  const values = [...code.matchAll(/"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/g)].map((m) => m[1] ?? "");
  for (const literal of values.flatMap((v) => v.match(/"(?:[^"\\]|\\.)*"/g) ?? [])) {
    try {
      const value: unknown = JSON.parse(literal);
      if (typeof value === "string" && value !== "") entries.push(value);
    } catch {
      // Not a JSON string: the checker cannot read it either.
    }
  }
  return entries;
}

/**
 * The file a relative `extends` entry names, as TypeScript finds it (the path, else the path
 * with `.json`), when the checker may read it; undefined for packages (node_modules) and
 * anything outside the root.
 */
function extendedConfigFile(rootDir: string, fromDir: string, entry: string): string | undefined {
  if (!/^(\.{1,2}([\\/]|$)|[\\/])/.test(entry) && !path.isAbsolute(entry)) return undefined;
  const base = path.resolve(fromDir, entry);
  const candidates = base.endsWith(".json") ? [base] : [base, `${base}.json`];
  for (const candidate of candidates) {
    if (!isInside(rootDir, candidate) || /(^|[\\/])node_modules([\\/]|$)/.test(path.relative(rootDir, candidate))) return undefined;
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Try the next form.
    }
  }
  return undefined;
}

/** JSON-with-comments text with its `//` and `/* … *\/` comments blanked out (strings kept). */
function withoutJsonComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * Resolves, with the type checker, the candidate call sites of the concepts (`candidateCalls`)
 * that are in TS/JS files and that the model resolves to nothing (`unknown`) or to something
 * outside the project (`external`: a path alias of the tsconfig the model does not know reads as
 * a package), and sets the answers on the model. Does nothing without a tsconfig.json (returns
 * undefined) or without such call sites (then no program is built). Returns how many call sites
 * it asked about and how many it resolved.
 */
export function applyTypedCallTargets(
  model: ProjectModel,
  rootDir: string,
  analyzers: readonly ConceptAnalyzer[],
  options: TypeCheckOptions = {},
): { asked: number; resolved: number } | undefined {
  const tsconfig = projectTsconfig(rootDir);
  if (!tsconfig) return undefined;
  const queries: TypedCallQuery[] = [];
  const calls: { file: string; call: CallSite }[] = [];
  const seen = new Set<string>();
  for (const analyzer of analyzers) {
    for (const { file, call } of analyzer.candidateCalls()) {
      if (model.entry(file)?.facts.language !== "typescript") continue;
      const key = callTargetKey(file, call);
      if (seen.has(key)) continue;
      seen.add(key);
      const kind = model.resolveCallee(file, call).kind;
      if (kind !== "unknown" && kind !== "external") continue;
      queries.push({ file, start: call.calleeSpan.start, end: call.calleeSpan.end });
      calls.push({ file, call });
    }
  }
  if (queries.length === 0) return { asked: 0, resolved: 0 };

  // Files whose text on disk is not the one the facts describe: their offsets mean nothing.
  const stale = new Set<string>();
  const sourceText = (file: string): string | undefined => {
    const given = options.sourceText?.(file);
    if (given !== undefined) return given;
    const read = readSourceSync(path.join(rootDir, ...file.split("/")));
    if (!("text" in read)) return undefined;
    const entry = model.entry(file);
    if (entry && entry.facts.hash !== read.hash) stale.add(file);
    return read.text;
  };
  const result = resolveTypedCalls({ rootDir, tsconfig, queries, sourceText, ...(options.warn ? { warn: options.warn } : {}) });
  if (!result) return { asked: queries.length, resolved: 0 };

  const targets = new Map<string, DefRef>();
  result.targets.forEach((site, i) => {
    const query = calls[i];
    if (!site || !query || stale.has(query.file) || stale.has(site.file)) return;
    const def = model.entry(site.file)?.facts.definitions.find((d) => d.nameSpan.start === site.offset);
    // Signature-only definitions (interfaces, abstract, ambient) do not tell which code runs.
    if (!def || def.signatureOnly) return;
    targets.set(callTargetKey(query.file, query.call), { file: site.file, def });
  });
  model.setCallTargets(targets);
  return { asked: queries.length, resolved: targets.size };
}
