import type { DiscoveryReport } from "../discover/types.js";
import { discoveryJson } from "./discovery-json.js";
import { discoveryMarkdown } from "./discovery-markdown.js";
import { discoveryStylish } from "./discovery-stylish.js";

export interface DiscoveryFormatOptions {
  color: boolean;
}

/** A discovery formatter: pure, report in, text out. */
export type DiscoveryFormatter = (report: DiscoveryReport, options: DiscoveryFormatOptions) => string;

/** Discovery formatters by `--format` name. */
export const DISCOVERY_FORMATS: Readonly<Record<string, DiscoveryFormatter>> = {
  stylish: discoveryStylish,
  json: discoveryJson,
  markdown: discoveryMarkdown,
};
