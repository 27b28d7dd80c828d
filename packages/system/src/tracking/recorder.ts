import type { PerformanceMetric, PerformanceMetricInit } from '@fw0/metrics-core';

/** Records a sample in the collector's buffer and returns it (BaseCollector.recordSample). */
export type Recorder = (init: PerformanceMetricInit) => PerformanceMetric;

/** Host-wide gauges describe one machine: merged snapshots of several processes keep one value, never a sum. */
export const HOST_AGGREGATION = 'last' as const;
