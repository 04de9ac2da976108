/** The config `init` writes: valid, commented, and auditable by `check` as written. */
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { init } from "../../src/cli/commands/init.js";
import { parseConfigText } from "../../src/config/load.js";
import { annotationIsClass, conceptId, renderInitConfig } from "../../src/discover/init-config.js";
import { runDiscovery } from "../../src/discover/run.js";
import { DiscoveryView } from "../../src/discover/view.js";
import { runCheck } from "../../src/engine/check.js";
import { makeProject } from "../helpers/project.js";
import { copyFixture } from "./helpers.js";

async function configFor(dir: string, top: number) {
  const run = await runDiscovery({ paths: [dir], cwd: dir, jobs: 1, cache: false, ignoreConfig: true });
  const all = run.report.discovery.candidates;
  return renderInitConfig(all.slice(0, top), new DiscoveryView(run.project.model), { candidates: all.length });
}

describe("renderInitConfig", () => {
  it("writes one concept per candidate that loads as a valid config", async () => {
    const dir = copyFixture("python-broadcast", { dropConfig: true });
    try {
      const text = await configFor(dir, 3);
      const config = parseConfigText(text, "yaml", "ssot-audit.config.yaml");
      expect(
        Object.fromEntries(
          Object.entries(config.concepts).map(([id, c]) => [id, { canonical: `${c.canonicalFile}::${c.canonicalSymbol}`, names: c.names }]),
        ),
      ).toEqual({
        "broadcast-to-user": {
          canonical: "netra_backend/app/services/websocket_broadcast_service.py::WebSocketBroadcastService.broadcast_to_user",
          names: ["broadcast_to_user", "notify_all_tabs", "_legacy_broadcast_to_user"],
        },
        "get-broadcast-service": {
          canonical: "netra_backend/app/services/websocket_broadcast_service.py::get_broadcast_service",
          names: ["get_broadcast_service", "get_websocket_router"],
        },
        "web-socket-event-router": {
          canonical: "netra_backend/app/services/user_scoped_websocket_event_router.py::UserScopedWebSocketEventRouter",
          names: ["UserScopedWebSocketEventRouter", "WebSocketEventRouter"],
        },
      });
      // Evidence and hints are comments a user can edit.
      expect(text).toContain('  # 1. same-name "broadcast_to_user", score ');
      expect(text).toContain('    # description: "Send ``event`` to every connection of ``user_id``; return how many received it."\n');
      expect(text).toContain('    # sinks: ["**.send_json"]');
      expect(text).toContain('    # deprecatedModules: ["netra_backend.app.services.websocket_event_router"]');
      expect(text).toContain(
        '    #   python: { import: "from netra_backend.app.services.websocket_broadcast_service import get_broadcast_service", expression: "get_broadcast_service().broadcast_to_user" }',
      );
      // Uncommenting the hints gives a valid config too.
      const uncommented = text.replace(
        /^(\s*)# ((description|sinks|sinkOwners|deprecatedModules|delegate):|\s+(python|typescript):)/gm,
        "$1$2",
      );
      const full = parseConfigText(uncommented, "yaml", "uncommented.yaml");
      expect(full.concepts["broadcast-to-user"]?.description).toBe(
        "Send ``event`` to every connection of ``user_id``; return how many received it.",
      );
      expect(full.concepts["broadcast-to-user"]?.sinks).toEqual(["**.send_json"]);
      expect(full.concepts["broadcast-to-user"]?.delegate?.python?.expression).toBe("get_broadcast_service().broadcast_to_user");

      // Round trip: `check` runs on the written config and reports the other implementations.
      fs.writeFileSync(path.join(dir, "ssot-audit.config.yaml"), text);
      const { report } = await runCheck({ paths: ["."], cwd: dir });
      expect(report.concepts.map((c) => [c.id, c.implementations])).toEqual([
        ["broadcast-to-user", 5],
        ["get-broadcast-service", 2],
        ["web-socket-event-router", 2],
      ]);
      const duplicates = report.findings
        .filter((f) => f.ruleId === "duplicate-implementation")
        .map((f) => `${f.concept} ${f.file}::${f.symbol}`);
      expect(duplicates).toEqual([
        "broadcast-to-user netra_backend/app/services/presence_notifier.py::PresenceNotifier.notify_all_tabs",
        "broadcast-to-user netra_backend/app/services/user_scoped_websocket_event_router.py::UserScopedWebSocketEventRouter.broadcast_to_user",
        "broadcast-to-user netra_backend/app/services/user_scoped_websocket_event_router.py::UserScopedWebSocketEventRouter._legacy_broadcast_to_user",
        "web-socket-event-router netra_backend/app/services/websocket_event_router.py::WebSocketEventRouter",
        "broadcast-to-user netra_backend/app/services/websocket_event_router.py::WebSocketEventRouter.broadcast_to_user",
        "get-broadcast-service netra_backend/app/services/websocket_event_router.py::get_websocket_router",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes a valid config with an example when nothing is chosen", async () => {
    const dir = copyFixture("discover-near-misses");
    try {
      const text = await configFor(dir, 5);
      expect(parseConfigText(text, "yaml", "x.yaml").concepts).toEqual({});
      expect(text).toContain("# No candidates were chosen. A concept looks like this:");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("marks a TypeScript delegate hint whose name the module does not export", async () => {
    const body = (name: string, exported: boolean) =>
      `${exported ? "export " : ""}function ${name}(userId: string, event: string): number {\n  const parts = [userId, event].map((p) => p.trim());\n  if (parts.some((p) => p.length === 0)) return 0;\n  return parts.join(":").length;\n}\n`;
    const dir = makeProject({
      "src/a/push.ts": `${body("pushToUser", false)}${body("sendMail", true)}export const a = () => pushToUser("u", "e") + sendMail("u", "e");\n`,
      "src/b/push.ts": `${body("pushToUser", false)}${body("sendMail", true)}export const b = () => pushToUser("u", "e") + sendMail("u", "e");\n`,
    });
    try {
      const hints = (await configFor(dir, 5)).split("\n").filter((l) => l.includes("#   typescript: {"));
      expect(hints.map((l) => [/name: "(\w+)"/.exec(l)?.[1], l.endsWith("is not exported: export it first")])).toEqual([
        ["pushToUser", true],
        ["sendMail", false],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("hints a factory only when it returns the class itself and takes no required argument", async () => {
    const method = (cls: string) =>
      `class ${cls}:\n    def filter_common(self, node, frame):\n        name = node.name\n        if name is None:\n            raise ValueError("no name")\n        frame.write(name)\n        return frame\n\n\n`;
    const project = (factories: string) =>
      makeProject({
        "pkg/__init__.py": "",
        "pkg/compiler.py": `import typing as t\n\n\n${method("CodeGenerator")}${factories}`,
        "pkg/environment.py": method("Environment"),
      });
    const hint = async (factories: string) => {
      const dir = project(factories);
      try {
        return (await configFor(dir, 1)).split("\n").find((l) => l.includes("#   python: {"));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    const none = '    #   python: { import: "from pkg.compiler import CodeGenerator", expression: "CodeGenerator(…).filter_common" }';
    const via = (name: string) =>
      `    #   python: { import: "from pkg.compiler import ${name}", expression: "${name}().filter_common" }`;
    // Types that only mention the class, and factories that need an argument, are no hints.
    expect(
      await hint(
        [
          'def _make_binop(op: str) -> t.Callable[["CodeGenerator", object, object], None]:\n    return None\n',
          "def all_generators() -> list[CodeGenerator]:\n    return []\n",
          "def each() -> t.Iterator[CodeGenerator]:\n    yield CodeGenerator()\n",
          "def for_env(env) -> CodeGenerator:\n    return CodeGenerator()\n",
          "def for_name(*, name: str) -> CodeGenerator:\n    return CodeGenerator()\n",
          "def unannotated(env):\n    return CodeGenerator()\n",
        ].join("\n\n"),
      ),
    ).toBe(none);
    expect(await hint("def get_generator(env=None, *args, **kwargs) -> CodeGenerator:\n    return CodeGenerator()\n")).toBe(
      via("get_generator"),
    );
    expect(await hint('def maybe() -> t.Optional["CodeGenerator"]:\n    return None\n')).toBe(via("maybe"));
    expect(await hint("def maybe() -> CodeGenerator | None:\n    return None\n")).toBe(via("maybe"));
    expect(await hint("def plain():\n    return CodeGenerator()\n")).toBe(via("plain"));
  });

  it("takes a return annotation for the class only when it is the class, possibly optional", () => {
    const is = (t: string) => annotationIsClass(t, "Hub");
    expect(["Hub", '"Hub"', "'Hub'", "Optional[Hub]", 'typing.Optional["Hub"]', "Hub | None", "None | Hub", "Hub | undefined", "Hub | null"].filter(is)).toEqual([
      "Hub",
      '"Hub"',
      "'Hub'",
      "Optional[Hub]",
      'typing.Optional["Hub"]',
      "Hub | None",
      "None | Hub",
      "Hub | undefined",
      "Hub | null",
    ]);
    expect(["list[Hub]", "Callable[[Hub], None]", "Iterator[Hub]", "Promise<Hub>", "Hub[]", "Hub | Other", "MyHub", "Hub.Inner", "Optional[list[Hub]]"].filter(is)).toEqual([]);
  });

  it("makes concept ids from names, unique", () => {
    expect(conceptId("broadcast_to_user", new Set())).toBe("broadcast-to-user");
    expect(conceptId("JobScheduler", new Set())).toBe("job-scheduler");
    expect(conceptId("pushToUser", new Set(["push-to-user"]))).toBe("push-to-user-2");
    expect(conceptId("pushToUser", new Set(["push-to-user", "push-to-user-2"]))).toBe("push-to-user-3");
  });
});

/** A stream that says it is a terminal. */
function tty<T extends PassThrough>(stream: T): T & { isTTY: boolean } {
  return Object.assign(stream, { isTTY: true });
}

describe("init on a terminal", () => {
  it("lists the candidates, asks which to keep and writes only those", async () => {
    const dir = copyFixture("python-broadcast", { dropConfig: true });
    const input = tty(new PassThrough());
    const output = tty(new PassThrough());
    let shown = "";
    output.on("data", (c: Buffer) => {
      shown += c.toString();
    });
    input.end("2\n");
    try {
      expect(await init([dir], { top: 5, cache: false, jobs: 1 }, { input, output })).toBe(0);
      expect(shown).toContain("ssot-audit found 3 SSOT candidates:");
      expect(shown).toContain("* 1. broadcast_to_user (same-name");
      expect(shown).toContain("Wrote ");
      const config = parseConfigText(fs.readFileSync(path.join(dir, "ssot-audit.config.yaml"), "utf8"), "yaml", "x.yaml");
      expect(Object.keys(config.concepts)).toEqual(["get-broadcast-service"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes nothing when the answer is none", async () => {
    const dir = copyFixture("python-broadcast", { dropConfig: true });
    const input = tty(new PassThrough());
    const output = tty(new PassThrough());
    input.end("none\n");
    try {
      expect(await init([dir], { top: 5, cache: false, jobs: 1 }, { input, output })).toBe(0);
      expect(fs.existsSync(path.join(dir, "ssot-audit.config.yaml"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
