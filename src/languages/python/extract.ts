import type {
  Binding,
  CallArgument,
  CallSite,
  Definition,
  ExtractOptions,
  Extractor,
  FallbackSite,
  ImportedName,
  Param,
  Range,
  SignatureOnlyReason,
  Span,
} from "../../facts/types.js";
import { type ExtractedFacts, budgetExceeded, emptyFacts, extractionFailed } from "../../facts/failed.js";
import { LineIndex } from "../../util/line-index.js";
import { bodyShapeOfIds } from "../../util/shape.js";
import { parseSuppression } from "../../util/suppressions.js";
import { type FlatTree, flatten, flattenChunks } from "./flat-tree.js";
import { type ParseOutcome, type ParseTuning, deleteTrees, parsePython } from "./parse.js";
import { K, loadPythonGrammar, type PythonGrammar, pythonParser } from "./grammar.js";

export type PythonFacts = ExtractedFacts;

const MAX_PARSE_ERRORS = 20;
const MAX_RETURNS = 5;
const MAX_DOC = 200;

export const pythonExtractor: Extractor = {
  language: "python",
  async extract(file: string, text: string, options: ExtractOptions): Promise<PythonFacts> {
    const grammar = await loadPythonGrammar();
    return extractPython(grammar, file, text, options);
  },
};


/**
 * The text the grammar is given. Python ends lines at a lone CR too (old Mac files, mixed
 * endings); the grammar does not, and would hide the code after one. LF in its place keeps
 * every offset.
 */
export function pythonSourceText(source: string): string {
  return source.includes("\r") ? source.replace(/\r(?!\n)/g, "\n") : source;
}

/** The last file's flattened tree, whose arrays the next file's reuses (`FlattenOptions.reuse`). */
let scratch: FlatTree | undefined;

/** Synchronous core of the extractor (the grammar must already be loaded). */
export function extractPython(grammar: PythonGrammar, file: string, source: string, options: ExtractOptions, tuning: ParseTuning = {}): PythonFacts {
  const lineIndex = new LineIndex(source);
  const text = pythonSourceText(source);
  const facts = emptyFacts(file, "python", lineIndex.lineCount);
  const parser = pythonParser(grammar);
  let parsed: ParseOutcome;
  try {
    parsed = parsePython(parser, text, options.parseBudgetMs, tuning);
  } catch (error) {
    parser.reset();
    facts.parseErrors.push(extractionFailed("parser", error));
    return facts;
  }
  if (parsed.kind === "budget") {
    facts.parseErrors.push(budgetExceeded(options.parseBudgetMs, text));
    return facts;
  }
  try {
    const trees = parsed.kind === "tree" ? [parsed.tree] : parsed.trees;
    const hasError = trees.some((t) => t.rootNode.hasError);
    let flat: FlatTree;
    try {
      // The thread's previous tree is done with (its walk ended with its file): reuse its arrays.
      const reuse = { reuse: scratch };
      flat = parsed.kind === "tree" ? flatten(parsed.tree, grammar, text.length, reuse) : flattenChunks(parsed.trees, grammar, text.length, reuse);
      scratch = flat;
    } finally {
      deleteTrees(parsed);
    }
    new Walker(flat, text, lineIndex, facts).run(hasError);
  } catch (error) {
    return emptyFacts(file, "python", lineIndex.lineCount, [extractionFailed("python extractor", error)]);
  }
  return facts;
}

/** Last dotted segment of an expression's text, ignoring a call's arguments: `abc.abstractmethod` → `abstractmethod`. */
function lastSegment(expr: string): string {
  const paren = expr.indexOf("(");
  const head = paren >= 0 ? expr.slice(0, paren) : expr;
  const dot = head.lastIndexOf(".");
  return (dot >= 0 ? head.slice(dot + 1) : head).trim();
}

const ABSTRACT_DECORATORS = new Set(["abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"]);
const IMPORT_ERRORS = new Set(["ImportError", "ModuleNotFoundError"]);
/** `TYPE_CHECKING`, `typing.TYPE_CHECKING`, `t.TYPE_CHECKING`, in parentheses or not; group 1 is a leading `not`. */
const TYPE_CHECKING_GUARD = /^[\s(]*(not\b[\s(]*)?(?:[A-Za-z_]\w*\s*\.\s*)?TYPE_CHECKING[\s)]*$/;

function isProtocolBase(base: string): boolean {
  const bracket = base.indexOf("[");
  return lastSegment(bracket >= 0 ? base.slice(0, bracket) : base) === "Protocol";
}

function firstLine(doc: string): string | undefined {
  for (const raw of doc.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line.length > 0) return line.length > MAX_DOC ? line.slice(0, MAX_DOC) : line;
  }
  return undefined;
}

const SCOPE_MODULE = 0;
const SCOPE_CLASS = 1;
const SCOPE_FUNCTION = 2;

interface Receiver {
  /** Name of the method's first parameter (`self`, `cls`). */
  name: string;
  /** Qualified name of the class the method belongs to. */
  classQN: string;
}

interface FunctionFrame {
  returns: string[][];
  seen: Set<string>;
  /** Names declared `global` in the function: assignments to them are module-level bindings. */
  globals?: Set<string>;
}

/** One pre-order walk over the flat tree that fills every fact list. */
class Walker {
  private readonly F: PythonGrammar["F"];
  private scope: string | undefined;
  private scopeKind = SCOPE_MODULE;
  private receiver: Receiver | undefined;
  private fn: FunctionFrame | undefined;
  private importFallback: "primary" | "fallback" | undefined;
  /** Inside the branch of `if TYPE_CHECKING:` that only type checkers run: imports there are type-only. */
  private typeCheckingOnly = false;
  /** Ranges of fallback sides that may still contain nodes ahead of the walk. */
  private sides: Range[] = [];
  /** Local names bound by `from m import name [as alias]`; reads of them are references. */
  private readonly importedNames = new Set<string>();
  /** Names bound at module level by an assignment the facts record (`notifier = LegacyNotifier()`). */
  private readonly moduleNames = new Set<string>();
  /**
   * Per function: names it binds itself in ways the facts keep no value for (`for n in …`,
   * `n = xs[0]`, `(n := f())`, `case n:`, `lambda n: …`) that also name an import or a module-level
   * binding of the file. They shadow those (see `run`).
   */
  private readonly localStores = new Map<string, Map<string, number>>();
  /** Flat-tree node index of each recorded call, parallel to `facts.calls`. */
  private readonly callNodes: number[] = [];
  private readonly protocolClasses = new Set<string>();

  constructor(
    private readonly t: FlatTree,
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly facts: PythonFacts,
  ) {
    this.F = t.grammar.F;
  }

  run(hasError: boolean): void {
    const doc = this.docstring(0);
    if (doc >= 0) {
      const first = this.docText(doc);
      if (first !== undefined) this.facts.moduleDoc = first;
    }
    this.visit(0);
    this.recordShadowingLocals();
    this.collectComments();
    if (hasError) this.collectErrors();
  }

  /**
   * A local name the facts have no value for, which shadows an import or a module-level name,
   * becomes a binding without a value: resolution stops there (unknown) instead of reaching the
   * module-level name, which the function does not use.
   */
  private recordShadowingLocals(): void {
    if (this.localStores.size === 0) return;
    const bound = new Set<string>();
    for (const b of this.facts.bindings) if (b.target.length === 1) bound.add(`${b.scope ?? ""}\0${b.target[0]}`);
    for (const [scope, names] of this.localStores) {
      for (const [name, node] of names) {
        if (bound.has(`${scope}\0${name}`)) continue;
        this.facts.bindings.push({ target: [name], scope, value: { kind: "annotation" }, span: this.span(node) });
      }
    }
  }

  /** Whether identifier `k` binds its name in the enclosing function (a target, a capture, a lambda parameter). */
  private bindsLocally(k: number): boolean {
    if (this.isStoreTarget(k)) return true;
    const t = this.t;
    const p = t.parent(k);
    if (p < 0) return false;
    const pk = t.kind(p);
    if (pk === K.lambda_parameters) return true;
    // `case notifier:` — a capture is a one-name dotted_name directly under a case pattern.
    return pk === K.dotted_name && t.kind(t.parent(p)) === K.case_pattern && t.namedChildren(p).length === 1;
  }

  // ---------------------------------------------------------------- helpers

  private txt(k: number): string {
    return this.text.slice(this.t.start(k), this.t.end(k));
  }

  private span(k: number): Span {
    return this.lines.span(this.t.start(k), this.t.end(k));
  }

  private range(k: number): Range {
    return { start: this.t.start(k), end: this.t.end(k) };
  }

  private withEnclosing<T extends object>(value: T): T & { enclosing?: string } {
    if (this.scope !== undefined) (value as T & { enclosing?: string }).enclosing = this.scope;
    return value;
  }

  /** Member path of an expression (see the convention in facts/types.ts). */
  private memberPath(k: number): string[] {
    const t = this.t;
    switch (t.kind(k)) {
      case K.identifier:
        return [this.txt(k)];
      case K.attribute: {
        const object = t.childByField(k, this.F.object);
        const attr = t.childByField(k, this.F.attribute);
        const path = object >= 0 ? this.memberPath(object) : ["?"];
        path.push(attr >= 0 ? this.txt(attr) : "?");
        return path;
      }
      case K.call: {
        const fn = t.childByField(k, this.F.function);
        const path = fn >= 0 ? this.memberPath(fn) : ["?"];
        path[path.length - 1] = `${path[path.length - 1] ?? "?"}()`;
        return path;
      }
      default:
        return ["?"];
    }
  }

  /** Strips `await` and parentheses around an expression. */
  private unwrap(k: number): number {
    let cur = k;
    while (cur >= 0 && (this.t.kind(cur) === K.await || this.t.kind(cur) === K.parenthesized_expression)) {
      cur = this.t.firstNamedChild(cur);
    }
    return cur;
  }

  /** Statements of a block (or module) other than comments. */
  private statements(block: number): number[] {
    return this.t.namedChildren(block);
  }

  /** The docstring statement of a block/module, or -1. */
  private docstring(block: number): number {
    const first = this.t.firstNamedChild(block);
    if (first < 0 || this.t.kind(first) !== K.expression_statement) return -1;
    const expr = this.t.firstNamedChild(first);
    if (expr < 0 || this.t.namedChildren(first).length !== 1) return -1;
    const str = this.t.kind(expr) === K.concatenated_string ? this.t.firstNamedChild(expr) : expr;
    if (str < 0 || this.t.kind(str) !== K.string) return -1;
    const open = this.t.childOfKind(str, K.string_start);
    if (open >= 0 && /[fF]/.test(this.txt(open))) return -1;
    return first;
  }

  /** First line of a docstring statement's text. */
  private docText(stmt: number): string | undefined {
    let str = this.t.firstNamedChild(stmt);
    if (this.t.kind(str) === K.concatenated_string) str = this.t.firstNamedChild(str);
    const open = this.t.childOfKind(str, K.string_start);
    const close = this.t.childOfKind(str, K.string_end);
    if (open < 0 || close < 0) return undefined;
    return firstLine(this.text.slice(this.t.end(open), this.t.start(close)));
  }

  /** Whether `k` (an identifier or attribute) is written to rather than read. */
  private isStoreTarget(k: number): boolean {
    const t = this.t;
    let c = k;
    let p = t.parent(c);
    while (p >= 0) {
      const pk = t.kind(p);
      if (pk === K.pattern_list || pk === K.tuple_pattern || pk === K.list_pattern || pk === K.list_splat_pattern) {
        c = p;
        p = t.parent(p);
        continue;
      }
      break;
    }
    if (p < 0) return false;
    const pk = t.kind(p);
    const f = t.field(c);
    if ((pk === K.assignment || pk === K.augmented_assignment) && f === this.F.left) return true;
    if ((pk === K.for_statement || pk === K.for_in_clause) && f === this.F.left) return true;
    if (pk === K.named_expression && f === this.F.name) return true;
    return pk === K.as_pattern_target;
  }

  /** Whether an identifier is a read of a name (not a definition, parameter, keyword, target …). */
  private isLoadName(k: number): boolean {
    const t = this.t;
    const p = t.parent(k);
    if (p < 0) return false;
    const f = t.field(k);
    switch (t.kind(p)) {
      case K.attribute:
        return false; // part of a chain (object) or the attribute name itself
      case K.call:
        if (f === this.F.function) return false;
        break;
      case K.keyword_argument:
      case K.function_definition:
      case K.class_definition:
      case K.default_parameter:
      case K.typed_default_parameter:
        if (f === this.F.name) return false;
        break;
      case K.parameters:
      case K.lambda_parameters:
      case K.typed_parameter:
      case K.list_splat_pattern:
      case K.dictionary_splat_pattern:
      case K.global_statement:
      case K.nonlocal_statement:
      case K.dotted_name:
      case K.aliased_import:
        return false;
    }
    return !this.isStoreTarget(k);
  }

  private inSide(pos: number): boolean {
    const sides = this.sides;
    let inside = false;
    let w = 0;
    for (let r = 0; r < sides.length; r++) {
      const side = sides[r];
      if (!side || side.end <= pos) continue; // the walk never goes back: drop it
      sides[w++] = side;
      if (side.start <= pos) inside = true;
    }
    sides.length = w;
    return inside;
  }

  // ---------------------------------------------------------------- the walk

  private visitChildren(k: number): void {
    for (let c = this.t.firstChild(k); c >= 0; c = this.t.nextSibling(c)) this.visit(c);
  }

  private visit(k: number): void {
    const t = this.t;
    switch (t.kind(k)) {
      case K.identifier:
        // Single names are recorded inside fallback sides, and when they read a name imported
        // from a module (`from os import environ` … `environ["X"]`), so aliased sinks are seen.
        if (
          ((this.sides.length > 0 && this.inSide(t.start(k))) || (this.importedNames.size > 0 && this.importedNames.has(this.txt(k)))) &&
          this.isLoadName(k)
        ) {
          this.facts.references.push(this.withEnclosing({ path: [this.txt(k)], span: this.span(k) }));
        }
        if (this.fn && this.scope !== undefined) {
          const name = this.txt(k);
          if ((this.importedNames.has(name) || this.moduleNames.has(name)) && !this.fn.globals?.has(name) && this.bindsLocally(k)) {
            let names = this.localStores.get(this.scope);
            if (!names) {
              names = new Map();
              this.localStores.set(this.scope, names);
            }
            if (!names.has(name)) names.set(name, k);
          }
        }
        return;
      case K.attribute:
        this.visitAttribute(k);
        return;
      case K.call:
        this.recordCall(k);
        this.visitChildren(k);
        return;
      case K.decorated_definition:
        this.visitDecorated(k);
        return;
      case K.function_definition:
      case K.class_definition:
        this.visitDefinition(k, k, []);
        return;
      case K.import_statement:
      case K.import_from_statement:
      case K.future_import_statement:
        this.recordImport(k);
        return;
      case K.assignment:
        this.recordAssignment(k);
        this.visitChildren(k);
        return;
      case K.with_item:
        this.recordWithItem(k);
        this.visitChildren(k);
        return;
      case K.return_statement:
        this.recordReturn(k);
        this.visitChildren(k);
        return;
      case K.try_statement:
        this.visitTry(k);
        return;
      case K.boolean_operator:
        this.recordOr(k);
        this.visitChildren(k);
        return;
      case K.if_statement:
        this.recordIf(k);
        this.visitIf(k);
        return;
      case K.conditional_expression:
        this.recordConditionalExpression(k);
        this.visitChildren(k);
        return;
      case K.global_statement:
        this.recordGlobal(k);
        return;
      case K.comment:
        return; // collected in a linear pass
      default:
        this.visitChildren(k);
    }
  }

  private visitAttribute(k: number): void {
    const t = this.t;
    const p = t.parent(k);
    const pk = t.kind(p);
    const f = t.field(k);
    const partOfChain = pk === K.attribute && f === this.F.object;
    const callee = pk === K.call && f === this.F.function;
    if (!partOfChain && !callee && !this.isStoreTarget(k)) {
      this.facts.references.push(this.withEnclosing({ path: this.memberPath(k), span: this.span(k) }));
    }
    const object = t.childByField(k, this.F.object);
    if (object >= 0) this.visit(object);
  }

  // ---------------------------------------------------------------- calls

  private recordCall(k: number): void {
    const t = this.t;
    const fn = t.childByField(k, this.F.function);
    const argsNode = t.childByField(k, this.F.arguments);
    if (fn < 0 || argsNode < 0) return;
    const args: CallArgument[] = [];
    if (t.kind(argsNode) === K.generator_expression) {
      const inner = t.namedChildren(argsNode);
      const first = inner[0];
      const last = inner[inner.length - 1];
      if (first !== undefined && last !== undefined) {
        args.push({ span: this.lines.span(t.start(first), t.end(last)) });
      }
    } else {
      for (const a of t.namedChildren(argsNode)) {
        switch (t.kind(a)) {
          case K.ERROR:
            break;
          case K.keyword_argument: {
            const name = t.childByField(a, this.F.name);
            args.push(name >= 0 ? { name: this.txt(name), span: this.span(a) } : { span: this.span(a) });
            break;
          }
          case K.list_splat:
            args.push({ spread: "list", span: this.span(a) });
            break;
          case K.dictionary_splat:
            args.push({ spread: "dict", span: this.span(a) });
            break;
          default:
            args.push({ span: this.span(a) });
        }
      }
    }
    const site: CallSite = this.withEnclosing({
      callee: this.memberPath(fn),
      calleeSpan: this.span(fn),
      span: this.span(k),
      args,
      argsSpan: this.span(argsNode),
      awaited: this.isAwaited(k),
    });
    this.callNodes.push(k);
    this.facts.calls.push(site);
  }

  /** The call is the operand of `await`, possibly through parentheses: `await (f())`. */
  private isAwaited(k: number): boolean {
    let p = this.t.parent(k);
    while (p >= 0 && this.t.kind(p) === K.parenthesized_expression) p = this.t.parent(p);
    return p >= 0 && this.t.kind(p) === K.await;
  }

  // ---------------------------------------------------------------- definitions

  private visitDecorated(k: number): void {
    const t = this.t;
    const decorators: string[] = [];
    let def = -1;
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      const kind = t.kind(c);
      if (kind === K.decorator) {
        const expr = t.firstNamedChild(c);
        if (expr >= 0) decorators.push(this.txt(expr));
        this.visit(c);
      } else if (kind === K.function_definition || kind === K.class_definition) {
        def = c;
      } else {
        this.visit(c);
      }
    }
    if (def >= 0) this.visitDefinition(def, k, decorators);
  }

  private visitDefinition(k: number, outer: number, decorators: string[]): void {
    const t = this.t;
    const F = this.F;
    const nameNode = t.childByField(k, F.name);
    const body = t.childByField(k, F.body);
    if (nameNode < 0 || body < 0) {
      this.visitChildren(k);
      return;
    }
    const isClass = t.kind(k) === K.class_definition;
    const name = this.txt(nameNode);
    const outerScope = this.scope;
    const qualifiedName = outerScope !== undefined ? `${outerScope}.${name}` : name;
    const isMethod = !isClass && this.scopeKind === SCOPE_CLASS && outerScope !== undefined;
    const isAsync = !isClass && t.kind(t.firstChild(k)) === K["'async'"];
    const def: Definition = {
      name,
      qualifiedName,
      kind: isClass ? "class" : isMethod ? "method" : "function",
      span: this.span(outer),
      nameSpan: this.span(nameNode),
      params: [],
      isAsync,
      decorators,
      bases: [],
      returns: [],
      exported: outerScope === undefined,
    };
    if (isMethod && outerScope !== undefined) def.className = outerScope;

    let receiver: Receiver | undefined;
    let signatureOnly: SignatureOnlyReason | undefined;
    const docstring = this.docstring(body);
    if (isClass) {
      const supers = t.childByField(k, F.superclasses);
      if (supers >= 0) {
        for (const b of t.namedChildren(supers)) {
          if (t.kind(b) !== K.keyword_argument && t.kind(b) !== K.ERROR) def.bases.push(this.txt(b));
        }
      }
      if (def.bases.some(isProtocolBase)) {
        signatureOnly = "protocol";
        this.protocolClasses.add(qualifiedName);
      }
    } else {
      const paramsNode = t.childByField(k, F.parameters);
      def.params = paramsNode >= 0 ? this.params(paramsNode) : [];
      const decoratorNames = decorators.map(lastSegment);
      const first = def.params[0];
      if (
        isMethod &&
        outerScope !== undefined &&
        !decoratorNames.includes("staticmethod") &&
        first &&
        (first.kind === "positional" || first.kind === "positional-only")
      ) {
        def.params.shift();
        receiver = { name: first.name, classQN: outerScope };
      }
      const returnType = t.childByField(k, F.return_type);
      if (returnType >= 0) def.returnType = this.txt(returnType);
      if (decoratorNames.some((d) => ABSTRACT_DECORATORS.has(d))) signatureOnly = "abstract";
      else if (decoratorNames.includes("overload")) signatureOnly = "overload";
      else if (isMethod && outerScope !== undefined && this.protocolClasses.has(outerScope)) signatureOnly = "protocol";
      else if (this.isStubBody(body, docstring)) signatureOnly = "stub";
    }
    if (signatureOnly) def.signatureOnly = signatureOnly;
    if (docstring >= 0) {
      const doc = this.docText(docstring);
      if (doc !== undefined) def.doc = doc;
    }
    if (!signatureOnly) {
      def.bodySpan = this.span(body);
      def.shape = bodyShapeOfIds(this.shapeTokens(body, docstring));
    }
    this.facts.definitions.push(def);

    // Decorators were visited by the caller; parameters, annotations and bases belong to the outer scope.
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      if (c !== body && c !== nameNode) this.visit(c);
    }

    const saved = { scope: this.scope, scopeKind: this.scopeKind, receiver: this.receiver, fn: this.fn };
    this.scope = qualifiedName;
    this.scopeKind = isClass ? SCOPE_CLASS : SCOPE_FUNCTION;
    if (isClass) {
      this.receiver = undefined;
      this.fn = undefined;
    } else {
      // Nested functions (closures) keep the method's receiver; a method gets its own.
      this.receiver = isMethod ? receiver : this.receiver;
      this.fn = { returns: def.returns, seen: new Set() };
    }
    const callsBefore = this.callNodes.length;
    this.visit(body);
    this.scope = saved.scope;
    this.scopeKind = saved.scopeKind;
    this.receiver = saved.receiver;
    this.fn = saved.fn;

    if (!isClass) {
      const delegate = this.delegateCallNode(body, docstring);
      if (delegate >= 0) {
        const index = this.callNodes.indexOf(delegate, callsBefore);
        if (index >= 0) def.delegateCall = index;
      }
    }
  }

  private params(node: number): Param[] {
    const t = this.t;
    const F = this.F;
    const out: Param[] = [];
    let mode: "positional" | "keyword-only" = "positional";
    const splatName = (k: number): string => {
      const id = t.firstNamedChild(k);
      return id >= 0 ? this.txt(id) : this.txt(k).replace(/^\*+/, "");
    };
    for (const p of t.namedChildren(node)) {
      switch (t.kind(p)) {
        case K.identifier:
        case K.tuple_pattern:
          out.push({ name: this.txt(p), kind: mode, hasDefault: false });
          break;
        case K.typed_parameter: {
          const inner = t.firstNamedChild(p);
          const typeNode = t.childByField(p, F.type);
          const type = typeNode >= 0 ? { type: this.txt(typeNode) } : {};
          if (inner >= 0 && t.kind(inner) === K.list_splat_pattern) {
            out.push({ name: splatName(inner), kind: "rest", hasDefault: false, ...type });
            mode = "keyword-only";
          } else if (inner >= 0 && t.kind(inner) === K.dictionary_splat_pattern) {
            out.push({ name: splatName(inner), kind: "kwrest", hasDefault: false, ...type });
          } else {
            out.push({ name: inner >= 0 ? this.txt(inner) : "?", kind: mode, hasDefault: false, ...type });
          }
          break;
        }
        case K.default_parameter:
        case K.typed_default_parameter: {
          const name = t.childByField(p, F.name);
          const typeNode = t.childByField(p, F.type);
          out.push({
            name: name >= 0 ? this.txt(name) : "?",
            kind: mode,
            hasDefault: true,
            ...(typeNode >= 0 ? { type: this.txt(typeNode) } : {}),
          });
          break;
        }
        case K.list_splat_pattern:
          out.push({ name: splatName(p), kind: "rest", hasDefault: false });
          mode = "keyword-only";
          break;
        case K.dictionary_splat_pattern:
          out.push({ name: splatName(p), kind: "kwrest", hasDefault: false });
          break;
        case K.keyword_separator:
          mode = "keyword-only";
          break;
        case K.positional_separator:
          for (const q of out) if (q.kind === "positional") q.kind = "positional-only";
          break;
      }
    }
    return out;
  }

  /** Body (after the docstring) is only `pass`, `...` or `raise NotImplementedError[(…)]`. */
  private isStubBody(body: number, docstring: number): boolean {
    const t = this.t;
    for (const s of this.statements(body)) {
      if (s === docstring) continue;
      const kind = t.kind(s);
      if (kind === K.pass_statement) continue;
      if (kind === K.expression_statement) {
        const kids = t.namedChildren(s);
        const only = kids[0];
        if (kids.length === 1 && only !== undefined && t.kind(only) === K.ellipsis) continue;
        return false;
      }
      if (kind === K.raise_statement) {
        let exc = t.firstNamedChild(s);
        if (exc >= 0 && t.kind(exc) === K.call) exc = t.childByField(exc, this.F.function);
        if (exc >= 0 && (t.kind(exc) === K.identifier || t.kind(exc) === K.attribute)) {
          if (lastSegment(this.txt(exc)) === "NotImplementedError") continue;
        }
        return false;
      }
      return false;
    }
    return true;
  }

  /**
   * When the body is a thin delegate (one statement after the docstring that returns, awaits or
   * evaluates a call, optionally preceded by a deprecation warning — the form `fix --unsafe`
   * writes), the call's node; otherwise -1.
   */
  private delegateCallNode(body: number, docstring: number): number {
    const t = this.t;
    const stmts = this.statements(body).filter((s) => s !== docstring);
    if (stmts.length === 2 && stmts[0] !== undefined && this.isDeprecationWarning(stmts[0])) stmts.shift();
    const only = stmts[0];
    if (stmts.length !== 1 || only === undefined) return -1;
    let expr: number;
    if (t.kind(only) === K.return_statement) {
      expr = t.firstNamedChild(only);
    } else if (t.kind(only) === K.expression_statement && t.namedChildren(only).length === 1) {
      expr = t.firstNamedChild(only);
    } else {
      return -1;
    }
    if (expr >= 0 && t.kind(expr) === K.await) expr = t.firstNamedChild(expr);
    return expr >= 0 && t.kind(expr) === K.call ? expr : -1;
  }

  /**
   * `warnings.warn(…, DeprecationWarning, …)` as a statement (also through `import warnings as w`
   * or `from warnings import warn [as w]`), with a `*DeprecationWarning` category passed
   * positionally or as `category=`.
   */
  private isDeprecationWarning(stmt: number): boolean {
    const t = this.t;
    if (t.kind(stmt) !== K.expression_statement || t.namedChildren(stmt).length !== 1) return false;
    const call = t.firstNamedChild(stmt);
    if (call < 0 || t.kind(call) !== K.call) return false;
    const fn = t.childByField(call, this.F.function);
    const args = t.childByField(call, this.F.arguments);
    if (fn < 0 || args < 0 || t.kind(args) !== K.argument_list) return false;
    const callee = this.memberPath(fn);
    const fromWarnings = (imported: string, local: string) =>
      this.facts.imports.some(
        (i) => i.module === "warnings" && i.level === 0 && !i.typeOnly && i.names.some((n) => n.imported === imported && n.local === local),
      );
    const [first, second] = callee;
    const isWarn =
      callee.length === 2 && first !== undefined && second === "warn"
        ? fromWarnings("*", first)
        : callee.length === 1 && first !== undefined && fromWarnings("warn", first);
    if (!isWarn) return false;
    return t.namedChildren(args).some((a) => {
      let value = a;
      if (t.kind(a) === K.keyword_argument) {
        const name = t.childByField(a, this.F.name);
        if (name < 0 || this.txt(name) !== "category") return false;
        value = t.childByField(a, this.F.value);
      }
      if (value < 0) return false;
      const kind = t.kind(value);
      return (kind === K.identifier || kind === K.attribute) && /(^|\.)\w*DeprecationWarning$/.test(this.txt(value));
    });
  }

  /** Normalized token sequence of a body (as token ids): pre-order node kinds, identifiers → ID, literals → LIT. */
  private shapeTokens(body: number, docstring: number): number[] {
    const t = this.t;
    const g = t.grammar;
    const tokens: number[] = [];
    const end = t.after(body);
    for (let k = body + 1; k < end; ) {
      if (k === docstring) {
        k = t.after(k);
        continue;
      }
      const id = t.typeId(k);
      const token = g.shapeId[id] ?? 0;
      if (token !== 0) tokens.push(token);
      k = g.literalOf[id] === 1 ? t.after(k) : k + 1;
    }
    return tokens;
  }

  private recordReturn(k: number): void {
    const frame = this.fn;
    if (!frame || frame.returns.length >= MAX_RETURNS) return;
    const expr = this.unwrap(this.t.firstNamedChild(k));
    if (expr < 0) return;
    const kind = this.t.kind(expr);
    if (kind !== K.identifier && kind !== K.attribute && kind !== K.call) return;
    const path = this.memberPath(expr);
    if (path.includes("?")) return;
    const key = path.join("\u0000");
    if (frame.seen.has(key)) return;
    frame.seen.add(key);
    frame.returns.push(path);
  }

  // ---------------------------------------------------------------- imports

  private recordImport(k: number): void {
    const t = this.t;
    const F = this.F;
    const kind = t.kind(k);
    const base = (): { typeOnly?: boolean; inFallback?: "primary" | "fallback"; enclosing?: string } => {
      const extra: { typeOnly?: boolean; inFallback?: "primary" | "fallback"; enclosing?: string } = {};
      if (this.typeCheckingOnly) extra.typeOnly = true;
      if (this.importFallback) extra.inFallback = this.importFallback;
      if (this.scope !== undefined) extra.enclosing = this.scope;
      return extra;
    };
    if (kind === K.import_statement) {
      for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
        if (t.field(c) !== F.name) continue;
        if (t.kind(c) === K.dotted_name) {
          const module = this.dotted(c);
          const root = module.split(".")[0] ?? module;
          this.facts.imports.push({
            module,
            level: 0,
            names: [{ imported: "*", local: root, span: this.span(c) }],
            bindsRoot: true,
            span: this.span(k),
            ...base(),
          });
        } else if (t.kind(c) === K.aliased_import) {
          const name = t.childByField(c, F.name);
          const alias = t.childByField(c, F.alias);
          if (name < 0 || alias < 0) continue;
          this.facts.imports.push({
            module: this.dotted(name),
            level: 0,
            names: [{ imported: "*", local: this.txt(alias), span: this.span(c) }],
            span: this.span(k),
            ...base(),
          });
        }
      }
      return;
    }
    let module = "__future__";
    let level = 0;
    if (kind === K.import_from_statement) {
      const moduleNode = t.childByField(k, F.module_name);
      if (moduleNode < 0) return;
      if (t.kind(moduleNode) === K.relative_import) {
        const prefix = t.childOfKind(moduleNode, K.import_prefix);
        level = prefix >= 0 ? this.txt(prefix).replace(/[^.]/g, "").length : 0;
        const dotted = t.childOfKind(moduleNode, K.dotted_name);
        module = dotted >= 0 ? this.dotted(dotted) : "";
      } else {
        module = this.dotted(moduleNode);
      }
    }
    const names: ImportedName[] = [];
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      const ck = t.kind(c);
      if (ck === K.wildcard_import) {
        names.push({ imported: "*", local: "*", span: this.span(c) });
      } else if (t.field(c) === F.name && ck === K.dotted_name) {
        const imported = this.dotted(c);
        names.push({ imported, local: imported, span: this.span(c) });
      } else if (t.field(c) === F.name && ck === K.aliased_import) {
        const name = t.childByField(c, F.name);
        const alias = t.childByField(c, F.alias);
        if (name >= 0 && alias >= 0) names.push({ imported: this.dotted(name), local: this.txt(alias), span: this.span(c) });
      }
    }
    this.facts.imports.push({ module, level, names, span: this.span(k), ...base() });
    for (const n of names) if (n.imported !== "*") this.importedNames.add(n.local);
  }

  /** A dotted name's text without whitespace or comments between the parts. */
  private dotted(k: number): string {
    if (this.t.kind(k) !== K.dotted_name) return this.txt(k);
    const parts: string[] = [];
    for (let c = this.t.firstChild(k); c >= 0; c = this.t.nextSibling(c)) {
      if (this.t.kind(c) === K.identifier) parts.push(this.txt(c));
    }
    return parts.join(".");
  }

  // ---------------------------------------------------------------- bindings

  /** The bound path of an assignment target, when it is a plain name or attribute chain. */
  private targetPath(k: number): string[] | undefined {
    const kind = this.t.kind(k);
    if (kind !== K.identifier && kind !== K.attribute) return undefined;
    const path = this.memberPath(k);
    return path.some((s) => s === "?" || s.endsWith("()")) ? undefined : path;
  }

  private bindingValue(k: number): Binding["value"] | undefined {
    const expr = this.unwrap(k);
    if (expr < 0) return undefined;
    const kind = this.t.kind(expr);
    if (kind === K.call) {
      const fn = this.t.childByField(expr, this.F.function);
      if (fn < 0) return undefined;
      const callee = this.memberPath(fn);
      return callee.includes("?") ? undefined : { kind: "call", callee };
    }
    if (kind === K.identifier || kind === K.attribute) {
      const path = this.memberPath(expr);
      return path.includes("?") ? undefined : { kind: "alias", path };
    }
    return undefined;
  }

  private pushBinding(target: string[], value: Binding["value"], type: string | undefined, node: number): void {
    const binding: Binding = { target, value, span: this.span(node) };
    const receiver = this.receiver;
    const first = target[0] ?? "";
    const scope =
      target.length > 1 && receiver && first === receiver.name
        ? receiver.classQN
        : target.length === 1 && this.fn?.globals?.has(first)
          ? undefined
          : this.scope;
    if (scope !== undefined) binding.scope = scope;
    else if (target.length === 1) this.moduleNames.add(first);
    if (type !== undefined) binding.type = type;
    this.facts.bindings.push(binding);
  }

  private recordGlobal(k: number): void {
    const frame = this.fn;
    if (!frame) return;
    frame.globals ??= new Set();
    for (const name of this.t.namedChildren(k)) if (this.t.kind(name) === K.identifier) frame.globals.add(this.txt(name));
  }

  private recordAssignment(k: number): void {
    const t = this.t;
    const left = t.childByField(k, this.F.left);
    if (left < 0) return;
    const target = this.targetPath(left);
    if (!target) return;
    const typeNode = t.childByField(k, this.F.type);
    const type = typeNode >= 0 ? this.txt(typeNode) : undefined;
    let right = t.childByField(k, this.F.right);
    while (right >= 0 && t.kind(right) === K.assignment) right = t.childByField(right, this.F.right);
    let value = right >= 0 ? this.bindingValue(right) : undefined;
    if (!value) {
      if (type === undefined) return;
      value = { kind: "annotation" };
    }
    this.pushBinding(target, value, type, k);
  }

  private recordWithItem(k: number): void {
    const t = this.t;
    const value = t.childByField(k, this.F.value);
    if (value < 0 || t.kind(value) !== K.as_pattern) return;
    const alias = t.childByField(value, this.F.alias);
    const expr = t.firstNamedChild(value);
    if (alias < 0 || expr < 0 || expr === alias) return;
    const targetNode = t.firstNamedChild(alias);
    const target = targetNode >= 0 ? this.targetPath(targetNode) : undefined;
    const bound = this.bindingValue(expr);
    if (target && bound && bound.kind === "call") this.pushBinding(target, bound, undefined, k);
  }

  // ---------------------------------------------------------------- fallbacks

  private pushFallback(site: FallbackSite): void {
    if (this.scope !== undefined) site.enclosing = this.scope;
    this.facts.fallbacks.push(site);
    for (const r of site.primary) this.sides.push(r);
    for (const r of site.fallback) this.sides.push(r);
  }

  /** Exception type texts of one except clause. */
  private caughtTypes(clause: number): string[] {
    const t = this.t;
    const out: string[] = [];
    const add = (k: number): void => {
      const kind = t.kind(k);
      if (kind === K.as_pattern) {
        const first = t.firstNamedChild(k);
        if (first >= 0 && t.kind(first) !== K.as_pattern_target) add(first);
      } else if (kind === K.tuple || kind === K.parenthesized_expression) {
        for (const c of t.namedChildren(k)) add(c);
      } else if (kind !== K.ERROR) {
        out.push(this.txt(k));
      }
    };
    for (let c = t.firstChild(clause); c >= 0; c = t.nextSibling(c)) if (t.field(c) === this.F.value) add(c);
    return out;
  }

  private visitTry(k: number): void {
    const t = this.t;
    const body = t.childByField(k, this.F.body);
    const clauses: { node: number; block: number; catchesImport: boolean }[] = [];
    const caught: string[] = [];
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      if (t.kind(c) !== K.except_clause) continue;
      const types = this.caughtTypes(c);
      for (const ty of types) if (!caught.includes(ty)) caught.push(ty);
      clauses.push({
        node: c,
        block: t.childOfKind(c, K.block),
        catchesImport: types.some((ty) => IMPORT_ERRORS.has(lastSegment(ty))),
      });
    }
    if (clauses.length === 0 || body < 0) {
      this.visitChildren(k);
      return;
    }
    const importGuard = clauses.some((c) => c.catchesImport);
    let hasImport = false;
    if (importGuard) {
      const end = t.after(body);
      for (let d = body + 1; d < end && !hasImport; d++) {
        const dk = t.kind(d);
        hasImport = dk === K.import_statement || dk === K.import_from_statement;
      }
    }
    const fallback = clauses.filter((c) => c.block >= 0).map((c) => this.range(c.block));
    // `try: return new() / except: log / return legacy()`: when the try body always leaves and
    // a handler falls through, the statements after the try are the fallback too.
    const exits = (block: number) => {
      const last = this.statements(block).at(-1);
      const kind = last === undefined ? -1 : t.kind(last);
      return kind === K.return_statement || kind === K.raise_statement;
    };
    const parent = t.parent(k);
    if (exits(body) && clauses.some((c) => c.block >= 0 && !exits(c.block)) && parent >= 0 && t.end(parent) > t.end(k)) {
      fallback.push({ start: t.end(k), end: t.end(parent) });
    }
    this.pushFallback({
      kind: importGuard && hasImport ? "import-fallback" : "try",
      span: this.span(k),
      primary: [this.range(body)],
      fallback,
      caught,
    });
    const outer = this.importFallback;
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      if (c === body) {
        if (importGuard) this.importFallback = "primary";
        this.visit(c);
        this.importFallback = outer;
      } else if (clauses.some((cl) => cl.node === c && cl.catchesImport)) {
        this.importFallback = "fallback";
        this.visit(c);
        this.importFallback = outer;
      } else {
        this.visit(c);
      }
    }
  }

  private isOr(k: number): boolean {
    const t = this.t;
    if (k < 0 || t.kind(k) !== K.boolean_operator) return false;
    const op = t.childByField(k, this.F.operator);
    return op >= 0 && t.kind(op) === K["'or'"];
  }

  private orOperands(k: number, out: number[]): void {
    if (this.isOr(k)) {
      const left = this.t.childByField(k, this.F.left);
      const right = this.t.childByField(k, this.F.right);
      if (left >= 0) this.orOperands(left, out);
      if (right >= 0) this.orOperands(right, out);
    } else {
      out.push(k);
    }
  }

  private recordOr(k: number): void {
    if (!this.isOr(k) || this.isOr(this.t.parent(k))) return;
    const operands: number[] = [];
    this.orOperands(k, operands);
    const [first, ...rest] = operands;
    if (first === undefined || rest.length === 0) return;
    // `not self._pool or not self._connection` tests; it does not fall back to a value.
    if (rest.every((o) => this.t.kind(o) === K.not_operator || this.t.kind(o) === K.comparison_operator)) return;
    this.pushFallback({
      kind: "or",
      span: this.span(k),
      primary: [this.range(first)],
      fallback: rest.map((o) => this.range(o)),
    });
  }

  private conditionText(k: number): string {
    const text = this.txt(k).trim();
    return text.length > MAX_DOC ? text.slice(0, MAX_DOC) : text;
  }

  private recordIf(k: number): void {
    const t = this.t;
    const F = this.F;
    const condition = t.childByField(k, F.condition);
    const consequence = t.childByField(k, F.consequence);
    if (condition < 0 || consequence < 0) return;
    let firstAlt = -1;
    let lastAlt = -1;
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      if (t.field(c) !== F.alternative) continue;
      if (firstAlt < 0) firstAlt = c;
      lastAlt = c;
    }
    if (firstAlt >= 0) {
      this.pushFallback({
        kind: "conditional",
        span: this.span(k),
        primary: [this.range(condition), { start: t.start(firstAlt), end: t.end(lastAlt) }],
        fallback: [this.range(consequence)],
        condition: this.conditionText(condition),
      });
      return;
    }
    const stmts = this.statements(consequence);
    const last = stmts[stmts.length - 1];
    if (last === undefined) return;
    const lastKind = t.kind(last);
    if (lastKind !== K.return_statement && lastKind !== K.raise_statement) return;
    const primary: Range[] = [this.range(condition)];
    const parent = t.parent(k);
    if (parent >= 0 && t.end(parent) > t.end(k)) primary.push({ start: t.end(k), end: t.end(parent) });
    this.pushFallback({
      kind: "conditional",
      span: this.span(k),
      primary,
      fallback: [this.range(consequence)],
      condition: this.conditionText(condition),
    });
  }

  /**
   * Visits an `if` statement, marking the branch only type checkers take: the body of
   * `if TYPE_CHECKING:` (also `typing.TYPE_CHECKING`, `t.TYPE_CHECKING`), or the `elif`/`else`
   * branches of `if not TYPE_CHECKING:`. At run time `TYPE_CHECKING` is false.
   */
  private visitIf(k: number): void {
    const t = this.t;
    const condition = t.childByField(k, this.F.condition);
    const guard = condition >= 0 ? TYPE_CHECKING_GUARD.exec(this.txt(condition)) : null;
    if (!guard) {
      this.visitChildren(k);
      return;
    }
    const negated = guard[1] !== undefined;
    const outer = this.typeCheckingOnly;
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      const f = t.field(c);
      const typeOnlyBranch = negated ? f === this.F.alternative : f === this.F.consequence;
      if (typeOnlyBranch) this.typeCheckingOnly = true;
      this.visit(c);
      this.typeCheckingOnly = outer;
    }
  }

  private recordConditionalExpression(k: number): void {
    const [value, condition, alternative] = this.t.namedChildren(k);
    if (value === undefined || condition === undefined || alternative === undefined) return;
    this.pushFallback({
      kind: "conditional",
      span: this.span(k),
      primary: [this.range(condition), this.range(alternative)],
      fallback: [this.range(value)],
      condition: this.conditionText(condition),
    });
  }

  // ---------------------------------------------------------------- linear passes

  private collectComments(): void {
    const t = this.t;
    for (let k = 0; k < t.count; k++) {
      if (t.kind(k) !== K.comment) continue;
      const suppression = parseSuppression(this.txt(k), this.span(k));
      if (suppression) this.facts.suppressions.push(suppression);
    }
  }

  /**
   * Where to report an ERROR node. Recovery sometimes wraps whole runs of valid statements (even
   * the entire module) in one ERROR node; report the first child that is not a complete statement.
   */
  private errorStart(k: number): number {
    const t = this.t;
    for (let c = t.firstChild(k); c >= 0; c = t.nextSibling(c)) {
      const kind = t.kind(c);
      if (kind === K.comment || kind === K.decorated_definition) continue;
      const name = t.typeName(c);
      if (name === ";" || (kind !== K.ERROR && (name.endsWith("_statement") || name.endsWith("_definition")))) continue;
      return t.start(c);
    }
    return t.start(k);
  }

  private collectErrors(): void {
    const t = this.t;
    const errors = this.facts.parseErrors;
    for (let k = 0; k < t.count && errors.length < MAX_PARSE_ERRORS; ) {
      if (t.kind(k) === K.ERROR) {
        const pos = this.lines.position(this.errorStart(k));
        errors.push({ line: pos.line, column: pos.column, message: "syntax error" });
        k = t.after(k);
        continue;
      }
      if (t.isMissing(k)) {
        const pos = this.lines.position(t.start(k));
        const what = t.isNamed(k) ? t.typeName(k) : JSON.stringify(t.typeName(k));
        errors.push({ line: pos.line, column: pos.column, message: `missing ${what}` });
      }
      k++;
    }
  }
}
