import path from "node:path";

/** `p` with `/` separators. */
export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** Whether `child` is `parent` or lies below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/** A path for messages: relative to `cwd` (default: the process cwd) when inside it, else absolute. */
export function displayPath(absPath: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, absPath);
  return isInside(cwd, abs) && abs !== path.resolve(cwd) ? path.relative(cwd, abs) : abs;
}
