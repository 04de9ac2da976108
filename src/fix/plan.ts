/**
 * One planning pass: from the concept analysis (and the files' text, for layout), the fix
 * units of every selected finding, the manual items (findings that cannot be fixed, with the
 * reason), and per file the non-overlapping units accepted for this pass plus the import edits
 * they need. Overlapping units wait for the next pass.
 */
import type { RuleId } from "../config/rule-ids.js";
import type { ResolvedConfig } from "../config/schema.js";
import type { FileFacts } from "../facts/types.js";
import type { ClassifiedCall, ConceptAnalysis, DeprecatedImport, FallbackHit, Implementation } from "../model/concepts.js";
import type { ProjectModel } from "../model/project.js";
import { callFix, importFix, lineRef, type Verdict } from "./fixability.js";
import { planPythonImports, planTypeScriptImports } from "./imports.js";
import { PythonSource } from "./python-source.js";
import { collapseFallback, pythonDelegateBody, type SuggestionContext, typescriptDelegateBody } from "./suggestions.js";
import { inRanges, lineStartOf, overlaps } from "./text.js";
import type { FixUnit, ManualItem, TextEdit } from "./types.js";
import { TypeScriptSource } from "./typescript-source.js";
import { suppresses } from "../suppress/inline.js";

export interface FixOptions {
  /** Only these rules (default: every rule with a fix or suggestion). */
  rules?: ReadonlySet<RuleId>;
  /** Only these concepts (default: all). */
  concepts?: ReadonlySet<string>;
  /** Also fix `likely` findings (name match only). */
  includeLikely: boolean;
  /** Also apply suggestions (duplicate body → delegate, fallback collapse). */
  unsafe: boolean;
  /** Also plan each unit's import edits as if it were applied alone (`FilePlan.importsAlone`). */
  importsPerUnit?: boolean;
}

export interface PlanInput {
  model: ProjectModel;
  concepts: readonly ConceptAnalysis[];
  config: ResolvedConfig;
  options: FixOptions;
  /** The file's current text, or undefined when the file must not be touched (refused). */
  text(file: string): Promise<string | undefined>;
}

export interface FilePlan {
  file: string;
  /** Units accepted for this pass. */
  units: FixUnit[];
  /** Every edit of this pass for the file: the units' and the import edits. */
  edits: TextEdit[];
  /**
   * With `importsPerUnit`: each unit's import edits were it applied alone (the import it needs, and
   * only the removals its own change makes), so one finding's fix never breaks another's call.
   */
  importsAlone?: Map<FixUnit, TextEdit[]>;
}

export interface PassPlan {
  files: FilePlan[];
  manual: ManualItem[];
  /** Suggestions that `--unsafe` would apply. */
  available: number;
  /** Units that overlap accepted ones and wait for the next pass. */
  deferred: number;
}

export async function planPass(input: PlanInput): Promise<PassPlan> {
  const planner = new Planner(input);
  try {
    return await planner.run();
  } finally {
    planner.dispose();
  }
}

class Planner {
  private readonly candidates = new Map<string, FixUnit[]>();
  private readonly manual: ManualItem[] = [];
  private available = 0;
  private readonly python = new Map<string, PythonSource>();
  private readonly typescript = new Map<string, TypeScriptSource>();

  constructor(private readonly input: PlanInput) {}

  dispose(): void {
    for (const s of this.python.values()) s.dispose();
  }

  async run(): Promise<PassPlan> {
    const { options } = this.input;
    for (const concept of this.input.concepts) {
      if (options.concepts && !options.concepts.has(concept.id)) continue;
      if (this.ruleOn("non-canonical-call")) {
        for (const c of concept.calls) if (c.target === "implementation") await this.callUnit(concept, c);
      }
      if (this.ruleOn("non-canonical-import")) {
        for (const d of concept.deprecatedImports) await this.importUnit(concept, d);
      }
      if (this.ruleOn("duplicate-implementation")) {
        for (const impl of concept.implementations) await this.delegateBodyUnit(concept, impl);
      }
      if (this.ruleOn("legacy-fallback")) {
        for (const hit of concept.fallbacks) await this.collapseUnit(concept, hit);
      }
    }
    const files: FilePlan[] = [];
    let deferred = 0;
    for (const [file, units] of [...this.candidates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const plan = await this.finalize(file, units);
      deferred += plan.deferred;
      if (plan.units.length > 0) files.push({ file, units: plan.units, edits: plan.edits, ...(plan.importsAlone ? { importsAlone: plan.importsAlone } : {}) });
    }
    return { files, manual: this.manual, available: this.available, deferred };
  }

  // ------------------------------------------------------------------------------ selection

  private ruleOn(id: RuleId): boolean {
    const { options, config } = this.input;
    return (!options.rules || options.rules.has(id)) && config.rules[id] !== "off";
  }

  private facts(file: string): FileFacts | undefined {
    const entry = this.input.model.entry(file);
    return entry?.reported && !entry.isTest ? entry.facts : undefined;
  }

  private suppressed(facts: FileFacts, ruleId: RuleId, line: number): boolean {
    return facts.suppressions.some((s) => suppresses(s, ruleId, line));
  }

  private addManual(file: string, at: { line: number; start: number }, ruleId: RuleId, concept: string, reason: string): void {
    this.manual.push({ file, line: at.line, offset: at.start, reason, ruleId, concept });
  }

  private add(unit: FixUnit, text: string): void {
    if (isNoOp(unit, text)) return;
    const list = this.candidates.get(unit.file) ?? [];
    list.push(unit);
    this.candidates.set(unit.file, list);
  }

  private async pythonSource(file: string, text: string): Promise<PythonSource> {
    let s = this.python.get(file);
    if (!s) {
      s = await PythonSource.parse(text);
      this.python.set(file, s);
    }
    return s;
  }

  private typescriptSource(file: string, text: string): TypeScriptSource {
    let s = this.typescript.get(file);
    if (!s) {
      s = new TypeScriptSource(file, text);
      this.typescript.set(file, s);
    }
    return s;
  }

  private async shadowed(
    facts: FileFacts,
    text: string,
    root: string,
    at: number,
    exclude: { start: number; end: number }[],
  ): Promise<string | undefined> {
    if (facts.language === "python") await this.pythonSource(facts.file, text);
    return this.shadowedSync(facts, text, root, at, exclude);
  }

  private async suggestionContext(concept: ConceptAnalysis, facts: FileFacts, text: string): Promise<SuggestionContext> {
    if (facts.language === "python") await this.pythonSource(facts.file, text);
    return {
      model: this.input.model,
      concept,
      facts,
      text,
      eol: facts.eol ?? "\n",
      shadowed: (root, at, exclude) => this.shadowedSync(facts, text, root, at, exclude),
    };
  }

  /**
   * Text-level shadowing check: a binding of `root` (assignment, parameter, def, `for` target …)
   * at module level or in a function that contains `at` means the rewritten code might not
   * reach the import. Bindings inside functions that do not contain `at` cannot, unless they
   * declare the name `global`.
   */
  private shadowedSync(
    facts: FileFacts,
    text: string,
    root: string,
    at: number,
    exclude: { start: number; end: number }[],
  ): string | undefined {
    const source = facts.language === "python" ? this.python.get(facts.file) : this.typescriptSource(facts.file, text);
    if (!source) return "internal: source not parsed";
    let result: string | undefined;
    for (const b of source.bindings(root, at)) {
      if (inRanges(b, exclude)) continue;
      const containing = facts.definitions
        .filter((d) => d.kind !== "class" && d.span.start <= b && b < d.span.end && d.nameSpan.start !== b)
        .sort((x, y) => x.span.end - x.span.start - (y.span.end - y.span.start));
      const inner = containing[0];
      const declaresGlobal = /^\s*(global|nonlocal)\b/.test(text.slice(lineStartOf(text, b), b));
      if (inner && !(inner.span.start <= at && at < inner.span.end) && !declaresGlobal) continue;
      result = `'${root}' is also bound at ${lineRef(b)}, which could shadow it at the rewritten code`;
      break;
    }
    return result;
  }

  // ------------------------------------------------------------------------------ units

  private async callUnit(concept: ConceptAnalysis, c: ClassifiedCall): Promise<void> {
    const facts = this.facts(c.file);
    if (!facts) return;
    const rule: RuleId = "non-canonical-call";
    if (c.confidence === "likely" && !this.input.options.includeLikely) return;
    if (this.suppressed(facts, rule, c.call.span.line)) return;
    const verdict = callFix(this.input.model, concept, c);
    if (!verdict.ok) return this.addManual(c.file, c.call.span, rule, concept.id, verdict.reason);
    const text = await this.input.text(c.file);
    if (text === undefined) return;
    const { access, args } = verdict.value;
    const call = c.call;
    const shadow = await this.shadowed(facts, text, access.root, call.span.start, [call.calleeSpan]);
    if (shadow) return this.addManual(c.file, call.span, rule, concept.id, shadow);
    // Before Python 3.12 an f-string's replacement field cannot hold its own quote characters.
    if (
      facts.language === "python" &&
      /["']/.test(access.expression) &&
      (await this.pythonSource(c.file, text)).insideString(call.span.start)
    ) {
      return this.addManual(c.file, call.span, rule, concept.id, "the call is inside an f-string and the delegate expression has quotes");
    }
    const edits: TextEdit[] = [{ file: c.file, start: call.calleeSpan.start, end: call.calleeSpan.end, text: access.expression }];
    if (args.kind === "python") {
      for (const k of args.keywords) {
        const arg = call.args[k.arg];
        if (arg) edits.push({ file: c.file, start: arg.span.start, end: arg.span.start, text: `${k.name}=` });
      }
    } else {
      for (const w of args.wraps) {
        const first = call.args[w.first];
        const last = call.args[w.last];
        if (!first || !last) continue;
        edits.push({ file: c.file, start: first.span.start, end: first.span.start, text: "{ " });
        for (let i = w.first; i <= w.last; i++) {
          const arg = call.args[i];
          const name = w.names[i - w.first] ?? "";
          if (arg && text.slice(arg.span.start, arg.span.end) !== name)
            edits.push({ file: c.file, start: arg.span.start, end: arg.span.start, text: `${name}: ` });
        }
        edits.push({ file: c.file, start: last.span.end, end: last.span.end, text: " }" });
      }
    }
    const calleeText = text.slice(call.calleeSpan.start, call.calleeSpan.end).replace(/\s+/g, " ");
    const unit: FixUnit = {
      file: c.file,
      ruleId: rule,
      concept: concept.id,
      line: call.span.line,
      kind: "fix",
      description: `${calleeText}(…) → ${access.expression}(…)`,
      edits,
      needs: access.need ? [access.need] : [],
      removed: [{ start: call.calleeSpan.start, end: call.calleeSpan.end }],
      ...(this.runsAtImport(c.file, call.enclosing) ? { moduleLevelAt: call.span.start } : {}),
    };
    this.add(unit, text);
  }

  /** Module-level code and class bodies run when the module is imported. */
  private runsAtImport(file: string, enclosing: string | undefined): boolean {
    for (let s = enclosing; s; s = s.includes(".") ? s.slice(0, s.lastIndexOf(".")) : undefined) {
      if (this.input.model.definition(file, s)?.kind !== "class") return false;
    }
    return true;
  }

  private async importUnit(concept: ConceptAnalysis, d: DeprecatedImport): Promise<void> {
    const facts = this.facts(d.file);
    if (!facts) return;
    const rule: RuleId = "non-canonical-import";
    const line = d.fact.span.line;
    const at = d.fact.span;
    if (this.suppressed(facts, rule, line)) return;
    const verdict = importFix(this.input.model, concept, d);
    if (!verdict.ok) return this.addManual(d.file, at, rule, concept.id, verdict.reason);
    const text = await this.input.text(d.file);
    if (text === undefined) return;
    let edit: TextEdit | undefined;
    if (facts.language === "python") {
      const statement = text.slice(d.fact.span.start, d.fact.span.end);
      const m = /^from\s+(\.+\s*(?:[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)?|[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s+import\b/d.exec(
        statement,
      );
      const range = m?.indices?.[1];
      if (range)
        edit = { file: d.file, start: d.fact.span.start + range[0], end: d.fact.span.start + range[1], text: verdict.value.module };
    } else {
      const source = this.typescriptSource(d.file, text);
      const parts = source.importAt(d.fact.span.start);
      // An import declaration, else `import("m")` / `require("m")`: only the specifier changes.
      const literal = parts
        ? { start: parts.specifier.start + 1, end: parts.specifier.end - 1 }
        : source.moduleLoadIn(d.fact.span.start, d.fact.span.end, d.fact.module);
      if (literal) edit = { file: d.file, ...literal, text: verdict.value.module };
    }
    if (!edit) return this.addManual(d.file, at, rule, concept.id, "the import statement's syntax is not understood");
    const unit: FixUnit = {
      file: d.file,
      ruleId: rule,
      concept: concept.id,
      line,
      kind: "fix",
      description: `import from ${verdict.value.module} instead of ${d.module}`,
      edits: [edit],
      needs: [],
      removed: [],
    };
    this.add(unit, text);
  }

  private async delegateBodyUnit(concept: ConceptAnalysis, impl: Implementation): Promise<void> {
    const file = impl.ref.file;
    const facts = this.facts(file);
    if (!facts) return;
    const rule: RuleId = "duplicate-implementation";
    if (this.suppressed(facts, rule, impl.ref.def.span.line)) return;
    const text = await this.input.text(file);
    if (text === undefined) return;
    const ctx = await this.suggestionContext(concept, facts, text);
    const verdict: Verdict<FixUnit> =
      facts.language === "python"
        ? pythonDelegateBody(ctx, impl, await this.pythonSource(file, text))
        : typescriptDelegateBody(ctx, impl, this.typescriptSource(file, text));
    this.suggestion(verdict, file, text, impl.ref.def.span, rule, concept.id);
  }

  private async collapseUnit(concept: ConceptAnalysis, hit: FallbackHit): Promise<void> {
    const facts = this.facts(hit.file);
    if (!facts) return;
    const rule: RuleId = "legacy-fallback";
    if (this.suppressed(facts, rule, hit.site.span.line)) return;
    const text = await this.input.text(hit.file);
    if (text === undefined) return;
    const ctx = await this.suggestionContext(concept, facts, text);
    const isTry = hit.site.kind === "try" || hit.site.kind === "import-fallback";
    const shape = !isTry
      ? undefined
      : facts.language === "python"
        ? (await this.pythonSource(hit.file, text)).tryAt(hit.site.span.start)
        : this.typescriptSource(hit.file, text).tryAt(hit.site.span.start);
    this.suggestion(collapseFallback(ctx, hit, shape), hit.file, text, hit.site.span, rule, concept.id);
  }

  private suggestion(
    verdict: Verdict<FixUnit>,
    file: string,
    text: string,
    at: { line: number; start: number },
    rule: RuleId,
    concept: string,
  ): void {
    if (verdict.ok && isNoOp(verdict.value, text)) return;
    if (!this.input.options.unsafe) {
      if (verdict.ok) this.available++;
      return;
    }
    if (verdict.ok) this.add(verdict.value, text);
    else this.addManual(file, at, rule, concept, `suggestion not possible: ${verdict.reason}`);
  }

  // ------------------------------------------------------------------------------ per file

  private async finalize(
    file: string,
    units: FixUnit[],
  ): Promise<{ units: FixUnit[]; edits: TextEdit[]; deferred: number; importsAlone?: Map<FixUnit, TextEdit[]> }> {
    const facts = this.input.model.entry(file)?.facts;
    const text = await this.input.text(file);
    if (!facts || text === undefined) return { units: [], edits: [], deferred: 0 };
    const first = (u: FixUnit) => Math.min(...u.edits.map((e) => e.start));
    // A collapsed fallback drops its handler (and the calls in it) entirely, so it goes first;
    // then fixes; then bodies turned into delegates (after its calls are fixed a body often
    // is a delegate already).
    const rank = (u: FixUnit) => (u.ruleId === "legacy-fallback" ? 0 : u.kind === "fix" ? 1 : 2);
    const ordered = [...units].sort((a, b) => rank(a) - rank(b) || first(a) - first(b));
    let accepted: FixUnit[] = [];
    let deferred = 0;
    for (const u of ordered) {
      if (u.edits.some((e) => accepted.some((a) => a.edits.some((x) => overlaps(e, x))))) deferred++;
      else accepted.push(u);
    }
    const ctx = { model: this.input.model, facts, text, eol: facts.eol ?? "\n" };
    const planImports = async (of: readonly FixUnit[]) =>
      facts.language === "python"
        ? planPythonImports(ctx, of, await this.pythonSource(file, text))
        : planTypeScriptImports(ctx, of, this.typescriptSource(file, text));
    for (;;) {
      const plan = await planImports(accepted);
      if (plan.unplaceable.length > 0) {
        for (const { unit, reason } of plan.unplaceable) {
          this.addManual(file, { line: unit.line, start: Math.min(...unit.edits.map((e) => e.start)) }, unit.ruleId, unit.concept, reason);
        }
        accepted = accepted.filter((u) => !plan.unplaceable.some((p) => p.unit === u));
        continue;
      }
      const unitEdits = accepted.flatMap((u) => u.edits);
      // Two insertions at one offset do not clash: the import goes first (edits keep their order
      // at one offset), as when a file starts with the definition whose JSDoc gets `@deprecated`.
      const insertsAtOnePoint = (e: TextEdit, x: TextEdit) => e.start === e.end && x.start === x.end && x.text !== "";
      const clashing = accepted.filter((u) => u.edits.some((e) => plan.edits.some((x) => overlaps(e, x) && !insertsAtOnePoint(e, x))));
      if (clashing.length > 0) {
        // An import edit touches a unit's text: let those units wait for the next pass.
        deferred += clashing.length;
        accepted = accepted.filter((u) => !clashing.includes(u));
        continue;
      }
      // Removals that touch another import edit are dropped (the import stays).
      const dropClashingRemovals = (edits: TextEdit[]) =>
        edits.filter((e, i) => e.text !== "" || !edits.some((x, j) => j !== i && overlaps(e, x)));
      const importEdits = dropClashingRemovals(plan.edits);
      if (!this.input.options.importsPerUnit) return { units: accepted, edits: [...importEdits, ...unitEdits], deferred };
      const importsAlone = new Map<FixUnit, TextEdit[]>();
      for (const u of accepted) importsAlone.set(u, dropClashingRemovals((await planImports([u])).edits));
      return { units: accepted, edits: [...importEdits, ...unitEdits], deferred, importsAlone };
    }
  }
}

/** A unit whose edits change nothing: the code is already in the wanted shape. */
function isNoOp(unit: FixUnit, text: string): boolean {
  return unit.edits.every((e) => text.slice(e.start, e.end) === e.text);
}
