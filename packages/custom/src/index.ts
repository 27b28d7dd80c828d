/**
 * @fw0/metrics-custom: user-defined counters, gauges, histograms and business metrics with
 * units and context, on the @fw0/metrics-core instruments.
 */

export type { BusinessMetricSummary } from './business-metrics.js';
export type { MetricContext } from './context.js';
export { CustomMetricsCollector } from './custom-collector.js';
export type {
  BusinessMetricOptions,
  CounterOptions,
  GaugeOptions,
  HistogramOptions,
} from './definitions.js';
export { getCustomCollector } from './get-custom-collector.js';
export {
  COUNTER_SUFFIX,
  DEFAULT_COLLECTOR_NAME,
  DefaultHelp,
  OVERFLOW_LABEL,
  SAMPLED_OUT_METRIC,
  SAMPLES_DROPPED_METRIC,
  SERIES_OVERFLOW_METRIC,
  UNIT_SUFFIXES,
} from './names.js';
export type { CustomCollectorOptions } from './options.js';
export { seriesKey } from './series-key.js';
export { type InstrumentKind, inferUnit } from './unit-inference.js';
