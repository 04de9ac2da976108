/**
 * A small strict JSON parser (RFC 8259) for config files. Unlike `JSON.parse` its error messages
 * do not depend on the Node version, carry a line and column, reject duplicate keys, and it
 * records where every key is so schema errors can point at a line.
 */

export interface Position {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export interface ParsedJson {
  value: unknown;
  /** Position of each key path (`JSON.stringify(path)`): the key for members, the value for elements. */
  positions: Map<string, Position>;
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Define an own data property (so that `__proto__` is a plain key, never the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function parseJson(source: string): ParsedJson {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const positions = new Map<string, Position>();
  let index = 0;

  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionAt = (offset: number): Position => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };

  const fail = (message: string, offset = index): never => {
    const { line, column } = positionAt(offset);
    throw new JsonSyntaxError(message, line, column);
  };

  const describeHere = (): string => {
    if (index >= text.length) return "end of input";
    const ch = text.charAt(index);
    if (ch === "/" && (text.charAt(index + 1) === "/" || text.charAt(index + 1) === "*")) {
      return `${JSON.stringify(ch)} (comments are not allowed in JSON)`;
    }
    if (ch === "'") return `${JSON.stringify(ch)} (strings must use double quotes)`;
    return JSON.stringify(ch);
  };

  const skipWhitespace = (): void => {
    while (index < text.length) {
      const c = text.charCodeAt(index);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) index++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = index;
    index++; // opening quote
    while (index < text.length) {
      const c = text.charCodeAt(index);
      if (c === 0x22) {
        index++;
        return JSON.parse(text.slice(start, index)) as string;
      }
      if (c === 0x5c) {
        const next = text.charAt(index + 1);
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) fail("invalid \\u escape in string");
          index += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== "") {
          index += 2;
        } else {
          fail(`invalid escape ${JSON.stringify(`\\${next}`)} in string`);
        }
        continue;
      }
      if (c < 0x20) fail("unescaped control character in string (use \\n, \\t, …)");
      index++;
    }
    return fail("unterminated string", start);
  };

  const parseValue = (path: (string | number)[]): unknown => {
    skipWhitespace();
    if (path.length > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const ch = text.charAt(index);
    if (ch === "{") return parseObject(path);
    if (ch === "[") return parseArray(path);
    if (ch === '"') return parseString();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, index)) {
        index += word.length;
        return value;
      }
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(text);
      const digits = match?.[0] ?? "";
      const after = text.charAt(index + digits.length);
      if (digits === "" || digits === "-" || /[0-9.eE+-]/.test(after)) fail("invalid number");
      index += digits.length;
      return Number(digits);
    }
    return fail(`expected a value, found ${describeHere()}`);
  };

  const parseObject = (path: (string | number)[]): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    index++; // {
    skipWhitespace();
    if (text.charAt(index) === "}") {
      index++;
      return result;
    }
    for (;;) {
      skipWhitespace();
      if (text.charAt(index) !== '"') {
        const trailing = text.charAt(index) === "}" ? " (trailing commas are not allowed)" : "";
        fail(`expected a property name in double quotes, found ${describeHere()}${trailing}`);
      }
      const keyOffset = index;
      const key = parseString();
      if (Object.hasOwn(result, key)) fail(`duplicate key ${JSON.stringify(key)}`, keyOffset);
      const childPath = [...path, key];
      positions.set(JSON.stringify(childPath), positionAt(keyOffset));
      skipWhitespace();
      if (text.charAt(index) !== ":") fail(`expected ":" after the property name, found ${describeHere()}`);
      index++;
      setOwn(result, key, parseValue(childPath));
      skipWhitespace();
      const sep = text.charAt(index);
      if (sep === ",") {
        index++;
        continue;
      }
      if (sep === "}") {
        index++;
        return result;
      }
      fail(`expected "," or "}", found ${describeHere()}`);
    }
  };

  const parseArray = (path: (string | number)[]): unknown[] => {
    const result: unknown[] = [];
    index++; // [
    skipWhitespace();
    if (text.charAt(index) === "]") {
      index++;
      return result;
    }
    for (;;) {
      skipWhitespace();
      const childPath = [...path, result.length];
      positions.set(JSON.stringify(childPath), positionAt(index));
      result.push(parseValue(childPath));
      skipWhitespace();
      const sep = text.charAt(index);
      if (sep === ",") {
        index++;
        skipWhitespace();
        if (text.charAt(index) === "]") fail('expected a value, found "]" (trailing commas are not allowed)');
        continue;
      }
      if (sep === "]") {
        index++;
        return result;
      }
      fail(`expected "," or "]", found ${describeHere()}`);
    }
  };

  skipWhitespace();
  positions.set("[]", positionAt(index));
  const value = parseValue([]);
  skipWhitespace();
  if (index < text.length) fail(`unexpected ${describeHere()} after the JSON value`);
  return { value, positions };
}
