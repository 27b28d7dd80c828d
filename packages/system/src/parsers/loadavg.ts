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

/** The kernel's fixed-point load averages: 11 fractional bits (FSHIFT). */
const FIXED_1 = 2048;

/**
 * A load average as /proc/loadavg prints it: the kernel adds 1/200 (FIXED_1 / 200, in its
 * fixed point) and truncates to two decimals. `os.loadavg()` gives either /proc/loadavg's text
 * parsed (libuv reads that file first; this leaves such a value unchanged) or sysinfo(2)'s
 * unrounded fixed-point value (libuv's fallback; this rounds it exactly as the file would), so
 * the result always equals what node_exporter reads from the file at the same moment.
 */
export function roundLoadAverage(value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) return value;
  const fixed = Math.round(value * FIXED_1) + Math.floor(FIXED_1 / 200);
  const whole = Math.floor(fixed / FIXED_1);
  const hundredths = Math.floor(((fixed % FIXED_1) * 100) / FIXED_1);
  // An integer number of hundredths divided once: the same double as parsing "whole.hundredths".
  return (whole * 100 + hundredths) / 100;
}
