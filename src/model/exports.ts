/** What a TypeScript/JavaScript module exports, as far as its facts tell. */
import type { FileFacts } from "../facts/types.js";

/**
 * Whether a TS/JS module may export `name`: it does by its facts, or it re-exports a whole
 * module (`export * from`), or it is a JavaScript file without ESM exports (CommonJS, whose
 * `module.exports` facts do not list).
 */
export function mayExport(file: string, facts: FileFacts, name: string): boolean {
  if (tsExports(facts, name) || facts.exports.some((e) => e.exported === "*")) return true;
  const esm = facts.exports.length > 0 || facts.definitions.some((d) => d.exported || d.isDefaultExport);
  return !esm && /\.[cm]?jsx?$/.test(file);
}

/** Whether the module's facts show that it exports `name` (`default`: its default export). */
export function tsExports(facts: FileFacts, name: string): boolean {
  if (name === "default") return facts.definitions.some((d) => d.isDefaultExport) || facts.exports.some((e) => e.exported === "default");
  return (
    facts.exports.some((e) => e.exported === name) ||
    facts.definitions.some((d) => d.exported && d.qualifiedName === name && !d.isDefaultExport)
  );
}
