#!/usr/bin/env node
/**
 * Deterministic synthetic corpus for `npm run bench`: a Python backend and a TypeScript front end
 * of realistic shape (packages, classes, methods, imports, try/except, calls, comprehensions,
 * decorators), seeded with the broadcast concept (a canonical service, legacy copies, fallbacks
 * and direct sink calls), and with a realistic share of pathological broken files: a statement
 * near the top whose closing bracket was commented out, so that the rest of the file sits inside
 * an unclosed call. tree-sitter's error recovery is quadratic in what follows (a 170 KB file takes
 * about 0.7 s, a 700 KB one 10 s or more), which is what makes real broken files dominate parse time.
 *
 * Same options → byte-identical corpus (a seeded PRNG; no clock, no Math.random).
 *
 *   node scripts/gen-corpus.mjs <dir> [--files N] [--seed S]
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Bump when the generated content changes (the bench reuses a corpus with the same stamp). */
export const GENERATOR_VERSION = 3;

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "user", "session", "event", "message", "room", "channel", "payload", "token", "account", "order",
  "invoice", "payment", "report", "metric", "cache", "queue", "job", "task", "agent", "thread",
  "tool", "result", "request", "response", "config", "setting", "profile", "team", "member", "audit",
  "billing", "quota", "limit", "stream", "chunk", "record", "index", "search", "notify", "webhook",
];
const VERBS = ["get", "load", "save", "build", "handle", "process", "send", "fetch", "update", "create", "delete", "validate", "render", "sync", "resolve", "dispatch"];

/** Generates the corpus into `dir` (which must be empty or absent). Returns its statistics. */
export function generateCorpus(dir, { files = 3000, seed = 42 } = {}) {
  const rnd = prng(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p) => rnd() < p;
  const snake = () => `${pick(VERBS)}_${pick(WORDS)}${chance(0.3) ? `_${pick(WORDS)}` : ""}`;
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const pascal = (s) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());

  const stats = { files: 0, lines: 0, bytes: 0, pythonFiles: 0, typescriptFiles: 0, brokenFiles: 0, brokenBytes: 0 };
  const write = (rel, text, broken = false) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    stats.files++;
    stats.bytes += Buffer.byteLength(text);
    stats.lines += text.split("\n").length;
    if (rel.endsWith(".py")) stats.pythonFiles++;
    else stats.typescriptFiles++;
    if (broken) {
      stats.brokenFiles++;
      stats.brokenBytes += Buffer.byteLength(text);
    }
  };

  const tsFiles = Math.round(files * 0.2);
  const pyFiles = files - tsFiles - 2;
  const brokenCount = Math.max(1, Math.round(files * 0.03));
  const pkgCount = Math.max(2, Math.round(Math.sqrt(pyFiles / 4)));
  const modules = [];
  for (let i = 0; i < pyFiles; i++) {
    const pkg = `pkg_${i % pkgCount}`;
    const sub = `${pick(WORDS)}s`;
    modules.push({ dotted: `backend.${pkg}.${sub}.${snake()}_${i}`, cls: `${pascal(snake())}${i}` });
  }

  // --------------------------------------------------------------- Python
  const pyExpr = (depth = 0) => {
    const r = rnd();
    if (depth > 1 || r < 0.45) return pick(["user_id", "payload", "self.timeout", "event.kind", "42", '"ok"', "None", "items[0]", "len(items)"]);
    if (r < 0.55) return `self.${pick(WORDS)}_service.${snake()}(${pyExpr(depth + 1)}, ${pick(WORDS)}=${pyExpr(depth + 1)})`;
    if (r < 0.7) return `[${pick(WORDS)}.${pick(WORDS)} for ${pick(WORDS)} in ${pick(WORDS)}s if ${pick(WORDS)}]`;
    if (r < 0.8) return `{"${pick(WORDS)}": ${pyExpr(depth + 1)}, "${pick(WORDS)}": ${pyExpr(depth + 1)}}`;
    if (r < 0.9) return `${pyExpr(depth + 1)} or ${pyExpr(depth + 1)}`;
    return `await ${snake()}(${pyExpr(depth + 1)})`;
  };
  const pyStatements = (indent, count, depth = 0) => {
    const pad = " ".repeat(indent);
    const out = [];
    for (let i = 0; i < count; i++) {
      const r = rnd();
      if (depth < 2 && r < 0.12) {
        out.push(`${pad}try:`, ...pyStatements(indent + 4, int(1, 3), depth + 1));
        out.push(`${pad}except ${pick(["ValueError", "KeyError", "Exception", "TimeoutError"])} as exc:`);
        out.push(`${pad}    logger.warning("${pick(VERBS)} failed: %s", exc)`, ...pyStatements(indent + 4, int(0, 2), depth + 1));
      } else if (depth < 2 && r < 0.25) {
        out.push(`${pad}if ${pyExpr(1)}:`, ...pyStatements(indent + 4, int(1, 3), depth + 1));
        if (chance(0.4)) out.push(`${pad}else:`, ...pyStatements(indent + 4, int(1, 2), depth + 1));
      } else if (depth < 2 && r < 0.33) {
        out.push(`${pad}for ${pick(WORDS)} in ${pyExpr(1)}:`, ...pyStatements(indent + 4, int(1, 3), depth + 1));
      } else if (depth < 2 && r < 0.37) {
        out.push(`${pad}with self.lock_for(${pyExpr(1)}) as ${pick(WORDS)}:`, ...pyStatements(indent + 4, int(1, 2), depth + 1));
      } else if (r < 0.7) {
        out.push(`${pad}${pick(WORDS)} = ${pyExpr()}`);
      } else if (r < 0.85) {
        out.push(`${pad}${pyExpr()}`);
      } else if (r < 0.9) {
        out.push(`${pad}# ${pick(VERBS)} the ${pick(WORDS)} before the ${pick(WORDS)} expires`);
      } else {
        out.push(`${pad}self.${pick(WORDS)} = ${pick(WORDS)}`);
      }
    }
    return out;
  };
  const pyFunction = (indent, name, isMethod) => {
    const pad = " ".repeat(indent);
    const params = [isMethod ? "self" : null, "user_id: str", chance(0.5) ? "payload: dict[str, Any] | None = None" : "payload", chance(0.3) ? "*args" : null, chance(0.3) ? "**kwargs" : null].filter(Boolean);
    const lines = [];
    if (chance(0.2)) lines.push(`${pad}@${pick(["staticmethod", "cached", "retry(times=3)", "router.post(\"/x\")"])}`.replace("@staticmethod", "@cached"));
    lines.push(`${pad}${chance(0.3) ? "async " : ""}def ${name}(${params.join(", ")}) -> ${pick(["None", "dict", "bool", "list[str]", "Any"])}:`);
    if (chance(0.5)) lines.push(`${pad}    """${pascal(pick(VERBS))} the ${pick(WORDS)} for one ${pick(WORDS)}."""`);
    lines.push(...pyStatements(indent + 4, int(3, 12)));
    lines.push(`${pad}    return ${pyExpr(1)}`, "");
    return lines;
  };
  const pyModule = (index, targetLines) => {
    const me = modules[index];
    const lines = [`"""${pascal(pick(VERBS))} ${pick(WORDS)}s for the ${pick(WORDS)} service."""`, "import logging", "from typing import Any"];
    for (let k = 0; k < int(2, 6); k++) {
      const other = modules[int(0, modules.length - 1)];
      lines.push(`from ${other.dotted} import ${other.cls}`);
    }
    if (chance(0.1)) lines.push("try:", "    import ujson as json", "except ImportError:", "    import json");
    lines.push("", "logger = logging.getLogger(__name__)", "");
    const concept = index % 40 === 7;
    if (concept) {
      lines.push("from backend.services.broadcast_service import get_broadcast_service", "");
      lines.push("async def _legacy_broadcast_to_user(websocket, user_id, event):", "    await websocket.send_json({\"user\": user_id, \"event\": event})", "");
      lines.push("async def notify(websocket, user_id, event):", "    try:", "        await get_broadcast_service().broadcast_to_user(user_id, event)", "    except Exception:", "        await _legacy_broadcast_to_user(websocket, user_id, event)", "");
    }
    while (lines.length < targetLines) {
      if (chance(0.75)) {
        lines.push(`class ${me.cls}${lines.length}(${chance(0.5) ? "BaseService" : "object"}):`);
        lines.push(`    """${pascal(pick(WORDS))} ${pick(WORDS)} handling."""`, "");
        lines.push("    def __init__(self, service, timeout=30):", "        self.service = service", "        self.timeout = timeout", "");
        for (let m = 0; m < int(2, 7); m++) lines.push(...pyFunction(4, snake(), true));
      } else {
        lines.push(...pyFunction(0, snake(), false));
      }
    }
    return `${lines.join("\n")}\n`;
  };

  // The canonical service and one user-scoped duplicate.
  write(
    "backend/services/broadcast_service.py",
    [
      '"""The SSOT broadcast service."""',
      "",
      "class BroadcastService:",
      "    async def broadcast_to_user(self, user_id, event):",
      "        for connection in self.registry.connections_of(user_id):",
      '            await connection.send_json({"event": event})',
      "",
      "_service = BroadcastService()",
      "",
      "def get_broadcast_service():",
      "    return _service",
      "",
    ].join("\n"),
  );
  write(
    "ssot-audit.config.yaml",
    [
      "concepts:",
      "  websocket-broadcast:",
      "    canonical: backend/services/broadcast_service.py::BroadcastService.broadcast_to_user",
      '    sinks: ["**.send_json"]',
      "  front-notify:",
      "    canonical: web/src/notify/hub.ts::Hub.pushToUser",
      '    sinks: ["io.to().emit"]',
      "",
    ].join("\n"),
  );
  stats.files--; // the config is not a source file
  stats.typescriptFiles--;

  // Broken files: ~3 % of the files, ~9 % of the bytes; a few large ones, one beyond the default budget.
  const brokenSet = new Set();
  while (brokenSet.size < Math.min(brokenCount, pyFiles)) brokenSet.add(int(0, pyFiles - 1));
  const brokenList = [...brokenSet];
  for (let i = 0; i < pyFiles; i++) {
    const slot = brokenList.indexOf(i);
    let target = Math.round(80 + 240 * -Math.log(1 - rnd() * 0.999)); // mean ~380 lines with the growth of the last class, long tail
    if (target > 4000) target = 4000;
    let text;
    if (slot >= 0) {
      // Sizes: one ~450 KB (beyond a 5 s budget), a few ~120–220 KB, the rest ~15–40 KB. What
      // follows the unclosed call is a long run of small methods (getters, setters, adapters).
      const kb = slot === 0 ? 450 : slot <= Math.max(1, Math.round(brokenCount / 12)) ? int(120, 220) : int(15, 40);
      const head = pyModule(i, 40).split("\n").slice(0, 12);
      const tail = [`class ${modules[i].cls}Adapter:`];
      let size = 0;
      while (size < kb * 1024) {
        const lines = [`    def ${snake()}(self, ${pick(WORDS)}):`];
        for (let k = int(1, 4); k > 0; k--) {
          lines.push(`        ${pick(WORDS)} = ${pick(["1", "None", pick(WORDS), `self.${pick(WORDS)}`, `${pick(WORDS)}.${pick(WORDS)}(${pick(WORDS)})`])}`);
        }
        if (chance(0.3)) lines.push(`        return ${pick(WORDS)}`);
        for (const l of lines) size += l.length + 1;
        tail.push(...lines);
      }
      text = [...head, "registry = build_registry(", "    handlers=default_handlers(),", "#    strict=True)", "", ...tail, ""].join("\n");
    } else {
      text = pyModule(i, target);
    }
    const rel = `${modules[i].dotted.replace(/\./g, "/")}.py`;
    write(rel, text, slot >= 0);
  }
  for (const pkgDir of new Set(modules.map((m) => m.dotted.split(".").slice(0, -1).join("/")))) {
    const parts = pkgDir.split("/");
    for (let d = 1; d <= parts.length; d++) {
      const init = `${parts.slice(0, d).join("/")}/__init__.py`;
      if (!fs.existsSync(path.join(dir, init))) write(init, "");
    }
  }

  // --------------------------------------------------------------- TypeScript
  write(
    "web/src/notify/hub.ts",
    [
      'import { io } from "../socket";',
      "",
      "export class Hub {",
      "  pushToUser(userId: string, event: unknown): void {",
      '    io.to(userId).emit("event", event);',
      "  }",
      "}",
      "",
      "export const hub = new Hub();",
      "",
    ].join("\n"),
  );
  const tsExpr = (depth = 0) => {
    const r = rnd();
    if (depth > 1 || r < 0.35) return pick(["userId", "payload", "this.timeout", "event.kind", "42", '"ok"', "null", "items[0]", "items.length"]);
    if (r < 0.6) return `this.${camel(pick(WORDS))}Service.${camel(snake())}(${tsExpr(depth + 1)}, { ${pick(WORDS)}: ${tsExpr(depth + 1)} })`;
    if (r < 0.72) return `${pick(WORDS)}s.filter((x) => x.${pick(WORDS)}).map((x) => x.${pick(WORDS)})`;
    if (r < 0.84) return `${tsExpr(depth + 1)} ?? ${tsExpr(depth + 1)}`;
    return `await ${camel(snake())}(${tsExpr(depth + 1)})`;
  };
  const tsStatements = (indent, count, depth = 0) => {
    const pad = " ".repeat(indent);
    const out = [];
    for (let i = 0; i < count; i++) {
      const r = rnd();
      if (depth < 2 && r < 0.12) {
        out.push(`${pad}try {`, ...tsStatements(indent + 2, int(1, 3), depth + 1), `${pad}} catch (err) {`, `${pad}  console.warn("failed", err);`, `${pad}}`);
      } else if (depth < 2 && r < 0.25) {
        out.push(`${pad}if (${tsExpr(1)}) {`, ...tsStatements(indent + 2, int(1, 3), depth + 1), `${pad}}`);
      } else if (depth < 2 && r < 0.32) {
        out.push(`${pad}for (const ${pick(WORDS)} of ${pick(WORDS)}s) {`, ...tsStatements(indent + 2, int(1, 3), depth + 1), `${pad}}`);
      } else if (r < 0.75) {
        out.push(`${pad}const ${camel(pick(WORDS))}${i} = ${tsExpr()};`);
      } else {
        out.push(`${pad}${tsExpr()};`);
      }
    }
    return out;
  };
  for (let i = 0; i < tsFiles; i++) {
    const area = pick(WORDS);
    const name = `${camel(snake())}${i}`;
    const lines = ['import { hub } from "../notify/hub";', `import type { ${pascal(pick(WORDS))} } from "../${pick(WORDS)}/types";`, `import { ${camel(snake())} } from "./${camel(snake())}";`, ""];
    const target = Math.round(60 + 280 * -Math.log(1 - rnd() * 0.999));
    if (i % 50 === 3) {
      lines.push("export function legacyPushToUser(userId: string, event: unknown): void {", '  io.to(userId).emit("event", event);', "}", "");
    }
    while (lines.length < target) {
      if (chance(0.6)) {
        lines.push(`export class ${pascal(name)}${lines.length} {`, "  private timeout = 30;", "");
        for (let m = 0; m < int(2, 6); m++) {
          lines.push(`  ${chance(0.4) ? "async " : ""}${camel(snake())}(userId: string, payload?: Record<string, unknown>): ${pick(["void", "unknown", "Promise<void>", "boolean"])} {`);
          lines.push(...tsStatements(4, int(3, 10)), `    return ${tsExpr(1)};`, "  }", "");
        }
        lines.push("}", "");
      } else {
        lines.push(`export async function ${camel(snake())}(userId: string, payload: unknown) {`, ...tsStatements(2, int(3, 12)), `  return ${tsExpr(1)};`, "}", "");
      }
    }
    write(`web/src/${area}/${name}.ts`, `${lines.join("\n")}\n`);
  }
  return stats;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith("--"));
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  if (!dir) {
    process.stderr.write("usage: node scripts/gen-corpus.mjs <dir> [--files N] [--seed S]\n");
    process.exit(2);
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    process.stderr.write(`gen-corpus: ${dir} is not empty\n`);
    process.exit(2);
  }
  const stats = generateCorpus(dir, { files: opt("--files", 3000), seed: opt("--seed", 42) });
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}
