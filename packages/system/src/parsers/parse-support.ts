import { describeValue, ParseError } from '@fw0/metrics-core';

/**
 * A {@link ParseError} naming the file, the line (1-based) and the text that could not be read,
 * so a counted collection error says exactly what the kernel gave.
 */
export function parseFailure(file: string, lineNumber: number, line: string, why: string): ParseError {
  return new ParseError(`${file} line ${lineNumber}: ${why}: ${describeValue(line)}`, {
    subject: file,
    value: line,
  });
}

/**
 * A /proc counter field: an unsigned decimal integer (exact up to 2^53). Undefined when not one.
 * (`Number` rather than a regular expression: this runs for every field of every line.)
 */
export function unsignedField(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 && text.charCodeAt(0) !== 43 /* + */ ? value : undefined;
}

/**
 * Undoes the octal escapes the kernel writes in paths of /proc/mounts and /proc/swaps
 * (`\040` space, `\011` tab, `\012` line feed, `\134` backslash).
 */
export function unescapeOctal(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/**
 * The lines of a /proc file (`split`, a single native call: parsers run once a second and must
 * stay cheap even before the JIT has warmed up to them). Line `i` is line number `i + 1`.
 */
export function splitLines(text: string): string[] {
  return text.split('\n');
}
