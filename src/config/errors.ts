/** One problem found in a config file. */
export interface ConfigIssue {
  /** Formatted key path, e.g. `concepts.websocket-broadcast.canonical`; "" for the whole file. */
  keyPath: string;
  /** The same key path as segments. */
  path: (string | number)[];
  /** What is wrong, e.g. `expected "path::Qualified.name", found "foo.py"`. */
  message: string;
  /** 1-based position of the key (or value) in the file, when known. */
  line?: number;
  column?: number;
}

/**
 * An invalid or unreadable config. `message` is one line:
 * `<file>: <keyPath>: <what is wrong>` (or `<file>: line L, column C: invalid JSON: …` for syntax
 * errors). `issues` holds every problem found, the first of which is the one in `message`.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The config file as shown in the message (relative to the cwd when inside it). */
  readonly file: string;
  /** Key path of the first issue ("" for syntax errors and whole-file problems). */
  readonly keyPath: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    const first: ConfigIssue = issues[0] ?? { keyPath: "", path: [], message: "invalid config" };
    super(formatIssue(file, first));
    this.file = file;
    this.keyPath = first.keyPath;
    this.line = first.line;
    this.column = first.column;
    this.issues = issues;
  }
}

/** `file: keyPath: message`, or `file: message` for whole-file issues. */
export function formatIssue(file: string, issue: ConfigIssue): string {
  return issue.keyPath === "" ? `${file}: ${issue.message}` : `${file}: ${issue.keyPath}: ${issue.message}`;
}

/** Format a key path: dotted, with `["…"]` for keys that are not plain and `[n]` for indexes. */
export function formatKeyPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
