/**
 * The JSON Schema shipped as `schema/ssot-audit.config.schema.json`, generated from the zod
 * schema. Regenerate the committed file after changing `schema.ts`:
 *
 *     npm run build && node scripts/gen-schema.mjs
 *
 * (`test/config/json-schema.test.ts` fails while the committed file is out of date.)
 */
import { z } from "zod";
import { configSchema } from "./schema.js";

export const CONFIG_SCHEMA_ID = "https://unpkg.com/ssot-audit/schema/ssot-audit.config.schema.json";

/** The config's JSON Schema (draft 2020-12), for editors. Describes the input: defaulted keys are optional. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: CONFIG_SCHEMA_ID, title: "ssot-audit config", ...rest };
}

/** The exact text of the committed schema file. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
