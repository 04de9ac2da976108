#!/usr/bin/env node
// Writes schema/ssot-audit.config.schema.json from the zod config schema.
// Usage: npm run build && node scripts/gen-schema.mjs
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configJsonSchemaText } from "../dist/src/config/json-schema.js";

const target = fileURLToPath(new URL("../schema/ssot-audit.config.schema.json", import.meta.url));
writeFileSync(target, configJsonSchemaText());
console.error(`wrote ${target}`);
