import type { CounterSeries, PerformanceMetric } from '@fw0/metrics-core';

/**
 * What timers need from their collector: a place for kept samples, a counter for calls sampling
 * left out, and a way to report a failure without throwing it into the timed code.
 */
export interface SampleSink {
  /** Puts a sample the timer's sampler kept into the collector's bounded buffer. */
  push(sample: PerformanceMetric): void;
  /** `fw0_samples_sampled_out_total{collector}`: calls left out of the buffer by sampling. */
  readonly sampledOut: CounterSeries;
  /** Counts (`fw0_collector_errors_total{collector,operation}`) and logs a failure; never throws. */
  fail(operation: string, error: unknown): void;
  /** Logs a warning through the collector's logger; never throws. */
  warn(message: string): void;
}
