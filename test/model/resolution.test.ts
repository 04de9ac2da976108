/**
 * Patterns written differently from the seed fixtures (other names, nesting and import
 * styles) — each case is a small project with its exact expected findings.
 */
import { describe, expect, it } from "vitest";
import { checkProject, dedent, lineOf } from "../helpers/project.js";

async function findings(files: Record<string, string>) {
  const { report } = await checkProject(files);
  return report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence]);
}

const PY_MAIL = {
  "ssot-audit.config.yaml": "concepts:\n  mail:\n    canonical: app/mail.py::send_email\n    sinks: [os.environ]\n",
  "app/__init__.py": "",
  "app/mail.py": "def send_email(to):\n    return 1\n",
};

/** A method concept (`Mailer.send_email`) and a legacy class with the same method. */
const PY_MAILERS = {
  "ssot-audit.config.yaml": "concepts:\n  mail:\n    canonical: app/mail.py::Mailer.send_email\n",
  "app/__init__.py": "",
  "app/mail.py": "class Mailer:\n    def send_email(self, to):\n        return 1\n",
  "app/legacy.py": "class LegacyMailer:\n    def send_email(self, to):\n        print(to)\n        return 0\n",
};

describe("resolution of patterns written differently", () => {
  it("resolves `from . import module` when the root itself is the package", async () => {
    // The config sits in the package folder (what a user gets running the tool inside it).
    const use = dedent(`
      from . import legacy, mail


      def notify(to):
          mail.Mailer().send_email(to)
          return legacy.LegacyMailer().send_email(to)
    `);
    const files = {
      "ssot-audit.config.yaml": "concepts:\n  mail:\n    canonical: mail.py::Mailer.send_email\n",
      "__init__.py": "",
      "mail.py": PY_MAILERS["app/mail.py"],
      "legacy.py": PY_MAILERS["app/legacy.py"],
      "use.py": use,
    };
    const { report } = await checkProject(files);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence])).toEqual([
      ["duplicate-implementation", "legacy.py", 2, "certain"],
      ["non-canonical-call", "use.py", lineOf(use, "legacy.LegacyMailer()"), "certain"],
    ]);
    expect(report.concepts[0]?.callSites).toEqual({ canonical: 1, nonCanonical: 1 });
  });

  it("does not resolve a name the function binds itself to the module-level name it shadows", async () => {
    const use = dedent(`
      from app.legacy_mailer import mailer


      def fan_out(mailers, to):
          for mailer in mailers:
              mailer.send_email(to)


      def first(mailers, to):
          mailer = mailers[0]
          return mailer.send_email(to)


      def each(mailers, to):
          return [mailer.send_email(to) for mailer in mailers]


      def later(to):
          return lambda mailer: mailer.send_email(to)


      def dispatch(event, to):
          match event:
              case mailer:
                  return mailer.send_email(to)


      def real(to):
          return mailer.send_email(to)
    `);
    const files = {
      ...PY_MAILERS,
      "app/legacy_mailer.py": "from app.legacy import LegacyMailer\n\nmailer = LegacyMailer()\n",
      "app/use.py": use,
    };
    expect((await findings(files)).filter(([rule]) => rule === "non-canonical-call")).toEqual([
      ["non-canonical-call", "app/use.py", lineOf(use, "return mailer.send_email(to)", 3), "certain"],
    ]);
  });

  it("knows nothing of a receiver typed as a union of two classes, or as a container of one", async () => {
    const use = dedent(`
      from typing import Optional, Sequence, Union

      from app.legacy import LegacyMailer
      from app.mail import Mailer


      def both(m: Union[LegacyMailer, Mailer], to):
          return m.send_email(to)


      def either(m: "Mailer | LegacyMailer", to):
          return m.send_email(to)


      def many(ms: Sequence[LegacyMailer], to):
          return ms.send_email(to)


      def maybe(m: Optional[LegacyMailer], to):
          return m.send_email(to)
    `);
    const { report } = await checkProject({ ...PY_MAILERS, "app/use.py": use });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence])).toEqual([
      ["duplicate-implementation", "app/legacy.py", 2, "certain"],
      ["non-canonical-call", "app/use.py", lineOf(use, "return m.send_email(to)", 3), "certain"],
    ]);
    expect(report.concepts[0]?.callSites).toEqual({ canonical: 0, nonCanonical: 1 });
  });

  it("follows aliased function imports (Python and TS)", async () => {
    const use = "from app.old import send_email_old as legacy_send\n\n\ndef f(to):\n    legacy_send(to)\n";
    expect(await findings({ ...PY_MAIL, "app/old.py": "def send_email_old(to):\n    print(to)\n    return 0\n", "app/use.py": use })).toEqual([
      ["duplicate-implementation", "app/old.py", 1, "certain"],
      ["non-canonical-call", "app/use.py", 5, "certain"],
    ]);
    const ts = {
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::pushToUser\n",
      "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
      "src/legacy.ts": "export function pushToUserLegacy(u: string) { console.log(u); return 0; }\n",
      "src/use.ts": 'import { pushToUserLegacy as push } from "./legacy";\nexport const r = push("u");\n',
    };
    expect(await findings(ts)).toEqual([
      ["duplicate-implementation", "src/legacy.ts", 1, "certain"],
      ["non-canonical-call", "src/use.ts", 2, "certain"],
    ]);
  });

  it("resolves attributes assigned from typed constructor parameters", async () => {
    const code = dedent(`
      from app.legacy import LegacyMailer
      from app.mail import Mailer


      class Checkout:
          def __init__(self, legacy: LegacyMailer, mailer: Mailer) -> None:
              self._legacy = legacy
              self._mailer = mailer

          def buy(self, to):
              self._mailer.send_email(to)
              return self._legacy.send_email(to)
    `);
    const { report } = await checkProject({
      ...PY_MAILERS,
      "app/checkout.py": code,
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ["non-canonical-call", "app/checkout.py", lineOf(code, "self._legacy.send_email")],
      ["duplicate-implementation", "app/legacy.py", 2],
    ]);
    expect(report.concepts[0]?.callSites).toEqual({ canonical: 1, nonCanonical: 1 });
  });

  it("sees a fallback to a subclass that inherits the legacy implementation", async () => {
    const code = dedent(`
      from app.legacy import LegacyGateway
      from app.pay import get_service


      def pick():
          return get_service() or LegacyGateway()
    `);
    expect(
      await findings({
        "ssot-audit.config.yaml": "concepts:\n  pay:\n    canonical: app/pay.py::PaymentService.charge_customer\n",
        "app/__init__.py": "",
        "app/pay.py": "class PaymentService:\n    def charge_customer(self, c):\n        return 1\n\n\ndef get_service() -> PaymentService:\n    return PaymentService()\n",
        "app/base.py": "class BaseGateway:\n    def charge_customer(self, c):\n        print(c)\n        return 0\n",
        "app/legacy.py": "from app.base import BaseGateway\n\n\nclass LegacyGateway(BaseGateway):\n    pass\n",
        "app/use.py": code,
      }),
    ).toEqual([
      ["duplicate-implementation", "app/base.py", 2, "certain"],
      ["legacy-fallback", "app/use.py", lineOf(code, " or LegacyGateway()"), "certain"],
    ]);
  });

  it("resolves sinks through node: specifiers, project re-exports and namespace imports", async () => {
    const code = dedent(`
      import { env } from "node:process";
      import { io as server } from "./transport/server";
      import * as transport from "./transport/server";

      export function handle(room: string) {
        server.to(room).emit("a", 1);
        transport.io.to(room).emit("b", 2);
        return env.A;
      }
    `);
    expect(
      await findings({
        "ssot-audit.config.yaml": dedent(`
          concepts:
            push:
              canonical: src/hub.ts::pushToUser
              sinks: ["io.to().emit", "process.env"]
              sinkOwners: [src/transport]
        `),
        "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
        "src/transport/server.ts": 'export const io = { to(r: string) { return { emit(e: string, d: number) {} }; } };\nio.to("x").emit("y", 1);\n',
        "src/handler.ts": code,
      }),
    ).toEqual([
      ["direct-sink-call", "src/handler.ts", lineOf(code, "server.to(room)"), "certain"],
      ["direct-sink-call", "src/handler.ts", lineOf(code, "transport.io.to"), "certain"],
      ["direct-sink-call", "src/handler.ts", lineOf(code, "env.A"), "certain"],
    ]);
  });

  it("resolves methods of object-literal services", async () => {
    const legacy = 'export const paymentService = {\n  chargeCustomer(c: string) {\n    console.log("legacy", c);\n    return 0;\n  },\n};\n';
    const use = 'import { paymentService } from "./legacy";\nimport { payments } from "./pay";\nexport const r = paymentService.chargeCustomer("c");\nexport const s = payments.chargeCustomer("c");\n';
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  pay:\n    canonical: src/pay.ts::payments.chargeCustomer\n",
      "src/pay.ts": "export const payments = {\n  chargeCustomer(c: string) {\n    return 1;\n  },\n};\n",
      "src/legacy.ts": legacy,
      "src/use.ts": use,
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ["duplicate-implementation", "src/legacy.ts", 2],
      ["non-canonical-call", "src/use.ts", 3],
    ]);
    expect(report.concepts[0]?.callSites).toEqual({ canonical: 1, nonCanonical: 1 });
  });

  it("resolves a TS parameter typed `typeof value` as that value", async () => {
    const use = 'import type { legacyHub } from "./legacy";\nexport function send(h: typeof legacyHub) {\n  return h.pushToUser("u");\n}\n';
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::Hub.pushToUser\n",
      "src/hub.ts": "export class Hub {\n  pushToUser(u: string) {\n    return 1;\n  }\n}\n",
      "src/legacy.ts": 'export class LegacyHub {\n  pushToUser(u: string) {\n    console.log(u);\n    return 0;\n  }\n}\nexport const legacyHub = new LegacyHub();\n',
      "src/use.ts": use,
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence])).toEqual([
      ["duplicate-implementation", "src/legacy.ts", 2, "certain"],
      ["non-canonical-call", "src/use.ts", 3, "certain"],
    ]);
  });

  it("reports legacy-named wrappers even over an unresolved receiver", async () => {
    const code = "def send_email_v2(mailer, to):\n    return mailer.send_email(to)\n\n\ndef send_email_adapter(mailer, to):\n    return mailer.send_email(to)\n";
    expect(await findings({ ...PY_MAIL, "app/wrap.py": code })).toEqual([["duplicate-implementation", "app/wrap.py", 1, "certain"]]);
  });

  it("resolves a module found under several src roots to the importer's own copy", async () => {
    const use = "from app.old import send_email_old\n\n\ndef f(to):\n    send_email_old(to)\n";
    expect(
      await findings({
        "ssot-audit.config.yaml": "concepts:\n  mail:\n    canonical: services/a/src/app/mail.py::send_email\n",
        "services/a/src/app/__init__.py": "",
        "services/a/src/app/mail.py": "def send_email(to):\n    return 1\n",
        "services/a/src/app/old.py": "def send_email_old(to):\n    print(to)\n    return 0\n",
        "services/a/src/app/use.py": use,
        "services/b/src/app/__init__.py": "",
        "services/b/src/app/old.py": "def unrelated(to):\n    return 2\n",
        "services/b/src/app/use.py": use,
      }),
    ).toEqual([
      ["duplicate-implementation", "services/a/src/app/old.py", 1, "certain"],
      ["non-canonical-call", "services/a/src/app/use.py", 5, "certain"],
      // Resolved to b's own app/old.py, which has no such function: only its name matches.
      ["non-canonical-call", "services/b/src/app/use.py", 5, "likely"],
    ]);
  });

  it("matches deprecated modules through src layouts, relative imports and TS folders", async () => {
    const py = "from ..legacy.gateway import send_email_old\nfrom .. import legacy\nfrom ..mail import send_email\n";
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  mail:\n    canonical: src/app/mail.py::send_email\n    deprecatedModules: [app.legacy]\n",
      "src/app/__init__.py": "",
      "src/app/mail.py": "def send_email(to):\n    return 1\n",
      "src/app/legacy/__init__.py": "",
      "src/app/legacy/gateway.py": "def send_email_old(to):\n    print(to)\n    return 0\n",
      "src/app/api/__init__.py": "",
      "src/app/api/a.py": py,
    });
    expect(report.findings.filter((f) => f.ruleId === "non-canonical-import").map((f) => [f.file, f.line])).toEqual([
      ["src/app/api/a.py", 1],
      ["src/app/api/a.py", 2],
    ]);
    const ts = await checkProject({
      "ssot-audit.config.yaml": 'concepts:\n  push:\n    canonical: src/hub.ts::pushToUser\n    deprecatedModules: ["src/legacy"]\n',
      "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
      "src/legacy/index.ts": "export const x = 1;\n",
      "src/legacy/router.ts": "export const y = 1;\n",
      "src/legacyish.ts": "export const z = 1;\n",
      "src/use.ts": 'import { x } from "./legacy";\nimport { y } from "./legacy/router";\nimport { z } from "./legacyish";\n',
    });
    expect(ts.report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ["non-canonical-import", "src/use.ts", 1],
      ["non-canonical-import", "src/use.ts", 2],
    ]);
  });

  it("reads property getters and static members", async () => {
    const py = dedent(`
      from app.legacy import LegacyMailer


      class Service:
          @property
          def mailer(self) -> LegacyMailer:
              return LegacyMailer()

          def go(self, to):
              return self.mailer.send_email(to)
    `);
    const { report } = await checkProject({
      ...PY_MAILERS,
      "app/service.py": py,
    });
    expect(report.findings.filter((f) => f.ruleId === "non-canonical-call").map((f) => [f.file, f.line])).toEqual([
      ["app/service.py", lineOf(py, "self.mailer.send_email")],
    ]);
    const ts = "import { LegacyRouter } from './legacy';\nexport class H {\n  static readonly router = new LegacyRouter();\n  go() {\n    return H.router.pushToUser('u');\n  }\n}\n";
    const t = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::Hub.pushToUser\n",
      "src/hub.ts": "export class Hub {\n  pushToUser(u: string) {\n    return 1;\n  }\n}\n",
      "src/legacy.ts": "export class LegacyRouter {\n  pushToUser(u: string) {\n    console.log(u);\n    return 0;\n  }\n}\n",
      "src/h.ts": ts,
    });
    expect(t.report.findings.filter((f) => f.ruleId === "non-canonical-call").map((f) => [f.file, f.line])).toEqual([["src/h.ts", 5]]);
  });
});

describe("near-misses written differently stay silent", () => {
  it("does not turn a generically named clone into a name for every same-named call", async () => {
    const hub = dedent(`
      export class Hub {
        private conns: { ws: { send(d: string): void }; open: boolean }[] = [];
        pushToUser(userId: string, event: object): number {
          let n = 0;
          for (const c of this.conns) {
            if (c.open) {
              c.ws.send(JSON.stringify(event));
              n += 1;
            }
          }
          return n;
        }
      }
    `);
    const clone = hub.replace("export class Hub", "export class OldChannel").replace("pushToUser(userId", "send(userId");
    const handler = 'export function h(res: { send(s: string): void }) {\n  res.send("ok");\n}\n';
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::Hub.pushToUser\n",
      "src/hub.ts": hub,
      "src/old.ts": clone,
      "src/handler.ts": handler,
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence])).toEqual([
      ["duplicate-implementation", "src/old.ts", 3, "likely"],
    ]);
  });

  it("keeps a concept to its canonical's language unless a delegate names another", async () => {
    const files = {
      ...PY_MAIL,
      "web/api.ts": 'export async function sendEmail(to: string) {\n  await fetch("/api/email", { method: "POST", body: to });\n}\n',
      "web/form.ts": 'import { sendEmail } from "./api";\nexport const go = () => sendEmail("a@b");\n',
    };
    expect(await findings(files)).toEqual([]);
  });

  it("respects parameters that shadow an imported sink name", async () => {
    const code = dedent(`
      from os import environ


      def wsgi_app(environ, start_response):
          return environ.get("PATH_INFO")


      def settings():
          return environ.get("HOME")
    `);
    expect(await findings({ ...PY_MAIL, "app/wsgi.py": code })).toEqual([
      ["direct-sink-call", "app/wsgi.py", lineOf(code, 'environ.get("HOME")'), "certain"],
    ]);
  });

  it("does not call a legacy-named flag in a condition a fallback", async () => {
    const code = 'import { pushToUser } from "./hub";\nconst flags = { pushToUserLegacy: false };\nexport const mode = flags.pushToUserLegacy ? "legacy" : "hub";\nexport const r = pushToUser("u");\n';
    expect(
      await findings({
        "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::pushToUser\n",
        "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
        "src/flags.ts": code,
      }),
    ).toEqual([]);
  });

  it("does not take an annotation that names a value (a TypeVar, an instance) for that value's class", async () => {
    // `T = TypeVar("T")` then `x: T`: x is no TypeVar. Here the value is a legacy mailer instance:
    // `mailer` stays unresolved (its name-only match is the canonical's own name, so not reported).
    const code = dedent(`
      from app.legacy import LegacyMailer

      M = LegacyMailer()


      def use(mailer: M, to):
          return mailer.send_email(to)


      def direct(to):
          return M.send_email(to)
    `);
    const { report } = await checkProject({
      ...PY_MAILERS,
      "app/use.py": code,
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.confidence])).toEqual([
      ["duplicate-implementation", "app/legacy.py", 2, "certain"],
      ["non-canonical-call", "app/use.py", lineOf(code, "M.send_email"), "certain"],
    ]);
  });

  it("treats a plain sinkOwners folder as everything below it", async () => {
    expect(
      await findings({
        ...PY_MAIL,
        "ssot-audit.config.yaml": "concepts:\n  mail:\n    canonical: app/mail.py::send_email\n    sinks: [os.environ]\n    sinkOwners: [app/config]\n",
        "app/config/env.py": "import os\n\nHOME = os.environ.get('HOME')\n",
      }),
    ).toEqual([]);
  });
});

describe("sinks read through bare imported or destructured names", () => {
  it("Python: `from os import environ` then `environ[...]` and `in environ`", async () => {
    const code = 'from os import environ\n\nDB_URL = environ["DB_URL"]\nDEBUG = "DEBUG" in environ\n';
    expect(await findings({ ...PY_MAIL, "app/settings.py": code })).toEqual([
      ["direct-sink-call", "app/settings.py", 3, "certain"],
      ["direct-sink-call", "app/settings.py", 4, "certain"],
    ]);
  });

  it("TS: `const { env } = process` then `env[...]`; `import { env } from 'process'`", async () => {
    const code = 'const { env } = process;\nexport const dbUrl = env["DB_URL"];\n';
    const imported = 'import { env } from "process";\nexport const key = env["KEY"];\n';
    expect(
      await findings({
        "ssot-audit.config.yaml": "concepts:\n  cfg:\n    canonical: src/config.ts::readEnv\n    sinks: [process.env]\n",
        "src/config.ts": "export function readEnv(n: string) { return process.env[n]; }\n",
        "src/db.ts": code,
        "src/key.ts": imported,
      }),
    ).toEqual([
      ["direct-sink-call", "src/db.ts", 2, "certain"],
      ["direct-sink-call", "src/key.ts", 2, "certain"],
    ]);
  });
});

describe("fallbacks written as fall-through after a try", () => {
  it("Python: the statements after a try whose handler falls through are its fallback", async () => {
    const code = dedent(`
      import logging

      from app.mail import send_email
      from app.old import send_email_old


      def notify(to):
          try:
              return send_email(to)
          except Exception as exc:
              logging.warning("primary failed: %s", exc)
          return send_email_old(to)


      def plain(to):
          try:
              send_email(to)
          except Exception:
              logging.warning("failed")
          return send_email_old(to)
    `);
    const { report } = await checkProject({ ...PY_MAIL, "app/old.py": "def send_email_old(to):\n    print(to)\n    return 0\n", "app/use.py": code });
    expect(report.findings.filter((f) => f.ruleId === "legacy-fallback").map((f) => [f.file, f.line])).toEqual([["app/use.py", lineOf(code, "try:")]]);
  });

  it("TS: the same after try/catch", async () => {
    const code = 'import { pushToUser } from "./hub";\nimport { pushToUserLegacy } from "./legacy";\nexport function go(u: string) {\n  try {\n    return pushToUser(u);\n  } catch (e) {\n    console.warn(e);\n  }\n  return pushToUserLegacy(u);\n}\n';
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::pushToUser\n",
      "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
      "src/legacy.ts": "export function pushToUserLegacy(u: string) { console.log(u); return 0; }\n",
      "src/go.ts": code,
    });
    expect(report.findings.filter((f) => f.ruleId === "legacy-fallback").map((f) => [f.file, f.line])).toEqual([["src/go.ts", 4]]);
  });
});

describe("logical assignment fallbacks (TS)", () => {
  it("reports `x ??= legacy` and `x ||= legacy`, not `x ??= default`", async () => {
    const code = dedent(`
      import { pushToUser } from "./hub";
      import { pushToUserCompat } from "./legacy";

      type Push = (u: string) => number;
      let push: Push | undefined = pushToUser;
      push ??= pushToUserCompat;
      let other: Push | undefined;
      other ||= pushToUserCompat;
      let label: string | undefined;
      label ??= "anonymous";
      export const r = [push, other, label];
    `);
    const { report } = await checkProject({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::pushToUser\n",
      "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
      "src/legacy.ts": "export function pushToUserCompat(u: string) { console.log(u); return 0; }\n",
      "src/wire.ts": code,
    });
    expect(report.findings.filter((f) => f.ruleId === "legacy-fallback").map((f) => [f.file, f.line])).toEqual([
      ["src/wire.ts", lineOf(code, "push ??=")],
      ["src/wire.ts", lineOf(code, "other ||=")],
    ]);
  });
});
