/**
 * Every name this package gives to the outside world: the collector's default name, the unit
 * suffixes it recognises in metric names, and the default HELP texts. The metric names
 * themselves are the caller's: they must already be valid Prometheus names.
 */
import { MetricUnit, SelfMetricName, type Unit } from '@fw0/metrics-core';

/** Default name of the collector: the `collector` label of its self-metrics. */
export const DEFAULT_COLLECTOR_NAME = 'custom';

/** The suffix counters carry in exposition; a counter may be named with or without it. */
export const COUNTER_SUFFIX = '_total';

/**
 * Prefix of fw0's own metrics (`fw0_series_overflow_total`, `fw0_scrapes_total`...). A custom
 * metric may not start with it: recording into a self-metric would corrupt it, and a custom
 * metric created under a self-metric's name before the registry needs it would make the
 * registry's own bookkeeping fail.
 */
export const RESERVED_PREFIX = 'fw0_';

/** Label of the one series that takes every label set past a metric's series limit (value "true"). */
export const OVERFLOW_LABEL = 'fw0_overflow';

/** Self-metric counting records sent to an overflow series, labelled by `metric`. */
export const SERIES_OVERFLOW_METRIC = SelfMetricName.SERIES_OVERFLOW;

/** Self-metric counting samples sampling kept out of the buffer, labelled by `collector`. */
export const SAMPLED_OUT_METRIC = SelfMetricName.SAMPLES_SAMPLED_OUT;

/** Self-metric counting samples lost from a full buffer, labelled by `collector` and `reason`. */
export const SAMPLES_DROPPED_METRIC = SelfMetricName.SAMPLES_DROPPED;

/**
 * Name suffixes that say a metric's base unit, longest first (so `_bytes_per_second` wins over
 * `_per_second`). A metric named with one of them, and defined without an explicit unit, gets
 * that unit: its HELP/UNIT metadata and, for histograms, its default buckets.
 */
export const UNIT_SUFFIXES: readonly (readonly [suffix: string, unit: Unit])[] = Object.freeze([
  ['_bytes_per_second', MetricUnit.BYTES_PER_SECOND],
  ['_per_second', MetricUnit.PER_SECOND],
  ['_seconds', MetricUnit.SECONDS],
  ['_bytes', MetricUnit.BYTES],
  ['_ratio', MetricUnit.RATIO],
  ['_celsius', MetricUnit.CELSIUS],
]);

/** Default HELP texts of metrics created without one. */
export const DefaultHelp = {
  /** HELP of a counter created by `incrementCounter` or `counter()`. */
  counter: (name: string): string => `Custom counter ${name}`,
  /** HELP of a gauge created by `setGauge` or `gauge()`. */
  gauge: (name: string): string => `Custom gauge ${name}`,
  /** HELP of a histogram created by `recordHistogramValue` or `histogram()`. */
  histogram: (name: string): string => `Custom histogram ${name}`,
  /** HELP of the histogram behind a business metric, in its base unit. */
  business: (name: string, unit: Unit): string => `Business metric ${name} (amounts in ${unit})`,
} as const;
