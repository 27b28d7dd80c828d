import type { Unit } from './units.js';

/** Kinds of measurement. */
export const MetricType = {
  /** A total that only goes up (requests served, bytes sent). */
  COUNTER: 'counter',
  /** A value that goes up and down (memory in use, queue length). */
  GAUGE: 'gauge',
  /** A distribution of observed values (latencies, sizes). */
  HISTOGRAM: 'histogram',
  /** A duration measured by a timer; aggregated as a histogram. */
  TIMER: 'timer',
} as const;

/** One of the {@link MetricType} values. */
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** Label set of a series: label name to label value. Canonical label sets are frozen, keys sorted. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Label set as callers may pass it: values that are numbers or booleans are turned into strings
 * (`String(value)`), `undefined` values are left out.
 */
export type LabelsInput = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * One measurement, as the seed's collectors return it and `getCollectedMetrics()` drains it.
 * Samples are records of individual events; the exact aggregates live in the registry.
 */
export interface PerformanceMetric {
  /** Metric name (as given by the caller; exposition may add a unit suffix). */
  readonly name: string;
  /** The measured value, in `unit`. */
  readonly value: number;
  /** What kind of measurement this is. */
  readonly type: MetricType;
  /** Unit of `value`. */
  readonly unit: Unit;
  /** When it was measured: milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** Metadata tags (become labels in the registry). */
  readonly tags: Labels;
  /** Free-form context (never a label): travels with the sample only. */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Fraction of events of this name kept in the sample buffer when it was recorded, in (0, 1].
   * A record with sample rate 0.25 stands for 4 events. Absent means 1 (every event kept).
   */
  readonly sampleRate?: number;
}

/** Options of {@link createPerformanceMetric}. */
export interface PerformanceMetricInit {
  readonly name: string;
  readonly value: number;
  readonly type: MetricType;
  readonly unit: Unit;
  readonly tags?: Labels | undefined;
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  /** Milliseconds since the Unix epoch; defaults to now. */
  readonly timestamp?: number | undefined;
  readonly sampleRate?: number | undefined;
}

const NO_TAGS: Labels = Object.freeze({});

/** Builds a {@link PerformanceMetric}, leaving optional fields out rather than `undefined`. */
export function createPerformanceMetric(init: PerformanceMetricInit): PerformanceMetric {
  const metric: {
    name: string;
    value: number;
    type: MetricType;
    unit: Unit;
    timestamp: number;
    tags: Labels;
    context?: Readonly<Record<string, unknown>>;
    sampleRate?: number;
  } = {
    name: init.name,
    value: init.value,
    type: init.type,
    unit: init.unit,
    timestamp: init.timestamp ?? Date.now(),
    tags: init.tags ?? NO_TAGS,
  };
  if (init.context !== undefined) metric.context = init.context;
  if (init.sampleRate !== undefined && init.sampleRate < 1) metric.sampleRate = init.sampleRate;
  return metric;
}
