import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { configJsonSchema, configJsonSchemaText } from "../../src/config/json-schema.js";

const committed = new URL("../../schema/ssot-audit.config.schema.json", import.meta.url);

describe("shipped JSON Schema", () => {
  it("equals the one generated from the zod schema (regenerate: npm run build && node scripts/gen-schema.mjs)", () => {
    expect(fs.readFileSync(committed, "utf8")).toBe(configJsonSchemaText());
  });

  it("has an id, a title and a description for every top-level and concept key", () => {
    const schema = configJsonSchema() as {
      $id: string;
      title: string;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.$id).toMatch(/^https:\/\//);
    expect(schema.title).toBe("ssot-audit config");
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description, key).toBeTruthy();
    }
    const concept = (schema.properties.concepts as { additionalProperties: { properties: Record<string, { description?: string }> } })
      .additionalProperties.properties;
    expect(Object.keys(concept).sort()).toEqual(
      ["canonical", "delegate", "deprecatedModules", "description", "names", "sinkOwners", "sinks"].sort(),
    );
    for (const [key, property] of Object.entries(concept)) expect(property.description, key).toBeTruthy();
  });
});
