/**
 * No network access at run time. Every command runs under a Node `--import` hook that replaces
 * each way out — `net`/`tls` connects, `http(s)`/`http2` requests, every `dns` lookup, UDP
 * sockets, `fetch`, `WebSocket` — with a function that logs the attempt and throws. The hook is
 * inherited by worker threads (the project is large enough for the worker pool to start). The
 * commands must succeed as usual and the log must stay empty. A sanity test proves the hook
 * catches attempts, in the main thread and in a worker. Plus a static check: no module of the
 * built tool imports a network module.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, STACK_LINE, cleanup, cli, copyFixture, tempDir, writeFiles } from "../reliability/helpers.js";

afterAll(cleanup);

const HOOK = `import fs from "node:fs";
import module from "node:module";
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
const log = process.env.SSOT_NETWORK_LOG;
const deny = (what) => function denied() {
  try { fs.appendFileSync(log, what + "\\n"); } catch {}
  throw new Error("network access denied by the test hook: " + what);
};
net.connect = deny("net.connect");
net.createConnection = deny("net.createConnection");
net.Socket.prototype.connect = deny("net.Socket#connect");
tls.connect = deny("tls.connect");
for (const [name, m] of [["http", http], ["https", https]]) { m.request = deny(name + ".request"); m.get = deny(name + ".get"); }
http2.connect = deny("http2.connect");
for (const k of ["lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveAny", "resolveTxt", "reverse"]) {
  dns[k] = deny("dns." + k);
  dns.promises[k] = deny("dns.promises." + k);
}
dgram.createSocket = deny("dgram.createSocket");
globalThis.fetch = deny("fetch");
globalThis.WebSocket = deny("WebSocket");
module.syncBuiltinESMExports();
`;

let hookDir: string;
let hookArg: string;
let log: string;

beforeAll(() => {
  hookDir = tempDir("ssot-nonet-");
  fs.writeFileSync(path.join(hookDir, "no-network.mjs"), HOOK);
  hookArg = `--import=${pathToFileURL(path.join(hookDir, "no-network.mjs")).href}`;
  log = path.join(hookDir, "attempts.log");
});

const attempts = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");

describe("the no-network hook", () => {
  it("catches attempts in the main thread and in worker threads (sanity)", () => {
    const script = `
      import { Worker } from "node:worker_threads";
      import dns from "node:dns";
      import net from "node:net";
      for (const attempt of [() => fetch("http://example.com"), () => dns.lookup("example.com", () => {}), () => net.connect(80, "example.com")]) {
        try { await attempt(); } catch {}
      }
      await new Promise((resolve) => {
        const w = new Worker("try { await fetch('http://example.com'); } catch {}", { eval: true, type: "module" });
        w.on("exit", resolve);
      });
    `;
    const sanityLog = path.join(hookDir, "sanity.log");
    const r = spawnSync(process.execPath, [hookArg, "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, SSOT_NETWORK_LOG: sanityLog },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(sanityLog, "utf8").trim().split("\n")).toEqual(["fetch", "dns.lookup", "net.connect", "fetch"]);
  });
});

describe("every command runs without the network", () => {
  let root: string;

  beforeAll(() => {
    root = copyFixture("fixtures/python-broadcast");
    // Enough files for the worker pool to start (it does from 50 files).
    const extra: Record<string, string> = {};
    for (let i = 0; i < 60; i++) extra[`netra_backend/app/generated/mod_${i}.py`] = `def helper_${i}(x):\n    return x + ${i}\n`;
    writeFiles(root, extra);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "pipe" });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "init");
  });

  const COMMANDS: { name: string; args: string[]; status: number }[] = [
    { name: "check (worker pool, cache)", args: ["check", "-f", "json", "."], status: 1 },
    { name: "check -f sarif, github", args: ["check", "-f", "sarif", "-o", "out.sarif", "-f", "github", "-o", "out.txt", "."], status: 1 },
    { name: "discover", args: ["discover", "--format", "json", "netra_backend"], status: 0 },
    { name: "baseline", args: ["baseline", "."], status: 0 },
    { name: "report -f html --git-history 1", args: ["report", "-f", "html", "-o", "report.html", "--git-history", "1", "."], status: 0 },
    { name: "fix --write", args: ["fix", "--write", "--allow-dirty", "."], status: 0 },
  ];

  it.each(COMMANDS)("$name", ({ args, status }) => {
    const r = cli(args, { cwd: root, nodeArgs: [hookArg], env: { SSOT_NETWORK_LOG: log } });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.status, r.stderr).toBe(status);
    expect(attempts()).toBe("");
  });
});

describe("static: the built tool imports no network module", () => {
  it("dist/src has no import of net, tls, http(s), http2, dns, dgram, undici, nor a fetch/WebSocket call", () => {
    const dist = path.join(REPO_ROOT, "dist", "src");
    const offenders: string[] = [];
    const NETWORK =
      /(?:from\s+|import\(\s*|require\(\s*)["'](?:node:)?(?:net|tls|http|https|http2|dns|dgram|undici)(?:\/[^"']*)?["']|\bfetch\s*\(|new\s+WebSocket\b/;
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith(".js") && NETWORK.test(fs.readFileSync(file, "utf8"))) offenders.push(path.relative(REPO_ROOT, file));
      }
    };
    walk(dist);
    expect(offenders).toEqual([]);
  });
});
