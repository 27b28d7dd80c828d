import { ConfigError } from '../errors.js';
import { baseUnitOf, type Unit } from '../units.js';

/** Most bounds `linearBuckets` and `exponentialBuckets` make (a larger count threw RangeError or ran out of memory). */
const MAX_BUCKET_COUNT = 65_536;

/** Default `le` bounds for durations in seconds: 5 ms to 10 s (the Prometheus client default). */
export const SECONDS_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Default `le` bounds for sizes in bytes: 64 B to 1 GiB, in steps of 4. */
export const BYTES_BUCKETS: readonly number[] = Object.freeze(exponentialBuckets(64, 4, 13));

/** Default `le` bounds for ratios (0 to 1). */
export const RATIO_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1,
]);

/** Default `le` bounds for counts and other units: 1 to 10,000 in 1-2-5 steps. */
export const COUNT_BUCKETS: readonly number[] = Object.freeze([
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
]);

/** The default `le` bounds for values in `unit` (by its base unit). */
export function defaultBuckets(unit: Unit | undefined): readonly number[] {
  switch (unit === undefined ? 'count' : baseUnitOf(unit)) {
    case 'seconds':
      return SECONDS_BUCKETS;
    case 'bytes':
    case 'bytes_per_second':
      return BYTES_BUCKETS;
    case 'ratio':
      return RATIO_BUCKETS;
    default:
      return COUNT_BUCKETS;
  }
}

/** `count` bounds `start, start + width, ...` (count from 1 to 65,536). */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (
    !(width > 0) ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > MAX_BUCKET_COUNT ||
    !Number.isFinite(start)
  ) {
    throw new ConfigError(`Invalid linear buckets (start ${start}, width ${width}, count ${count})`, {
      subject: 'buckets',
      value: { start, width, count },
    });
  }
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` bounds `start, start * factor, ...` (count from 1 to 65,536). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (
    !(start > 0) ||
    !(factor > 1) ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > MAX_BUCKET_COUNT ||
    !Number.isFinite(start * factor ** count)
  ) {
    throw new ConfigError(`Invalid exponential buckets (start ${start}, factor ${factor}, count ${count})`, {
      subject: 'buckets',
      value: { start, factor, count },
    });
  }
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/**
 * Checks `le` bounds: a non-empty list of finite numbers in strictly increasing order
 * (`+Inf` is implicit and may be given last). Returns a frozen copy without `+Inf`.
 */
export function validateBuckets(metric: string, buckets: readonly number[]): readonly number[] {
  if (!Array.isArray(buckets)) {
    throw new ConfigError(`Invalid buckets for histogram "${metric}": expected an array of numbers`, {
      subject: metric,
      value: buckets,
    });
  }
  const bounds =
    buckets.length > 0 && buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : [...buckets];
  if (bounds.length === 0) {
    throw new ConfigError(`Invalid buckets for histogram "${metric}": at least one finite bound is needed`, {
      subject: metric,
      value: buckets,
    });
  }
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i];
    if (typeof bound !== 'number' || !Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!)) {
      throw new ConfigError(
        `Invalid buckets for histogram "${metric}": bound ${String(bound)} at position ${i} is not finite or not above the previous one`,
        { subject: metric, value: buckets },
      );
    }
  }
  return Object.freeze(bounds);
}
