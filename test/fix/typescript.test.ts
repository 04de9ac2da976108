/**
 * TypeScript rewrites on small projects: import specifiers in the file's style, merging into an
 * existing import, namespace and default imports, package delegates, object-form arguments, and
 * the calls that must be left for manual migration. Whole files and whole manual lists are asserted.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { runFix } from "../../src/fix/engine.js";
import { dedent, findingsOf, makeProject } from "../helpers/project.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const HUB = dedent(`
  export class Hub {
    async push(userId: string, event: string): Promise<number> {
      return userId.length + event.length;
    }
  }
  export const hub = new Hub();
  export default hub;
  export function version(): string {
    return "1";
  }
`);

const LEGACY = dedent(`
  export async function pushLegacy(userId: string, event: string): Promise<number> {
    return 0;
  }
  export async function pushV2(event: string, userId: string): Promise<number> {
    return 0;
  }
  export function pushOld(userId: string, event: string): number {
    return 0;
  }
  export async function pushCompat(userId: string, ...events: string[]): Promise<number> {
    return events.length;
  }
  export async function pushFallback<T>(userId: string, event: string): Promise<number> {
    return 0;
  }
`);

function config(typescript: string): string {
  return `concepts:\n  push:\n    canonical: src/hub.ts::Hub.push\n    delegate:\n      typescript:\n${typescript
    .split("\n")
    .map((l) => `        ${l}`)
    .join("\n")}\n`;
}

const NAMED = 'import: { from: "src/hub.ts", name: "hub" }\nexpression: "hub.push"';

async function fix(
  files: Record<string, string>,
  delegate = NAMED,
  flags: { unsafe?: boolean } = {},
): Promise<{ files: Record<string, string>; manual: [string, number, string][] }> {
  const root = makeProject({ "ssot-audit.config.yaml": config(delegate), "src/hub.ts": HUB, "src/legacy.ts": LEGACY, ...files });
  roots.push(root);
  const unsafe = Boolean(flags.unsafe);
  const result = await runFix({ paths: ["."], cwd: root, includeLikely: false, unsafe, write: false, allowDirty: false });
  expect(result.refused).toEqual([]);
  return {
    files: Object.fromEntries(result.files.map((f) => [f.file, f.after])),
    manual: result.manual.map((m) => [m.file, m.line, m.reason]),
  };
}

describe("typescript call rewrites: imports", () => {
  it("adds the import after the last one, relative and extensionless like the file's imports", async () => {
    const out = await fix({
      "src/app/a.ts": dedent(`
        import { pushLegacy } from "../legacy";
        import { other } from "./other";

        export const a = (u: string) => pushLegacy(u, "x").then(other);
      `),
      "src/app/other.ts": "export function other(n: number): number {\n  return n;\n}\n",
    });
    expect(out.files).toEqual({
      "src/app/a.ts": dedent(`
        import { other } from "./other";
        import { hub } from "../hub";

        export const a = (u: string) => hub.push(u, "x").then(other);
      `),
    });
  });

  it("follows a `.ts` suffix style and single quotes without semicolons", async () => {
    const out = await fix({
      "src/a.ts": dedent(`
        import { pushLegacy } from './legacy.ts'
        import { version } from './hub.ts'

        export async function a(u: string) {
          return (await pushLegacy(u, version())) + 1
        }
      `),
    });
    expect(out.files["src/a.ts"]).toBe(
      dedent(`
        import { version, hub } from './hub.ts'

        export async function a(u: string) {
          return (await hub.push(u, version())) + 1
        }
      `),
    );
  });

  it("reuses a namespace import and merges a default import into a named one", async () => {
    const ns = await fix({
      "src/a.ts": dedent(`
        import * as notify from "./hub";
        import { pushLegacy } from "./legacy";

        export const a = (u: string) => pushLegacy(u, notify.version());
      `),
    });
    expect(ns.files["src/a.ts"]).toBe(
      dedent(`
        import * as notify from "./hub";

        export const a = (u: string) => notify.hub.push(u, notify.version());
      `),
    );
    const dflt = await fix(
      {
        "src/a.ts": dedent(`
          import { version } from "./hub";
          import { pushLegacy } from "./legacy";

          export const a = (u: string) => pushLegacy(u, version());
        `),
      },
      'import: { from: "src/hub.ts", name: "theHub", default: true }\nexpression: "theHub.push"',
    );
    expect(dflt.files["src/a.ts"]).toBe(
      dedent(`
        import theHub, { version } from "./hub";

        export const a = (u: string) => theHub.push(u, version());
      `),
    );
  });

  it("inserts a configured import statement verbatim (package delegates), below the file header", async () => {
    const out = await fix(
      {
        "src/a.ts": dedent(`
          /** Header of the file. */

          /** Documents \`a\`: the import goes above this comment. */
          export async function a(u: string): Promise<number> {
            return pushOld(u, "x");
          }

          async function pushOld(userId: string, event: string): Promise<number> {
            return userId.length + event.length;
          }
        `),
      },
      'import: "import { hub as theHub } from \\"@acme/hub\\";"\nexpression: "theHub.push"',
    );
    expect(out.files["src/a.ts"]).toBe(
      dedent(`
        /** Header of the file. */

        import { hub as theHub } from "@acme/hub";

        /** Documents \`a\`: the import goes above this comment. */
        export async function a(u: string): Promise<number> {
          return theHub.push(u, "x");
        }

        async function pushOld(userId: string, event: string): Promise<number> {
          return userId.length + event.length;
        }
      `),
    );
  });
});

describe("typescript call rewrites: what is left alone", () => {
  it("lists calls whose arguments or types do not map, with the reason", async () => {
    const out = await fix({
      "src/a.ts": dedent(`
        import { pushCompat, pushFallback, pushLegacy, pushOld, pushV2 } from "./legacy";

        export async function a(u: string, events: [string, string]) {
          await pushV2("x", u);
          await pushLegacy(...events);
          pushOld(u, "x");
          await pushCompat(u, "x", "y");
          await pushFallback<number>(u, "x");
        }

        export async function b(u: string) {
          const hub = 42;
          return pushLegacy(u, String(hub));
        }
      `),
    });
    expect(out.files).toEqual({});
    expect(out.manual).toEqual([
      ["src/a.ts", 4, "the canonical 'Hub.push' takes 'userId' at another position"],
      ["src/a.ts", 5, "the call passes spread arguments"],
      ["src/a.ts", 6, "'pushOld' is synchronous but the canonical 'Hub.push' returns a promise"],
      ["src/a.ts", 7, "argument 2 goes to the rest parameter of 'pushCompat'"],
      ["src/a.ts", 8, "the call has type arguments or `?.` between the callee and its arguments"],
      // `const hub = 42` is no binding fact (facts keep typed values only); the text-level check sees it.
      ["src/a.ts", 13, "'hub' is also bound at line 12, which could shadow it at the rewritten code"],
    ]);
  });

  it("does not import a name the delegate's module does not export", async () => {
    const legacy = dedent(`
      import { pushLegacy } from "./legacy";

      export async function a(u: string) {
        return pushLegacy(u, "x");
      }
    `);
    // `push` is declared in src/push.ts but not exported: an import of it would not compile.
    const unexported = await fix(
      {
        "src/push.ts": dedent(`
          async function push(userId: string, event: string): Promise<number> {
            return userId.length + event.length;
          }
          export const version = 1;
        `),
        "src/a.ts": legacy,
      },
      'import: { from: "src/push.ts", name: "push" }\nexpression: "push"',
    );
    expect(unexported.files).toEqual({});
    expect(unexported.manual).toEqual([["src/a.ts", 4, "the delegate's module src/push.ts does not export 'push'"]]);
    // Re-exported from another module (`export *`): it may well be exported, so the import is added.
    const reexported = await fix(
      { "src/index.ts": 'export * from "./hub";\n', "src/a.ts": legacy },
      'import: { from: "src/index.ts", name: "hub" }\nexpression: "hub.push"',
    );
    expect(reexported.manual).toEqual([]);
    expect(reexported.files["src/a.ts"]).toContain('import { hub } from "./index";');
    // Exported by name and also as the default: the named import compiles.
    const both = await fix(
      {
        "src/push.ts": dedent(`
          export async function push(userId: string, event: string): Promise<number> {
            return userId.length + event.length;
          }
          export default push;
        `),
        "src/a.ts": legacy,
      },
      'import: { from: "src/push.ts", name: "push" }\nexpression: "push"',
    );
    expect(both.manual).toEqual([]);
    expect(both.files["src/a.ts"]).toContain('import { push } from "./push";');
    // The default export alone does not export the name.
    const onlyDefault = await fix(
      {
        "src/push.ts": dedent(`
          export default async function push(userId: string, event: string): Promise<number> {
            return userId.length + event.length;
          }
        `),
        "src/a.ts": legacy,
      },
      'import: { from: "src/push.ts", name: "push" }\nexpression: "push"',
    );
    expect(onlyDefault.manual).toEqual([["src/a.ts", 4, "the delegate's module src/push.ts does not export 'push'"]]);
  });

  it("leaves a call alone when the copy declares another return type than the canonical", async () => {
    const out = await fix({
      "src/status.ts": dedent(`
        export async function pushStatus(userId: string, event: string): Promise<string> {
          return "sent";
        }
      `),
      "src/a.ts": dedent(`
        import { pushStatus } from "./status";

        export async function a(u: string) {
          return (await pushStatus(u, "x")).toUpperCase();
        }
      `),
      "ssot-audit.config.yaml": config(NAMED).replace("push:\n", "push:\n    names: [push, pushStatus]\n"),
    });
    expect(out.files).toEqual({});
    expect(out.manual).toEqual([["src/a.ts", 4, "'pushStatus' returns Promise<string> but the canonical 'Hub.push' returns Promise<number>"]]);
  });

  it("lets a parameter (a constructor's parameter property too) shadow only inside its function", async () => {
    const out = await fix({
      "src/a.ts": dedent(`
        import { Hub } from "./hub";
        import { pushLegacy } from "./legacy";

        export class Chat {
          constructor(private readonly hub: Hub) {
            void pushLegacy("u", "in the constructor");
          }

          async send(u: string) {
            return pushLegacy(u, "x");
          }
        }
      `),
    });
    expect(out.manual).toEqual([["src/a.ts", 6, "'hub' is also bound at line 5, which could shadow it at the rewritten code"]]);
    expect(out.files["src/a.ts"]).toContain('    return hub.push(u, "x");');
  });

  it("catches a shadowing name facts do not record (text-level check)", async () => {
    const out = await fix({
      "src/a.ts": dedent(`
        import { pushLegacy } from "./legacy";

        export async function a(u: string, list: string[]) {
          for (const hub of list) await pushLegacy(u, hub);
        }
      `),
    });
    expect(out.manual).toEqual([["src/a.ts", 4, "'hub' is also bound at line 4, which could shadow it at the rewritten code"]]);
  });
});

describe("typescript suggestions: the delegate a duplicate becomes", () => {
  it("is a thin delegate to check: after fix --unsafe the duplicate is no longer reported", async () => {
    const files = {
      "ssot-audit.config.yaml": `${config(NAMED)}    names: ["push", "sendNotice"]\n`,
      "src/hub.ts": HUB,
      "src/legacy.ts": "export const unrelated = 1;\n",
      "src/other.ts": dedent(`
        export async function sendNotice(userId: string, event: string): Promise<number> {
          console.log(userId, event);
          return userId.length;
        }
      `),
    };
    expect(await findingsOf(files, "duplicate-implementation")).toEqual([["duplicate-implementation", "src/other.ts", 1]]);
    const out = await fix(files, NAMED, { unsafe: true });
    expect(out.files).toEqual({
      "src/other.ts": dedent(`
        import { hub } from "./hub";

        /** @deprecated Use hub.push instead. */
        export async function sendNotice(userId: string, event: string): Promise<number> {
          return hub.push(userId, event);
        }
      `),
    });
    expect(await findingsOf({ ...files, ...out.files }, "duplicate-implementation")).toEqual([]);
  });

  it("is not suggested where the delegate would not type-check: an optional parameter, another return type", async () => {
    const out = await fix(
      {
        "ssot-audit.config.yaml": `${config(NAMED)}    names: ["push", "sendNotice", "sendStatus"]\n`,
        "src/legacy.ts": "export const unrelated = 1;\n",
        "src/other.ts": dedent(`
          export async function sendNotice(userId: string, event?: string): Promise<number> {
            return userId.length;
          }

          export async function sendStatus(userId: string, event: string): Promise<string> {
            return "sent";
          }
        `),
      },
      NAMED,
      { unsafe: true },
    );
    expect(out.files).toEqual({});
    expect(out.manual).toEqual([
      ["src/other.ts", 1, "suggestion not possible: 'event' is optional in 'sendNotice' but required by the canonical 'Hub.push'"],
      ["src/other.ts", 5, "suggestion not possible: 'sendStatus' returns Promise<string> but the canonical 'Hub.push' returns Promise<number>"],
    ]);
  });
});

describe("typescript call rewrites: functions neither async nor annotated", () => {
  const SYNC_CONFIG = dedent(`
    concepts:
      push:
        canonical: src/sync-hub.ts::push
        delegate:
          typescript: { import: { from: "src/sync-hub.ts", name: "push" }, expression: "push" }
  `);
  const SYNC_HUB = dedent(`
    export function push(userId: string, event: string) {
      return userId.length + event.length;
    }
  `);
  const COPIES = dedent(`
    export function pushLegacy(userId: string, event: string) {
      return userId.length + event.length + 1;
    }
    export function pushV2(userId: string, event: string) {
      return new Promise((resolve) => resolve(userId.length + event.length));
    }
    export function pushOld(userId: string, event: string) {
      return send(userId, event);
    }
    function send(userId: string, event: string) {
      return userId.length + event.length;
    }
  `);
  const USE = dedent(`
    import { pushLegacy, pushOld, pushV2 } from "./copies";

    export function a(u: string) {
      pushV2(u, "x");
      pushOld(u, "x");
      return pushLegacy(u, "x");
    }
  `);

  it("rewrites a call when neither returns a promise, and refuses a promise or an unknown return against a synchronous canonical", async () => {
    const out = await fix({ "ssot-audit.config.yaml": SYNC_CONFIG, "src/sync-hub.ts": SYNC_HUB, "src/copies.ts": COPIES, "src/a.ts": USE });
    expect(out.files).toEqual({
      "src/a.ts": dedent(`
        import { pushOld, pushV2 } from "./copies";
        import { push } from "./sync-hub";

        export function a(u: string) {
          pushV2(u, "x");
          pushOld(u, "x");
          return push(u, "x");
        }
      `),
    });
    expect(out.manual).toEqual([
      ["src/a.ts", 4, "'pushV2' returns a promise but the canonical 'push' is synchronous"],
      [
        "src/a.ts",
        5,
        "cannot tell whether 'pushOld' returns a promise like the canonical 'push' (it is neither async nor annotated with a return type, and returns a call result or a plain name)",
      ],
    ]);
  });

  it("takes two functions whose returns facts cannot type as alike (plain JS included)", async () => {
    const out = await fix({
      "ssot-audit.config.yaml": SYNC_CONFIG.replaceAll("sync-hub.ts", "sync-hub.js"),
      "src/sync-hub.js": "export function push(userId, event) {\n  return send(userId, event);\n}\nfunction send(u, e) {\n  return 1;\n}\n",
      "src/copies.js": "export function pushLegacy(userId, event) {\n  const n = count(userId);\n  return n;\n}\nfunction count(u) {\n  return 0;\n}\n",
      "src/a.js": 'import { pushLegacy } from "./copies.js";\n\nexport function a(u) {\n  return pushLegacy(u, "x");\n}\n',
    });
    expect(out.manual).toEqual([]);
    expect(out.files).toEqual({
      "src/a.js": 'import { push } from "./sync-hub.js";\n\nexport function a(u) {\n  return push(u, "x");\n}\n',
    });
  });

  it("adds no import declaration to a CommonJS file, even one that loads nothing", async () => {
    const legacy = "'use strict';\n\nfunction pushLegacy(userId, event) {\n  const n = count(userId);\n  return n;\n}\nfunction count(u) {\n  return 0;\n}\n\nfunction notify(u) {\n  return pushLegacy(u, 'x');\n}\n\nmodule.exports = { pushLegacy, notify };\n";
    const out = await fix({
      "ssot-audit.config.yaml": SYNC_CONFIG.replaceAll("sync-hub.ts", "sync-hub.js"),
      "src/sync-hub.js": "export function push(userId, event) {\n  return send(userId, event);\n}\nfunction send(u, e) {\n  return 1;\n}\n",
      "src/copies.js": legacy,
    });
    expect(out.files).toEqual({});
    expect(out.manual).toEqual([["src/copies.js", 12, "the file is CommonJS (no import declarations); add the delegate's require by hand"]]);
  });

  it("turns such a duplicate into a delegate to such a canonical with --unsafe", async () => {
    const out = await fix(
      {
        "ssot-audit.config.yaml": SYNC_CONFIG,
        "src/sync-hub.ts": "export function push(userId: string, event: string) {\n  return send(userId, event);\n}\nfunction send(u: string, e: string) {\n  return 1;\n}\n",
        "src/copies.ts": 'import { log } from "./log";\n\nexport function pushLegacy(userId: string, event: string) {\n  return log(userId, event);\n}\n',
        "src/log.ts": "export function log(u: string, e: string) {\n  return 0;\n}\n",
        "src/legacy.ts": "export function pushOld(userId: string, event: string): number {\n  return 0;\n}\n",
        "src/hub.ts": "export const unrelated = 1;\n",
      },
      NAMED,
      { unsafe: true },
    );
    // Known to be synchronous against an unknown canonical: callers could get a promise.
    expect(out.manual).toEqual([["src/legacy.ts", 1, "suggestion not possible: 'pushOld' is synchronous but the canonical may return a promise"]]);
    expect(out.files).toEqual({
      "src/copies.ts": dedent(`
        import { push } from "./sync-hub";

        /** @deprecated Use push instead. */
        export function pushLegacy(userId: string, event: string) {
          return push(userId, event);
        }
      `),
    });
  });
});

describe("typescript import repoints: what is left alone", () => {
  it("names a default import by its local binding, and tells an inline require from a side-effect import", async () => {
    const out = await fix({
      "ssot-audit.config.yaml": `${config(NAMED)}    deprecatedModules: ["src/legacy.ts"]\n`,
      "src/legacy.ts": `${LEGACY}export default pushLegacy;\n`,
      "src/hub.ts": HUB.replace("export default hub;\n", ""),
      "src/a.ts": dedent(`
        import "./legacy";
        import pushDefault, { pushOld } from "./legacy";

        export function a(u: string) {
          return pushOld(u, "x") + require("./legacy").pushOld(u, "y") + String(pushDefault);
        }
      `),
    });
    expect(out.files).toEqual({});
    expect(out.manual).toEqual([
      ["src/a.ts", 1, "a side-effect import has no names to move"],
      ["src/a.ts", 2, "the canonical module src/hub.ts does not export a default (imported here as 'pushDefault'), 'pushOld'"],
      ["src/a.ts", 5, "'pushOld' is synchronous but the canonical 'Hub.push' returns a promise"],
      ["src/a.ts", 5, "the module is loaded inline and used on the spot (not bound to imported names); change that use by hand"],
    ]);
  });
});
