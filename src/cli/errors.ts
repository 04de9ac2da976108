import { ConfigError } from "../config/errors.js";
import { UsageError } from "../files/errors.js";

/** Errors the user can fix: printed as one line, exit code 2, no stack. */
export function isKnownError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof UsageError;
}
