/**
 * The CLI side of reporting: which formats go where (`-f`/`-o` pairs), and the context some
 * formats need that reporters may not compute themselves (they are pure): rule docs read from
 * `rules/*.md`, and the git repository root that SARIF and GitHub paths are relative to.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { RULES } from "../../rules/index.js";
import { UsageError } from "../files/errors.js";
import { isInside } from "../files/paths.js";
import { prefixWithin, repositoryRoot } from "../git/repo.js";
import type { ReporterOptions, RuleDoc } from "../report/types.js";
import { PACKAGE_ROOT } from "../version.js";

/** One report to write: a format and a file (absolute), or stdout. */
export interface OutputTarget {
  format: string;
  /** Absolute path; undefined = stdout. */
  file?: string;
}

/**
 * Pairs repeated `-f` and `-o` flags by position: the n-th format goes to the n-th output. The
 * last format may have no output (it goes to stdout), and `-o -` names stdout explicitly. With
 * at most one of each, the order does not matter (`-o r.json -f json`).
 */
export function planOutputs(formats: readonly string[], outputs: readonly string[], cwd: string): OutputTarget[] {
  const fmts = formats.length > 0 ? formats : ["stylish"];
  if (outputs.length > fmts.length || outputs.length < fmts.length - 1) {
    throw new UsageError(
      `${fmts.length} --format but ${outputs.length} --output: give each -f its own -o (they pair up in order; "-o -" is stdout); only the last -f may omit -o to print to stdout`,
    );
  }
  const targets = fmts.map((format, i): OutputTarget => {
    const out = outputs[i];
    return out === undefined || out === "-" ? { format } : { format, file: path.resolve(cwd, out) };
  });
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`${toStdout.map((t) => t.format).join(" and ")} would both print to stdout; give all but one an -o <file>`);
  }
  const seen = new Set<string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    if (seen.has(t.file)) throw new UsageError(`--output ${path.relative(cwd, t.file) || t.file} is given twice`);
    seen.add(t.file);
  }
  return targets;
}

/** Every rule's metadata with its Markdown doc. */
export function loadRuleDocs(): RuleDoc[] {
  return RULES.map((r) => ({ ...r.meta, markdown: fs.readFileSync(path.join(PACKAGE_ROOT, "rules", `${r.meta.id}.md`), "utf8") }));
}

/**
 * The root SARIF/GitHub paths are relative to: the git repository holding `rootDir`, else
 * `$GITHUB_WORKSPACE` when `rootDir` lies in it, else `rootDir` itself.
 */
export async function reportLocation(rootDir: string): Promise<NonNullable<ReporterOptions["location"]>> {
  const real = fs.realpathSync(rootDir);
  const workspace = realpathOrUndefined(process.env.GITHUB_WORKSPACE);
  const top = (await repositoryRoot(real)) ?? (workspace && isInside(workspace, real) ? workspace : real);
  const uri = pathToFileURL(top).href;
  return { rootUri: uri.endsWith("/") ? uri : `${uri}/`, prefix: prefixWithin(top, real) };
}

function realpathOrUndefined(p: string | undefined): string | undefined {
  if (!p) return undefined;
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
