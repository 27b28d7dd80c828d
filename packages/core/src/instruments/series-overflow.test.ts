import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MetricsRegistry } from '../registry.js';

/** fw0_series_overflow_total of `metric`, 0 when never counted. */
function overflowCount(registry: MetricsRegistry, metric: string): number {
  return registry.self.seriesOverflow.get({ metric }) ?? 0;
}

describe('fw0_series_overflow_total counts records sent to an overflow series', () => {
  it('regression: records through a handle bound past the limit are each counted, the bind is not', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1 });
    const counter = registry.counter({ name: 'hits_total' });
    counter.add(1, { user: 'a' });
    const handle = counter.bind({ user: 'b' });
    expect(handle.labels).toEqual({ fw0_overflow: 'true' });
    expect(overflowCount(registry, 'hits_total')).toBe(0);
    for (let i = 0; i < 5; i++) handle.add(2);
    counter.add(1, { user: 'c' });
    expect(counter.overflowSeries?.value).toBe(11);
    expect(overflowCount(registry, 'hits_total')).toBe(6);
  });

  it('counts gauge sets and adds through labels and handles', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1 });
    const gauge = registry.gauge({ name: 'depth' });
    gauge.set(1, { queue: 'a' });
    gauge.set(2, { queue: 'b' });
    gauge.add(3, { queue: 'c' });
    const handle = gauge.bind({ queue: 'd' });
    handle.set(7);
    handle.add(1);
    expect(gauge.overflowSeries?.value).toBe(8);
    expect(overflowCount(registry, 'depth')).toBe(4);
  });

  it('counts histogram observations once each, labelled or bound', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1, clock: new ManualClock() });
    const histogram = registry.histogram({ name: 'wait_seconds', unit: 'seconds' });
    histogram.observe(0.1, { job: 'a' });
    histogram.observe(0.2, { job: 'b' });
    histogram.observe(0.3, { job: 'c' });
    const handle = histogram.bind({ job: 'd' });
    expect(overflowCount(registry, 'wait_seconds')).toBe(2);
    handle.observe(0.4);
    handle.observe(0.5);
    expect(histogram.overflowSeries?.count).toBe(4);
    expect(overflowCount(registry, 'wait_seconds')).toBe(4);
  });

  it('counts nothing for series within the limit, and a rejected record is not counted', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 2 });
    const counter = registry.counter({ name: 'jobs_total' });
    const handle = counter.bind({ queue: 'a' });
    for (let i = 0; i < 100; i++) handle.add();
    counter.add(1, { queue: 'b' });
    expect(registry.getMetric('fw0_series_overflow_total')).toBeUndefined();
    const overflow = counter.bind({ queue: 'c' });
    expect(() => overflow.add(-1)).toThrow();
    expect(overflowCount(registry, 'jobs_total')).toBe(0);
  });

  it('a removed handle that comes back past the limit counts each record it overflows', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1 });
    const counter = registry.counter({ name: 'jobs_total' });
    const handle = counter.bind({ queue: 'a' });
    counter.remove({ queue: 'a' });
    counter.add(1, { queue: 'b' });
    handle.add(1);
    handle.add(1);
    expect(counter.overflowSeries?.value).toBe(2);
    expect(overflowCount(registry, 'jobs_total')).toBe(2);
  });

  it('after clear(), a handle of the old overflow series keeps recording into the overflow series', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1 });
    const counter = registry.counter({ name: 'jobs_total' });
    counter.add(1, { queue: 'a' });
    const overflow = counter.bind({ queue: 'b' });
    counter.clear();
    overflow.add(4);
    counter.add(1, { queue: 'c' });
    // One overflow series, never a second series labelled fw0_overflow="true".
    expect(counter.labelSets()).toEqual([{ queue: 'c' }, { fw0_overflow: 'true' }]);
    expect(counter.overflowSeries?.value).toBe(4);
    expect(overflowCount(registry, 'jobs_total')).toBe(1);
  });
});
