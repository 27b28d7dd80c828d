import { parseFailure } from './parse-support.js';

/** Run-queue load averages (runnable + uninterruptible tasks), as /proc/loadavg gives them. */
export interface LoadAverage {
  /** Over 1 minute. */
  readonly load1: number;
  /** Over 5 minutes. */
  readonly load5: number;
  /** Over 15 minutes. */
  readonly load15: number;
}

const LOAD = /^\d+(\.\d+)?$/;

/** Parses /proc/loadavg (`0.05 0.39 0.39 1/86 26654`). Throws a ParseError on anything else. */
export function parseLoadavg(text: string, file = '/proc/loadavg'): LoadAverage {
  const line = text.trim();
  const [one, five, fifteen] = line.split(/\s+/);
  if (!LOAD.test(one ?? '') || !LOAD.test(five ?? '') || !LOAD.test(fifteen ?? '')) {
    throw parseFailure(file, 1, line, 'expected three load averages');
  }
  return { load1: Number(one), load5: Number(five), load15: Number(fifteen) };
}
