/** How legacy-fallback names the kind of fallback, in each language's own spelling. */
import { describe, expect, it } from "vitest";
import { checkProject, dedent } from "../helpers/project.js";

/** Line and kind label (the message up to " around ") of each legacy-fallback finding. */
async function labels(files: Record<string, string>): Promise<[number, string][]> {
  const { report } = await checkProject(files);
  return report.findings.filter((f) => f.ruleId === "legacy-fallback").map((f) => [f.line, f.message.split(" around ")[0] ?? ""]);
}

describe("legacy-fallback messages", () => {
  it("calls TypeScript's || and ||= a '||' fallback, and Python's or an 'or' fallback", async () => {
    const ts = await labels({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: src/hub.ts::getHub\n",
      "src/hub.ts": "export function getHub(): object | undefined {\n  return undefined;\n}\n",
      "src/legacy.ts": "export function getHubLegacy(): object {\n  return {};\n}\n",
      "src/use.ts": dedent(`
        import { getHub } from "./hub";
        import { getHubLegacy } from "./legacy";

        export function a() {
          return getHub() || getHubLegacy();
        }

        export function b(h: object | undefined) {
          h ||= getHubLegacy();
          return h ?? getHub();
        }
      `),
    });
    expect(ts).toEqual([
      [5, "'||' fallback"],
      [9, "'||' fallback"],
    ]);
    const py = await labels({
      "ssot-audit.config.yaml": "concepts:\n  push:\n    canonical: app/hub.py::get_hub\n",
      "app/__init__.py": "",
      "app/hub.py": "def get_hub():\n    return None\n",
      "app/legacy.py": "def get_hub_legacy():\n    return {}\n",
      "app/use.py": "from app.hub import get_hub\nfrom app.legacy import get_hub_legacy\n\n\ndef a():\n    return get_hub() or get_hub_legacy()\n",
    });
    expect(py).toEqual([
      [6, "'or' fallback"],
    ]);
  });
});
