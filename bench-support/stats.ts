import { seededRandom } from '../test-support/random.js';

/**
 * Quantile `q` (0 to 1) of `values`, interpolated linearly between the two nearest ranks (the
 * median of an even count is the mean of the middle two); NaN when there are none.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** The median of `values` (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Row `row` of a Williams design for `n` variants: the order in which to run them in one block
 * of a side-by-side comparison. Over any `n` consecutive rows (2n when n is odd: the rows, then
 * the same rows reversed) every variant runs at every position equally often and right after
 * every other variant equally often. A plain rotation (0 1 2, 1 2 0, 2 0 1) varies positions
 * only: each variant would always follow the same one and inherit what it leaves behind
 * (garbage to collect, timers, caches), a bias no number of rounds averages out.
 */
export function balancedOrder(n: number, row: number): number[] {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`balancedOrder: n must be a positive integer, not ${n}`);
  const period = n % 2 === 0 ? n : 2 * n;
  const index = ((row % period) + period) % period;
  const shift = index % n;
  const order: number[] = [];
  for (let position = 0; position < n; position++) {
    // 0, 1, n-1, 2, n-2, ...: consecutive differences 1, -2, 3, -4... are all distinct mod n.
    const base = position === 0 ? 0 : position % 2 === 1 ? (position + 1) / 2 : n - position / 2;
    order.push((base + shift) % n);
  }
  return index < n ? order : order.reverse();
}

/** A confidence interval: the true value lies between `low` and `high` at the stated confidence. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * A percentile-bootstrap confidence interval of the median of `values` (0 < `confidence` < 1):
 * `resamples` samples of the same size drawn from `values` with replacement, their medians
 * sorted, and the quantiles `(1 - confidence) / 2` and `(1 + confidence) / 2` of those taken.
 * It says how far the median of a benchmark's rounds could move if the run were repeated: a
 * verdict on a 5% target means little when the interval spans 4% to 6%. The draws come from a
 * generator seeded with `seed`, so the same values always give the same interval. NaN to NaN
 * when there are no values.
 */
export function medianInterval(
  values: readonly number[],
  confidence = 0.95,
  resamples = 2000,
  seed = 1,
): Interval {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`medianInterval: confidence must be between 0 and 1 (exclusive), not ${confidence}`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`medianInterval: resamples must be a positive integer, not ${resamples}`);
  }
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN };
  const random = seededRandom(seed);
  const medians: number[] = [];
  const resample = new Array<number>(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) resample[i] = values[Math.floor(random() * values.length)]!;
    medians.push(median(resample));
  }
  const tail = (1 - confidence) / 2;
  return { low: quantile(medians, tail), high: quantile(medians, 1 - tail) };
}
