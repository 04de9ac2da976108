/** Small text helpers for laying out and applying edits. Offsets are UTF-16 code units. */
import type { TextEdit } from "./types.js";

export function lineStartOf(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}

/** Offset just after the line break that ends the line containing `offset` (text length when none). */
export function nextLineStart(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  if (i < text.length && text.charCodeAt(i) === 13) {
    i++;
    if (i < text.length && text.charCodeAt(i) === 10) i++;
  } else if (i < text.length) {
    i++;
  }
  return i;
}

/** End of the line containing `offset`, before its line break. */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** The whitespace that starts the line containing `offset`. */
export function indentOf(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? "";
}

/** Whether only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStartOf(text, offset), offset).trim() === "";
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Offsets of `name` as a whole word (not part of a longer identifier). */
export function wordOccurrences(text: string, name: string): number[] {
  if (name === "") return [];
  const re = new RegExp(`(?<![\\p{L}\\p{N}_$])${escapeRegExp(name)}(?![\\p{L}\\p{N}_$])`, "gu");
  const out: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

export function inRanges(offset: number, ranges: readonly { start: number; end: number }[]): boolean {
  return ranges.some((r) => offset >= r.start && offset < r.end);
}

/**
 * Whether two edits touch the same text. Two insertions at one offset overlap (their order
 * would be ambiguous); an insertion at the boundary of a replacement does not.
 */
export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits (stable for insertions at one offset: given order is kept). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((x, y) => x.e.start - y.e.start || x.e.end - y.e.end || x.i - y.i);
  let out = "";
  let at = 0;
  for (const { e } of sorted) {
    if (e.start < at) throw new Error(`internal: overlapping edits at ${e.start} in ${e.file}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Re-indents a block of lines: the first line is returned without its indentation (it is placed
 * where the old code started), later lines lose `from` and gain `to`. Returns undefined when a
 * non-blank line is indented less than `from` (the block's shape is not understood).
 */
export function reindent(block: string, from: string, to: string): string | undefined {
  const lines = block.split(/(?<=\n)/);
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const body = line.replace(/\r?\n$/, "");
    const eol = line.slice(body.length);
    if (body.trim() === "") {
      out.push(eol);
      continue;
    }
    if (!body.startsWith(from)) return undefined;
    out.push(`${i === 0 ? "" : to}${body.slice(from.length)}${eol}`);
  }
  return out.join("");
}
