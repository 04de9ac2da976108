import type { Definition, FileFacts } from "../facts/types.js";

/** A definition together with the file that holds it. */
export interface DefRef {
  file: string;
  def: Definition;
}

/**
 * What an expression evaluates to, as far as static resolution can tell.
 * - module: a project module (Python module or TS file)
 * - external: something from outside the project, as a dotted path (`["os","environ"]`)
 * - def: a function or class itself (not called)
 * - instance: an instance of a project class
 * - object: an object literal holding methods (TS services written as objects)
 * - unknown: could not be resolved
 */
export type Value =
  | { kind: "module"; file: string }
  | { kind: "external"; path: string[] }
  | { kind: "def"; ref: DefRef }
  | { kind: "instance"; cls: DefRef }
  /** An object literal whose members are definitions (`export const api = { send() {} }`). */
  | { kind: "object"; file: string; qualifiedName: string }
  | { kind: "unknown" };

/** Per-file information the model keeps beside the facts. */
export interface FileEntry {
  facts: FileFacts;
  /** Matched by the config's `tests` globs: analysed for resolution, never reported. */
  isTest: boolean;
  /** Findings in this file are reported (it lies under the paths the user asked for). */
  reported: boolean;
  /** Python dotted module name (`pkg.sub.mod`; a package's `__init__` is `pkg.sub`). */
  moduleName?: string;
}

/** Each definition's key, made once (keys are looked up in sets and maps millions of times; a fresh string must be hashed each time). */
const defKeys = new WeakMap<Definition, { file: string; key: string }>();

/** A definition's identity across the project: `file::Qualified.name@offset`. */
export function defKey(ref: DefRef): string {
  const known = defKeys.get(ref.def);
  if (known !== undefined && known.file === ref.file) return known.key;
  const key = `${ref.file}::${ref.def.qualifiedName}@${ref.def.span.start}`;
  defKeys.set(ref.def, { file: ref.file, key });
  return key;
}
