import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of ssot-audit's own package.json (works from `src/` and from `dist/src/`). */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: string };
      if (pkg.name === "ssot-audit") return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("ssot-audit: cannot find the package's own package.json");
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();

export const VERSION = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
