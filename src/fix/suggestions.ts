/**
 * Suggestions, applied only with `--unsafe` because they change behaviour on purpose:
 * - a duplicate implementation's body becomes a delegate to the canonical (signature and
 *   docstring kept; a `DeprecationWarning` in Python, a `@deprecated` JSDoc tag in TypeScript);
 * - a try/except (try/catch) fallback collapses to its canonical side: the try body stays, the
 *   handler goes.
 */
import type { Definition, FileFacts, Param } from "../facts/types.js";
import type { ConceptAnalysis, FallbackHit, Implementation } from "../model/concepts.js";
import type { ProjectModel } from "../model/project.js";
import { type PythonDelegate, pythonDelegate, typescriptDelegate } from "./delegate.js";
import { type Access, pythonAccess, returnsPromise, returnTypeMismatch, typescriptAccess, type Verdict } from "./fixability.js";
import type { PythonSource } from "./python-source.js";
import { indentOf, lineStartOf, reindent, startsLine } from "./text.js";
import type { FixUnit, ImportNeed, TextEdit } from "./types.js";
import type { TypeScriptSource } from "./typescript-source.js";

export interface SuggestionContext {
  model: ProjectModel;
  concept: ConceptAnalysis;
  facts: FileFacts;
  text: string;
  eol: string;
  /** Why the root name could be shadowed where the new code runs (text-level check), if it could. */
  shadowed(root: string, at: number, exclude: { start: number; end: number }[]): string | undefined;
}

function fail<T>(reason: string): Verdict<T> {
  return { ok: false, reason };
}

const WARNINGS: PythonDelegate = {
  language: "python",
  import: { kind: "module", module: "warnings" },
  statement: "import warnings",
  expression: "warnings.warn",
  tail: ".warn",
};

/** Arguments forwarding a definition's own parameters to the canonical's, by name. */
function forwardArguments(impl: Definition, canonical: Definition, language: "python" | "typescript"): Verdict<string> {
  const own = new Map(impl.params.map((p) => [p.name, p]));
  const odd = impl.params.find((p) => p.kind === "rest" || p.kind === "kwrest" || p.kind === "destructured");
  if (odd)
    return fail(`'${impl.qualifiedName}' takes ${odd.kind === "destructured" ? "a destructured" : "a variadic"} parameter '${odd.name}'`);
  const used = new Set<string>();
  const parts: string[] = [];
  let keywords = false;
  const need = (c: Param): string | undefined => {
    const via = impl.kind === "method" ? ` (it may read '${c.name}' from ${language === "python" ? "self" : "this"})` : "";
    return c.hasDefault
      ? undefined
      : `the canonical '${canonical.qualifiedName}' requires '${c.name}', which '${impl.qualifiedName}' does not take${via}`;
  };
  for (const c of canonical.params) {
    if (c.kind === "rest" || c.kind === "kwrest") continue;
    if (c.kind === "destructured") {
      const props = (c.properties ?? []).filter((p) => own.has(p));
      const lacking = (c.properties ?? []).filter((p) => !own.has(p));
      if (props.length > 0 && lacking.length > 0) {
        return fail(
          `the canonical '${canonical.qualifiedName}' reads ${lacking.map((p) => `'${p}'`).join(", ")}, which '${impl.qualifiedName}' does not take`,
        );
      }
      if (props.length === 0) {
        if (!c.hasDefault)
          return fail(`the canonical '${canonical.qualifiedName}' takes an options object '${impl.qualifiedName}' cannot build`);
        keywords = true;
        continue;
      }
      if (keywords) return fail("the canonical's parameters cannot be forwarded in order");
      for (const p of props) used.add(p);
      parts.push(`{ ${props.join(", ")} }`);
      continue;
    }
    if (!own.has(c.name)) {
      const missing = need(c);
      if (missing) return fail(missing);
      keywords = true;
      continue;
    }
    used.add(c.name);
    if (language === "typescript") {
      if (keywords) return fail(`the canonical's optional parameters come before '${c.name}'`);
      // `event?: E` forwarded to a required `event: E` may pass undefined (TS2345).
      if (own.get(c.name)?.hasDefault && !c.hasDefault)
        return fail(`'${c.name}' is optional in '${impl.qualifiedName}' but required by the canonical '${canonical.qualifiedName}'`);
      parts.push(c.name);
    } else if (c.kind === "keyword-only" || keywords) {
      if (c.kind === "positional-only") return fail(`'${c.name}' is positional-only in the canonical`);
      parts.push(`${c.name}=${c.name}`);
    } else {
      parts.push(c.name);
    }
  }
  const unused = impl.params.find((p) => !used.has(p.name));
  if (unused)
    return fail(`parameter '${unused.name}' of '${impl.qualifiedName}' has no counterpart in the canonical '${canonical.qualifiedName}'`);
  return { ok: true, value: parts.join(", ") };
}

function pyString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Python: the duplicate's body becomes `warnings.warn(…)` + `return [await] <delegate>(…)`. */
export function pythonDelegateBody(ctx: SuggestionContext, impl: Implementation, source: PythonSource): Verdict<FixUnit> {
  const { model, concept, facts, text, eol } = ctx;
  const def = impl.ref.def;
  const canonical = concept.canonical.def;
  const delegate = pythonDelegate(concept.config);
  if (!delegate.ok) return fail(delegate.reason);
  if (def.kind === "class") return fail("a duplicate class is not turned into a delegate automatically");
  if (!def.bodySpan) return fail("it has no body");
  if (def.decorators.some((d) => /(^|\.)(property|setter|getter|deleter)$/.test(d))) return fail("it is a property");
  if (canonical.isAsync && !def.isAsync) return fail(`the canonical is async but '${def.qualifiedName}' is not`);
  const args = forwardArguments(def, canonical, "python");
  if (!args.ok) return args;
  const access = pythonAccess(model, facts, delegate.delegate, def.qualifiedName);
  if (!access.ok) return access;
  const warn = pythonAccess(model, facts, WARNINGS, def.qualifiedName);
  if (!warn.ok) return warn;
  const bodyStart = def.bodySpan.start;
  const bodyEnd = def.bodySpan.end;
  if (!startsLine(text, bodyStart)) return fail("its body is on the line of the `def`");
  const shadow =
    ctx.shadowed(access.value.root, bodyStart, [{ start: bodyStart, end: bodyEnd }]) ??
    ctx.shadowed(warn.value.root, bodyStart, [{ start: bodyStart, end: bodyEnd }]);
  if (shadow) return fail(shadow);
  const indent = indentOf(text, bodyStart);
  const docEnd = source.docstringEnd(bodyStart);
  const expression = access.value.expression;
  const message = pyString(`${def.qualifiedName} is deprecated; use ${expression} instead`);
  const defIndent = indentOf(text, def.span.start);
  const step = indent.startsWith(defIndent) && indent.length > defIndent.length ? indent.slice(defIndent.length) : "    ";
  const inner = `${eol}${indent}${step}`;
  const code = `${warn.value.expression}(${inner}${message},${inner}DeprecationWarning,${inner}stacklevel=2,${eol}${indent})${eol}${indent}return ${canonical.isAsync ? "await " : ""}${expression}(${args.value})`;
  const start = docEnd ?? bodyStart;
  const edit: TextEdit = { file: facts.file, start, end: bodyEnd, text: docEnd !== undefined ? `${eol}${indent}${code}` : code };
  return {
    ok: true,
    value: {
      file: facts.file,
      ruleId: "duplicate-implementation",
      concept: concept.id,
      line: def.span.line,
      kind: "suggestion",
      description: `body of '${def.qualifiedName}' → delegate to ${expression}`,
      edits: [edit],
      needs: needsOf(access.value, warn.value),
      removed: [{ start, end: bodyEnd }],
    },
  };
}

function needsOf(...accesses: Access[]): ImportNeed[] {
  return accesses.flatMap((a) => (a.need ? [a.need] : []));
}

/** TypeScript: the duplicate's body becomes `return <delegate>(…)`, with `@deprecated` in its JSDoc. */
export function typescriptDelegateBody(ctx: SuggestionContext, impl: Implementation, source: TypeScriptSource): Verdict<FixUnit> {
  const { model, concept, facts, text, eol } = ctx;
  const def = impl.ref.def;
  const canonical = concept.canonical.def;
  const delegate = typescriptDelegate(concept.config);
  if (!delegate.ok) return fail(delegate.reason);
  if (def.kind === "class") return fail("a duplicate class is not turned into a delegate automatically");
  if (!def.bodySpan) return fail("it has no body");
  const canonicalPromise = returnsPromise(canonical);
  const ownPromise = returnsPromise(def);
  // Its callers must get what they got: a promise only when it already returned one. Two
  // functions whose promise-ness is unknown count as alike (as for call rewrites).
  if (canonicalPromise !== false && ownPromise !== true && !(canonicalPromise === undefined && ownPromise === undefined)) {
    return fail(
      `'${def.qualifiedName}' ${ownPromise === false ? "is synchronous" : "may be synchronous"} but the canonical ${canonicalPromise ? "returns" : "may return"} a promise`,
    );
  }
  const returned = returnTypeMismatch(def, canonical);
  if (returned) return fail(returned);
  const args = forwardArguments(def, canonical, "typescript");
  if (!args.ok) return args;
  const access = typescriptAccess(model, facts, delegate.delegate, def.qualifiedName);
  if (!access.ok) return access;
  const bodyStart = def.bodySpan.start;
  const bodyEnd = def.bodySpan.end;
  const shadow = ctx.shadowed(access.value.root, bodyStart, [{ start: bodyStart, end: bodyEnd }]);
  if (shadow) return fail(shadow);
  const expression = access.value.expression;
  const call = `${expression}(${args.value})`;
  const edits: TextEdit[] = [];
  if (text.charAt(bodyStart) === "{" && text.charAt(bodyEnd - 1) === "}") {
    const closing = bodyEnd - 1;
    const outer = startsLine(text, closing) ? indentOf(text, closing) : indentOf(text, def.span.start);
    const inner = /\n([ \t]+)\S/.exec(text.slice(bodyStart, closing))?.[1] ?? `${outer}  `;
    edits.push({ file: facts.file, start: bodyStart + 1, end: closing, text: `${eol}${inner}return ${call};${eol}${outer}` });
  } else {
    edits.push({ file: facts.file, start: bodyStart, end: bodyEnd, text: call });
  }
  const note = `@deprecated Use ${expression} instead.`;
  const doc = source.jsDocBefore(def.span.start);
  if (!doc) {
    edits.push({
      file: facts.file,
      start: def.span.start,
      end: def.span.start,
      text: `/** ${note} */${eol}${indentOf(text, def.span.start)}`,
    });
  } else {
    const docText = text.slice(doc.start, doc.end);
    const indent = indentOf(text, doc.start);
    if (!docText.includes("@deprecated")) {
      if (!docText.includes("\n")) {
        const inner = docText.slice(3, -2).trim();
        edits.push({
          file: facts.file,
          start: doc.start,
          end: doc.end,
          text: `/**${eol}${indent} * ${inner}${eol}${indent} * ${note}${eol}${indent} */`,
        });
      } else {
        const close = doc.end - 2;
        if (startsLine(text, close)) {
          const at = lineStartOf(text, close);
          edits.push({ file: facts.file, start: at, end: at, text: `${indent} * ${note}${eol}` });
        } else {
          edits.push({ file: facts.file, start: close, end: close, text: `${eol}${indent} * ${note}${eol}${indent} ` });
        }
      }
    }
  }
  return {
    ok: true,
    value: {
      file: facts.file,
      ruleId: "duplicate-implementation",
      concept: concept.id,
      line: def.span.line,
      kind: "suggestion",
      description: `body of '${def.qualifiedName}' → delegate to ${expression}`,
      edits,
      needs: needsOf(access.value),
      removed: [{ start: bodyStart, end: bodyEnd }],
    },
  };
}

/** Whether the primary side of a fallback reaches the canonical (a canonical call or import). */
function primaryIsCanonical(ctx: SuggestionContext, hit: FallbackHit): boolean {
  const inside = (s: { start: number; end: number }) => hit.site.primary.some((r) => s.start >= r.start && s.end <= r.end);
  if (ctx.concept.calls.some((k) => k.file === hit.file && k.target === "canonical" && inside(k.call.span))) return true;
  return ctx.facts.imports.some(
    (i) => i.inFallback === "primary" && inside(i.span) && ctx.model.importedFile(hit.file, i) === ctx.concept.canonical.file,
  );
}

/** try/except (try/catch) with a single-statement body → that statement, at the try's indentation. */
export function collapseFallback(
  ctx: SuggestionContext,
  hit: FallbackHit,
  shape:
    | { statements: number; hasElse?: boolean; hasFinally: boolean; bodyLineStart: number; bodyEnd: number; multilineString: boolean }
    | undefined,
): Verdict<FixUnit> {
  const { facts, text } = ctx;
  const site = hit.site;
  if (site.kind === "promise-catch") return collapseCatch(ctx, hit);
  if (site.kind !== "try" && site.kind !== "import-fallback")
    return fail("only try/except (try/catch) and .catch() fallbacks are collapsed automatically");
  if (!primaryIsCanonical(ctx, hit)) return fail("the try body does not reach the canonical");
  if (!shape) return fail("the try statement's layout is not understood");
  if (shape.statements !== 1) return fail(`the try body has ${shape.statements} statements`);
  if (shape.hasElse || shape.hasFinally) return fail("the try statement has an else/finally clause");
  if (shape.multilineString) return fail("the try body holds a multi-line string");
  if (!startsLine(text, site.span.start)) return fail("the try statement does not start its line");
  const tryIndent = indentOf(text, site.span.start);
  const block = text.slice(shape.bodyLineStart, shape.bodyEnd).replace(/^([ \t]*\r?\n)+/, "");
  const bodyIndent = /^[ \t]*/.exec(block)?.[0] ?? "";
  const body = reindent(block, bodyIndent, tryIndent);
  if (body === undefined || bodyIndent.length <= tryIndent.length) return fail("the try body's indentation is not understood");
  return {
    ok: true,
    value: {
      file: facts.file,
      ruleId: "legacy-fallback",
      concept: ctx.concept.id,
      line: site.span.line,
      kind: "suggestion",
      description: "keep the try body (canonical side), drop the fallback handler",
      edits: [{ file: facts.file, start: site.span.start, end: site.span.end, text: body }],
      needs: [],
      removed: [{ start: shape.bodyEnd, end: site.span.end }],
    },
  };
}

/** `canonical(…).catch(fallback)` → `canonical(…)`. */
function collapseCatch(ctx: SuggestionContext, hit: FallbackHit): Verdict<FixUnit> {
  const site = hit.site;
  const [receiver, ...more] = site.primary;
  if (!receiver || more.length > 0) return fail("only .catch(handler) is collapsed, not .then(ok, fail)");
  if (!primaryIsCanonical(ctx, hit)) return fail("the promise does not come from the canonical");
  if (receiver.start !== site.span.start) return fail("the .catch() call's layout is not understood");
  return {
    ok: true,
    value: {
      file: ctx.facts.file,
      ruleId: "legacy-fallback",
      concept: ctx.concept.id,
      line: site.span.line,
      kind: "suggestion",
      description: "keep the canonical promise, drop the .catch() fallback",
      edits: [{ file: ctx.facts.file, start: site.span.start, end: site.span.end, text: ctx.text.slice(receiver.start, receiver.end) }],
      needs: [],
      removed: [{ start: receiver.end, end: site.span.end }],
    },
  };
}
