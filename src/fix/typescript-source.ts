/**
 * Layout details of a TypeScript/JavaScript file the fixer needs beyond facts: binding
 * occurrences of a name, where an import can go when the file has none, the parts of an import
 * declaration (to add or drop a binding), a definition's JSDoc and a `try` statement's shape.
 * Parsed with the TypeScript parser the extractor uses (parse only).
 */
import type { ts } from "ts-morph";
import { typescript } from "../languages/typescript/compiler.js";
import { scriptKindFor } from "../languages/typescript/syntax.js";

/** The compiler's values; its types are the `ts` namespace. */
const tsc = typescript();

const SK = tsc.SyntaxKind;

export interface TsImportParts {
  /** The default binding's identifier range, if any. */
  defaultName?: { start: number; end: number };
  /** `{ … }` range (braces included), if the declaration has named bindings. */
  named?: { start: number; end: number; elements: { start: number; end: number; name: string }[] };
  namespace?: { start: number; end: number };
  typeOnly: boolean;
  /** Range of the module specifier's text (quotes included). */
  specifier: { start: number; end: number; quote: string };
  semicolon: boolean;
}

export interface TsTry {
  statements: number;
  hasFinally: boolean;
  /** Start of the line after `try {`. */
  bodyLineStart: number;
  /** End of the last statement (or comment) inside the try block. */
  bodyEnd: number;
  multilineString: boolean;
}

export class TypeScriptSource {
  readonly sf: ts.SourceFile;

  constructor(
    file: string,
    readonly text: string,
  ) {
    this.sf = tsc.createSourceFile(file, text, tsc.ScriptTarget.Latest, true, scriptKindFor(file) ?? tsc.ScriptKind.TS);
  }

  /** Offsets of identifiers named `name` that declare it (imports excluded: facts cover those). */
  bindings(name: string, at?: number): number[] {
    const out: number[] = [];
    const visit = (node: ts.Node): void => {
      if (tsc.isIdentifier(node) && node.text === name && isDeclarationName(node)) {
        // A parameter (a constructor's `private readonly hub: Hub` too) binds only inside its function.
        const parameter = tsc.isParameter(node.parent) ? node.parent.parent : undefined;
        const outside = at !== undefined && parameter !== undefined && !(parameter.getStart(this.sf) <= at && at < parameter.end);
        if (!outside) out.push(node.getStart(this.sf));
      }
      tsc.forEachChild(node, visit);
    };
    visit(this.sf);
    return out;
  }

  /** Where an import goes in a file without imports: before the first statement and its attached comments, after directives. */
  firstStatementStart(): number {
    const statements = this.sf.statements.filter((s) => !(tsc.isExpressionStatement(s) && tsc.isStringLiteral(s.expression)));
    const first = statements[0];
    if (!first) return this.text.length;
    const ranges = tsc.getLeadingCommentRanges(this.text, first.getFullStart()) ?? [];
    let start = first.getStart(this.sf);
    // Comments directly attached to the statement (no blank line between) document it: go above them.
    for (let i = ranges.length - 1; i >= 0; i--) {
      const r = ranges[i];
      if (!r || /\n\s*\n/.test(this.text.slice(r.end, start))) break;
      // The file's opening comment is its header, even when glued to the first statement.
      if (this.text.slice(0, r.pos).trim() === "") break;
      start = r.pos;
    }
    return start;
  }

  /** The outermost statement or class member that starts at `start`. */
  private statementAt(start: number): ts.Node | undefined {
    let found: ts.Node | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (n.getStart(this.sf) === start && (tsc.isStatement(n) || tsc.isClassElement(n))) {
        found = n;
        return;
      }
      if (n.pos <= start && start < n.end) tsc.forEachChild(n, visit);
    };
    tsc.forEachChild(this.sf, visit);
    return found;
  }

  /** The import declaration starting at `start`. */
  importAt(start: number): TsImportParts | undefined {
    const node = this.sf.statements.find((s) => s.getStart(this.sf) === start);
    if (!node || !tsc.isImportDeclaration(node) || !tsc.isStringLiteral(node.moduleSpecifier)) return undefined;
    const spec = node.moduleSpecifier;
    const clause = node.importClause;
    const parts: TsImportParts = {
      typeOnly: Boolean(clause?.isTypeOnly),
      specifier: { start: spec.getStart(this.sf), end: spec.end, quote: this.text.charAt(spec.getStart(this.sf)) },
      semicolon: this.text.charAt(node.end - 1) === ";",
    };
    if (clause?.name) parts.defaultName = { start: clause.name.getStart(this.sf), end: clause.name.end };
    const nb = clause?.namedBindings;
    if (nb && tsc.isNamespaceImport(nb)) parts.namespace = { start: nb.getStart(this.sf), end: nb.end };
    if (nb && tsc.isNamedImports(nb)) {
      parts.named = {
        start: nb.getStart(this.sf),
        end: nb.end,
        elements: nb.elements.map((el) => ({ start: el.getStart(this.sf), end: el.end, name: el.name.text })),
      };
    }
    return parts;
  }

  /** The string literal of an `import("m")` / `require("m")` call inside `[start, end)`, without its quotes. */
  moduleLoadIn(start: number, end: number, module: string): { start: number; end: number } | undefined {
    let found: { start: number; end: number } | undefined;
    const visit = (n: ts.Node): void => {
      if (found || n.end <= start || n.pos >= end) return;
      if (tsc.isCallExpression(n)) {
        const isLoad = n.expression.kind === SK.ImportKeyword || (tsc.isIdentifier(n.expression) && n.expression.text === "require");
        const arg = n.arguments[0];
        if (isLoad && arg && tsc.isStringLiteralLike(arg) && arg.text === module && arg.getStart(this.sf) >= start) {
          found = { start: arg.getStart(this.sf) + 1, end: arg.end - 1 };
          return;
        }
      }
      tsc.forEachChild(n, visit);
    };
    visit(this.sf);
    return found;
  }

  /** The JSDoc comment right before the declaration starting at `start`. */
  jsDocBefore(start: number): { start: number; end: number } | undefined {
    const node = this.statementAt(start);
    if (!node) return undefined;
    const ranges = tsc.getLeadingCommentRanges(this.text, node.getFullStart()) ?? [];
    const last = ranges[ranges.length - 1];
    if (!last) return undefined;
    const text = this.text.slice(last.pos, last.end);
    return text.startsWith("/**") && text !== "/**/" ? { start: last.pos, end: last.end } : undefined;
  }

  /** The try statement starting at `start`. */
  tryAt(start: number): TsTry | undefined {
    const node = this.statementAt(start);
    if (!node || !tsc.isTryStatement(node)) return undefined;
    const block = node.tryBlock;
    const open = block.getStart(this.sf);
    const lineEnd = this.text.indexOf("\n", open);
    const statements = block.statements;
    const last = statements[statements.length - 1];
    if (lineEnd < 0 || !last || lineEnd >= last.getStart(this.sf)) return undefined;
    // Trailing comments inside the block belong to the body too.
    const closing = block.end - 1;
    const tail = this.text.slice(last.end, closing);
    const trimmedTail = tail.replace(/\s+$/, "");
    let multilineString = false;
    const visit = (n: ts.Node): void => {
      if (
        (tsc.isStringLiteral(n) || tsc.isNoSubstitutionTemplateLiteral(n) || tsc.isTemplateExpression(n)) &&
        n.getText(this.sf).includes("\n")
      )
        multilineString = true;
      tsc.forEachChild(n, visit);
    };
    visit(block);
    return {
      statements: statements.length,
      hasFinally: node.finallyBlock !== undefined,
      bodyLineStart: lineEnd + 1,
      bodyEnd: last.end + trimmedTail.length,
      multilineString,
    };
  }
}

/** Whether an identifier is the declared name of a variable, parameter, function, class … */
function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (tsc.isImportClause(p) || tsc.isImportSpecifier(p) || tsc.isNamespaceImport(p) || tsc.isImportEqualsDeclaration(p)) return false;
  if (tsc.isBindingElement(p)) return p.name === id;
  if (
    tsc.isVariableDeclaration(p) ||
    tsc.isParameter(p) ||
    tsc.isFunctionDeclaration(p) ||
    tsc.isFunctionExpression(p) ||
    tsc.isClassDeclaration(p) ||
    tsc.isClassExpression(p) ||
    tsc.isEnumDeclaration(p) ||
    tsc.isModuleDeclaration(p)
  ) {
    return p.name === id;
  }
  // `hub = …` reassigns whatever `hub` is in scope.
  if (tsc.isBinaryExpression(p) && p.left === id && p.operatorToken.kind >= SK.FirstAssignment && p.operatorToken.kind <= SK.LastAssignment)
    return true;
  return false;
}
