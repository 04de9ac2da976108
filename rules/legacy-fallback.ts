import type { RuleModule } from "../src/engine/types.js";
import type { FallbackTarget } from "../src/model/concepts.js";
import { canonicalLocation } from "./shared.js";

const KIND_LABEL: Record<string, string> = {
  "import-fallback": "import fallback",
  "promise-catch": "promise rejection fallback",
  or: "'or' fallback",
  nullish: "'??' fallback",
  conditional: "conditional fallback",
};

function describe(target: FallbackTarget): string {
  switch (target.kind) {
    case "implementation":
      return `non-canonical '${target.label}'`;
    case "legacy-name":
      return `legacy '${target.label}'`;
    case "sink":
      return `sink '${target.label}'`;
    case "deprecated-module":
      return `deprecated module '${target.label}'`;
  }
}

/** A fallback path around the concept that reaches legacy code, a duplicate or a raw sink. */
export const legacyFallback: RuleModule = {
  meta: {
    id: "legacy-fallback",
    description: "A fallback path (try/except, .catch, ??, ||, or, if/else) around a concept that reaches a non-canonical implementation, a legacy-named symbol or a sink.",
    defaultSeverity: "error",
    fixable: "suggestion",
  },
  check({ concepts, model }) {
    return concepts.flatMap((concept) =>
      concept.fallbacks.map((hit) => {
        const reached = [...new Set(hit.targets.map(describe))];
        const language = model.entry(hit.file)?.facts.language;
        const label =
          hit.site.kind === "try"
            ? language === "python"
              ? "try/except fallback"
              : "try/catch fallback"
            : hit.site.kind === "or" && language !== "python"
              ? "'||' fallback" // `a || b`, `a ||= b`
              : KIND_LABEL[hit.site.kind];
        return {
          concept: concept.id,
          file: hit.file,
          span: hit.site.span,
          symbol: hit.site.enclosing ?? "",
          message: `${label ?? "fallback"} around '${concept.id}' reaches ${reached.join(", ")}; call the canonical only and let errors surface`,
          confidence: "certain" as const,
          fingerprintText: `${hit.site.kind}:${[...new Set(hit.targets.map((t) => `${t.kind}=${t.label}`))].sort().join(",")}`,
          fixable: false,
          related: [
            canonicalLocation(concept),
            ...hit.targets
              .filter((t) => t.implementation)
              .map((t) => ({ file: t.implementation?.file ?? hit.file, line: t.implementation?.def.span.line ?? 1, message: `non-canonical: ${t.label}` })),
          ],
        };
      }),
    );
  },
};
