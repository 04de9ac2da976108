import type { RuleModule } from "../src/engine/types.js";
import { importFix } from "../src/fix/fixability.js";
import { canonicalLocation } from "./shared.js";

/** An import from a module the concept declares deprecated. */
export const nonCanonicalImport: RuleModule = {
  meta: {
    id: "non-canonical-import",
    description: "An import from a module listed in a concept's deprecatedModules.",
    defaultSeverity: "warning",
    fixable: "code",
  },
  check({ model, concepts }) {
    return concepts.flatMap((concept) =>
      concept.deprecatedImports.map((d) => {
        const names = d.fact.names.map((n) => n.imported).filter((n) => n !== "*");
        // A default import is shown by its local name: "import 'default'" says nothing.
        const shown = d.fact.names.filter((n) => n.imported !== "*").map((n) => (n.imported === "default" ? `'${n.local}' (the default export)` : `'${n.imported}'`));
        const what = shown.length > 0 ? `${shown.join(", ")} from` : "";
        return {
          concept: concept.id,
          file: d.file,
          span: d.fact.span,
          symbol: d.fact.enclosing ?? "",
          message: `import ${what} deprecated module '${d.module}' (${concept.id}); import from the canonical module instead`.replace("import  ", "import "),
          confidence: "certain" as const,
          fingerprintText: `import:${d.fact.module}:${d.fact.level}:${names.sort().join(",")}`,
          // Exactly what `ssot-audit fix` decides from the facts (see src/fix/fixability.ts).
          fixable: importFix(model, concept, d).ok,
          related: [canonicalLocation(concept)],
        };
      }),
    );
  },
};
