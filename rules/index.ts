import type { RuleModule } from "../src/engine/types.js";
import { directSinkCall } from "./direct-sink-call.js";
import { duplicateImplementation } from "./duplicate-implementation.js";
import { legacyFallback } from "./legacy-fallback.js";
import { nonCanonicalCall } from "./non-canonical-call.js";
import { nonCanonicalImport } from "./non-canonical-import.js";

/** The rule registry, in the order of DESIGN.md's rule table. */
export const RULES: readonly RuleModule[] = [duplicateImplementation, legacyFallback, directSinkCall, nonCanonicalCall, nonCanonicalImport];
