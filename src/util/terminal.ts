/**
 * Text from analysed files (paths, names, messages) made safe for a terminal or a log: control
 * characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides are
 * written as escapes (`\n`, `\x1b`, `\u202e`), so a file name cannot split a line, move the
 * cursor, recolour or retitle the terminal, or reorder what is shown ("Trojan Source").
 * Machine formats (JSON, SARIF, …) keep the exact text; this is for human output only.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
