import type { Labels, MetricType, PerformanceMetric, Unit } from '@fw0/metrics-core';
import type { MetricContext } from './context.js';

/** A sample as a seed-style call builds it, before sampling says whether (and at what rate) it is kept. */
export interface SeedSample extends PerformanceMetric {
  sampleRate?: number;
}

/**
 * The sample of one seed-style call, stamped now (milliseconds since the epoch). Built in one
 * object literal with core's field order (`createPerformanceMetric`), so every sample shares one
 * shape and the hot path makes one allocation, not an options object and then the sample.
 */
export function newSample(
  name: string,
  value: number,
  type: MetricType,
  unit: Unit,
  tags: Labels,
): SeedSample {
  return { name, value, type, unit, timestamp: Date.now(), tags };
}

/** As {@link newSample}, for a business metric that carries a context. */
export function newSampleWithContext(
  name: string,
  value: number,
  type: MetricType,
  unit: Unit,
  tags: Labels,
  context: MetricContext,
): SeedSample {
  return { name, value, type, unit, timestamp: Date.now(), tags, context };
}
