/**
 * TypeScript / JavaScript front end: turns one `.ts .tsx .js .jsx .mts .cts .mjs .cjs` file into
 * language-neutral facts (`src/facts/types.ts`).
 *
 * Parse-only: one `ts.createSourceFile` (no Program, no type checker, no module resolution) and
 * one walk over the tree. Type nodes are not walked (they hold no calls, references or
 * fallbacks); interfaces and type literals are read explicitly for their method signatures.
 */
import type { ts } from "ts-morph";
import { typescript } from "./compiler.js";
import type {
  Binding,
  CallArgument,
  CallSite,
  Definition,
  DefinitionKind,
  ExportFact,
  ExtractOptions,
  Extractor,
  FallbackSite,
  ImportFact,
  ImportedName,
  Param,
  ParseErrorFact,
  Range,
  Reference,
  SignatureOnlyReason,
  Span,
  Suppression,
} from "../../facts/types.js";
import { type ExtractedFacts, budgetExceeded, emptyFacts, extractionFailed } from "../../facts/failed.js";
import { LineIndex } from "../../util/line-index.js";
import { bodyShapeOfIds } from "../../util/shape.js";
import { parseSuppression } from "../../util/suppressions.js";
import {
  AMBIENT_FLAG,
  boundNames,
  collectShapeIds,
  commentFirstLine,
  decoratorsOf,
  defaultModifier,
  hasModifier,
  isAssignmentOperator,
  isDirectiveComment,
  isFunctionValue,
  isTransparentWrapper,
  memberPath,
  moduleLoadSpecifier,
  scriptKindFor,
  skipWrappers,
  skipWrappersAndAwait,
  staticName,
} from "./syntax.js";

/** The compiler's values; its types are the `ts` namespace. */
const tsc = typescript();

const SK = tsc.SyntaxKind;

export type TsFacts = ExtractedFacts;

/**
 * Parse budget. The TS parser cannot be interrupted, so the budget is enforced twice:
 * 1. Before parsing, a file longer than `parseBudgetMs × SKIP_CHARS_PER_MS` characters is skipped
 *    unparsed. SKIP_CHARS_PER_MS is 100 000 chars per ms (~100 MB/s), about 7× the parser's
 *    measured speed on realistic TS (~14 MB/s on one core), so a skipped file would have blown
 *    the budget even on a much faster machine; with a budget of seconds only files of hundreds of
 *    MB are skipped this way.
 * 2. After parsing, if the parse alone took longer than the budget, the facts are dropped.
 * Both yield empty facts and one parse error `parse budget of N ms exceeded (file is X KB); skipped`.
 */
const SKIP_CHARS_PER_MS = 100_000;
const MAX_PARSE_ERRORS = 20;
const MAX_RETURNS = 5;

const STUB_MESSAGE = /not\s*(yet\s*)?implemented|unimplemented|must\s+be\s+(implemented|overridden)|abstract/i;

interface DefState {
  def: Definition;
  /** Top-level name through which the definition is reachable from outside the module, if any. */
  rootName: string | undefined;
  /** Top-level definition (its own root). */
  top: boolean;
  forceExported: boolean;
  /** A `return` whose promise-ness facts cannot tell was seen (see `Definition.returnKind`). */
  opaqueReturn?: boolean;
}

interface Ctx {
  /** Qualified-name prefix for definitions declared directly in this scope. */
  prefix: string | undefined;
  /** Qualified name of the innermost recorded definition. */
  enclosing: string | undefined;
  /** Directly in the module's statement list. */
  top: boolean;
  /** Top-level name that definitions declared here are reachable through (class members, namespace members). */
  root: string | undefined;
  /** Innermost class, for `this.x` bindings. */
  cls: { qn: string; name: string } | undefined;
  /** Innermost function when it is a recorded definition (collects `return`s). */
  fn: DefState | undefined;
  /** Inside the `try` block (primary) or `catch` clause (fallback) of a try/catch, or the sides of a `.catch()`. */
  tryPart: "primary" | "fallback" | undefined;
}

/** How to walk the parts of one call: its receiver/callee, its promise-fallback arguments, the rest. */
interface CallStep {
  ctx: Ctx;
  receiverCtx: Ctx;
  fallbackCtx: Ctx;
  primaryArg?: ts.Node;
  fallbackArg?: ts.Node;
}

interface DefInit {
  name: string;
  qn: string;
  kind: DefinitionKind;
  /** Node whose range is the definition's span. */
  node: ts.Node;
  /** Name node; undefined for anonymous default exports (the `default` keyword is used). */
  nameNode: ts.Node | undefined;
  /** Function-like node providing params, async, return type and body. */
  fn?: ts.SignatureDeclaration;
  /** Node carrying the decorators (defaults to `node`). */
  decorated?: ts.Node;
  className?: string;
  bases?: string[];
  signatureOnly?: SignatureOnlyReason;
  /** Nodes whose shapes make the definition's shape (classes: members); defaults to the body. */
  shapeNodes?: readonly ts.Node[];
  bodyRange?: Range;
  rootName: string | undefined;
  top: boolean;
  forceExported?: boolean;
}

class FileExtractor {
  readonly definitions: Definition[] = [];
  readonly calls: CallSite[] = [];
  readonly references: Reference[] = [];
  readonly imports: ImportFact[] = [];
  readonly exports: ExportFact[] = [];
  readonly bindings: Binding[] = [];
  readonly fallbacks: FallbackSite[] = [];

  private readonly defStates: DefState[] = [];
  /** Top-level names exported from the module; value true when exported as default. */
  private readonly exportedNames = new Map<string, boolean>();
  /** Local names exported under their own name (`export function f`, `export { f }`), default export or not. */
  private readonly namedExportNames = new Set<string>();
  /** Call node → definition whose delegate call it is. */
  private readonly pendingDelegates = new Map<ts.Node, DefState>();
  /** Function expressions recorded as definitions by their assignment (`exports.f = function () {}`). */
  private readonly assignedFunctions = new Map<ts.Node, DefState>();
  /** Ranges of fallback sides that the walk may still be inside of. */
  private activeRanges: Range[] = [];
  /** Names bound by named imports and destructuring; reads of them are references. */
  private readonly readNames = new Set<string>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly text: string,
    private readonly li: LineIndex,
  ) {}

  run(): void {
    const ctx: Ctx = {
      prefix: undefined,
      enclosing: undefined,
      top: true,
      root: undefined,
      cls: undefined,
      fn: undefined,
      tryPart: undefined,
    };
    for (const st of this.sf.statements) this.visit(st, ctx);
    for (const ds of this.defStates) {
      const rootExport = ds.rootName === undefined ? undefined : this.exportedNames.get(ds.rootName);
      ds.def.exported = ds.forceExported || rootExport !== undefined;
      if (ds.top && rootExport === true) {
        ds.def.isDefaultExport = true;
        // `export function f` and `export default f`: the named export stays (imports of `f` work).
        if (ds.rootName === ds.def.qualifiedName && this.namedExportNames.has(ds.rootName)) {
          this.exports.push({ exported: ds.rootName, local: ds.rootName, span: ds.def.span });
        }
      }
    }
  }

  // ---------------------------------------------------------------- spans

  private start(node: ts.Node): number {
    return node.getStart(this.sf);
  }

  private spanOf(node: ts.Node): Span {
    return this.li.span(node.getStart(this.sf), node.end);
  }

  private rangeOf(node: ts.Node): Range {
    return { start: node.getStart(this.sf), end: node.end };
  }

  private textOf(node: ts.Node): string {
    return this.text.slice(node.getStart(this.sf), node.end);
  }

  // ---------------------------------------------------------------- walk

  private visitChildren(node: ts.Node, ctx: Ctx): void {
    tsc.forEachChild(node, (child) => {
      this.visit(child, ctx);
    });
  }

  private visit(node: ts.Node, ctx: Ctx): void {
    switch (node.kind) {
      case SK.FunctionDeclaration:
        this.visitFunctionDeclaration(node as ts.FunctionDeclaration, ctx);
        return;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        this.visitClass(node as ts.ClassLikeDeclaration, ctx, undefined, node);
        return;
      case SK.InterfaceDeclaration:
        this.visitInterface(node as ts.InterfaceDeclaration, ctx);
        return;
      case SK.TypeAliasDeclaration:
        this.visitTypeAlias(node as ts.TypeAliasDeclaration, ctx);
        return;
      case SK.ModuleDeclaration:
        this.visitNamespace(node as ts.ModuleDeclaration, ctx);
        return;
      case SK.VariableStatement:
        this.visitVariableStatement(node as ts.VariableStatement, ctx);
        return;
      case SK.VariableDeclaration:
        this.visitVariableDeclaration(node as ts.VariableDeclaration, ctx, node);
        return;
      case SK.ArrowFunction:
      case SK.FunctionExpression:
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.Constructor: {
        const named = (node as ts.MethodDeclaration).name as ts.Node | undefined;
        if (named && named.kind === SK.ComputedPropertyName) this.visit(named, ctx);
        this.visitFunctionInner(node as ts.SignatureDeclaration, this.assignedFunctions.get(node), ctx);
        return;
      }
      case SK.ObjectLiteralExpression:
        this.visitObjectLiteral(node as ts.ObjectLiteralExpression, ctx);
        return;
      case SK.CallExpression:
      case SK.NewExpression:
        this.visitCall(node as ts.CallExpression | ts.NewExpression, ctx);
        return;
      case SK.PropertyAccessExpression:
        this.visitPropertyAccess(node as ts.PropertyAccessExpression, ctx);
        this.visit((node as ts.PropertyAccessExpression).expression, ctx);
        return;
      case SK.Identifier:
        if (this.activeRanges.length > 0 || this.readNames.size > 0) this.visitIdentifier(node as ts.Identifier, ctx);
        return;
      case SK.BinaryExpression:
        this.visitBinary(node as ts.BinaryExpression, ctx);
        return;
      case SK.ConditionalExpression:
        this.visitConditional(node as ts.ConditionalExpression, ctx);
        return;
      case SK.IfStatement:
        this.visitIf(node as ts.IfStatement, ctx);
        return;
      case SK.TryStatement:
        this.visitTry(node as ts.TryStatement, ctx);
        return;
      case SK.ReturnStatement: {
        const expr = (node as ts.ReturnStatement).expression;
        if (expr && ctx.fn) {
          this.addReturn(ctx.fn, expr);
          this.noteReturnKind(ctx.fn, expr);
        }
        if (expr) this.visit(expr, ctx);
        return;
      }
      case SK.ImportDeclaration:
        this.visitImportDeclaration(node as ts.ImportDeclaration, ctx);
        return;
      case SK.ImportEqualsDeclaration:
        this.visitImportEquals(node as ts.ImportEqualsDeclaration, ctx);
        return;
      case SK.ExportDeclaration:
        this.visitExportDeclaration(node as ts.ExportDeclaration);
        return;
      case SK.ExportAssignment:
        this.visitExportAssignment(node as ts.ExportAssignment, ctx);
        return;
      case SK.HeritageClause:
      case SK.TypeParameter:
        return;
      default:
        if (tsc.isTypeNode(node)) return;
        this.visitChildren(node, ctx);
    }
  }

  // ---------------------------------------------------------------- definitions

  private placement(ctx: Ctx, name: string): { qn: string; rootName: string | undefined; top: boolean } {
    return {
      qn: ctx.prefix ? `${ctx.prefix}.${name}` : name,
      rootName: ctx.top ? name : ctx.root,
      top: ctx.top,
    };
  }

  private addDef(init: DefInit): DefState {
    const fn = init.fn;
    const nameSpan = init.nameNode ? this.spanOf(init.nameNode) : this.defaultKeywordSpan(init.node);
    const def: Definition = {
      name: init.name,
      qualifiedName: init.qn,
      kind: init.kind,
      span: this.spanOf(init.node),
      nameSpan,
      params: fn ? this.paramsOf(fn) : [],
      isAsync: fn ? hasModifier(fn, SK.AsyncKeyword) : false,
      decorators: decoratorsOf(init.decorated ?? init.node).map((d) => this.textOf(d.expression)),
      bases: init.bases ?? [],
      returns: [],
      exported: false,
    };
    const body = fn ? (fn as ts.FunctionLikeDeclarationBase).body : undefined;
    if (body) def.bodySpan = this.spanOf(body);
    else if (init.bodyRange) def.bodySpan = this.li.span(init.bodyRange.start, init.bodyRange.end);
    if (init.className !== undefined) def.className = init.className;
    const signatureOnly = init.signatureOnly ?? (body && body.kind === SK.Block ? stubReason(body as ts.Block) : undefined);
    if (signatureOnly) def.signatureOnly = signatureOnly;
    if (fn?.type) def.returnType = this.textOf(fn.type);
    const doc = this.docOf(init.node);
    if (doc !== undefined) def.doc = doc;
    const shapeNodes = init.shapeNodes ?? (body ? [body] : undefined);
    if (shapeNodes) {
      const tokens: number[] = [];
      for (const n of shapeNodes) collectShapeIds(n, tokens);
      def.shape = bodyShapeOfIds(tokens);
    }
    // Neither async nor annotated: the returns tell (a function without any returns gives nothing).
    if (body && !def.isAsync && def.returnType === undefined && !(fn as ts.FunctionLikeDeclarationBase).asteriskToken)
      def.returnKind = "value";
    const ds: DefState = { def, rootName: init.rootName, top: init.top, forceExported: init.forceExported ?? false };
    if (body) {
      const delegate = delegateCallNode(body);
      if (delegate) this.pendingDelegates.set(delegate, ds);
    }
    this.definitions.push(def);
    this.defStates.push(ds);
    return ds;
  }

  private defaultKeywordSpan(node: ts.Node): Span {
    const mod = defaultModifier(node);
    if (mod) return this.spanOf(mod);
    const from = this.start(node);
    const at = this.text.indexOf("default", from);
    if (at >= 0 && at < node.end) return this.li.span(at, at + "default".length);
    return this.li.span(from, from);
  }

  private paramsOf(fn: ts.SignatureDeclaration): Param[] {
    const out: Param[] = [];
    for (const p of fn.parameters) {
      if (p.name.kind === SK.Identifier && p.name.text === "this") continue;
      const param: Param = {
        name: p.name.kind === SK.Identifier ? p.name.text : this.textOf(p.name),
        kind: p.dotDotDotToken ? "rest" : p.name.kind === SK.Identifier ? "positional" : "destructured",
        hasDefault: p.initializer !== undefined || p.questionToken !== undefined,
      };
      if (p.type) param.type = this.textOf(p.type);
      if (p.name.kind === SK.ObjectBindingPattern) {
        const props: string[] = [];
        for (const el of p.name.elements) {
          if (el.dotDotDotToken) continue;
          const prop = el.propertyName ? staticName(el.propertyName) : el.name.kind === SK.Identifier ? el.name.text : undefined;
          if (prop !== undefined) props.push(prop);
        }
        param.properties = props;
      }
      out.push(param);
    }
    return out;
  }

  /** First line of the last JSDoc comment before the node. */
  private docOf(node: ts.Node): string | undefined {
    const ranges = tsc.getLeadingCommentRanges(this.text, node.pos);
    if (!ranges) return undefined;
    for (let i = ranges.length - 1; i >= 0; i--) {
      const r = ranges[i];
      if (!r) continue;
      const c = this.text.slice(r.pos, r.end);
      if (c.startsWith("/**") && c !== "/**/") return commentFirstLine(c);
    }
    return undefined;
  }

  private ambient(node: ts.Node): boolean {
    return (node.flags & AMBIENT_FLAG) !== 0 || hasModifier(node, SK.DeclareKeyword);
  }

  private noteExport(ctx: Ctx, node: ts.Node, name: string): void {
    if (!ctx.top || !hasModifier(node, SK.ExportKeyword)) return;
    const isDefault = hasModifier(node, SK.DefaultKeyword);
    if (!isDefault) this.namedExportNames.add(name);
    if (isDefault || !this.exportedNames.has(name)) this.exportedNames.set(name, isDefault);
  }

  /**
   * Walks the parameters and body of a function-like node. With `ds` the function is a recorded
   * definition: it becomes the enclosing definition and the naming prefix, and collects returns.
   * Without, calls inside belong to the current enclosing definition.
   */
  private visitFunctionInner(fn: ts.SignatureDeclaration, ds: DefState | undefined, ctx: Ctx): void {
    for (const dec of decoratorsOf(fn)) this.visit(dec.expression, ctx);
    const inner: Ctx = {
      prefix: ds ? ds.def.qualifiedName : ctx.prefix,
      enclosing: ds ? ds.def.qualifiedName : ctx.enclosing,
      top: false,
      root: undefined,
      cls: ctx.cls,
      fn: ds,
      tryPart: ctx.tryPart,
    };
    for (const p of fn.parameters) this.visit(p, inner);
    const body = (fn as ts.FunctionLikeDeclarationBase).body;
    if (!body) return;
    if (ds && body.kind !== SK.Block) {
      this.addReturn(ds, body as ts.Expression);
      this.noteReturnKind(ds, body as ts.Expression);
    }
    this.visit(body, inner);
  }

  /**
   * Records the member path of a returned expression. Value-selecting expressions are looked
   * through, so lazy singletons are understood: `return inst ?? (inst = new Hub())` →
   * `["inst"]`, `["Hub()"]`; `return c ? a : b` → `["a"]`, `["b"]`.
   */
  private addReturn(ds: DefState, expr: ts.Expression): void {
    if (ds.def.returns.length >= MAX_RETURNS) return;
    const e = skipWrappersAndAwait(expr);
    if (e.kind === SK.BinaryExpression) {
      const bin = e as ts.BinaryExpression;
      const op = bin.operatorToken.kind;
      if (op === SK.EqualsToken) {
        this.addReturn(ds, bin.right);
        return;
      }
      if (op === SK.BarBarToken || op === SK.QuestionQuestionToken || op === SK.AmpersandAmpersandToken) {
        this.addReturn(ds, bin.left);
        this.addReturn(ds, bin.right);
        return;
      }
    } else if (e.kind === SK.ConditionalExpression) {
      this.addReturn(ds, (e as ts.ConditionalExpression).whenTrue);
      this.addReturn(ds, (e as ts.ConditionalExpression).whenFalse);
      return;
    }
    const path = memberPath(e);
    if (path[0] !== "?" && !ds.def.returns.some((r) => r.length === path.length && r.every((seg, i) => seg === path[i]))) {
      ds.def.returns.push(path);
    }
  }

  /** Folds one returned expression into `returnKind` (promise wins; anything unknown clears `value`). */
  private noteReturnKind(ds: DefState, expr: ts.Expression): void {
    const def = ds.def;
    if (def.isAsync || def.returnType !== undefined || def.returnKind === "promise") return;
    if (def.returnKind === undefined && !ds.opaqueReturn) return; // not tracked (generator, no body)
    const kind = returnedKind(expr);
    if (kind === "promise") {
      def.returnKind = "promise";
    } else if (kind === "opaque") {
      ds.opaqueReturn = true;
      delete def.returnKind;
    }
  }

  private visitFunctionDeclaration(node: ts.FunctionDeclaration, ctx: Ctx): void {
    const name = node.name?.text ?? (hasModifier(node, SK.DefaultKeyword) ? "default" : undefined);
    if (name === undefined) {
      this.visitFunctionInner(node, undefined, ctx);
      return;
    }
    this.noteExport(ctx, node, name);
    const signatureOnly: SignatureOnlyReason | undefined = this.ambient(node) ? "declare" : node.body ? undefined : "overload";
    const ds = this.addDef({
      name,
      ...this.placement(ctx, name),
      kind: "function",
      node,
      nameNode: node.name,
      fn: node,
      ...(signatureOnly ? { signatureOnly } : {}),
    });
    this.visitFunctionInner(node, ds, ctx);
  }

  private visitClass(node: ts.ClassLikeDeclaration, ctx: Ctx, boundName: string | undefined, spanNode: ts.Node): void {
    for (const dec of decoratorsOf(node)) this.visit(dec.expression, ctx);
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token === SK.ExtendsKeyword) for (const t of clause.types) this.visit(t.expression, ctx);
    }
    const name = node.name?.text ?? boundName ?? (hasModifier(node, SK.DefaultKeyword) ? "default" : undefined);
    if (name === undefined) {
      for (const m of node.members) this.visit(m, ctx);
      return;
    }
    if (node.kind === SK.ClassDeclaration) this.noteExport(ctx, node, name);
    const bases: string[] = [];
    for (const clause of node.heritageClauses ?? []) for (const t of clause.types) bases.push(this.textOf(t));
    const ambient = this.ambient(node);
    const open = node.members.pos - 1;
    const ds = this.addDef({
      name,
      ...this.placement(ctx, name),
      kind: "class",
      node: spanNode,
      nameNode: node.name ?? (boundName !== undefined && spanNode !== node ? declaredName(spanNode) : undefined),
      decorated: node,
      bases,
      ...(ambient ? { signatureOnly: "declare" as const } : {}),
      shapeNodes: node.members,
      ...(this.text.charCodeAt(open) === 123 /* { */ ? { bodyRange: { start: open, end: node.end } } : {}),
    });
    const qn = ds.def.qualifiedName;
    const classCtx: Ctx = {
      prefix: qn,
      enclosing: qn,
      top: false,
      root: ds.rootName,
      cls: { qn, name },
      fn: undefined,
      tryPart: ctx.tryPart,
    };
    for (const member of node.members) this.visitClassMember(member, classCtx, ambient);
  }

  private visitClassMember(member: ts.ClassElement, ctx: Ctx, ambientClass: boolean): void {
    const cls = ctx.cls;
    switch (member.kind) {
      case SK.MethodDeclaration: {
        const m = member as ts.MethodDeclaration;
        const name = staticName(m.name);
        if (name === undefined || !cls) {
          this.visit(m, ctx);
          return;
        }
        const signatureOnly: SignatureOnlyReason | undefined =
          ambientClass || this.ambient(m) ? "declare" : hasModifier(m, SK.AbstractKeyword) ? "abstract" : m.body ? undefined : "overload";
        const ds = this.addDef({
          name,
          ...this.placement(ctx, name),
          kind: "method",
          node: m,
          nameNode: m.name,
          fn: m,
          className: cls.qn,
          ...(signatureOnly ? { signatureOnly } : {}),
        });
        this.visitFunctionInner(m, ds, ctx);
        return;
      }
      case SK.PropertyDeclaration: {
        const p = member as ts.PropertyDeclaration;
        const name = staticName(p.name);
        if (p.name.kind === SK.ComputedPropertyName) this.visit(p.name, ctx);
        for (const dec of decoratorsOf(p)) this.visit(dec.expression, ctx);
        const init = p.initializer ? skipWrappers(p.initializer) : undefined;
        if (name !== undefined && cls && init && isFunctionValue(init)) {
          const ds = this.addDef({
            name,
            ...this.placement(ctx, name),
            kind: "method",
            node: p,
            nameNode: p.name,
            fn: init,
            className: cls.qn,
            ...(ambientClass ? { signatureOnly: "declare" as const } : {}),
          });
          this.visitFunctionInner(init, ds, ctx);
          return;
        }
        if (name !== undefined && cls) {
          const target = hasModifier(p, SK.StaticKeyword) ? [cls.name, name] : ["this", name];
          this.addBinding(target, p.initializer, p.type, p, cls.qn);
        }
        if (p.initializer) this.visit(p.initializer, ctx);
        return;
      }
      case SK.Constructor: {
        const c = member as ts.ConstructorDeclaration;
        if (cls) {
          for (const param of c.parameters) {
            if (tsc.isParameterPropertyDeclaration(param, c) && param.name.kind === SK.Identifier) {
              this.addBinding(["this", param.name.text], param.initializer, param.type, param, cls.qn);
            }
          }
        }
        this.visitFunctionInner(c, undefined, ctx);
        return;
      }
      default:
        this.visit(member, ctx);
    }
  }

  private visitInterface(node: ts.InterfaceDeclaration, ctx: Ctx): void {
    const name = node.name.text;
    this.noteExport(ctx, node, name);
    const reason: SignatureOnlyReason = this.ambient(node) ? "declare" : "interface";
    const bases: string[] = [];
    for (const clause of node.heritageClauses ?? []) for (const t of clause.types) bases.push(this.textOf(t));
    const ds = this.addDef({
      name,
      ...this.placement(ctx, name),
      kind: "class",
      node,
      nameNode: node.name,
      bases,
      signatureOnly: reason,
    });
    this.visitTypeMembers(node.members, ds, reason);
  }

  private visitTypeAlias(node: ts.TypeAliasDeclaration, ctx: Ctx): void {
    if (node.type.kind !== SK.TypeLiteral) return;
    const name = node.name.text;
    this.noteExport(ctx, node, name);
    const reason: SignatureOnlyReason = this.ambient(node) ? "declare" : "interface";
    const ds = this.addDef({
      name,
      ...this.placement(ctx, name),
      kind: "class",
      node,
      nameNode: node.name,
      signatureOnly: reason,
    });
    this.visitTypeMembers((node.type as ts.TypeLiteralNode).members, ds, reason);
  }

  /** Method signatures (and function-typed property signatures) of an interface / type literal. */
  private visitTypeMembers(members: ts.NodeArray<ts.TypeElement>, owner: DefState, reason: SignatureOnlyReason): void {
    const ownerQn = owner.def.qualifiedName;
    for (const m of members) {
      let fn: ts.SignatureDeclaration | undefined;
      if (m.kind === SK.MethodSignature) fn = m as ts.MethodSignature;
      else if (m.kind === SK.PropertySignature) {
        const type = (m as ts.PropertySignature).type;
        if (type && type.kind === SK.FunctionType) fn = type as ts.FunctionTypeNode;
      }
      const name = staticName(m.name);
      if (!fn || name === undefined) continue;
      this.addDef({
        name,
        qn: `${ownerQn}.${name}`,
        rootName: owner.rootName,
        top: false,
        kind: "method",
        node: m,
        nameNode: m.name,
        fn,
        className: ownerQn,
        signatureOnly: reason,
      });
    }
  }

  private visitNamespace(node: ts.ModuleDeclaration, ctx: Ctx): void {
    let inner: Ctx = { ...ctx, top: false, root: undefined };
    if (node.name.kind === SK.Identifier) {
      const name = node.name.text;
      this.noteExport(ctx, node, name);
      const place = this.placement(ctx, name);
      inner = { ...ctx, prefix: place.qn, top: false, root: place.rootName };
    }
    const body = node.body;
    if (!body) return;
    if (body.kind === SK.ModuleDeclaration) this.visitNamespace(body as ts.ModuleDeclaration, inner);
    else if (body.kind === SK.ModuleBlock) {
      // Only `export`ed namespace members are reachable from outside.
      const hidden: Ctx = { ...inner, root: undefined };
      for (const st of (body as ts.ModuleBlock).statements) this.visit(st, hasModifier(st, SK.ExportKeyword) ? inner : hidden);
    }
  }

  private visitVariableStatement(node: ts.VariableStatement, ctx: Ctx): void {
    const decls = node.declarationList.declarations;
    const exported = ctx.top && hasModifier(node, SK.ExportKeyword);
    for (const decl of decls) {
      if (exported) {
        for (const n of boundNames(decl.name)) {
          if (!this.exportedNames.has(n)) this.exportedNames.set(n, false);
          this.exports.push({ exported: n, local: n, span: this.spanOf(decl) });
        }
      }
      this.visitVariableDeclaration(decl, ctx, decls.length === 1 ? node : decl);
    }
  }

  private visitVariableDeclaration(decl: ts.VariableDeclaration, ctx: Ctx, spanNode: ts.Node): void {
    const init = decl.initializer;
    if (decl.name.kind === SK.Identifier && init) {
      const name = decl.name.text;
      const value = skipWrappers(init);
      if (isFunctionValue(value)) {
        const ds = this.addDef({
          name,
          ...this.placement(ctx, name),
          kind: "function",
          node: spanNode,
          nameNode: decl.name,
          fn: value,
          ...(this.ambient(decl) ? { signatureOnly: "declare" as const } : {}),
        });
        this.visitFunctionInner(value, ds, ctx);
        return;
      }
      if (value.kind === SK.ClassExpression) {
        this.visitClass(value as ts.ClassExpression, ctx, name, spanNode);
        return;
      }
      if (value.kind === SK.ObjectLiteralExpression) {
        const place = this.placement(ctx, name);
        this.visitObjectMembers(value as ts.ObjectLiteralExpression, ctx, {
          qn: place.qn,
          className: place.qn,
          rootName: place.rootName,
          forceExported: false,
        });
        return;
      }
    }
    if (decl.name.kind === SK.Identifier) {
      this.addBinding([decl.name.text], init, decl.type, decl, ctx.enclosing);
    } else if (decl.name.kind === SK.ObjectBindingPattern && init) {
      const source = skipWrappersAndAwait(init);
      if (!(source.kind === SK.CallExpression && moduleLoadSpecifier(source as ts.CallExpression))) {
        const base = memberPath(source);
        if (base[0] !== "?") {
          for (const el of decl.name.elements) {
            if (el.dotDotDotToken || el.name.kind !== SK.Identifier) continue;
            const prop = el.propertyName ? staticName(el.propertyName) : el.name.text;
            if (prop === undefined) continue;
            this.readNames.add(el.name.text);
            this.bindings.push({
              target: [el.name.text],
              ...(ctx.enclosing !== undefined ? { scope: ctx.enclosing } : {}),
              value: { kind: "alias", path: [...base, prop] },
              span: this.spanOf(el),
            });
          }
        }
      }
    }
    if (decl.name.kind !== SK.Identifier) this.visit(decl.name, ctx);
    if (init) this.visit(init, ctx);
  }

  /**
   * Object literals hold definitions (`x.foo` for `const x = { foo() {} }`) when bound to a
   * variable, exported (`export default {…}`, `module.exports = {…}`) or returned from a
   * function (then qualified like nested functions). Other object literals (arguments, array
   * elements …) are walked for calls only.
   */
  private visitObjectLiteral(node: ts.ObjectLiteralExpression, ctx: Ctx): void {
    let child: ts.Node = node;
    let parent = node.parent;
    while (isTransparentWrapper(parent)) {
      child = parent;
      parent = parent.parent;
    }
    const returned =
      parent.kind === SK.ReturnStatement || (parent.kind === SK.ArrowFunction && (parent as ts.ArrowFunction).body === child);
    const commonJsExport =
      parent.kind === SK.BinaryExpression &&
      (parent as ts.BinaryExpression).right === child &&
      (parent as ts.BinaryExpression).operatorToken.kind === SK.EqualsToken &&
      memberPath((parent as ts.BinaryExpression).left).join(".") === "module.exports";
    if (returned || commonJsExport) {
      this.visitObjectMembers(node, ctx, { qn: undefined, className: undefined, rootName: undefined, forceExported: commonJsExport });
    } else {
      this.visitChildren(node, ctx);
    }
  }

  private visitObjectMembers(
    node: ts.ObjectLiteralExpression,
    ctx: Ctx,
    place: { qn: string | undefined; className: string | undefined; rootName: string | undefined; forceExported: boolean },
  ): void {
    for (const prop of node.properties) {
      const name = staticName(prop.name);
      let fn: ts.SignatureDeclaration | undefined;
      if (prop.kind === SK.MethodDeclaration) fn = prop;
      else if (prop.kind === SK.PropertyAssignment) {
        const value = skipWrappers(prop.initializer);
        if (isFunctionValue(value)) fn = value;
        else if (value.kind === SK.ObjectLiteralExpression && name !== undefined && place.qn !== undefined) {
          const qn = `${place.qn}.${name}`;
          this.visitObjectMembers(value as ts.ObjectLiteralExpression, ctx, { ...place, qn, className: qn });
          continue;
        }
      }
      if (!fn || name === undefined) {
        this.visit(prop, ctx);
        continue;
      }
      const ds = this.addDef({
        name,
        qn: place.qn !== undefined ? `${place.qn}.${name}` : this.placement(ctx, name).qn,
        rootName: place.rootName,
        top: false,
        forceExported: place.forceExported,
        kind: "method",
        node: prop,
        nameNode: prop.name,
        fn,
        ...(place.className !== undefined ? { className: place.className } : {}),
      });
      this.visitFunctionInner(fn, ds, ctx);
    }
  }

  // ---------------------------------------------------------------- bindings

  private bindingValue(init: ts.Expression | undefined): Binding["value"] | undefined {
    if (!init) return undefined;
    const e = skipWrappersAndAwait(init);
    switch (e.kind) {
      case SK.CallExpression: {
        if (moduleLoadSpecifier(e as ts.CallExpression)) return undefined;
        const callee = memberPath((e as ts.CallExpression).expression);
        return callee[0] === "?" ? undefined : { kind: "call", callee };
      }
      case SK.NewExpression: {
        const callee = memberPath((e as ts.NewExpression).expression);
        return callee[0] === "?" ? undefined : { kind: "call", callee, isNew: true };
      }
      case SK.Identifier:
      case SK.PropertyAccessExpression:
      case SK.ThisKeyword: {
        if (e.kind === SK.Identifier && (e as ts.Identifier).text === "undefined") return undefined;
        if (e.kind === SK.PropertyAccessExpression && isModuleLoadMember(e as ts.PropertyAccessExpression)) return undefined;
        const path = memberPath(e);
        return path[0] === "?" ? undefined : { kind: "alias", path };
      }
      default:
        return undefined;
    }
  }

  private addBinding(
    target: string[],
    init: ts.Expression | undefined,
    type: ts.TypeNode | undefined,
    node: ts.Node,
    scope: string | undefined,
  ): void {
    const value = this.bindingValue(init) ?? (type ? { kind: "annotation" as const } : undefined);
    if (!value) return;
    const b: Binding = { target, ...(scope !== undefined ? { scope } : {}), value, span: this.spanOf(node) };
    if (type) b.type = this.textOf(type);
    this.bindings.push(b);
  }

  // ---------------------------------------------------------------- calls, references

  /**
   * Calls are walked iteratively along receiver chains (`a.b().c().d()` …), so long generated
   * builder chains do not overflow the stack. Order stays pre-order: each call of the chain from
   * the outermost in, then the innermost receiver, then the argument lists inside-out.
   */
  private visitCall(node: ts.CallExpression | ts.NewExpression, ctx: Ctx): void {
    const spine: { call: ts.CallExpression | ts.NewExpression; step: CallStep }[] = [];
    let cur = node;
    let curCtx = ctx;
    for (;;) {
      const step = this.callFacts(cur, curCtx);
      spine.push({ call: cur, step });
      const callee = cur.expression;
      const receiver = callee.kind === SK.PropertyAccessExpression ? (callee as ts.PropertyAccessExpression).expression : undefined;
      if (receiver && (receiver.kind === SK.CallExpression || receiver.kind === SK.NewExpression)) {
        cur = receiver as ts.CallExpression | ts.NewExpression;
        curCtx = step.receiverCtx;
        continue;
      }
      // The callee member access itself is neither a reference nor a chain part to record.
      this.visit(receiver ?? callee, step.receiverCtx);
      break;
    }
    for (let i = spine.length - 1; i >= 0; i--) {
      const link = spine[i];
      if (!link) continue;
      const { step } = link;
      for (const a of link.call.arguments ?? []) {
        this.visit(a, a === step.fallbackArg ? step.fallbackCtx : a === step.primaryArg ? step.receiverCtx : step.ctx);
      }
    }
  }

  /** Records one call (and its import / promise-fallback facts); says in which context to walk its parts. */
  private callFacts(node: ts.CallExpression | ts.NewExpression, ctx: Ctx): CallStep {
    const isNew = node.kind === SK.NewExpression;
    const step: CallStep = { ctx, receiverCtx: ctx, fallbackCtx: ctx };
    if (!isNew) {
      const load = moduleLoadSpecifier(node as ts.CallExpression);
      if (load) this.recordModuleLoad(node as ts.CallExpression, load.module, ctx);
      if (node.expression.kind === SK.ImportKeyword) return step;
    }
    const args = node.arguments;
    if (!isNew && node.expression.kind === SK.PropertyAccessExpression && args) {
      const pa = node.expression as ts.PropertyAccessExpression;
      const method = pa.name.text;
      const first = args[0];
      const second = args[1];
      if (method === "catch" && first) {
        step.fallbackArg = first;
      } else if (method === "then" && first && second) {
        step.primaryArg = first;
        step.fallbackArg = second;
      }
      if (step.fallbackArg) {
        this.addFallback({
          kind: "promise-catch",
          span: this.spanOf(node),
          primary: step.primaryArg ? [this.rangeOf(pa.expression), this.rangeOf(step.primaryArg)] : [this.rangeOf(pa.expression)],
          fallback: [this.rangeOf(step.fallbackArg)],
          ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
        });
        step.receiverCtx = { ...ctx, tryPart: "primary" };
        step.fallbackCtx = { ...ctx, tryPart: "fallback" };
      }
    }

    const callArgs: CallArgument[] = [];
    for (const a of args ?? []) {
      callArgs.push(a.kind === SK.SpreadElement ? { spread: "list", span: this.spanOf(a) } : { span: this.spanOf(a) });
    }
    const open = args ? args.pos - 1 : node.end;
    let p: ts.Node = node.parent;
    while (p.kind === SK.ParenthesizedExpression) p = p.parent;
    const call: CallSite = {
      callee: memberPath(node.expression),
      calleeSpan: this.spanOf(node.expression),
      span: this.spanOf(node),
      args: callArgs,
      argsSpan: this.li.span(open, node.end),
      ...(isNew ? { isNew: true } : {}),
      awaited: p.kind === SK.AwaitExpression,
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    };
    const delegateOf = this.pendingDelegates.get(node);
    if (delegateOf && !isNew) delegateOf.def.delegateCall = this.calls.length;
    this.calls.push(call);
    return step;
  }

  /** `require("m")` / `import("m")`: an import, bound when assigned to a name or destructured. */
  private recordModuleLoad(call: ts.CallExpression, module: string, ctx: Ctx): void {
    let child: ts.Node = call;
    let parent = call.parent;
    while (isTransparentWrapper(parent) || parent.kind === SK.AwaitExpression) {
      child = parent;
      parent = parent.parent;
    }
    let imported: string | undefined;
    if (parent.kind === SK.PropertyAccessExpression && (parent as ts.PropertyAccessExpression).expression === child) {
      imported = (parent as ts.PropertyAccessExpression).name.text;
      child = parent;
      parent = parent.parent;
    }
    const names: ImportedName[] = [];
    let spanNode: ts.Node = call;
    const assignment = parent as ts.BinaryExpression;
    if (
      parent.kind === SK.BinaryExpression &&
      assignment.right === child &&
      assignment.operatorToken.kind === SK.EqualsToken &&
      assignment.left.kind === SK.Identifier
    ) {
      // `impl = require("m")` (typical of try/catch import fallbacks)
      names.push({ imported: imported ?? "*", local: (assignment.left as ts.Identifier).text, span: this.spanOf(assignment.left) });
      spanNode = parent;
    } else if (parent.kind === SK.VariableDeclaration && (parent as ts.VariableDeclaration).initializer === child) {
      const decl = parent as ts.VariableDeclaration;
      spanNode = variableSpanNode(decl);
      if (decl.name.kind === SK.Identifier) {
        names.push({ imported: imported ?? "*", local: decl.name.text, span: this.spanOf(decl.name) });
      } else if (decl.name.kind === SK.ObjectBindingPattern && imported === undefined) {
        for (const el of decl.name.elements) {
          if (el.dotDotDotToken || el.name.kind !== SK.Identifier) continue;
          const prop = el.propertyName ? staticName(el.propertyName) : el.name.text;
          if (prop !== undefined) names.push({ imported: prop, local: el.name.text, span: this.spanOf(el) });
        }
      }
    }
    for (const n of names) if (n.imported !== "*") this.readNames.add(n.local);
    this.imports.push({
      module,
      level: 0,
      names,
      span: this.spanOf(spanNode),
      ...(ctx.tryPart ? { inFallback: ctx.tryPart } : {}),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
  }

  private visitPropertyAccess(node: ts.PropertyAccessExpression, ctx: Ctx): void {
    let child: ts.Node = node;
    let parent = node.parent;
    while (isTransparentWrapper(parent) || parent.kind === SK.AwaitExpression) {
      child = parent;
      parent = parent.parent;
    }
    switch (parent.kind) {
      case SK.PropertyAccessExpression:
        if ((parent as ts.PropertyAccessExpression).expression === child) return;
        break;
      case SK.CallExpression:
      case SK.NewExpression:
        if ((parent as ts.CallExpression).expression === child) return;
        break;
      case SK.BinaryExpression: {
        const bin = parent as ts.BinaryExpression;
        if (bin.left === child && isAssignmentOperator(bin.operatorToken.kind)) {
          // The target is written, but its receiver (`process.env` in `process.env.X = …`) is read.
          this.addReference(node.expression, ctx);
          return;
        }
        break;
      }
    }
    this.addReference(node, ctx);
  }

  private addReference(node: ts.Expression, ctx: Ctx): void {
    const path = memberPath(node);
    if (path.length < 2 || path[0] === "?") return;
    this.references.push({
      path,
      span: this.spanOf(node),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
  }

  /**
   * Single names are references inside a fallback side, and when they read a name imported or
   * destructured from something (`const { env } = process` … `env["X"]`), so aliased sinks are seen.
   */
  private visitIdentifier(node: ts.Identifier, ctx: Ctx): void {
    const start = this.start(node);
    const end = node.end;
    let inside = false;
    let stale = false;
    for (const r of this.activeRanges) {
      if (r.start <= start && end <= r.end) {
        inside = true;
        break;
      }
      if (r.end <= start) stale = true;
    }
    if (stale && !inside) this.activeRanges = this.activeRanges.filter((r) => r.end > start);
    if ((!inside && !this.readNames.has(node.text)) || !isValueIdentifier(node) || node.text === "undefined") return;
    this.references.push({
      path: [node.text],
      span: this.li.span(start, end),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
  }

  // ---------------------------------------------------------------- fallbacks

  private addFallback(site: FallbackSite): FallbackSite {
    this.fallbacks.push(site);
    const now = site.span.start;
    this.activeRanges = this.activeRanges.filter((r) => r.end > now);
    for (const r of site.primary) this.activeRanges.push(r);
    for (const r of site.fallback) this.activeRanges.push(r);
    return site;
  }

  /**
   * Binary expressions are walked iteratively down their left spine, so that long generated
   * chains (`a + b + … + z`, thousands of terms) do not overflow the stack. Visit order stays
   * pre-order: every spine node, then the leftmost operand, then the right operands inside-out.
   */
  private visitBinary(node: ts.BinaryExpression, ctx: Ctx): void {
    const spine: ts.BinaryExpression[] = [];
    let e: ts.Expression = node;
    while (e.kind === SK.BinaryExpression) {
      const bin = e as ts.BinaryExpression;
      spine.push(bin);
      this.binaryFacts(bin, ctx);
      e = bin.left;
    }
    this.visit(e, ctx);
    for (let i = spine.length - 1; i >= 0; i--) {
      const bin = spine[i];
      if (bin) this.visit(bin.right, ctx);
    }
  }

  private binaryFacts(node: ts.BinaryExpression, ctx: Ctx): void {
    const op = node.operatorToken.kind;
    if (op === SK.EqualsToken) this.visitAssignment(node, ctx);
    if (op === SK.QuestionQuestionEqualsToken || op === SK.BarBarEqualsToken) {
      // `handler ??= legacyHandler`: the right side runs only when the left is missing.
      this.addFallback({
        kind: op === SK.BarBarEqualsToken ? "or" : "nullish",
        span: this.spanOf(node),
        primary: [this.rangeOf(node.left)],
        fallback: [this.rangeOf(node.right)],
        ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
      });
      return;
    }
    if (op !== SK.BarBarToken && op !== SK.QuestionQuestionToken) return;
    const parent = node.parent;
    // Only the outermost of a same-operator chain; `a || b || c` is `(a || b) || c`.
    if (parent.kind === SK.BinaryExpression && (parent as ts.BinaryExpression).operatorToken.kind === op) return;
    let innermost = node;
    const rights = [node.right];
    while (innermost.left.kind === SK.BinaryExpression && (innermost.left as ts.BinaryExpression).operatorToken.kind === op) {
      innermost = innermost.left as ts.BinaryExpression;
      rights.push(innermost.right);
    }
    // `!this.pool || !this.conn` tests; it does not fall back to a value.
    if (op === SK.BarBarToken && rights.every(isBooleanValued)) return;
    this.addFallback({
      kind: op === SK.BarBarToken ? "or" : "nullish",
      span: this.spanOf(node),
      primary: [this.rangeOf(innermost.left)],
      fallback: [{ start: this.start(innermost.right), end: node.right.end }],
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
  }

  /** `x = call()`, `this.x = new X()`, `a.b = c.d` bindings; CommonJS `module.exports` / `exports.x`. */
  private visitAssignment(node: ts.BinaryExpression, ctx: Ctx): void {
    const left = skipWrappers(node.left);
    if (left.kind !== SK.Identifier && left.kind !== SK.PropertyAccessExpression) return;
    const target = memberPath(left);
    if (target[0] === "?" || target.some((s) => s.endsWith("()"))) return;
    const isModuleExports = target.length === 2 && target[0] === "module" && target[1] === "exports";
    if (
      isModuleExports ||
      (target.length === 3 && target[0] === "module" && target[1] === "exports") ||
      (target.length === 2 && target[0] === "exports")
    ) {
      this.recordCommonJsExport(node, target, isModuleExports);
    }
    const fn = skipWrappers(node.right);
    if (isFunctionValue(fn)) {
      this.assignedFunction(node, fn, target, isModuleExports, ctx);
      return;
    }
    const value = this.bindingValue(node.right);
    if (!value) return;
    const scope = target[0] === "this" && ctx.cls ? ctx.cls.qn : ctx.enclosing;
    this.bindings.push({ target, ...(scope !== undefined ? { scope } : {}), value, span: this.spanOf(node) });
  }

  /**
   * Functions assigned to CommonJS exports and prototypes are definitions: `exports.f = …` /
   * `module.exports.f = …` → `f` (exported), `module.exports = function g() {}` → `g` (default
   * export), `Hub.prototype.push = …` → method `Hub.push`. Other assigned functions are not.
   */
  private assignedFunction(
    node: ts.BinaryExpression,
    fn: ts.ArrowFunction | ts.FunctionExpression,
    target: string[],
    wholeModule: boolean,
    ctx: Ctx,
  ): void {
    const last = target[target.length - 1] ?? "";
    let ds: DefState | undefined;
    const base = { node, nameNode: node.left, fn, top: false } as const;
    if (wholeModule) {
      const name = fn.name?.text ?? "default";
      this.exportedNames.set(name, true);
      ds = this.addDef({ ...base, name, qn: name, kind: "function", rootName: name, top: true, nameNode: fn.name ?? node.left });
    } else if (
      (target.length === 2 && target[0] === "exports") ||
      (target.length === 3 && target[0] === "module" && target[1] === "exports")
    ) {
      ds = this.addDef({ ...base, name: last, qn: last, kind: "function", rootName: undefined, forceExported: true });
    } else if (target.length === 3 && target[1] === "prototype" && target[0] !== undefined) {
      const owner = this.placement(ctx, target[0]);
      ds = this.addDef({ ...base, name: last, qn: `${owner.qn}.${last}`, kind: "method", className: owner.qn, rootName: owner.rootName });
    }
    if (ds) this.assignedFunctions.set(fn, ds);
  }

  private recordCommonJsExport(node: ts.BinaryExpression, target: string[], whole: boolean): void {
    const right = skipWrappers(node.right);
    const span = this.spanOf(node);
    if (!whole) {
      const exported = target[target.length - 1] ?? "";
      const local = right.kind === SK.Identifier ? (right as ts.Identifier).text : exported;
      this.exports.push({ exported, local, span });
      if (right.kind === SK.Identifier) this.exportedNames.set(local, this.exportedNames.get(local) ?? false);
      return;
    }
    if (right.kind === SK.Identifier) {
      const local = (right as ts.Identifier).text;
      this.exports.push({ exported: "default", local, span });
      this.exportedNames.set(local, true);
    } else if (isFunctionValue(right) || right.kind === SK.ClassExpression) {
      const name = (right as ts.FunctionExpression | ts.ClassExpression).name?.text;
      if (name !== undefined) this.exports.push({ exported: "default", local: name, span });
    } else if (right.kind === SK.ObjectLiteralExpression) {
      for (const prop of (right as ts.ObjectLiteralExpression).properties) {
        const exported = staticName(prop.name);
        if (exported === undefined) continue;
        let local: string | undefined;
        if (prop.kind === SK.ShorthandPropertyAssignment) local = prop.name.text;
        else if (prop.kind === SK.PropertyAssignment && prop.initializer.kind === SK.Identifier) {
          local = (prop.initializer as ts.Identifier).text;
        }
        if (local === undefined) continue;
        this.exports.push({ exported, local, span: this.spanOf(prop) });
        this.exportedNames.set(local, this.exportedNames.get(local) ?? false);
      }
    }
  }

  private visitConditional(node: ts.ConditionalExpression, ctx: Ctx): void {
    this.addFallback({
      kind: "conditional",
      span: this.spanOf(node),
      primary: [this.rangeOf(node.condition), this.rangeOf(node.whenFalse)],
      fallback: [this.rangeOf(node.whenTrue)],
      condition: this.conditionText(node.condition),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
    this.visitChildren(node, ctx);
  }

  private visitIf(node: ts.IfStatement, ctx: Ctx): void {
    const base = {
      kind: "conditional" as const,
      span: this.spanOf(node),
      fallback: [this.rangeOf(node.thenStatement)],
      condition: this.conditionText(node.expression),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    };
    if (node.elseStatement) {
      this.addFallback({ ...base, primary: [this.rangeOf(node.expression), this.rangeOf(node.elseStatement)] });
    } else if (endsWithExit(node.thenStatement)) {
      const primary = [this.rangeOf(node.expression)];
      const rest = this.restOfBlock(node);
      if (rest) primary.push(rest);
      this.addFallback({ ...base, primary });
    }
    this.visitChildren(node, ctx);
  }

  /** Range from the statement after `node` to the end of the last statement of its block. */
  private restOfBlock(node: ts.Statement): Range | undefined {
    const parent = node.parent;
    let statements: ts.NodeArray<ts.Statement> | undefined;
    switch (parent.kind) {
      case SK.Block:
      case SK.SourceFile:
      case SK.ModuleBlock:
      case SK.CaseClause:
      case SK.DefaultClause:
        statements = (parent as ts.Block).statements;
        break;
      default:
        return undefined;
    }
    const i = statements.indexOf(node);
    const next = statements[i + 1];
    const last = statements[statements.length - 1];
    if (i < 0 || !next || !last) return undefined;
    return { start: this.start(next), end: last.end };
  }

  private conditionText(node: ts.Node): string {
    return this.textOf(node).trim().slice(0, 200);
  }

  private visitTry(node: ts.TryStatement, ctx: Ctx): void {
    const catchClause = node.catchClause;
    if (!catchClause) {
      this.visitChildren(node, ctx);
      return;
    }
    const fallback = [this.rangeOf(catchClause.block)];
    // `try { return next(); } catch { log(); } return legacy();`: when the try block always
    // leaves and the catch falls through, the statements after the try are the fallback too.
    const exits = (block: ts.Block) => {
      const last = block.statements.at(-1);
      return last !== undefined && (last.kind === SK.ReturnStatement || last.kind === SK.ThrowStatement);
    };
    const parent = node.parent;
    if (exits(node.tryBlock) && !exits(catchClause.block) && (parent.kind === SK.Block || parent.kind === SK.SourceFile) && parent.end > node.end) {
      fallback.push({ start: node.end, end: parent.kind === SK.Block ? parent.end - 1 : parent.end });
    }
    const site = this.addFallback({
      kind: "try",
      span: this.spanOf(node),
      primary: [this.rangeOf(node.tryBlock)],
      fallback,
      caught: [],
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
    const importsBefore = this.imports.length;
    this.visit(node.tryBlock, { ...ctx, tryPart: "primary" });
    if (this.imports.length > importsBefore) site.kind = "import-fallback";
    this.visit(catchClause, { ...ctx, tryPart: "fallback" });
    if (node.finallyBlock) this.visit(node.finallyBlock, ctx);
  }

  // ---------------------------------------------------------------- imports / exports

  private visitImportDeclaration(node: ts.ImportDeclaration, ctx: Ctx): void {
    const spec = node.moduleSpecifier;
    if (spec.kind !== SK.StringLiteral) return;
    const names: ImportedName[] = [];
    const clause = node.importClause;
    let typeOnly = false;
    if (clause) {
      typeOnly = clause.phaseModifier === SK.TypeKeyword;
      if (clause.name) names.push({ imported: "default", local: clause.name.text, span: this.spanOf(clause.name) });
      const nb = clause.namedBindings;
      if (nb && nb.kind === SK.NamespaceImport) {
        names.push({ imported: "*", local: nb.name.text, span: this.spanOf(nb) });
      } else if (nb && nb.kind === SK.NamedImports) {
        for (const el of nb.elements) {
          names.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text, span: this.spanOf(el) });
        }
        if (!clause.name && nb.elements.length > 0 && nb.elements.every((el) => el.isTypeOnly)) typeOnly = true;
      }
    }
    for (const n of names) if (n.imported !== "*" && n.imported !== "default") this.readNames.add(n.local);
    this.imports.push({
      module: (spec as ts.StringLiteral).text,
      level: 0,
      names,
      ...(typeOnly ? { typeOnly: true } : {}),
      span: this.spanOf(node),
      ...(ctx.tryPart ? { inFallback: ctx.tryPart } : {}),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
  }

  private visitImportEquals(node: ts.ImportEqualsDeclaration, ctx: Ctx): void {
    const ref = node.moduleReference;
    if (ref.kind !== SK.ExternalModuleReference || ref.expression.kind !== SK.StringLiteral) return;
    this.imports.push({
      module: (ref.expression as ts.StringLiteral).text,
      level: 0,
      names: [{ imported: "*", local: node.name.text, span: this.spanOf(node.name) }],
      ...(node.isTypeOnly ? { typeOnly: true } : {}),
      span: this.spanOf(node),
      ...(ctx.tryPart ? { inFallback: ctx.tryPart } : {}),
      ...(ctx.enclosing !== undefined ? { enclosing: ctx.enclosing } : {}),
    });
  }

  private visitExportDeclaration(node: ts.ExportDeclaration): void {
    const from =
      node.moduleSpecifier && node.moduleSpecifier.kind === SK.StringLiteral ? (node.moduleSpecifier as ts.StringLiteral).text : undefined;
    const fromPart = from !== undefined ? { from } : {};
    const clause = node.exportClause;
    if (!clause) {
      if (from !== undefined) this.exports.push({ exported: "*", local: "*", from, span: this.spanOf(node) });
      return;
    }
    if (clause.kind === SK.NamespaceExport) {
      this.exports.push({ exported: clause.name.text, local: "*", ...fromPart, span: this.spanOf(node) });
      return;
    }
    for (const el of clause.elements) {
      const exported = el.name.text;
      const local = (el.propertyName ?? el.name).text;
      this.exports.push({ exported, local, ...fromPart, span: this.spanOf(el) });
      if (from === undefined) {
        const isDefault = exported === "default";
        if (exported === local) this.namedExportNames.add(local);
        if (isDefault || !this.exportedNames.has(local)) this.exportedNames.set(local, isDefault);
      }
    }
  }

  private visitExportAssignment(node: ts.ExportAssignment, ctx: Ctx): void {
    const e = skipWrappers(node.expression);
    if (e.kind === SK.Identifier) {
      const local = (e as ts.Identifier).text;
      this.exports.push({ exported: "default", local, span: this.spanOf(node) });
      this.exportedNames.set(local, true);
      return;
    }
    if (isFunctionValue(e)) {
      this.exportedNames.set("default", true);
      const name = e.kind === SK.FunctionExpression && e.name ? e.name.text : "default";
      const ds = this.addDef({
        name,
        qn: name,
        rootName: "default",
        top: true,
        kind: "function",
        node,
        nameNode: e.kind === SK.FunctionExpression ? e.name : undefined,
        fn: e,
      });
      this.visitFunctionInner(e, ds, ctx);
      return;
    }
    if (e.kind === SK.ClassExpression) {
      this.exportedNames.set((e as ts.ClassExpression).name?.text ?? "default", true);
      this.visitClass(e as ts.ClassExpression, ctx, "default", node);
      return;
    }
    if (e.kind === SK.ObjectLiteralExpression) {
      this.exportedNames.set("default", true);
      this.visitObjectMembers(e as ts.ObjectLiteralExpression, ctx, {
        qn: "default",
        className: "default",
        rootName: "default",
        forceExported: false,
      });
      return;
    }
    const value = this.bindingValue(e);
    if (value && value.kind === "call") this.bindings.push({ target: ["default"], value, span: this.spanOf(node) });
    this.visit(e, ctx);
  }
}

// -------------------------------------------------------------------- pure helpers

function declaredName(node: ts.Node): ts.Node | undefined {
  if (node.kind === SK.VariableStatement) {
    const d = (node as ts.VariableStatement).declarationList.declarations[0];
    return d?.name;
  }
  if (node.kind === SK.VariableDeclaration) return (node as ts.VariableDeclaration).name;
  return undefined;
}

/** The variable statement when it declares only `decl`, else the declaration itself. */
function variableSpanNode(decl: ts.VariableDeclaration): ts.Node {
  const list = decl.parent;
  if (list.kind === SK.VariableDeclarationList && list.declarations.length === 1 && list.parent.kind === SK.VariableStatement) {
    return list.parent;
  }
  return decl;
}

/** `require("m").x` / `(await import("m")).x`: recorded as an import, not as a binding. */
function isModuleLoadMember(pa: ts.PropertyAccessExpression): boolean {
  const receiver = skipWrappersAndAwait(pa.expression);
  return receiver.kind === SK.CallExpression && moduleLoadSpecifier(receiver as ts.CallExpression) !== undefined;
}

function endsWithExit(s: ts.Statement): boolean {
  if (s.kind === SK.ReturnStatement || s.kind === SK.ThrowStatement) return true;
  if (s.kind === SK.Block) {
    const stmts = (s as ts.Block).statements;
    const last = stmts[stmts.length - 1];
    return last !== undefined && (last.kind === SK.ReturnStatement || last.kind === SK.ThrowStatement);
  }
  return false;
}

/** `{}` or a lone `throw new Error("not implemented")`-style statement. */
function stubReason(body: ts.Block): SignatureOnlyReason | undefined {
  const stmts = body.statements;
  if (stmts.length === 0) return "stub";
  const only = stmts[0];
  if (stmts.length !== 1 || !only || only.kind !== SK.ThrowStatement) return undefined;
  const thrown = skipWrappers((only as ts.ThrowStatement).expression);
  if (thrown.kind !== SK.NewExpression && thrown.kind !== SK.CallExpression) return undefined;
  const call = thrown as ts.NewExpression | ts.CallExpression;
  const callee = memberPath(call.expression);
  if (/notimplemented/i.test(callee[callee.length - 1] ?? "")) return "stub";
  const msg = call.arguments?.[0];
  if (
    msg &&
    (msg.kind === SK.StringLiteral || msg.kind === SK.NoSubstitutionTemplateLiteral) &&
    STUB_MESSAGE.test((msg as ts.StringLiteral).text)
  ) {
    return "stub";
  }
  return undefined;
}

const COMPARISONS = new Set([
  SK.EqualsEqualsToken,
  SK.EqualsEqualsEqualsToken,
  SK.ExclamationEqualsToken,
  SK.ExclamationEqualsEqualsToken,
  SK.LessThanToken,
  SK.LessThanEqualsToken,
  SK.GreaterThanToken,
  SK.GreaterThanEqualsToken,
  SK.InstanceOfKeyword,
  SK.InKeyword,
]);

/** `!x` or a comparison: an operand whose value is a boolean, never an implementation. */
function isBooleanValued(expr: ts.Expression): boolean {
  const e = skipWrappers(expr);
  if (e.kind === SK.PrefixUnaryExpression) return (e as ts.PrefixUnaryExpression).operator === SK.ExclamationToken;
  return e.kind === SK.BinaryExpression && COMPARISONS.has((e as ts.BinaryExpression).operatorToken.kind);
}

const PROMISE_METHODS = new Set(["then", "catch", "finally"]);

/**
 * Whether a returned expression looks like a promise, cannot be one, or cannot be told from
 * syntax (names, properties, call results). `a || b`, `a ?? b`, `c ? a : b` combine their sides.
 */
function returnedKind(expr: ts.Expression): "promise" | "value" | "opaque" {
  const e = skipWrappersAndAwait(expr);
  const both = (a: ts.Expression, b: ts.Expression) => {
    const x = returnedKind(a);
    const y = returnedKind(b);
    return x === "promise" || y === "promise" ? "promise" : x === "value" && y === "value" ? "value" : "opaque";
  };
  switch (e.kind) {
    case SK.NewExpression: {
      const callee = (e as ts.NewExpression).expression;
      return callee.kind === SK.Identifier && (callee as ts.Identifier).text === "Promise" ? "promise" : "value";
    }
    case SK.CallExpression: {
      const callee = skipWrappersAndAwait((e as ts.CallExpression).expression);
      if (callee.kind !== SK.PropertyAccessExpression) return "opaque";
      const access = callee as ts.PropertyAccessExpression;
      const object = skipWrappersAndAwait(access.expression);
      if (object.kind === SK.Identifier && (object as ts.Identifier).text === "Promise") return "promise";
      return PROMISE_METHODS.has(access.name.text) ? "promise" : "opaque";
    }
    case SK.ConditionalExpression:
      return both((e as ts.ConditionalExpression).whenTrue, (e as ts.ConditionalExpression).whenFalse);
    case SK.BinaryExpression: {
      const bin = e as ts.BinaryExpression;
      const op = bin.operatorToken.kind;
      if (op === SK.BarBarToken || op === SK.AmpersandAmpersandToken || op === SK.QuestionQuestionToken) return both(bin.left, bin.right);
      if (op === SK.EqualsToken || op === SK.CommaToken) return returnedKind(bin.right);
      if (isAssignmentOperator(op)) return "opaque"; // `a += b`, `a ??= b` …
      return "value"; // arithmetic, comparison, `in`, `instanceof`, bitwise
    }
    case SK.Identifier:
      return (e as ts.Identifier).text === "undefined" ? "value" : "opaque"; // a local may hold a call's promise
    case SK.PropertyAccessExpression:
    case SK.ElementAccessExpression:
      return "value"; // `u.length`, `this.count`, `map[k]`: a stored promise is rare enough to be taken as a value
    case SK.StringLiteral:
    case SK.NumericLiteral:
    case SK.BigIntLiteral:
    case SK.NoSubstitutionTemplateLiteral:
    case SK.TemplateExpression:
    case SK.RegularExpressionLiteral:
    case SK.TrueKeyword:
    case SK.FalseKeyword:
    case SK.NullKeyword:
    case SK.ObjectLiteralExpression:
    case SK.ArrayLiteralExpression:
    case SK.ArrowFunction:
    case SK.FunctionExpression:
    case SK.ClassExpression:
    case SK.PrefixUnaryExpression:
    case SK.PostfixUnaryExpression:
    case SK.TypeOfExpression:
    case SK.VoidExpression:
    case SK.DeleteExpression:
      return "value";
    default:
      return "opaque";
  }
}

/**
 * The outermost call of a thin delegate body: `{ return <call>; }`, `{ return await <call>; }`,
 * `{ await <call>; }`, `{ <call>; }`, or an arrow expression body `<call>` / `await <call>`.
 */
function delegateCallNode(body: ts.ConciseBody): ts.CallExpression | undefined {
  let expr: ts.Expression | undefined;
  if (body.kind === SK.Block) {
    const stmts = (body as ts.Block).statements;
    const only = stmts[0];
    if (stmts.length !== 1 || !only) return undefined;
    if (only.kind === SK.ReturnStatement) expr = (only as ts.ReturnStatement).expression;
    else if (only.kind === SK.ExpressionStatement) expr = (only as ts.ExpressionStatement).expression;
  } else {
    expr = body as ts.Expression;
  }
  if (!expr) return undefined;
  const e = skipWrappersAndAwait(expr);
  return e.kind === SK.CallExpression ? (e as ts.CallExpression) : undefined;
}

/** Whether an identifier is a value use of a name (not a declaration name, property name, label, type …). */
function isValueIdentifier(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case SK.PropertyAccessExpression:
      return false;
    case SK.CallExpression:
    case SK.NewExpression:
      return (p as ts.CallExpression).expression !== id;
    case SK.ShorthandPropertyAssignment:
    case SK.ExportAssignment:
      return true;
    case SK.BinaryExpression: {
      const bin = p as ts.BinaryExpression;
      return !(bin.left === id && isAssignmentOperator(bin.operatorToken.kind));
    }
    case SK.QualifiedName:
    case SK.ImportClause:
    case SK.NamespaceImport:
    case SK.NamespaceExport:
    case SK.ImportSpecifier:
    case SK.ExportSpecifier:
    case SK.ImportEqualsDeclaration:
    case SK.LabeledStatement:
    case SK.BreakStatement:
    case SK.ContinueStatement:
    case SK.MetaProperty:
    case SK.JsxAttribute:
    case SK.JsxNamespacedName:
    case SK.JsxClosingElement:
      return false;
    case SK.JsxOpeningElement:
    case SK.JsxSelfClosingElement: {
      // `<div>` is an intrinsic element, `<Panel>` a component (a value).
      const first = id.text.charCodeAt(0);
      return !(first >= 97 && first <= 122);
    }
    default: {
      const named = p as { name?: ts.Node; propertyName?: ts.Node };
      return named.name !== id && named.propertyName !== id;
    }
  }
}

function moduleDocOf(sf: ts.SourceFile, text: string): string | undefined {
  const ranges = tsc.getLeadingCommentRanges(text, 0);
  if (!ranges) return undefined;
  const first = sf.statements[0];
  const attachedToDeclaration =
    first !== undefined &&
    first.kind !== SK.ImportDeclaration &&
    first.kind !== SK.ImportEqualsDeclaration &&
    first.kind !== SK.ExpressionStatement &&
    !(first.kind === SK.ExportDeclaration && (first as ts.ExportDeclaration).moduleSpecifier);
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    if (!r) continue;
    const c = text.slice(r.pos, r.end);
    if (isDirectiveComment(c)) continue;
    if (i === ranges.length - 1 && attachedToDeclaration && first) {
      // The comment right before the first declaration documents that declaration, unless a blank line separates them.
      const gap = text.slice(r.end, first.getStart(sf));
      if (!/\n[ \t]*\r?\n/.test(gap)) return undefined;
    }
    return commentFirstLine(c);
  }
  return undefined;
}

/** Comments anywhere in the file that carry a suppression (only scanned when the marker occurs). */
function suppressionsOf(sf: ts.SourceFile, text: string, li: LineIndex): Suppression[] {
  if (!text.includes("ssot-audit-ignore")) return [];
  const seen = new Set<number>();
  const out: Suppression[] = [];
  const take = (ranges: ts.CommentRange[] | undefined): void => {
    if (!ranges) return;
    for (const r of ranges) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const c = text.slice(r.pos, r.end);
      if (!c.includes("ssot-audit-ignore")) continue;
      const s = parseSuppression(c, li.span(r.pos, r.end));
      if (s) out.push(s);
    }
  };
  // Comments live in the trivia around tokens: scan before and after every node (iteratively).
  const stack: ts.Node[] = [sf];
  const push = (child: ts.Node): void => {
    stack.push(child);
  };
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    take(tsc.getLeadingCommentRanges(text, node.pos));
    take(tsc.getTrailingCommentRanges(text, node.pos));
    take(tsc.getTrailingCommentRanges(text, node.end));
    take(tsc.getLeadingCommentRanges(text, node.end));
    tsc.forEachChild(node, push);
  }
  out.sort((a, b) => a.span.start - b.span.start);
  return out;
}

interface WithParseDiagnostics {
  readonly parseDiagnostics?: readonly ts.Diagnostic[];
}


/** Synchronous core of the extractor (exported for benchmarks and tests). */
export function extractTypeScript(file: string, text: string, options: ExtractOptions): TsFacts {
  const li = new LineIndex(text);
  // Same convention as the Python front end: the number of line starts (a final newline opens an empty last line).
  const lines = li.lineCount;
  const budget = options.parseBudgetMs;
  // Like the Python front end: a budget that is 0, negative or not finite means "no budget".
  const limited = Number.isFinite(budget) && budget > 0;
  const budgetError = (): TsFacts => emptyFacts(file, "typescript", lines, [budgetExceeded(budget, text)]);
  if (limited && text.length > budget * SKIP_CHARS_PER_MS) return budgetError();

  const scriptKind = scriptKindFor(file) ?? tsc.ScriptKind.TS;
  const t0 = performance.now();
  let sf: ts.SourceFile;
  try {
    sf = tsc.createSourceFile(
      file,
      text,
      { languageVersion: tsc.ScriptTarget.Latest, jsDocParsingMode: tsc.JSDocParsingMode.ParseNone },
      /* setParentNodes */ true,
      scriptKind,
    );
  } catch (err) {
    // The parser is recursive: pathological nesting overflows the stack.
    return emptyFacts(file, "typescript", lines, [extractionFailed("parser", err)]);
  }
  if (limited && performance.now() - t0 > budget) return budgetError();

  const parseErrors: ParseErrorFact[] = [];
  for (const d of (sf as unknown as WithParseDiagnostics).parseDiagnostics ?? []) {
    if (parseErrors.length >= MAX_PARSE_ERRORS) break;
    const pos = li.position(d.start ?? 0);
    parseErrors.push({ line: pos.line, column: pos.column, message: tsc.flattenDiagnosticMessageText(d.messageText, " ") });
  }

  try {
    const x = new FileExtractor(sf, text, li);
    x.run();
    const isDeclarationFile = sf.isDeclarationFile;
    if (isDeclarationFile) for (const d of x.definitions) d.signatureOnly = "declare";
    const moduleDoc = moduleDocOf(sf, text);
    return {
      file,
      language: "typescript",
      lines,
      ...(moduleDoc !== undefined ? { moduleDoc } : {}),
      definitions: x.definitions,
      calls: x.calls,
      references: x.references,
      imports: x.imports,
      exports: x.exports,
      bindings: x.bindings,
      fallbacks: x.fallbacks,
      suppressions: suppressionsOf(sf, text, li),
      parseErrors,
    };
  } catch (err) {
    // Deeply nested input can overflow the recursive walk; never let one file crash the run.
    return emptyFacts(file, "typescript", lines, [...parseErrors, extractionFailed("extraction", err)]);
  }
}

export const typescriptExtractor: Extractor = {
  language: "typescript",
  async extract(file: string, text: string, options: ExtractOptions) {
    return extractTypeScript(file, text, options);
  },
};
