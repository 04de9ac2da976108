/**
 * Several concepts are analysed together (`analyzeAll`): the passes over every call and
 * reference run once per file for all concepts. Each concept's result must be the one it gets
 * analysed alone, and the shared work must not be redone per concept.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it, vi } from "vitest";
import { analyzeConcepts } from "../../src/engine/check.js";
import { loadProject } from "../../src/engine/project.js";
import { ProjectModel } from "../../src/model/project.js";
import { dedent, makeProject } from "../helpers/project.js";

const CONCEPTS = {
  mail: 'mail:\n    canonical: app/mail.py::send_email\n    sinks: ["smtplib.SMTP"]\n',
  sms: 'sms:\n    canonical: app/sms.py::send_sms\n    sinks: ["**.post"]\n',
  env: 'env:\n    canonical: app/config.py::load_config\n    sinks: ["os.environ"]\n',
};

const FILES: Record<string, string> = {
  "app/__init__.py": "",
  "app/mail.py": "import smtplib\n\n\ndef send_email(to):\n    return smtplib.SMTP('x').sendmail('a', to, 'b')\n",
  "app/sms.py": "import requests\n\n\ndef send_sms(to):\n    return requests.post('https://sms', json={'to': to})\n",
  "app/config.py": "import os\n\n\ndef load_config():\n    return dict(os.environ)\n",
  "app/legacy.py": dedent(`
    import os
    import smtplib

    import requests as http
    from os import environ as ENV


    def send_email_legacy(to):
        return smtplib.SMTP("old").sendmail("a", to, "b")


    def notify(to):
        try:
            from app.mail import send_email
            return send_email(to)
        except ImportError:
            return send_email_legacy(to)


    def text(to):
        try:
            return http.post("https://sms", json={"to": to})
        except Exception:
            return os.environ.get("FALLBACK") or ENV["SMS"]
  `),
};

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

async function analysed(concepts: string[], extra: Record<string, string> = {}) {
  const root = makeProject({ ...FILES, ...extra, "ssot-audit.config.yaml": `concepts:\n${concepts.map((c) => `  ${c}`).join("")}` });
  roots.push(root);
  const project = await loadProject({ paths: ["."], cwd: root });
  return { project, analyses: analyzeConcepts(project) };
}

describe("concepts analysed together", () => {
  it("give each concept the result it gets alone", async () => {
    const together = await analysed(Object.values(CONCEPTS));
    expect(together.analyses.map((a) => a.id)).toEqual(["mail", "sms", "env"]);
    for (const [i, concept] of Object.values(CONCEPTS).entries()) {
      const alone = await analysed([concept]);
      expect(JSON.stringify(together.analyses[i])).toBe(JSON.stringify(alone.analyses[0]));
    }
    // Not vacuous: what the shared passes found (through `http` and `ENV`, aliases of the sinks' modules).
    expect(
      together.analyses.map((a) => [
        a.id,
        a.sinkUses.map((u) => [u.file, u.span.line, u.chain.join(".")]),
        a.fallbacks.map((f) => [f.file, f.site.span.line, f.targets.map((t) => `${t.kind}:${t.label}`)]),
      ]),
    ).toEqual([
      // `smtplib.SMTP("old").sendmail(…)`: one use, the innermost call that matches.
      ["mail", [["app/legacy.py", 9, "smtplib.SMTP"]], [["app/legacy.py", 13, ["legacy-name:send_email_legacy"]]]],
      ["sms", [["app/legacy.py", 22, "http.post"]], []],
      ["env", [["app/legacy.py", 24, "os.environ.get"], ["app/legacy.py", 24, "ENV"]], []],
    ]);
  });

  it("report each use under the concept's first sink the chain matches as written, else through its aliases", async () => {
    // `ENV.get` matches `**.get` as written, and `os.environ` only through `ENV`: the chain as
    // written decides first, then the concept's order of sinks. The concepts share the patterns.
    const reader = { "app/reader.py": "from os import environ as ENV\n\n\ndef read():\n    return ENV.get('X')\n" };
    const { analyses } = await analysed(
      [
        'written:\n    canonical: app/config.py::load_config\n    sinks: ["os.environ", "**.get"]\n',
        'aliased:\n    canonical: app/config.py::load_config\n    sinks: ["os.environ"]\n',
      ],
      reader,
    );
    const uses = (id: string) =>
      analyses.find((a) => a.id === id)?.sinkUses.filter((u) => u.file === "app/reader.py").map((u) => [u.span.line, u.chain.join("."), u.pattern]);
    expect(uses("written")).toEqual([[5, "ENV.get", "**.get"]]);
    expect(uses("aliased")).toEqual([[5, "ENV.get", "os.environ"]]);
  });

  it("resolve each file's alias chains once, whatever the number of concepts", async () => {
    const spy = vi.spyOn(ProjectModel.prototype, "factAliasChains");
    try {
      const { project } = await analysed(Object.values(CONCEPTS));
      spy.mockClear();
      analyzeConcepts(project);
      const files = project.entries.filter((e) => !e.isTest).map((e) => e.facts.file);
      expect(spy.mock.calls.map(([file]) => file).sort()).toEqual([...files].sort());
    } finally {
      spy.mockRestore();
    }
  });
});
