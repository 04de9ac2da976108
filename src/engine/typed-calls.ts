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

/**
 * Resolves, with the type checker, the candidate call sites of the concepts (`candidateCalls`)
 * that are in TS/JS files and that the model resolves to nothing (`unknown`) or to something
 * outside the project (`external`: a path alias of the tsconfig the model does not know reads as
 * a package), and sets the answers on the model. Does nothing without a tsconfig.json or without
 * such call sites (then no program is built).
 */
export function applyTypedCallTargets(model: ProjectModel, rootDir: string, analyzers: readonly ConceptAnalyzer[], options: TypeCheckOptions = {}): void {
  const tsconfig = projectTsconfig(rootDir);
  if (!tsconfig) return;
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
  if (queries.length === 0) return;

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
  if (!result) return;

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
}
