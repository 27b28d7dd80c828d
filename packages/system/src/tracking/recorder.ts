import {
  type Labels,
  MetricType,
  type PerformanceMetric,
  type PerformanceMetricInit,
  type Unit,
} from '@fw0/metrics-core';

/** Records a sample in the collector's buffer and returns it (BaseCollector.recordSample). */
export type Recorder = (init: PerformanceMetricInit) => PerformanceMetric;

/**
 * Where an update puts the samples it records, besides the collector's buffer: the array a
 * `collect*()` call resolves to, or nothing for a run of continuous collection (its samples only
 * go to the buffer, and building an array nobody reads would cost every second).
 */
export type SampleList = PerformanceMetric[] | undefined;

/** Host-wide gauges describe one machine: merged snapshots of several processes keep one value, never a sum. */
export const HOST_AGGREGATION = 'last' as const;

/**
 * Records one gauge sample (`value` in `unit`) in the buffer and adds it to `samples` when given:
 * how every area reports what it measured.
 */
export function recordGauge(
  record: Recorder,
  samples: SampleList,
  name: string,
  value: number,
  unit: Unit,
  timestamp: number,
  tags?: Labels,
  context?: Readonly<Record<string, unknown>>,
): void {
  const init: { -readonly [K in keyof PerformanceMetricInit]: PerformanceMetricInit[K] } = {
    name,
    value,
    type: MetricType.GAUGE,
    unit,
    timestamp,
  };
  if (tags !== undefined) init.tags = tags;
  if (context !== undefined) init.context = context;
  const sample = record(init);
  samples?.push(sample);
}
