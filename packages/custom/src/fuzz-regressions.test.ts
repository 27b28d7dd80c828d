import { InvalidValueError, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';
import { observableState } from './test-support/state.js';

/**
 * Regressions found by the bad-input properties of `apps/reliability` (src/fuzz): each case is
 * the smallest input that broke "a rejected call changes nothing" or "a typed error, never another".
 */
describe('bad-input regressions', () => {
  it('refuses a business amount that overflows in its base unit before creating anything', () => {
    const collector = getCustomCollector({ registry: new MetricsRegistry(), maxSamplesPerSecond: false });
    collector.incrementCounter('orders', 1);
    const before = observableState(collector);
    // 1e308 hours is finite, 3.6e311 seconds is not.
    expect(() => collector.recordBusinessMetric('backlog', 1e308, 'hours', { team: 'a' })).toThrow(
      InvalidValueError,
    );
    expect(() => collector.recordBusinessMetric('stored', 1e300, 'gibibytes')).toThrow(InvalidValueError);
    expect(observableState(collector)).toEqual(before);
    expect(collector.getBusinessMetricSummary('backlog')).toBeUndefined();
    // The same metric takes finite amounts afterwards.
    collector.recordBusinessMetric('backlog', 2, 'hours', { team: 'a' });
    expect(collector.getBusinessMetricSummary('backlog', { team: 'a' })?.cumulative.sum).toBe(7200);
  });

  it('treats null tags as no tags on an overflowing metric too (it threw TypeError after counting)', () => {
    const collector = getCustomCollector({
      registry: new MetricsRegistry({ maxSeriesPerMetric: 1 }),
      maxSamplesPerSecond: false,
    });
    collector.incrementCounter('hits', 1, { shard: '1' });
    const sample = collector.incrementCounter('hits', 2, null as unknown as undefined);
    expect(sample.tags).toEqual({ fw0_overflow: 'true' });
    expect(collector.getCounterValues()).toEqual({ 'hits{shard="1"}': 1, 'hits{fw0_overflow="true"}': 2 });
  });
});
