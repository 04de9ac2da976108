import type { RuleModule } from "../src/engine/types.js";
import { canonicalLocation } from "./shared.js";

/** A low-level sink used outside the canonical file and the concept's sink owners. */
export const directSinkCall: RuleModule = {
  meta: {
    id: "direct-sink-call",
    description: "A use of a concept's sink (low-level API) outside the canonical file and the concept's sinkOwners.",
    defaultSeverity: "error",
    fixable: false,
  },
  check({ concepts }) {
    return concepts.flatMap((concept) =>
      concept.sinkUses.map((use) => ({
        concept: concept.id,
        file: use.file,
        span: use.span,
        symbol: use.enclosing ?? "",
        message: `direct ${use.isCall ? "call" : "use"} of sink '${use.pattern}' (${use.chain.join(".")}) bypasses '${concept.id}'; go through the canonical implementation`,
        confidence: "certain" as const,
        fingerprintText: `${use.isCall ? "call" : "use"}:${use.chain.join(".")}`,
        fixable: false,
        related: [canonicalLocation(concept)],
      })),
    );
  },
};
