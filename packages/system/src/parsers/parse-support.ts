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

/** The kernel's field separators: ASCII blanks only (a no-break space may stand in a name). */
const BLANKS = /[ \t\r]+/;

/** `text` without the ASCII blanks at either end (String.trim would also cut Unicode spaces off names). */
export function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The fields of a line separated by ASCII blanks. */
export function splitBlanks(line: string): string[] {
  const trimmed = trimBlanks(line);
  return trimmed === '' ? [] : trimmed.split(BLANKS);
}

/**
 * The lines of a /proc file (`split`, a single native call: parsers run once a second and must
 * stay cheap even before the JIT has warmed up to them). Line `i` is line number `i + 1`.
 */
export function splitLines(text: string): string[] {
  return text.split('\n');
}

/** Numbers of up to this many digits are exact when built digit by digit in a double. */
const EXACT_DIGITS = 15;

/**
 * The blank-separated words of one line, found without creating a string per word: parsers read
 * numbers straight from the text between the recorded positions. One instance serves a whole
 * parse (parsers are synchronous), so reading a file allocates only what it returns.
 */
export class LineWords {
  private starts = new Int32Array(32);
  private ends = new Int32Array(32);
  private text = '';
  /** Number of words found by the last {@link scan}. */
  count = 0;

  /** Finds the words of `text` between `from` and `to` (exclusive); returns their number. */
  scan(text: string, from: number, to: number): number {
    this.text = text;
    let count = 0;
    let at = from;
    for (;;) {
      while (at < to && isBlank(text.charCodeAt(at))) at++;
      if (at >= to) break;
      const start = at;
      while (at < to && !isBlank(text.charCodeAt(at))) at++;
      if (count === this.starts.length) this.grow();
      this.starts[count] = start;
      this.ends[count] = at;
      count++;
    }
    this.count = count;
    return count;
  }

  /** True when word `index` is an unsigned decimal integer (digits only). */
  isUnsigned(index: number): boolean {
    const end = this.ends[index]!;
    const text = this.text;
    for (let at = this.starts[index]!; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code < 48 || code > 57) return false;
    }
    return true;
  }

  /**
   * Word `index` as a number (call {@link isUnsigned} first). Up to 15 digits are summed digit
   * by digit, exactly; longer words go through `Number`, which rounds the way a parse of the
   * text would.
   */
  unsigned(index: number): number {
    const start = this.starts[index]!;
    const end = this.ends[index]!;
    const text = this.text;
    if (end - start > EXACT_DIGITS) return Number(text.slice(start, end));
    let value = 0;
    for (let at = start; at < end; at++) value = value * 10 + (text.charCodeAt(at) - 48);
    return value;
  }

  /** Word `index` as a string. */
  word(index: number): string {
    return this.text.slice(this.starts[index]!, this.ends[index]!);
  }

  /** Words `from` to `to` (exclusive) joined by one blank: a name that holds blanks. */
  words(from: number, to: number): string {
    if (to - from === 1) return this.word(from);
    return this.text
      .slice(this.starts[from]!, this.ends[to - 1]!)
      .split(/[ \t]+/)
      .join(' ');
  }

  /** Start position of word `index` in the text. */
  startOf(index: number): number {
    return this.starts[index]!;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/** Position of the end of the line that starts at `start` (the `\n` or the end of the text). */
export function lineEnd(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end < 0 ? text.length : end;
}
