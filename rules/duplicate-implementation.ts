import type { RuleModule } from "../src/engine/types.js";
import { canonicalLocation, symbolRef } from "./shared.js";

/** A function, method or class outside the canonical that implements the concept again. */
export const duplicateImplementation: RuleModule = {
  meta: {
    id: "duplicate-implementation",
    description: "Another implementation of a concept besides its canonical one (same normalized name or a structural near-clone).",
    defaultSeverity: "error",
    fixable: "suggestion",
  },
  check({ concepts }) {
    return concepts.flatMap((concept) =>
      concept.implementations.map((impl) => {
        const { def } = impl.ref;
        const why =
          impl.reason === "clone"
            ? `its body is a near-clone (${Math.round((impl.similarity ?? 0) * 100)}% similar) of the canonical`
            : "its name matches the concept";
        return {
          concept: concept.id,
          file: impl.ref.file,
          span: def.span,
          symbol: def.qualifiedName,
          message: `${def.kind} '${def.qualifiedName}' re-implements '${concept.id}': ${why}; delegate to ${symbolRef(concept.canonical)}`,
          // A name match is a fact about the definition; a clone is an estimate of similarity.
          confidence: impl.reason === "clone" ? ("likely" as const) : ("certain" as const),
          fingerprintText: `${def.kind}:${def.qualifiedName}`,
          fixable: false,
          related: [canonicalLocation(concept)],
        };
      }),
    );
  },
};
