/**
 * `resolveTypedCalls`: one program from the project's tsconfig, the declaration each queried
 * callee denotes — only inside the root, never from node_modules, nothing for interface members
 * or ambiguous unions; a missing or broken tsconfig is one warning and no answers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DeclarationSite, type TypedCallQuery, resolveTypedCalls } from "../../../src/languages/typescript/checker.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ssot-checker-"));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** The query for the callee text `callee` (its `occurrence`-th appearance) in `file`. */
function query(files: Record<string, string>, file: string, callee: string, occurrence = 0): TypedCallQuery {
  const text = files[file] ?? "";
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(callee, start + 1);
  if (start < 0) throw new Error(`${callee} not in ${file}`);
  return { file, start, end: start + callee.length };
}

/** Where `needle` (a declaration's name followed by what disambiguates it) starts in `file`. */
function site(files: Record<string, string>, file: string, needle: string): DeclarationSite {
  const offset = (files[file] ?? "").indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in ${file}`);
  return { file, offset };
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, paths: { "@lib/*": ["./node_modules/some-lib/*"] } },
  include: ["src"],
});

const FILES: Record<string, string> = {
  "tsconfig.json": TSCONFIG,
  "src/hubs.ts": `export class LegacyHub {
  send(userId: string): number {
    return userId.length;
  }
}
export class OtherHub {
  send(userId: string): number {
    return -userId.length;
  }
}
export interface Sender {
  send(userId: string): number;
}
export function pick(id: string): void;
export function pick(id: number): void;
export function pick(id: string | number): void {
  void id;
}
export const arrow = (x: string): number => x.length;
`,
  "src/container.ts": `export class Container {
  private readonly items = new Map<string, unknown>();
  get<T>(key: string): T {
    return this.items.get(key) as T;
  }
}
export const container = new Container();
`,
  "src/use.ts": `import { getHub } from "some-lib";
import { libHub } from "@lib/index";
import { container } from "./container";
import { pick as choose, arrow, type LegacyHub, type OtherHub, type Sender } from "./hubs";
import * as hubs from "./hubs";

export async function run(svc: unknown, either: LegacyHub | OtherHub, all: LegacyHub[], later: Promise<LegacyHub>): Promise<void> {
  (svc as LegacyHub).send("a");
  container.get<LegacyHub>("hub").send("b");
  (svc as Sender).send("c");
  either.send("d");
  choose("e");
  arrow("f");
  hubs.pick(1);
  all.forEach((h) => h.send("g"));
  (await later).send("h");
  getHub().send("i");
  libHub.send("j");
  new hubs.LegacyHub().send("k");
}
`,
  "node_modules/some-lib/package.json": JSON.stringify({ name: "some-lib", types: "index.ts" }),
  "node_modules/some-lib/index.ts": `export class Hub {
  send(userId: string): number {
    return userId.length;
  }
}
export function getHub(): Hub {
  return new Hub();
}
export const libHub = new Hub();
`,
};

describe("resolveTypedCalls", () => {
  const root = project(FILES);
  const q = (callee: string, occurrence = 0) => query(FILES, "src/use.ts", callee, occurrence);
  const legacySend = site(FILES, "src/hubs.ts", "send(userId: string): number {\n    return userId.length");
  const warnings: string[] = [];
  const result = resolveTypedCalls({
    rootDir: root,
    tsconfig: path.join(root, "tsconfig.json"),
    queries: [
      q("(svc as LegacyHub).send"),
      q(`container.get<LegacyHub>("hub").send`),
      q("(svc as Sender).send"),
      q("either.send"),
      q("choose"),
      q("arrow"),
      q("hubs.pick"),
      q("h.send"),
      q("(await later).send"),
      q("getHub().send"),
      q("libHub.send"),
      q("new hubs.LegacyHub().send"),
      q("getHub"),
    ],
    warn: (m) => warnings.push(m),
  });

  it("finds the declaration of casts, generic lookups, aliases, overloads, lib-typed values", () => {
    expect(warnings).toEqual([]);
    expect(result?.targets).toEqual([
      legacySend,
      legacySend,
      // An interface member: which implementation runs is not known.
      undefined,
      // A union's property is declared in two classes.
      undefined,
      // The overloads' implementation, through an import alias.
      site(FILES, "src/hubs.ts", "pick(id: string | number)"),
      site(FILES, "src/hubs.ts", "arrow ="),
      site(FILES, "src/hubs.ts", "pick(id: string | number)"),
      // Array.prototype.forEach and Promise come from the standard library .d.ts files.
      legacySend,
      legacySend,
      // A package (and a tsconfig path alias into node_modules): never loaded.
      undefined,
      undefined,
      legacySend,
      undefined,
    ]);
  });

  it("loads the queried files and what they import from the project, nothing from node_modules", () => {
    expect(result?.loadedFiles).toEqual(["src/container.ts", "src/hubs.ts", "src/use.ts"]);
  });

  it("uses the given text of a file instead of the one on disk", () => {
    const edited = FILES["src/use.ts"]?.replace(`(svc as LegacyHub).send("a")`, `(svc as OtherHub).send("a")`) ?? "";
    const start = edited.indexOf("(svc as OtherHub).send");
    const answer = resolveTypedCalls({
      rootDir: root,
      tsconfig: path.join(root, "tsconfig.json"),
      queries: [{ file: "src/use.ts", start, end: start + "(svc as OtherHub).send".length }],
      sourceText: (file) => (file === "src/use.ts" ? edited : undefined),
    });
    expect(answer?.targets).toEqual([site(FILES, "src/hubs.ts", "send(userId: string): number {\n    return -userId")]);
  });

  it("never reads outside the root, even when the tsconfig or an import points there", () => {
    const outer = project({ "outside.ts": "export class Far { send(): number { return 1; } }\nexport const far = new Far();\n" });
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true }, include: ["src", `../${path.basename(outer)}/*.ts`], files: [path.join(outer, "outside.ts")] }),
      "src/a.ts": `import { far } from "${path.join(outer, "outside")}";\nexport function f(): void {\n  far.send();\n}\n`,
    };
    const inner = project(files);
    const answer = resolveTypedCalls({ rootDir: inner, tsconfig: path.join(inner, "tsconfig.json"), queries: [query(files, "src/a.ts", "far.send")] });
    expect(answer?.targets).toEqual([undefined]);
    expect(answer?.loadedFiles).toEqual(["src/a.ts"]);
  });

  it.each([
    ["a tsconfig that is not JSON", "{ compilerOptions: ", /tsconfig\.json: invalid JSON/],
    ["a missing tsconfig", undefined, /tsconfig\.json: not found or not readable/],
  ])("%s: one warning, no answers", (_name, text, message) => {
    const files: Record<string, string> = { "src/a.ts": "export function f(): void {\n  f();\n}\n" };
    if (text !== undefined) files["tsconfig.json"] = text;
    const dir = project(files);
    const seen: string[] = [];
    const answer = resolveTypedCalls({ rootDir: dir, tsconfig: path.join(dir, "tsconfig.json"), queries: [query(files, "src/a.ts", "f", 1)], warn: (m) => seen.push(m) });
    expect(answer).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(message);
    expect(seen[0]).toContain("resolved without the type checker");
  });

  it("goes on with the options that parsed when the tsconfig has an unknown option or an unreadable extends", () => {
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ extends: "./missing-base.json", compilerOptions: { noSuchOption: true } }),
      "src/a.ts": "export class A {\n  go(): void {}\n}\nexport function f(x: unknown): void {\n  (x as A).go();\n}\n",
    };
    const dir = project(files);
    const seen: string[] = [];
    const answer = resolveTypedCalls({ rootDir: dir, tsconfig: path.join(dir, "tsconfig.json"), queries: [query(files, "src/a.ts", "(x as A).go")], warn: (m) => seen.push(m) });
    expect(seen).toEqual([]);
    expect(answer?.targets).toEqual([site(files, "src/a.ts", "go(): void {}")]);
  });
});
