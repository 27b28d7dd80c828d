import { parseFailure, unsignedField } from './parse-support.js';

/** Swap traffic since boot, from /proc/vmstat, in pages. */
export interface SwapActivity {
  /** Pages swapped in (`pswpin`). */
  readonly pagesIn: number;
  /** Pages swapped out (`pswpout`). */
  readonly pagesOut: number;
}

/**
 * Reads `pswpin` and `pswpout` from /proc/vmstat. Throws a ParseError when either is missing
 * or not a number (kernels without swap support still write both, as 0).
 */
export function parseVmstat(text: string, file = '/proc/vmstat'): SwapActivity {
  return { pagesIn: field(text, 'pswpin', file), pagesOut: field(text, 'pswpout', file) };
}

/** The value of the line `name value`, found without splitting the ~180 lines of the file. */
function field(text: string, name: string, file: string): number {
  const prefix = `${name} `;
  let at = 0;
  if (!text.startsWith(prefix)) {
    const found = text.indexOf(`\n${prefix}`);
    if (found < 0) throw parseFailure(file, 1, text.slice(0, 40), `no ${name} line`);
    at = found + 1;
  }
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  const line = text.slice(at, end);
  const value = unsignedField(line.slice(prefix.length).trim());
  if (value === undefined) {
    const number = text.slice(0, at).split('\n').length;
    throw parseFailure(file, number, line, `${name} is not a number`);
  }
  return value;
}
