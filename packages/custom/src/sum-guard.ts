import { type Counter, type Histogram, InvalidValueError, type LabelsInput } from '@fw0/metrics-core';

/**
 * Guards that keep running totals finite: a counter's total, a histogram's sum. Finite
 * increments can add up to Infinity (`Number.MAX_VALUE` twice), after which a total can never
 * come back; the seed-style calls refuse such a record before changing anything.
 *
 * The hot path pays one comparison: only a value at least as large as the `*_AT_RISK` bound can
 * push a total past its limit, whatever the total (a smaller one is less than half the spacing
 * between doubles near the limit, so the sum rounds back to within it). Only then is the current
 * total looked up, without creating a series or counting an overflow.
 */

/** Smallest increment that can take a finite counter total to +Infinity: 2^970, half the spacing of doubles near `Number.MAX_VALUE`. */
export const COUNTER_INCREMENT_AT_RISK = 2 ** 970;

/**
 * Largest magnitude of a histogram's sum: half of `Number.MAX_VALUE` (about 8.99e307), so that
 * a sum over the sliding window (the difference of two running sums) is finite too.
 */
export const HISTOGRAM_SUM_LIMIT = Number.MAX_VALUE / 2;

/** Smallest |observation| that can take a histogram sum within {@link HISTOGRAM_SUM_LIMIT} beyond it: 2^969. */
export const OBSERVATION_AT_RISK = 2 ** 969;

/**
 * Throws {@link InvalidValueError} when adding `value` to the series of `tags` (or to the
 * overflow series the record would go to) would make its total infinite. Changes nothing.
 */
export function assertCounterStaysFinite(
  counter: Counter,
  name: string,
  value: number,
  tags?: LabelsInput,
): void {
  const total = counter.get(tags) ?? (atSeriesLimit(counter) ? (counter.overflowSeries?.value ?? 0) : 0);
  if (total + value !== Number.POSITIVE_INFINITY) return;
  throw new InvalidValueError(
    `Invalid increment ${value} for counter "${name}": its total ${total} would become infinite`,
    { subject: name, value },
  );
}

/**
 * Throws {@link InvalidValueError} when observing `value` (in the histogram's unit) in the series
 * of `tags` would take its sum beyond ±{@link HISTOGRAM_SUM_LIMIT}. `histogram` is undefined for
 * a metric not created yet (its sum is 0): checked before it is, so a refusal leaves none behind.
 * Changes nothing.
 */
export function assertHistogramSumStaysFinite(
  histogram: Histogram | undefined,
  name: string,
  value: number,
  tags?: LabelsInput,
): void {
  const sum =
    histogram === undefined
      ? 0
      : (histogram.summary(tags)?.cumulative.sum ??
        (atSeriesLimit(histogram) ? (histogram.overflowSeries?.sum ?? 0) : 0));
  const next = sum + value;
  if (next <= HISTOGRAM_SUM_LIMIT && next >= -HISTOGRAM_SUM_LIMIT) return;
  throw new InvalidValueError(
    `Invalid value ${value} for histogram "${name}": its sum ${sum} would go beyond ±${HISTOGRAM_SUM_LIMIT} (half the range of a double, so that windowed sums stay finite)`,
    { subject: name, value },
  );
}

/**
 * True when a label set without a series would go to the overflow series: the metric has no
 * room for a new one (the series index makes one while there is room).
 */
function atSeriesLimit(instrument: Counter | Histogram): boolean {
  return instrument.seriesCount >= instrument.maxSeries;
}
