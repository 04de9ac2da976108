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

describe("direct-sink-call: one finding per use; a pattern ending in a call", () => {
  const config = dedent(`
    concepts:
      http:
        canonical: src/http.ts::request
        sinks: ["fetch()", "process.env"]
      settings:
        canonical: app/config.py::get_settings
        sinks: ["os.environ", "os.getenv()", "subprocess.run()"]
  `);
  const ts = dedent(`
    export function load(url: string) {
      void fetch(url);
      fetch(url).then((r) => r.json()).catch(() => null);
      const mode = process.env.MODE!.trim().toLowerCase();
      const f = fetch;
      return [mode, f];
    }
  `);
  const py = dedent(`
    import os
    import subprocess
    from os import getenv as read_env


    def run():
        value = os.environ.get("X").strip().lower()
        token = os.getenv("TOKEN").strip()
        other = read_env("OTHER")
        subprocess.run(["make"]).check_returncode()
        getter = os.getenv
        return value, token, other, getter
  `);

  it("reports a chained call once, at its innermost match, and matches `name()` against a call of name", async () => {
    const findings = await findingsOf(
      {
        "ssot-audit.config.yaml": config,
        "src/http.ts": "export function request(url: string) {\n  return fetch(url);\n}\n",
        "src/load.ts": ts,
        "app/config.py": "def get_settings():\n    return {}\n",
        "app/run.py": py,
      },
      "direct-sink-call",
    );
    expect(findings).toEqual([
      ["direct-sink-call", "app/run.py", lineOf(py, 'os.environ.get("X")')],
      ["direct-sink-call", "app/run.py", lineOf(py, 'os.getenv("TOKEN")')],
      ["direct-sink-call", "app/run.py", lineOf(py, 'read_env("OTHER")')],
      ["direct-sink-call", "app/run.py", lineOf(py, "subprocess.run")],
      ["direct-sink-call", "src/load.ts", lineOf(ts, "void fetch(url)")],
      ["direct-sink-call", "src/load.ts", lineOf(ts, "fetch(url).then")],
      ["direct-sink-call", "src/load.ts", lineOf(ts, "process.env.MODE")],
    ]);
  });
});
