import {
  ManualClock,
  MetricsRegistry,
  MetricType,
  MetricUnit,
  parseExposition,
  serializePrometheus,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { CustomMetricsCollector } from './custom-collector.js';
import { getCustomCollector } from './get-custom-collector.js';

/** A collector that keeps every sample (no sampling), for exact drain checks. */
const unsampled = () => getCustomCollector({ maxSamplesPerSecond: false });

describe('getCustomCollector', () => {
  it('creates a new collector on each call, each with a registry of its own', () => {
    const first = getCustomCollector();
    const second = getCustomCollector();
    expect(first).toBeInstanceOf(CustomMetricsCollector);
    expect(first).not.toBe(second);
    expect(first.registry).not.toBe(second.registry);
    expect(first.registry.collectors).toEqual([first]);
    expect(first.name).toBe('custom');
  });

  it('registers into a given registry under its name', () => {
    const registry = new MetricsRegistry();
    const orders = getCustomCollector({ registry, name: 'orders' });
    const billing = getCustomCollector({ registry, name: 'billing' });
    expect(registry.collectors).toEqual([orders, billing]);
    orders.incrementCounter('orders_placed');
    billing.incrementCounter('invoices_sent', 3);
    const text = serializePrometheus(registry.snapshot());
    expect(text).toContain('orders_placed_total 1\n');
    expect(text).toContain('invoices_sent_total 3\n');
    // Each collector reports its own counters only.
    expect(orders.getCounterValues()).toEqual({ orders_placed: 1 });
    expect(billing.getCounterValues()).toEqual({ invoices_sent: 3 });
  });
});

describe('incrementCounter', () => {
  it('adds 1 by default, or the value given, per tag set, and exposes name_total', () => {
    const collector = unsampled();
    collector.incrementCounter('orders');
    collector.incrementCounter('orders', 2.5);
    collector.incrementCounter('orders', 4, { region: 'eu', tier: 'gold' });
    collector.incrementCounter('orders', 1, { tier: 'gold', region: 'eu' });
    collector.incrementCounter('orders', 0, { region: 'us' });
    expect(collector.getCounterValues()).toEqual({
      orders: 3.5,
      'orders{region="eu",tier="gold"}': 5,
      'orders{region="us"}': 0,
    });
    const family = parseExposition(serializePrometheus(collector.registry.snapshot())).families.find(
      (candidate) => candidate.name === 'orders_total',
    );
    expect(family?.type).toBe('counter');
    expect(family?.samples.map((sample) => [sample.labels, sample.value])).toEqual([
      [{}, 3.5],
      [{ region: 'eu', tier: 'gold' }, 5],
      [{ region: 'us' }, 0],
    ]);
  });

  it('returns the sample it recorded, with canonical string tags', () => {
    const collector = unsampled();
    const before = Date.now();
    const sample = collector.incrementCounter('orders', 2, { zone: 3, express: true, gone: undefined });
    expect(sample).toEqual({
      name: 'orders',
      value: 2,
      type: MetricType.COUNTER,
      unit: MetricUnit.COUNT,
      timestamp: sample.timestamp,
      tags: { express: 'true', zone: '3' },
    });
    expect(Object.keys(sample.tags)).toEqual(['express', 'zone']);
    expect(sample.timestamp).toBeGreaterThanOrEqual(before);
    expect(sample.timestamp).toBeLessThanOrEqual(Date.now());
    expect(collector.getCollectedMetrics()).toEqual([sample]);
  });

  it('treats name and name_total as one counter, keyed by the first spelling', () => {
    const collector = unsampled();
    collector.incrementCounter('requests_total', 2);
    collector.incrementCounter('requests', 3);
    expect(collector.getCounterValues()).toEqual({ requests_total: 5 });
    const names = collector.registry.getMetrics().map((metric) => metric.name);
    expect(names.filter((name) => name.startsWith('requests'))).toEqual(['requests']);
  });

  it('gives counters named with a unit suffix that unit (cpu_seconds_total is in seconds)', () => {
    const collector = unsampled();
    const sample = collector.incrementCounter('busy_seconds_total', 0.25);
    expect(sample.unit).toBe(MetricUnit.SECONDS);
    expect(collector.registry.getMetric('busy_seconds')?.unit).toBe('seconds');
  });
});

describe('setGauge', () => {
  it('sets the value per tag set (the last write wins), negatives included', () => {
    const collector = unsampled();
    collector.setGauge('queue_length', 10);
    collector.setGauge('queue_length', 7);
    collector.setGauge('queue_length', -2, { queue: 'retry' });
    const sample = collector.setGauge('queue_length', 4, { queue: 'main' });
    expect(collector.getGaugeValues()).toEqual({
      queue_length: 7,
      'queue_length{queue="retry"}': -2,
      'queue_length{queue="main"}': 4,
    });
    expect(sample).toMatchObject({ name: 'queue_length', value: 4, type: 'gauge', unit: 'count' });
    expect(collector.getCounterValues()).toEqual({});
  });

  it('infers the unit from the name suffix and shows it in OpenMetrics # UNIT', () => {
    const collector = unsampled();
    expect(collector.setGauge('cache_size_bytes', 2048).unit).toBe('bytes');
    expect(collector.setGauge('cache_hit_ratio', 0.75).unit).toBe('ratio');
    const metric = collector.registry.getMetric('cache_size_bytes');
    expect(metric?.unit).toBe('bytes');
  });
});

describe('recordHistogramValue', () => {
  it('observes values into le buckets with count and sum, in the unit its name announces', () => {
    const collector = unsampled();
    const values = [0.004, 0.02, 0.02, 0.3, 7];
    for (const value of values) collector.recordHistogramValue('checkout_latency_seconds', value);
    const family = parseExposition(serializePrometheus(collector.registry.snapshot())).families.find(
      (candidate) => candidate.name === 'checkout_latency_seconds',
    )!;
    const byName = (name: string, le?: string) =>
      family.samples.find((sample) => sample.name === name && sample.labels.le === le)?.value;
    expect(byName('checkout_latency_seconds_count')).toBe(values.length);
    expect(byName('checkout_latency_seconds_sum')).toBeCloseTo(7.344, 12);
    expect(byName('checkout_latency_seconds_bucket', '0.005')).toBe(1);
    expect(byName('checkout_latency_seconds_bucket', '0.025')).toBe(3);
    expect(byName('checkout_latency_seconds_bucket', '0.5')).toBe(4);
    expect(byName('checkout_latency_seconds_bucket', '+Inf')).toBe(5);
    const samples = collector.getCollectedMetrics();
    expect(samples.map((sample) => sample.value)).toEqual(values);
    expect(new Set(samples.map((sample) => `${sample.type}/${sample.unit}`))).toEqual(
      new Set(['histogram/seconds']),
    );
  });

  it('uses the buckets and unit of defineHistogram when defined first', () => {
    const collector = unsampled();
    const histogram = collector.defineHistogram('basket_items', {
      buckets: [1, 5, 10],
      help: 'Items per basket',
    });
    for (const items of [1, 2, 3, 12]) collector.recordHistogramValue('basket_items', items, { shop: 'eu' });
    expect(Array.from(histogram.bind({ shop: 'eu' }).bucketCounts)).toEqual([1, 2, 0, 1]);
    expect(serializePrometheus(collector.registry.snapshot())).toContain(
      '# HELP basket_items Items per basket\n',
    );
    expect(collector.defineHistogram('basket_items', { buckets: [1, 5, 10], help: 'Items per basket' })).toBe(
      histogram,
    );
  });
});

describe('resetCounters', () => {
  it('zeroes every counter series of the collector and leaves gauges, histograms and handles alone', () => {
    const collector = unsampled();
    collector.incrementCounter('orders', 5);
    collector.incrementCounter('orders', 2, { region: 'eu' });
    collector.incrementCounter('refunds', 1);
    collector.setGauge('queue_length', 9);
    collector.recordHistogramValue('basket_items', 3);
    const handle = collector.counter('orders', { region: 'eu' });
    collector.resetCounters();
    expect(collector.getCounterValues()).toEqual({ orders: 0, 'orders{region="eu"}': 0, refunds: 0 });
    expect(collector.getGaugeValues()).toEqual({ queue_length: 9 });
    expect(collector.getHistogramSummary('basket_items')?.cumulative.count).toBe(1);
    handle.add(4);
    collector.incrementCounter('orders', 1, { region: 'eu' });
    expect(collector.getCounterValues()['orders{region="eu"}']).toBe(5);
  });

  it('does not touch counters of the same registry that belong to someone else', () => {
    const registry = new MetricsRegistry();
    const collector = getCustomCollector({ registry });
    const foreign = registry.counter({ name: 'foreign_events_total' });
    foreign.add(3);
    collector.incrementCounter('orders', 2);
    collector.resetCounters();
    expect(foreign.get()).toBe(3);
    expect(collector.getCounterValues()).toEqual({ orders: 0 });
  });
});

describe('getCollectedMetrics', () => {
  it('drains every sample since the last call, oldest first, of every kind', () => {
    const collector = unsampled();
    const recorded = [
      collector.incrementCounter('orders'),
      collector.setGauge('queue_length', 3),
      collector.recordHistogramValue('basket_items', 2),
      collector.recordBusinessMetric('revenue', 12.5, 'eur', undefined, { order: 'A-1' }),
    ];
    expect(collector.bufferedSampleCount).toBe(4);
    expect(collector.getCollectedMetrics()).toEqual(recorded);
    expect(collector.getCollectedMetrics()).toEqual([]);
    const later = collector.incrementCounter('orders', 2);
    expect(collector.getCollectedMetrics()).toEqual([later]);
  });

  it('keeps the newest bufferSize samples and counts the ones it dropped; aggregates stay exact', () => {
    const collector = getCustomCollector({ bufferSize: 5, maxSamplesPerSecond: false });
    for (let i = 1; i <= 12; i++) collector.incrementCounter('orders', i);
    expect(collector.getCollectedMetrics().map((sample) => sample.value)).toEqual([8, 9, 10, 11, 12]);
    expect(collector.getCounterValues()).toEqual({ orders: 78 });
    const dropped = collector.registry.self.samplesDropped.get({
      collector: 'custom',
      reason: 'buffer_full',
    });
    expect(dropped).toBe(7);
  });

  it('samples a hot name into the buffer (with its sample rate) while the counter counts every call', () => {
    const clock = new ManualClock();
    const registry = new MetricsRegistry({ clock });
    const collector = getCustomCollector({ registry, maxSamplesPerSecond: 20 });
    const calls = 5000;
    for (let i = 0; i < calls; i++) collector.incrementCounter('hot', 1, { shard: i % 2 });
    collector.incrementCounter('cold', 1);
    const kept = collector.getCollectedMetrics();
    const sampledOut = registry.self.samplesSampledOut.get({ collector: 'custom' }) ?? 0;
    const hot = kept.filter((sample) => sample.name === 'hot');
    expect(hot.length + sampledOut).toBe(calls);
    expect(hot.length).toBeLessThan(calls / 10);
    // Each kept sample stands for 1 / sampleRate calls: together they account for all of them (10%).
    const represented = hot.reduce((sum, sample) => sum + 1 / (sample.sampleRate ?? 1), 0);
    expect(Math.abs(represented - calls) / calls).toBeLessThan(0.1);
    expect(kept.filter((sample) => sample.name === 'cold')).toHaveLength(1);
    expect(collector.getCounterValues()).toEqual({ 'hot{shard="0"}': 2500, 'hot{shard="1"}': 2500, cold: 1 });
  });
});
