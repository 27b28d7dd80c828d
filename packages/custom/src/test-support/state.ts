import { serializeOpenMetrics } from '@fw0/metrics-core';
import type { CustomMetricsCollector } from '../custom-collector.js';

/** Everything a caller can observe of a collector, to check that a rejected call changed nothing. */
export interface ObservableState {
  readonly counters: Record<string, number>;
  readonly gauges: Record<string, number>;
  /** OpenMetrics text of the whole registry: every family, series, unit and value. */
  readonly exposition: string;
  /** Every metric defined in the registry, even those without series yet (`type:name`). */
  readonly definitions: string[];
  /** Samples waiting in the buffer (not drained). */
  readonly bufferedSamples: number;
}

/** The observable state of `collector` now, without draining its samples. */
export function observableState(collector: CustomMetricsCollector): ObservableState {
  return {
    counters: collector.getCounterValues(),
    gauges: collector.getGaugeValues(),
    exposition: serializeOpenMetrics(collector.registry.snapshot()),
    definitions: collector.registry.getMetrics().map((metric) => `${metric.type}:${metric.name}`),
    bufferedSamples: collector.bufferedSampleCount,
  };
}
