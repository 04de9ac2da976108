/**
 * The config `ssot-audit init` writes: one concept per chosen candidate (its suggested
 * canonical, its names), with the candidate's evidence and editing hints as YAML comments.
 */
import path from "node:path";
import { Document, Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { mayExport } from "../model/exports.js";
import type { Definition } from "../facts/types.js";
import type { ProjectModel } from "../model/project.js";
import { pythonModuleName } from "../model/project.js";
import type { DefRef } from "../model/types.js";
import { splitWords } from "../util/names.js";
import { type DiscoveryView, calleeName, encloses } from "./view.js";
import type { Candidate } from "./types.js";
import { hasLeftoverWord, legacyWordIn } from "./vocabulary.js";

/** Calls in a canonical body that are plumbing, never sinks. */
const NOT_SINKS = new Set([
  "append",
  "extend",
  "add",
  "get",
  "pop",
  "items",
  "keys",
  "values",
  "update",
  "setdefault",
  "discard",
  "remove",
  "join",
  "split",
  "strip",
  "format",
  "startswith",
  "endswith",
  "lower",
  "upper",
  "replace",
  "copy",
  "sort",
  "map",
  "filter",
  "reduce",
  "push",
  "slice",
  "concat",
  "includes",
  "indexOf",
  "has",
  "set",
  "delete",
  "toString",
  "then",
  "catch",
  "forEach",
  "debug",
  "info",
  "warning",
  "warn",
  "error",
  "exception",
  "log",
  "critical",
  "isoformat",
  "encode",
  "decode",
  "stringify",
  "parse",
]);
const LOGGER_ROOTS = /^(log|logger|logging|console|_log|_logger|LOG|LOGGER)$/;

/** A config-ready concept id from a candidate name: `broadcast_to_user` → `broadcast-to-user`. */
export function conceptId(name: string, taken: ReadonlySet<string>): string {
  const base = splitWords(name).join("-") || "concept";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** Whether a candidate can become a concept: something besides the canonical to consolidate. */
export function isConfigurable(candidate: Candidate): boolean {
  return candidate.definitions.length >= 2;
}

function lastSegment(symbol: string): string {
  return symbol.slice(symbol.lastIndexOf(".") + 1);
}

interface Hints {
  description: string;
  sinks: string[];
  sinkOwners: string;
  deprecatedModules: string[];
  delegate: string[];
}

/** Renders the config for the chosen candidates (in the order given). */
export function renderInitConfig(chosen: readonly Candidate[], view: DiscoveryView, totals: { candidates: number }): string {
  const taken = new Set<string>();
  const concepts: Record<string, { canonical: string; names: string[] }> = {};
  const comments = new Map<string, { before: string; hints: Hints }>();
  for (const c of chosen) {
    const id = conceptId(c.name, taken);
    taken.add(id);
    const canonical = `${c.suggestedCanonical.file}::${c.suggestedCanonical.symbol}`;
    const names = [...new Set([lastSegment(c.suggestedCanonical.symbol), ...c.definitions.map((d) => lastSegment(d.symbol))])];
    concepts[id] = { canonical, names };
    const before = [
      ` ${c.rank}. ${c.kind} "${c.name}", score ${c.score}: ${c.definitions.length} definitions`,
      ...c.definitions.map((d) => `    ${d.file}:${d.line} ${d.symbol}`),
      ` canonical: ${c.suggestedCanonical.why}`,
      ` evidence: ${c.evidence.join("; ")}`,
    ].join("\n");
    comments.set(id, { before, hints: hintsFor(c, view) });
  }

  const doc = new Document({ concepts });
  doc.commentBefore = [
    " ssot-audit config, written by `ssot-audit init` from discovery",
    ` (${chosen.length} of ${totals.candidates} candidate${totals.candidates === 1 ? "" : "s"}; \`ssot-audit discover\` lists them all).`,
    "",
    " Each concept is one capability that must have one implementation: `canonical` is the one to",
    " keep (path::Qualified.name), `names` the names its other implementations go by. Review each:",
    " is the canonical right, and is every name really the same capability? Then run `ssot-audit check`.",
    " The commented keys are hints: uncomment them to report sink calls, retired modules and to",
    " enable `ssot-audit fix`. Paths are relative to this file.",
    "",
    ' include: ["**/*"]      exclude: ["**/generated/**"]      tests: ["**/tests/**", "**/test_*.py", "**/*.test.ts"]',
  ].join("\n");
  const conceptsNode = doc.get("concepts", true) as YAMLMap;
  if (chosen.length === 0) {
    conceptsNode.comment = [
      " No candidates were chosen. A concept looks like this:",
      " my-capability:",
      "   canonical: path/to/module.py::Class.method",
      '   names: ["method", "legacy_method"]',
    ].join("\n");
  }
  for (const pair of conceptsNode.items) {
    const key = pair.key instanceof Scalar ? pair.key : new Scalar(pair.key);
    pair.key = key;
    const id = String(key.value);
    const info = comments.get(id);
    if (!info) continue;
    key.commentBefore = info.before;
    key.spaceBefore = pair !== conceptsNode.items[0];
    const body = pair.value as YAMLMap;
    const canonicalPair = body.items[0];
    if (canonicalPair) {
      const ck = canonicalPair.key instanceof Scalar ? canonicalPair.key : new Scalar(canonicalPair.key);
      ck.commentBefore = ` description: ${JSON.stringify(info.hints.description)}`;
      canonicalPair.key = ck;
    }
    const namesNode = body.get("names", true) as YAMLSeq | undefined;
    if (namesNode) namesNode.flow = true;
    const h = info.hints;
    body.comment = [
      ` sinks: ${JSON.stringify(h.sinks.length > 0 ? h.sinks : ["**.low_level_call"])}   # low-level calls only the canonical side may make`,
      ` sinkOwners: ${JSON.stringify([h.sinkOwners])}   # files besides the canonical's allowed to make them`,
      ` deprecatedModules: ${JSON.stringify(h.deprecatedModules)}   # modules being retired: importing the concept from them is reported`,
      " delegate:                # how call sites reach the canonical; enables `ssot-audit fix`",
      ...h.delegate.map((l) => `   ${l}`),
    ].join("\n");
  }
  return doc.toString({ lineWidth: 0 });
}

function defOf(view: DiscoveryView, file: string, symbol: string): DefRef | undefined {
  const def = view.model.definition(file, symbol);
  return def ? { file, def } : undefined;
}

function hintsFor(c: Candidate, view: DiscoveryView): Hints {
  const canon = c.suggestedCanonical;
  const ref = defOf(view, canon.file, canon.symbol);
  const dir = path.posix.dirname(canon.file);
  const others = [...new Set(c.definitions.filter((d) => d.file !== canon.file).map((d) => d.file))];
  // Modules that say they are legacy come first; the rest are only candidates for retirement.
  const retiring = others.filter((f) => legacyWordIn(view.moduleDoc(f)) || hasLeftoverWord(path.posix.basename(f).replace(/\.\w+$/, "")));
  return {
    description: ref?.def.doc ?? "what this capability does, in one line",
    sinks: ref ? sinkHints(view, ref) : [],
    sinkOwners: dir === "." ? "**" : `${dir}/**`,
    deprecatedModules: (retiring.length > 0 ? retiring : others).slice(0, 5).map((f) => (/\.pyi?$/.test(f) ? pythonModuleName(f) : f)),
    delegate: ref ? delegateHints(view.model, ref) : [],
  };
}

/** `**.name` for calls in the canonical's body that leave the project (`websocket.send_json` → `**.send_json`). */
function sinkHints(view: DiscoveryView, ref: DefRef): string[] {
  const out: string[] = [];
  for (const call of view.facts(ref.file)?.calls ?? []) {
    if (!encloses(ref, ref.file, call.enclosing) || call.callee.length < 2) continue;
    const name = calleeName(call);
    const root = call.callee[0]?.replace(/\(\)$/, "") ?? "";
    if (!name || NOT_SINKS.has(name) || LOGGER_ROOTS.test(root) || name.startsWith("_")) continue;
    if (view.callTarget(ref.file, call)) continue;
    const pattern = `**.${name}`;
    if (!out.includes(pattern)) out.push(pattern);
    if (out.length === 3) break;
  }
  return out;
}

/**
 * Whether a return annotation is the class itself, possibly optional: `Cls`, `"Cls"`,
 * `Optional[Cls]`, `typing.Optional["Cls"]`, `Cls | None`, TS `Cls | undefined` / `Cls | null`.
 * Not a type that merely mentions it (`list[Cls]`, `Callable[[Cls], None]`, `Promise<Cls>`).
 */
export function annotationIsClass(annotation: string, name: string): boolean {
  let t = annotation.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(t);
  if (quoted) t = (quoted[2] ?? "").trim();
  if (t === name) return true;
  const optional = /^(?:[A-Za-z_][\w.]*\.)?Optional\[(.*)\]$/s.exec(t);
  if (optional) return annotationIsClass(optional[1] ?? "", name);
  if (/[[\]<>(){}]/.test(t) || !t.includes("|")) return false;
  const parts = t
    .split("|")
    .map((p) => p.trim())
    .filter((p) => p !== "None" && p !== "undefined" && p !== "null");
  return parts.length === 1 && annotationIsClass(parts[0] ?? "", name);
}

/** A factory or module-level instance in the canonical's module that gives its class. */
function accessor(model: ProjectModel, file: string, cls: Definition): { name: string; call: boolean } | undefined {
  const facts = model.entry(file)?.facts;
  if (!facts) return undefined;
  // Called with no arguments (the hint writes `factory()`), and returning the class itself.
  const factory = facts.definitions.find(
    (d) =>
      d.kind === "function" &&
      !d.qualifiedName.includes(".") &&
      d.params.every((p) => p.hasDefault || p.kind === "rest" || p.kind === "kwrest") &&
      (d.returnType !== undefined
        ? annotationIsClass(d.returnType, cls.name)
        : d.returns.some((r) => r.length === 1 && r[0] === `${cls.name}()`)),
  );
  if (factory) return { name: factory.name, call: true };
  const instance = facts.bindings.find(
    (b) =>
      b.scope === undefined &&
      b.target.length === 1 &&
      b.value.kind === "call" &&
      b.value.callee.at(-1) === cls.name &&
      !b.target[0]?.startsWith("_"),
  );
  const target = instance?.target[0];
  return target ? { name: target, call: false } : undefined;
}

/** Commented `delegate:` lines: how call sites would import and call the canonical. */
function delegateHints(model: ProjectModel, ref: DefRef): string[] {
  const def = ref.def;
  const isPython = /\.pyi?$/.test(ref.file);
  const cls = def.className ? model.definition(ref.file, def.className) : undefined;
  let importName: string;
  let expression: string;
  if (cls && !def.className?.includes(".")) {
    const via = accessor(model, ref.file, cls);
    importName = via?.name ?? cls.name;
    expression = via ? `${via.name}${via.call ? "()" : ""}.${def.name}` : `${cls.name}(…).${def.name}`;
  } else {
    importName = def.qualifiedName.split(".")[0] ?? def.name;
    expression = def.qualifiedName;
  }
  if (isPython) {
    const module = pythonModuleName(ref.file);
    return [`python: { import: ${JSON.stringify(`from ${module} import ${importName}`)}, expression: ${JSON.stringify(expression)} }`];
  }
  const facts = model.entry(ref.file)?.facts;
  // The fixer refuses to import a name the module does not export (it would not compile).
  const unexported = facts !== undefined && !mayExport(ref.file, facts, importName);
  return [
    `typescript: { import: { from: ${JSON.stringify(ref.file)}, name: ${JSON.stringify(importName)} }, expression: ${JSON.stringify(expression)} }${
      unexported ? `   # ${importName} is not exported: export it first` : ""
    }`,
  ];
}
