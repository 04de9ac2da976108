export { ConfigError, type ConfigIssue, formatIssue, formatKeyPath } from "./errors.js";
export { CONFIG_SCHEMA_ID, configJsonSchema, configJsonSchemaText } from "./json-schema.js";
export {
  CONFIG_FILE_NAMES,
  type ConfigFormat,
  defaultConfig,
  findConfig,
  formatOf,
  type LoadedConfig,
  type LoadOptions,
  loadConfig,
  parseConfigText,
} from "./load.js";
export { RULE_IDS, type RuleId } from "./rule-ids.js";
export {
  type ConceptConfig,
  type Config,
  configSchema,
  conceptSchema,
  DEFAULT_INCLUDE,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_PARSE_BUDGET_MS,
  DEFAULT_TESTS,
  type DelegateConfig,
  parseSymbolRef,
  type ResolvedConcept,
  type ResolvedConfig,
  SEVERITY_SETTINGS,
  type SeveritySetting,
  type SymbolRef,
  sinkPatternError,
} from "./schema.js";
export { didYouMean, levenshtein, validateConfigValue } from "./validate.js";
