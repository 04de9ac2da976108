import path from "node:path";

/** The languages ssot-audit analyses. JavaScript files are handled by the TypeScript front end. */
export type Language = "python" | "typescript";

const EXTENSIONS: ReadonlyMap<string, Language> = new Map<string, Language>([
  [".py", "python"],
  [".pyi", "python"],
  [".ts", "typescript"],
  [".tsx", "typescript"],
  [".mts", "typescript"],
  [".cts", "typescript"],
  [".js", "typescript"],
  [".jsx", "typescript"],
  [".mjs", "typescript"],
  [".cjs", "typescript"],
]);

/**
 * The language of a file, by its extension (case-sensitive, like the compilers):
 * `.py .pyi` → python; `.ts .tsx .mts .cts .js .jsx .mjs .cjs` (so also `.d.ts`) → typescript.
 */
export function languageOf(filePath: string): Language | undefined {
  return EXTENSIONS.get(path.extname(filePath));
}

/** Declaration files (`.pyi` stubs, `.d.ts`): types only, nothing in them runs. */
export function isDeclarationFile(filePath: string): boolean {
  return /\.(pyi|d\.[cm]?ts)$/.test(filePath);
}

/** The recognised extensions, e.g. for messages and glob filters. */
export const SOURCE_EXTENSIONS: readonly string[] = [...EXTENSIONS.keys()];
