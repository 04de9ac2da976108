/**
 * The TypeScript type checker, for the few call sites only types can resolve.
 *
 * The front end (`extract.ts`) parses each file alone; the project model resolves call sites by
 * name through imports, bindings and annotations. Receivers known only to types —
 * `(svc as LegacyHub).send(x)`, `container.get<LegacyHub>("hub").send(x)`, a parameter typed by
 * an interface declared in another file — stay unresolved there. For those (the engine passes
 * only concept-named call sites the model could not resolve), this module builds ONE
 * `ts.Program` from the project's `tsconfig.json` and asks the checker which declaration each
 * callee denotes.
 *
 * What it never does: execute anything (no plugins, no transformers, no emit); load anything
 * under `node_modules` or outside the root (the compiler host and the config host refuse such
 * paths, so there is no module resolution through packages and no `@types`); follow a symbolic
 * link out of the root. The standard library `.d.ts` files come from ts-morph's in-memory copy.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ts } from "ts-morph";
import { typescript } from "./compiler.js";
import { readSourceSync } from "../../files/read.js";
import { isInside, toPosix } from "../../files/paths.js";


/** One call site to resolve: root-relative file and the callee expression's offsets (as in `CallSite.calleeSpan`). */
export interface TypedCallQuery {
  file: string;
  start: number;
  end: number;
}

/** Where the checker found a callee's declaration: root-relative file and the offset of its name. */
export interface DeclarationSite {
  file: string;
  offset: number;
}

export interface TypedCallOptions {
  /** Absolute project root: nothing outside it is read. */
  rootDir: string;
  /** Absolute path of the `tsconfig.json` to use. */
  tsconfig: string;
  queries: readonly TypedCallQuery[];
  /**
   * The text of a project file (root-relative path) as the facts were extracted from it; return
   * undefined to read it from disk (decoded as the front ends do). Lets the fixer type-check its
   * in-memory edits.
   */
  sourceText?: (file: string) => string | undefined;
  /** Called once when the tsconfig cannot be used (the run goes on parse-only). */
  warn?: (message: string) => void;
}

export interface TypedCallResult {
  /** Per query, in order: the callee's declaration in the project, or undefined. */
  targets: (DeclarationSite | undefined)[];
  /** Files the program loaded (root-relative; lib files excluded) — for tests and measurements. */
  loadedFiles: string[];
  /** Milliseconds spent reading and parsing the program, binding it (checker creation), and answering. */
  timings: { program: number; checker: number; queries: number };
}

/** Where the in-memory standard library lives, as the program sees it (never a real path). */
const LIB_DIR = "/__ssot-audit__/typescript-lib";

/** The standard library `.d.ts` texts that ship inside ts-morph (`@ts-morph/common`). */
let libTexts: Map<string, string> | undefined;
function libText(fileName: string): string | undefined {
  if (!libTexts) {
    // Resolved from ts-morph's own folder: it is ts-morph's dependency, not ours.
    const requireFromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
    const common = requireFromTsMorph("@ts-morph/common") as { getLibFiles(): { fileName: string; text: string }[] };
    libTexts = new Map(common.getLibFiles().map((f) => [f.fileName, f.text]));
  }
  return libTexts.get(fileName);
}

/** Parsed lib files, shared across programs (the fixer builds one per pass). */
const libSourceFiles = new Map<string, ts.SourceFile>();

function isNodeModulesPath(p: string): boolean {
  return /(^|[\\/])node_modules([\\/]|$)/.test(p);
}

/**
 * Resolves each query's callee to the project declaration the type checker finds for it.
 * Returns undefined (after one `warn`) when the tsconfig is missing, unreadable or not valid
 * JSON; other problems in it (an unknown option, an `extends` that cannot be read) are ignored,
 * as `tsc` would report them and still compile.
 */
export function resolveTypedCalls(options: TypedCallOptions): TypedCallResult | undefined {
  const ts = typescript();
  const rootDir = path.resolve(options.rootDir);
  const realRoot = safeRealpath(rootDir) ?? rootDir;
  const configPath = path.resolve(options.tsconfig);
  const configName = toPosix(path.relative(rootDir, configPath));
  const fail = (why: string): undefined => {
    options.warn?.(`ssot-audit: ${configName}: ${why}; TypeScript call sites are resolved without the type checker`);
    return undefined;
  };

  /** May this absolute path be read at all? Inside the root (also once links are resolved), not in node_modules. */
  const allowed = (abs: string): boolean => {
    const p = path.resolve(abs);
    if (!isInside(rootDir, p) || isNodeModulesPath(path.relative(rootDir, p))) return false;
    const real = safeRealpath(p);
    return real === undefined || (isInside(realRoot, real) && !isNodeModulesPath(path.relative(realRoot, real)));
  };
  const readProjectFile = (abs: string): string | undefined => {
    if (!allowed(abs)) return undefined;
    const rel = toPosix(path.relative(rootDir, path.resolve(abs)));
    const given = options.sourceText?.(rel);
    if (given !== undefined) return given;
    const read = readSourceSync(abs);
    return "text" in read ? read.text : undefined;
  };
  const fileExists = (abs: string): boolean => {
    if (abs.startsWith(`${LIB_DIR}/`)) return libText(abs.slice(LIB_DIR.length + 1)) !== undefined;
    if (!allowed(abs)) return false;
    try {
      return fs.statSync(abs).isFile();
    } catch {
      return false;
    }
  };
  const directoryExists = (abs: string): boolean => {
    if (!allowed(abs)) return false;
    try {
      return fs.statSync(abs).isDirectory();
    } catch {
      return false;
    }
  };

  // ---- the config: read as data only, through a host that cannot leave the root
  if (!fileExists(configPath)) return fail("not found or not readable");
  const configText = readProjectFile(configPath);
  if (configText === undefined) return fail("not readable");
  const configJson = ts.parseJsonText(configPath, configText);
  const syntax = (configJson as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const firstSyntax = syntax[0];
  if (firstSyntax) {
    const line = configJson.getLineAndCharacterOfPosition(firstSyntax.start ?? 0).line + 1;
    return fail(`invalid JSON at line ${line} (${ts.flattenDiagnosticMessageText(firstSyntax.messageText, " ")})`);
  }
  const parseHost: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    fileExists,
    readFile: readProjectFile,
    readDirectory: (dir, extensions, excludes, includes, depth) =>
      allowed(dir) ? ts.sys.readDirectory(dir, extensions, excludes, includes, depth).filter((f) => allowed(f)) : [],
  };
  const parsed = ts.parseJsonSourceFileConfigFileContent(configJson, parseHost, path.dirname(configPath), undefined, configPath);
  const compilerOptions: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // Nothing from node_modules: no automatic `@types`, no plugins; JS files are read only if the config says so.
    types: [],
    typeRoots: [],
    plugins: [],
    noResolve: false,
    skipLibCheck: true,
  };

  // ---- the program: files with queries, plus the project's declaration files (globals); their
  // imports are loaded through ordinary resolution, which cannot enter node_modules.
  const byRel = new Map<string, TypedCallQuery[]>();
  for (const q of options.queries) {
    const list = byRel.get(q.file);
    if (list) list.push(q);
    else byRel.set(q.file, [q]);
  }
  const queried = [...byRel.keys()].map((rel) => path.join(rootDir, ...rel.split("/")));
  const declarations = parsed.fileNames.filter((f) => /\.d\.[cm]?ts$/.test(f) && allowed(f));
  const rootNames = [...new Set([...declarations, ...queried].map((f) => path.resolve(f)))];

  const host: ts.CompilerHost = {
    getSourceFile: (fileName, languageVersion) => {
      if (fileName.startsWith(`${LIB_DIR}/`)) {
        const version = typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion;
        const key = `${fileName}\0${version}`;
        let sf = libSourceFiles.get(key);
        if (!sf) {
          const text = libText(fileName.slice(LIB_DIR.length + 1));
          if (text === undefined) return undefined;
          sf = ts.createSourceFile(fileName, text, languageVersion, false);
          libSourceFiles.set(key, sf);
        }
        return sf;
      }
      const text = readProjectFile(fileName);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion, true);
    },
    getDefaultLibFileName: (o) => `${LIB_DIR}/${ts.getDefaultLibFileName(o)}`,
    getDefaultLibLocation: () => LIB_DIR,
    writeFile: () => {},
    getCurrentDirectory: () => rootDir,
    getCanonicalFileName: (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()),
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    getNewLine: () => "\n",
    fileExists,
    readFile: (f) => (f.startsWith(`${LIB_DIR}/`) ? libText(f.slice(LIB_DIR.length + 1)) : readProjectFile(f)),
    directoryExists,
    getDirectories: (dir) => (directoryExists(dir) ? ts.sys.getDirectories(dir).filter((d) => !isNodeModulesPath(d)) : []),
    realpath: (p) => p,
  };
  const t0 = performance.now();
  const program = ts.createProgram({ rootNames, options: compilerOptions, host });
  const t1 = performance.now();
  const checker = program.getTypeChecker();
  const t2 = performance.now();

  const targets = options.queries.map((q) => {
    const sf = program.getSourceFile(path.join(rootDir, ...q.file.split("/")));
    if (!sf) return undefined;
    const name = calleeName(sf, q.start, q.end);
    if (!name) return undefined;
    const declaration = implementationOf(checker, name);
    if (!declaration) return undefined;
    const declFile = declaration.getSourceFile().fileName;
    if (!allowed(declFile)) return undefined;
    const nameNode = (declaration as ts.NamedDeclaration).name;
    if (!nameNode) return undefined;
    return { file: toPosix(path.relative(rootDir, declFile)), offset: nameNode.getStart(declaration.getSourceFile()) };
  });
  const t3 = performance.now();
  const loadedFiles = program
    .getSourceFiles()
    .map((sf) => sf.fileName)
    .filter((f) => !f.startsWith(`${LIB_DIR}/`))
    .map((f) => toPosix(path.relative(rootDir, f)))
    .sort();
  return { targets, loadedFiles, timings: { program: t1 - t0, checker: t2 - t1, queries: t3 - t2 } };
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The name node of the callee spanning exactly `start`–`end` (`a.b.name`, `name`, `a["name"]`). */
function calleeName(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  const ts = typescript();
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sf) === start && node.end === end) found = node;
    ts.forEachChild(node, (child) => {
      if (child.pos <= start && child.end >= end) visit(child);
    });
  };
  visit(sf);
  let node = found;
  while (node && (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node))) node = node.expression;
  if (!node) return undefined;
  if (ts.isPropertyAccessExpression(node)) return node.name;
  if (ts.isElementAccessExpression(node)) return ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression : undefined;
  if (ts.isIdentifier(node)) return node;
  return undefined;
}

/**
 * The one declaration with an implementation that a name denotes: a function, method, class, or
 * a variable / property holding a function. Overloads give their implementation. Nothing for
 * interface members, abstract or ambient declarations (which implementation runs is not known),
 * for a union's property declared in several places, or for anything without a body.
 */
function implementationOf(checker: ts.TypeChecker, name: ts.Node): ts.Declaration | undefined {
  const ts = typescript();
  let symbol = checker.getSymbolAtLocation(name);
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const implementations = (symbol.declarations ?? []).filter(hasImplementation);
  return implementations.length === 1 ? implementations[0] : undefined;
}

function hasImplementation(d: ts.Declaration): boolean {
  const ts = typescript();
  if (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Ambient | ts.ModifierFlags.Abstract)) return false;
  if (d.getSourceFile().isDeclarationFile) return false;
  if (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isGetAccessorDeclaration(d)) return d.body !== undefined;
  if (ts.isClassDeclaration(d) || ts.isClassExpression(d)) return true;
  if (ts.isVariableDeclaration(d) || ts.isPropertyDeclaration(d) || ts.isPropertyAssignment(d)) {
    const init = d.initializer;
    return init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isClassExpression(init));
  }
  return false;
}
