/**
 * A problem with what the user asked for (a path that does not exist, or lies outside the
 * project root). The CLI prints `message` and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
