import { describe, expect, it } from 'vitest';
import { memoryInUse } from '../../../test-support/memory.js';
import { MetricsRegistry } from './registry.js';

/**
 * The documented bounds (README): one metric at the default 2,000-series limit stays under
 * 8 MiB as a counter or gauge and under 16 MiB as a histogram, whatever the cardinality.
 */
const COUNTER_BOUND_BYTES = 8 * 1024 * 1024;
const HISTOGRAM_BOUND_BYTES = 16 * 1024 * 1024;

describe('memory under unbounded label cardinality', () => {
  it('a counter fed 1,000,000 distinct label values stays under the documented bound', () => {
    const before = memoryInUse();
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'requests_total' });
    for (let i = 0; i < 1_000_000; i++) counter.add(1, { user: `user-${i}`, route: '/api' });
    const grown = memoryInUse() - before;
    expect(counter.seriesCount).toBe(2000);
    expect(counter.bind({ user: 'user-999999', route: '/api' }).labels).toEqual({ fw0_overflow: 'true' });
    // One per record past the limit; the bind() above records nothing.
    expect(registry.self.seriesOverflow.get({ metric: 'requests_total' })).toBe(998_000);
    expect(grown).toBeLessThan(COUNTER_BOUND_BYTES);
    // Keep the registry alive until after the measurement.
    expect(registry.getMetrics()).toHaveLength(2);
  });

  it('a histogram fed 1,000,000 distinct label values stays under the documented bound', () => {
    const before = memoryInUse();
    const registry = new MetricsRegistry();
    const histogram = registry.histogram({ name: 'latency_seconds', unit: 'seconds' });
    for (let i = 0; i < 1_000_000; i++) histogram.observe((i % 1000) / 1000, { session: `s${i}` });
    const grown = memoryInUse() - before;
    expect(histogram.seriesCount).toBe(2000);
    expect(grown).toBeLessThan(HISTOGRAM_BOUND_BYTES);
    expect(registry.getMetrics().length).toBeGreaterThan(0);
  });
});
