/**
 * What besides a file's content decides its facts: the tool's version, the parser and grammar
 * versions, the facts encoding, the extraction options — and the extractor code itself, hashed,
 * so that a development build with a changed extractor never reads facts an older build wrote
 * under the same version number.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExtractOptions } from "../facts/types.js";
import { VERSION } from "../version.js";
import { CODEC_VERSION } from "./codec.js";

const require = createRequire(import.meta.url);

/** Version of the package that provides `request` (e.g. `web-tree-sitter`), or "?" if unknown. */
function packageVersion(request: string): string {
  try {
    let dir = path.dirname(require.resolve(request));
    for (let i = 0; i < 6; i++) {
      const file = path.join(dir, "package.json");
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (pkg.name && request.startsWith(pkg.name)) return pkg.version ?? "?";
      }
      dir = path.dirname(dir);
    }
  } catch {
    // fall through
  }
  return "?";
}

/** Source folders (relative to `src/`, or `dist/src/` when built) whose code shapes the facts. */
const EXTRACTION_CODE = ["languages", "util", "facts", "cache/codec", "files/read", "engine/worker-task"];

/** Hashes the code under the given parts (paths relative to the `src/` folder, files or folders). */
function hashCode(hash: ReturnType<typeof createHash>, parts: readonly string[] = EXTRACTION_CODE): void {
  const srcRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const files: string[] = [];
  const walk = (abs: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = path.join(abs, e.name);
      if (e.isDirectory()) walk(child);
      else if (/\.(js|ts)$/.test(e.name)) files.push(child);
    }
  };
  for (const part of parts) {
    const abs = path.join(srcRoot, part);
    if (fs.existsSync(abs)) walk(abs);
    else for (const ext of [".js", ".ts"]) if (fs.existsSync(abs + ext)) files.push(abs + ext);
  }
  files.sort();
  for (const file of files) {
    hash.update(path.relative(srcRoot, file));
    hash.update(fs.readFileSync(file));
  }
}

let codeSalt: string | undefined;

/** The salt of every cache key for the given extraction options (computed once per thread). */
export function cacheSalt(options: ExtractOptions): string {
  if (codeSalt === undefined) {
    const hash = createHash("sha1");
    hash.update(
      JSON.stringify({
        tool: VERSION,
        codec: CODEC_VERSION,
        treeSitter: packageVersion("web-tree-sitter"),
        python: packageVersion("tree-sitter-python/tree-sitter-python.wasm"),
        tsMorph: packageVersion("ts-morph"),
      }),
    );
    hashCode(hash);
    codeSalt = hash.digest("hex");
  }
  return createHash("sha1")
    .update(codeSalt)
    .update(JSON.stringify({ parseBudgetMs: options.parseBudgetMs }))
    .digest("hex")
    .slice(0, 20);
}

let analysisCode: string | undefined;

/**
 * The salt of a whole-run result (`cache/run-memo.ts`): the extraction salt plus every line of
 * analysis code (model, rules, engine, reports), so that any change to the tool invalidates it.
 */
export function analysisSalt(options: ExtractOptions): string {
  if (analysisCode === undefined) {
    const hash = createHash("sha1");
    hashCode(hash, ["", "../rules"]);
    analysisCode = hash.digest("hex");
  }
  return createHash("sha1").update(cacheSalt(options)).update(analysisCode).digest("hex").slice(0, 20);
}
