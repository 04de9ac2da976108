import type { RelatedLocation } from "../src/engine/types.js";
import type { ConceptAnalysis } from "../src/model/concepts.js";
import type { DefRef } from "../src/model/types.js";

/** `file::Qualified.name` of a definition. */
export function symbolRef(ref: DefRef): string {
  return `${ref.file}::${ref.def.qualifiedName}`;
}

/** The related location every finding carries: the concept's canonical implementation. */
export function canonicalLocation(concept: ConceptAnalysis): RelatedLocation {
  return { file: concept.canonical.file, line: concept.canonical.def.span.line, message: `canonical: ${symbolRef(concept.canonical)}` };
}

