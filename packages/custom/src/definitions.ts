import type { GaugeDefinition, HistogramDefinition, InstrumentDefinition, Unit } from '@fw0/metrics-core';

/**
 * Options of `defineCounter(name, options)`: HELP, a base unit (inferred from a `_seconds`,
 * `_bytes`... suffix when left out) and a series limit.
 */
export type CounterOptions = Omit<InstrumentDefinition, 'name'>;

/** Options of `defineGauge(name, options)`: as counters, plus how the gauge merges across processes. */
export type GaugeOptions = Omit<GaugeDefinition, 'name'>;

/**
 * Options of `defineHistogram(name, options)`: HELP, base unit (inferred from the name's suffix
 * when left out), `le` bucket bounds in that unit, quantile accuracy, sliding window length in
 * seconds, series limit.
 */
export type HistogramOptions = Omit<HistogramDefinition, 'name'>;

/**
 * Options of `defineBusinessMetric(name, options)`. `unit` is the unit values are recorded in
 * (any {@link Unit}: `milliseconds`, `eur`...); the histogram behind the metric holds them in
 * its base unit, under the name with the unit's suffix. `buckets` bounds are in that base unit.
 */
export interface BusinessMetricOptions extends Omit<HistogramDefinition, 'name' | 'unit'> {
  /** Unit of the recorded values (default `count`). */
  readonly unit?: Unit;
}
