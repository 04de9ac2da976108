import type { RuleModule } from "../src/engine/types.js";
import { callFix } from "../src/fix/fixability.js";
import { canonicalLocation, symbolRef } from "./shared.js";

/** A call site that reaches a non-canonical implementation of the concept. */
export const nonCanonicalCall: RuleModule = {
  meta: {
    id: "non-canonical-call",
    description: "A call site whose callee resolves to a non-canonical implementation of a concept.",
    defaultSeverity: "error",
    fixable: "code",
  },
  check({ model, concepts }) {
    return concepts.flatMap((concept) =>
      concept.calls
        .filter((c) => c.target === "implementation")
        .map((c) => {
          const target = c.implementation ? `'${c.implementation.def.qualifiedName}'` : `'${c.call.callee.join(".")}'`;
          return {
            concept: concept.id,
            file: c.file,
            span: c.call.span,
            symbol: c.call.enclosing ?? "",
            message: `call to non-canonical ${target} for '${concept.id}'; call ${symbolRef(concept.canonical)} instead`,
            confidence: c.confidence,
            fingerprintText: `call:${c.call.callee.join(".")}/${c.call.args.length}`,
            // Exactly what `ssot-audit fix` decides from the facts (see src/fix/fixability.ts).
            fixable: callFix(model, concept, c).ok,
            related: [
              canonicalLocation(concept),
              ...(c.implementation ? [{ file: c.implementation.file, line: c.implementation.def.span.line, message: `non-canonical: ${symbolRef(c.implementation)}` }] : []),
            ],
          };
        }),
    );
  },
};
