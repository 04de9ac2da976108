import { describe, expect, it } from "vitest";
import { dedent, findingsOf, lineOf } from "../helpers/project.js";

describe("direct-sink-call (Python)", () => {
  const config = dedent(`
    concepts:
      settings:
        canonical: app/config.py::get_settings
        sinks: ["os.environ", "os.getenv", "jwt.decode"]
        sinkOwners: ["app/bootstrap/**"]
  `);
  const canonical = dedent(`
    import os


    def get_settings():
        return {"debug": os.environ.get("DEBUG"), "key": os.getenv("KEY")}
  `);
  const code = dedent(`
    import os
    import jwt as j
    from os import environ as E
    from os import getenv

    ENV = os.environ


    def read(token):
        debug = E.get("DEBUG")
        home = os.environ["HOME"]
        key = getenv("KEY")
        claims = j.decode(token, "secret")
        path = os.path.join("a", "b")
        return debug, home, key, claims, path, ENV.get("X")
  `);
  const owner = dedent(`
    import os

    VALUE = os.environ.get("BOOT")
  `);

  it("resolves import aliases, reports uses not alias definitions, skips the canonical file and sink owners", async () => {
    const findings = await findingsOf(
      {
        "ssot-audit.config.yaml": config,
        "app/config.py": canonical,
        "app/reader.py": code,
        "app/bootstrap/env.py": owner,
        "tests/test_env.py": "import os\nos.environ['X'] = '1'\n",
      },
      "direct-sink-call",
    );
    expect(findings).toEqual([
      ["direct-sink-call", "app/reader.py", lineOf(code, 'E.get("DEBUG")')],
      ["direct-sink-call", "app/reader.py", lineOf(code, 'os.environ["HOME"]')],
      ["direct-sink-call", "app/reader.py", lineOf(code, 'getenv("KEY")')],
      ["direct-sink-call", "app/reader.py", lineOf(code, "j.decode")],
      ["direct-sink-call", "app/reader.py", lineOf(code, 'ENV.get("X")')],
    ]);
  });
});

describe("direct-sink-call (TypeScript)", () => {
  const config = dedent(`
    concepts:
      push:
        canonical: src/hub.ts::NotificationHub.pushToUser
        sinks: ["io.to().emit", "**.socket.send"]
      env:
        canonical: src/env.ts::readEnv
        sinks: ["process.env"]
  `);
  const hub = dedent(`
    export class NotificationHub {
      constructor(private socket: { send(d: string): void }) {}
      pushToUser(userId: string, event: object) {
        this.socket.send(JSON.stringify({ userId, event }));
      }
    }
  `);
  const env = dedent(`
    export function readEnv(name: string): string | undefined {
      return process.env[name];
    }
  `);
  const code = dedent(`
    declare const io: { to(room: string): { emit(e: string, d: object): void } };

    const { env } = process;
    const { env: E } = process;

    export class Handler {
      constructor(private socket: { send(d: string): void }) {}

      handle(room: string) {
        io.to(room).emit("event", {});
        io.emit("event", {});
        this.socket.send("x");
        const token = env.API_TOKEN;
        const other = E.OTHER;
        const direct = process.env.DIRECT;
        return [token, other, direct];
      }
    }
  `);

  it("matches call segments and resolves destructured aliases", async () => {
    const findings = await findingsOf(
      { "ssot-audit.config.yaml": config, "src/hub.ts": hub, "src/env.ts": env, "src/handler.ts": code },
      "direct-sink-call",
    );
    expect(findings).toEqual([
      ["direct-sink-call", "src/handler.ts", lineOf(code, "io.to(room).emit")],
      ["direct-sink-call", "src/handler.ts", lineOf(code, 'this.socket.send("x")')],
      ["direct-sink-call", "src/handler.ts", lineOf(code, "env.API_TOKEN")],
      ["direct-sink-call", "src/handler.ts", lineOf(code, "E.OTHER")],
      ["direct-sink-call", "src/handler.ts", lineOf(code, "process.env.DIRECT")],
    ]);
  });
});
