import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { SampleBuffer } from './collect/sample-buffer.js';
import { AdaptiveSampler, NameSampler } from './collect/sampler.js';
import { BaseCollector, type CollectorOptions } from './collector.js';
import { ConfigError } from './errors.js';
import { serializeOpenMetrics } from './exposition/openmetrics.js';
import { MetricsRegistry } from './registry.js';
import { createPerformanceMetric, MetricType, type PerformanceMetric } from './types.js';
import { MetricUnit } from './units.js';

class ExampleCollector extends BaseCollector {
  constructor(options: CollectorOptions = {}) {
    super('example', options);
  }
  record(name: string, value: number): PerformanceMetric {
    return this.recordSample({ name, value, type: MetricType.GAUGE, unit: MetricUnit.COUNT });
  }
  offer(sample: PerformanceMetric): PerformanceMetric | undefined {
    return this.offerSample(sample);
  }
  fail(operation: string): void {
    this.recordFailure(operation, new Error(`${operation} broke`));
  }
}

const sample = (value: number) => createPerformanceMetric({ name: 's', value, type: 'gauge', unit: 'count' });

describe('SampleBuffer', () => {
  it('drains everything since the last drain, oldest first', () => {
    const buffer = new SampleBuffer(5, () => {});
    for (let i = 0; i < 3; i++) buffer.push(sample(i));
    expect(buffer.drain().map((s) => s.value)).toEqual([0, 1, 2]);
    expect(buffer.drain()).toEqual([]);
    buffer.push(sample(9));
    expect(buffer.peek().map((s) => s.value)).toEqual([9]);
    expect(buffer.drain().map((s) => s.value)).toEqual([9]);
  });

  it('drops the oldest when full and reports each drop', () => {
    const dropped: number[] = [];
    const buffer = new SampleBuffer(3, (s) => dropped.push(s.value));
    for (let i = 0; i < 7; i++) buffer.push(sample(i));
    expect(buffer.drain().map((s) => s.value)).toEqual([4, 5, 6]);
    expect(dropped).toEqual([0, 1, 2, 3]);
  });
});

describe('AdaptiveSampler', () => {
  it('keeps everything under the budget', () => {
    const clock = new ManualClock();
    const sampler = new AdaptiveSampler(10, clock);
    const rates = Array.from({ length: 10 }, () => sampler.admit('a'));
    expect(rates).toEqual(new Array(10).fill(1));
  });

  it('samples a hot name, and the kept records count back to the events', () => {
    const clock = new ManualClock();
    const sampler = new AdaptiveSampler(100, clock);
    for (let second = 0; second < 5; second++) {
      let kept = 0;
      let represented = 0;
      for (let i = 0; i < 10_000; i++) {
        const rate = sampler.admit('hot');
        if (rate > 0) {
          kept++;
          represented += 1 / rate;
        }
      }
      expect(Math.abs(represented - 10_000) / 10_000).toBeLessThan(0.05);
      // A burst is halved until it fits: after the first second the rate is right from the start.
      expect(kept).toBeLessThanOrEqual(second === 0 ? 100 * 8 : 110);
      expect(sampler.admit('cold')).toBe(1);
      clock.advance(1);
    }
  });

  it('tracks a bounded number of names', () => {
    const sampler = new AdaptiveSampler(1, new ManualClock(), 3);
    for (let i = 0; i < 100; i++) sampler.admit(`name${i}`);
    // The first three names have samplers of their own; every later name shares one.
    expect(sampler.forName('name50')).toBe(sampler.forName('name99'));
    expect(sampler.forName('name0')).not.toBe(sampler.forName('name1'));
    expect(sampler.forName('name0')).not.toBe(sampler.forName('name99'));
  });
});

describe('NameSampler', () => {
  it('keeps every event when unlimited', () => {
    const sampler = new NameSampler(Number.POSITIVE_INFINITY, new ManualClock());
    for (let i = 0; i < 10_000; i++) expect(sampler.admit()).toBe(1);
  });

  it('decides for one name exactly as AdaptiveSampler does for that name', () => {
    const clock = new ManualClock();
    const bound = new NameSampler(7, clock);
    const byName = new AdaptiveSampler(7, clock);
    const bursts = [3, 50, 200, 0, 9, 1000, 7, 8];
    for (const [second, calls] of bursts.entries()) {
      for (let i = 0; i < calls; i++) expect(bound.admit()).toBe(byName.admit('name'));
      clock.advance(second % 3 === 2 ? 2 : 1);
    }
  });
});

describe('BaseCollector', () => {
  it('refuses a second collector of the same name before binding anything (regression: series left behind)', () => {
    const registry = new MetricsRegistry();
    // A collector of that name that is no BaseCollector: its self-metric series do not exist yet.
    registry.register({ name: 'example', getCollectedMetrics: () => [] });
    const before = serializeOpenMetrics(registry.snapshot());
    expect(() => new ExampleCollector({ registry })).toThrow(ConfigError);
    expect(serializeOpenMetrics(registry.snapshot())).toBe(before);
    expect(registry.collectors.map((collector) => collector.name)).toEqual(['example']);
  });

  it('checks its name, options, registry and logger before creating anything', () => {
    class Named extends BaseCollector {}
    const registry = new MetricsRegistry();
    const before = serializeOpenMetrics(registry.snapshot());
    const bad: [unknown, unknown][] = [
      ['', { registry }],
      [42, { registry }],
      ['lone\uD800', { registry }],
      ['ok', null],
      ['ok', [registry]],
      ['ok', { registry: {} }],
      ['ok', { registry, logger: 5 }],
      ['ok', { registry, logger: { debug() {}, warn() {} } }],
    ];
    for (const [name, options] of bad) {
      expect(() => new Named(name as string, options as CollectorOptions), String(name)).toThrow(ConfigError);
    }
    expect(registry.collectors).toEqual([]);
    expect(serializeOpenMetrics(registry.snapshot())).toBe(before);
    const logger = { debug() {}, warn() {}, error() {} };
    expect(new Named('ok', { registry, logger }).name).toBe('ok');
    // null is "not given": a registry and a logger of the collector's own.
    expect(new Named('other', { registry: null, logger: null } as never).registry).toBeInstanceOf(
      MetricsRegistry,
    );
  });

  it('registers in the given registry and drains its samples', () => {
    const registry = new MetricsRegistry();
    const collector = new ExampleCollector({ registry });
    expect(registry.collectors).toContain(collector);
    const recorded = collector.record('x', 1);
    expect(recorded).toMatchObject({ name: 'x', value: 1, type: 'gauge', unit: 'count' });
    expect(recorded.sampleRate).toBeUndefined();
    expect(collector.getCollectedMetrics()).toEqual([recorded]);
    expect(collector.getCollectedMetrics()).toEqual([]);
  });

  it('counts samples dropped from a full buffer', () => {
    const collector = new ExampleCollector({ bufferSize: 2, maxSamplesPerSecond: false });
    for (let i = 0; i < 5; i++) collector.record('x', i);
    expect(collector.getCollectedMetrics().map((s) => s.value)).toEqual([3, 4]);
    expect(collector.registry.self.samplesDropped.get({ collector: 'example', reason: 'buffer_full' })).toBe(
      3,
    );
  });

  it('samples hot names into the buffer and counts what it left out', () => {
    const clock = new ManualClock();
    const registry = new MetricsRegistry({ clock });
    const collector = new ExampleCollector({ registry, maxSamplesPerSecond: 10 });
    for (let i = 0; i < 1000; i++) collector.record('hot', i);
    const kept = collector.getCollectedMetrics();
    const sampledOut = registry.self.samplesSampledOut.get({ collector: 'example' }) ?? 0;
    expect(kept.length + sampledOut).toBe(1000);
    expect(kept.length).toBeLessThan(200);
    expect(kept.some((s) => s.sampleRate !== undefined && s.sampleRate < 1)).toBe(true);
    const represented = kept.reduce((sum, s) => sum + 1 / (s.sampleRate ?? 1), 0);
    expect(Math.abs(represented - 1000)).toBeLessThan(100);
    // Still past the budget this second: a ready-made sample is left out too, and counted.
    const before = registry.self.samplesSampledOut.get({ collector: 'example' }) ?? 0;
    const hot = createPerformanceMetric({ name: 'hot', value: 1, type: 'gauge', unit: 'count' });
    const offered = Array.from({ length: 50 }, () => collector.offer(hot));
    const keptOffers = offered.filter((item) => item !== undefined);
    expect(keptOffers.length).toBeLessThan(50);
    expect(keptOffers.every((item) => item!.sampleRate !== undefined && item!.sampleRate < 1)).toBe(true);
    expect(registry.self.samplesSampledOut.get({ collector: 'example' })).toBe(
      before + 50 - keptOffers.length,
    );
  });

  it('counts failures instead of throwing', () => {
    const collector = new ExampleCollector();
    expect(() => collector.fail('read')).not.toThrow();
    collector.fail('read');
    expect(collector.registry.self.collectorErrors.get({ collector: 'example', operation: 'read' })).toBe(2);
  });

  it('validates its options', () => {
    expect(() => new ExampleCollector({ bufferSize: 0 })).toThrow(ConfigError);
    expect(() => new ExampleCollector({ maxSamplesPerSecond: 0 })).toThrow(ConfigError);
  });
});
