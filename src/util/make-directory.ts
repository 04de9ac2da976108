import fs from "node:fs";
import path from "node:path";

/**
 * Creates a folder and its missing parents, like `fs.mkdirSync(dir, { recursive: true })`, but
 * bounded: Node's recursive mkdir loops forever, at full CPU, where the file system answers
 * ENOENT for a parent that exists (`/proc/x`, `/sys/x` on Linux). Here each level is tried once
 * and the error of the deepest level that cannot be created is thrown (with its `code`).
 */
export function makeDirectory(dir: string): void {
  const target = path.resolve(dir);
  try {
    fs.mkdirSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      if (fs.statSync(target).isDirectory()) return;
      throw error;
    }
    const parent = path.dirname(target);
    if (code !== "ENOENT" || parent === target) throw error;
    makeDirectory(parent);
    // The parent exists now; a second ENOENT (a pseudo file system) is thrown as is.
    try {
      fs.mkdirSync(target);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === "EEXIST" && fs.statSync(target).isDirectory()) return;
      throw again;
    }
  }
}
