import { describe, expect, it } from "vitest";
import { checkProject, dedent, lineOf } from "../helpers/project.js";

describe("non-canonical-import (Python)", () => {
  const config = dedent(`
    concepts:
      broadcast:
        canonical: app/broadcast.py::broadcast_to_user
        deprecatedModules: [app.legacy]
  `);
  const code = dedent(`
    import app.legacy
    import app.legacy.router as lr
    from app.legacy.router import broadcast_to_user
    from app import legacy
    from app.broadcast import broadcast_to_user as canonical
    from app.legacy_tools import helper
  `);

  it("reports imports from a deprecated module and its submodules, as warnings", async () => {
    const { report } = await checkProject({
      "ssot-audit.config.yaml": config,
      "app/__init__.py": "",
      "app/broadcast.py": "def broadcast_to_user(user_id, event):\n    return 1\n",
      "app/legacy/__init__.py": "",
      "app/legacy/router.py": "from app.legacy import helpers\n\n\ndef broadcast_to_user(user_id, event):\n    return 0\n",
      "app/legacy/helpers.py": "",
      "app/legacy_tools.py": "def helper():\n    return 1\n",
      "app/handlers.py": code,
    });
    const imports = report.findings.filter((f) => f.ruleId === "non-canonical-import").map((f) => [f.file, f.line, f.severity]);
    expect(imports).toEqual([
      ["app/handlers.py", lineOf(code, "import app.legacy"), "warning"],
      ["app/handlers.py", lineOf(code, "import app.legacy.router as lr"), "warning"],
      ["app/handlers.py", lineOf(code, "from app.legacy.router import"), "warning"],
      ["app/handlers.py", lineOf(code, "from app import legacy"), "warning"],
    ]);
  });
});

describe("non-canonical-import (TypeScript)", () => {
  const config = dedent(`
    concepts:
      push:
        canonical: src/hub.ts::pushToUser
        deprecatedModules: ["src/legacy/router.ts", "legacy-socket-lib"]
  `);
  const code = dedent(`
    import { pushToUser as old } from "./legacy/router";
    import type { Event } from "./legacy/router.js";
    import sock from "legacy-socket-lib";
    import { pushToUser } from "./hub";
    import { helper } from "./legacy/helpers";
  `);

  it("reports imports resolving to a deprecated file or package", async () => {
    const { report } = await checkProject({
      "ssot-audit.config.yaml": config,
      "src/hub.ts": "export function pushToUser(u: string) { return 1; }\n",
      "src/legacy/router.ts": "export type Event = {};\nexport function pushToUser(u: string) { return 0; }\n",
      "src/legacy/helpers.ts": "export const helper = 1;\n",
      "src/handlers.ts": code,
    });
    const imports = report.findings.filter((f) => f.ruleId === "non-canonical-import").map((f) => [f.file, f.line]);
    expect(imports).toEqual([
      ["src/handlers.ts", lineOf(code, "as old")],
      ["src/handlers.ts", lineOf(code, "import type")],
      ["src/handlers.ts", lineOf(code, "legacy-socket-lib")],
    ]);
    // A default import is named by its local binding.
    const sock = report.findings.find((f) => f.ruleId === "non-canonical-import" && f.line === lineOf(code, "legacy-socket-lib"));
    expect(sock?.message).toBe(
      "import 'sock' (the default export) from deprecated module 'legacy-socket-lib' (push); import from the canonical module instead",
    );
  });
});
