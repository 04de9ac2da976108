import type { Finding } from "../engine/types.js";

/** A finding that counts: neither covered by the baseline nor suppressed inline. Only these set the exit code. */
export function isActive(finding: Finding): boolean {
  return !finding.baselined && !finding.suppressed;
}
