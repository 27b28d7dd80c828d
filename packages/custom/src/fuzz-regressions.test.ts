import { ConfigError, InvalidValueError, MetricsRegistry } from '@fw0/metrics-core';
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
    // The sample says what the event was (no tags); the exposition says where it was counted.
    expect(sample.tags).toEqual({});
    expect(collector.getCounterValues()).toEqual({ 'hits{shard="1"}': 1, 'hits{fw0_overflow="true"}': 2 });
  });

  it('refuses a context whose toJSON() gives no JSON at all (it threw TypeError)', () => {
    const collector = getCustomCollector({ maxSamplesPerSecond: false });
    collector.recordBusinessMetric('revenue', 1, 'eur');
    const before = observableState(collector);
    for (const toJSON of [() => undefined, () => () => 1]) {
      expect(() => collector.recordBusinessMetric('revenue', 2, 'eur', undefined, { toJSON })).toThrow(
        InvalidValueError,
      );
    }
    expect(observableState(collector)).toEqual(before);
  });

  it('refuses a registry or logger option of the wrong kind with a ConfigError (a registry threw TypeError)', () => {
    const registry = new MetricsRegistry();
    for (const options of [{ registry: 5 }, { registry: {} }, { logger: 5 }, { logger: { warn() {} } }]) {
      expect(() => getCustomCollector({ registry, ...options } as never)).toThrow(ConfigError);
    }
    expect(registry.collectors).toEqual([]);
    const logged: string[] = [];
    const logger = { debug() {}, warn: (message: string) => logged.push(message), error() {} };
    const collector = getCustomCollector({ registry, logger, bufferSize: 1, maxSamplesPerSecond: false });
    collector.incrementCounter('orders');
    collector.incrementCounter('orders');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('sample buffer full');
  });
});
