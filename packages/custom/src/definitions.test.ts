import {
  ConfigError,
  InvalidNameError,
  MetricConflictError,
  parseExposition,
  serializeOpenMetrics,
  serializePrometheus,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import type { CustomMetricsCollector } from './custom-collector.js';
import { getCustomCollector } from './get-custom-collector.js';
import { observableState } from './test-support/state.js';

const unsampled = () => getCustomCollector({ maxSamplesPerSecond: false });

/** The family `name` of the Prometheus text of the collector's registry. */
function family(collector: CustomMetricsCollector, name: string) {
  return parseExposition(serializePrometheus(collector.registry.snapshot())).families.find(
    (candidate) => candidate.name === name,
  );
}

/** The `# UNIT` the OpenMetrics text gives the family `name`. */
function openMetricsUnit(collector: CustomMetricsCollector, name: string): string | undefined {
  return parseExposition(serializeOpenMetrics(collector.registry.snapshot())).families.find(
    (candidate) => candidate.name === name,
  )?.unit;
}

describe('defineCounter', () => {
  it('defines the counter with its HELP; seed-style calls and handles then record into it', () => {
    const collector = unsampled();
    const counter = collector.defineCounter('orders', { help: 'Orders placed' });
    expect(counter.type).toBe('counter');
    expect(counter.name).toBe('orders');
    expect(counter.help).toBe('Orders placed');
    // Defined, not recorded: no series yet, so nothing to list or expose.
    expect(collector.getCounterValues()).toEqual({});
    collector.incrementCounter('orders', 2, { region: 'eu' });
    collector.counter('orders_total', { region: 'eu' }).add(3);
    expect(counter.get({ region: 'eu' })).toBe(5);
    expect(collector.getCounterValues()).toEqual({ 'orders{region="eu"}': 5 });
    expect(family(collector, 'orders_total')?.help).toBe('Orders placed');
    expect(collector.registry.getMetrics().filter((metric) => metric.name.startsWith('orders'))).toEqual([
      counter,
    ]);
  });

  it('takes its unit from the options or the name suffix, shown as # UNIT', () => {
    const collector = unsampled();
    expect(collector.defineCounter('busy_seconds').unit).toBe('seconds');
    expect(collector.defineCounter('sent_bytes_total', { unit: 'bytes' }).unit).toBe('bytes');
    expect(collector.defineCounter('jobs').unit).toBeUndefined();
    collector.incrementCounter('busy_seconds', 0.5);
    collector.incrementCounter('sent_bytes', 100);
    expect(openMetricsUnit(collector, 'busy_seconds')).toBe('seconds');
    expect(openMetricsUnit(collector, 'sent_bytes')).toBe('bytes');
    // The samples carry the unit too.
    expect(collector.getCollectedMetrics().map((sample) => sample.unit)).toEqual(['seconds', 'bytes']);
  });

  it('refuses a unit the name does not end with, or one that is not a base unit, creating nothing', () => {
    const collector = unsampled();
    const before = observableState(collector);
    expect(() => collector.defineCounter('busy', { unit: 'seconds' })).toThrow(InvalidNameError);
    expect(() => collector.defineCounter('busy_milliseconds', { unit: 'milliseconds' })).toThrow(ConfigError);
    expect(() => collector.defineCounter('jobs', { help: 42 as unknown as string })).toThrow(ConfigError);
    expect(() => collector.defineCounter('jobs', { maxSeries: 0 })).toThrow(ConfigError);
    expect(observableState(collector)).toEqual(before);
    expect(collector.registry.getMetric('jobs')).toBeUndefined();
  });

  it('keeps at most maxSeries tag sets, then records into the overflow series', () => {
    const collector = getCustomCollector({ maxSamplesPerSecond: false, maxSeriesPerMetric: 100 });
    collector.defineCounter('hits', { maxSeries: 2 });
    for (const shard of ['a', 'b', 'c', 'd']) collector.incrementCounter('hits', 1, { shard });
    expect(collector.getCounterValues()).toEqual({
      'hits{shard="a"}': 1,
      'hits{shard="b"}': 1,
      'hits{fw0_overflow="true"}': 2,
    });
    // Without maxSeries, the collector's maxSeriesPerMetric applies.
    expect(collector.defineCounter('misses').maxSeries).toBe(100);
  });

  it('returns the same counter when defined again alike, under either spelling', () => {
    const collector = unsampled();
    const counter = collector.defineCounter('orders', { help: 'Orders placed', maxSeries: 50 });
    expect(collector.defineCounter('orders', { help: 'Orders placed', maxSeries: 50 })).toBe(counter);
    expect(collector.defineCounter('orders_total', { help: 'Orders placed' })).toBe(counter);
    // A counter first created by a seed-style call has the defaults: defining it with none is alike.
    collector.incrementCounter('refunds');
    expect(collector.defineCounter('refunds')).toBe(collector.registry.getMetric('refunds'));
  });

  it('refuses a re-definition with other options, or a name of another type, changing nothing', () => {
    const collector = unsampled();
    collector.defineCounter('orders', { help: 'Orders placed' });
    collector.incrementCounter('orders', 4);
    collector.incrementCounter('refunds');
    collector.setGauge('queue_length', 3);
    const before = observableState(collector);
    const conflicts: [string, () => unknown][] = [
      ['other help', () => collector.defineCounter('orders', { help: 'Something else' })],
      ['other maxSeries', () => collector.defineCounter('orders', { maxSeries: 7 })],
      ['help on a default counter', () => collector.defineCounter('refunds', { help: 'Refunds' })],
      ['a gauge name', () => collector.defineCounter('queue_length')],
      ['a counter name as a gauge', () => collector.defineGauge('orders')],
    ];
    for (const [what, call] of conflicts) expect(call, what).toThrow(MetricConflictError);
    expect(observableState(collector)).toEqual(before);
    expect(collector.getCounterValues()).toEqual({ orders: 4, refunds: 1 });
  });

  it('counts toward maxMetrics', () => {
    const collector = getCustomCollector({ maxMetrics: 2 });
    collector.defineCounter('a_events');
    collector.defineGauge('b_level');
    expect(() => collector.defineCounter('c_events')).toThrow(/maxMetrics=2/);
    // Defining a known one again is no new metric.
    expect(collector.defineCounter('a_events')).toBe(collector.registry.getMetric('a_events'));
  });
});

describe('defineGauge', () => {
  it('defines the gauge with HELP, unit and merge aggregation; setGauge and handles record into it', () => {
    const collector = unsampled();
    const gauge = collector.defineGauge('cpu_temperature_celsius', {
      help: 'CPU temperature',
      aggregation: 'max',
    });
    expect(gauge.type).toBe('gauge');
    expect(gauge.unit).toBe('celsius');
    expect(gauge.aggregation).toBe('max');
    collector.setGauge('cpu_temperature_celsius', 61.5, { socket: '0' });
    collector.gauge('cpu_temperature_celsius', { socket: '1' }).set(58);
    collector.gauge('cpu_temperature_celsius', { socket: '1' }).add(-3);
    expect(collector.getGaugeValues()).toEqual({
      'cpu_temperature_celsius{socket="0"}': 61.5,
      'cpu_temperature_celsius{socket="1"}': 55,
    });
    expect(family(collector, 'cpu_temperature_celsius')?.help).toBe('CPU temperature');
    expect(openMetricsUnit(collector, 'cpu_temperature_celsius')).toBe('celsius');
    // The aggregation travels in snapshots, for merging across processes.
    const snapshot = collector.registry.snapshot().families.find((f) => f.name === 'cpu_temperature_celsius');
    expect(snapshot).toMatchObject({ type: 'gauge', aggregation: 'max' });
    expect(collector.getCollectedMetrics().map((sample) => [sample.type, sample.unit])).toEqual([
      ['gauge', 'celsius'],
    ]);
  });

  it('defaults to sum aggregation, the unit of the name suffix, and the collector series limit', () => {
    const collector = getCustomCollector({ maxSeriesPerMetric: 3 });
    const gauge = collector.defineGauge('heap_used_bytes');
    expect(gauge.aggregation).toBe('sum');
    expect(gauge.unit).toBe('bytes');
    expect(gauge.maxSeries).toBe(3);
    expect(gauge.help).toBe('Custom gauge heap_used_bytes');
    expect(collector.defineGauge('open_carts', { maxSeries: 9 }).maxSeries).toBe(9);
  });

  it('returns the same gauge when defined again alike, and refuses other options, changing nothing', () => {
    const collector = unsampled();
    const gauge = collector.defineGauge('queue_length', { help: 'Jobs waiting', aggregation: 'last' });
    expect(collector.defineGauge('queue_length', { help: 'Jobs waiting', aggregation: 'last' })).toBe(gauge);
    collector.setGauge('queue_length', 12);
    const before = observableState(collector);
    expect(() => collector.defineGauge('queue_length', { help: 'Jobs waiting', aggregation: 'max' })).toThrow(
      MetricConflictError,
    );
    expect(() => collector.defineGauge('queue_length', { help: 'Other' })).toThrow(MetricConflictError);
    expect(() => collector.defineGauge('queue_length', { aggregation: 'avg' as 'max' })).toThrow(ConfigError);
    expect(() => collector.defineGauge('queue_seconds', { unit: 'bytes' })).toThrow(InvalidNameError);
    expect(() => collector.defineGauge('queue.length')).toThrow(InvalidNameError);
    expect(observableState(collector)).toEqual(before);
    expect(collector.getGaugeValues()).toEqual({ queue_length: 12 });
  });

  it('keeps the unit of an existing metric when a re-definition leaves it out (found by fuzzing)', () => {
    const collector = unsampled();
    collector.recordBusinessMetric('revenue', 12.5, 'eur');
    const histogram = collector.registry.getMetric('revenue_eur');
    // The name announces no unit the collector infers, but the metric has one: eur.
    expect(collector.defineHistogram('revenue_eur')).toBe(histogram);
    expect(
      collector.defineHistogram('revenue_eur', { help: 'Business metric revenue (amounts in eur)' }),
    ).toBe(histogram);
    expect(() => collector.defineHistogram('revenue_eur', { help: 'Revenue' })).toThrow(MetricConflictError);
    expect(histogram?.unit).toBe('eur');
  });

  it('refuses a gauge named like the samples of a counter', () => {
    const collector = unsampled();
    collector.incrementCounter('orders');
    expect(() => collector.defineGauge('orders_total')).toThrow(MetricConflictError);
  });
});

describe('bufferedSampleCount', () => {
  it('counts the samples waiting for getCollectedMetrics(), and nothing after a drain', () => {
    const collector = unsampled();
    expect(collector.bufferedSampleCount).toBe(0);
    collector.incrementCounter('orders');
    collector.setGauge('queue_length', 2);
    collector.recordHistogramValue('latency_seconds', 0.1);
    collector.recordBusinessMetric('revenue', 3, 'eur');
    expect(collector.bufferedSampleCount).toBe(4);
    // Definitions and bound handles record no sample.
    collector.defineCounter('refunds');
    collector.counter('orders').add(5);
    expect(collector.bufferedSampleCount).toBe(4);
    expect(collector.getCollectedMetrics()).toHaveLength(4);
    expect(collector.bufferedSampleCount).toBe(0);
  });

  it('never exceeds bufferSize, and leaves out what sampling did not keep', () => {
    const full = getCustomCollector({ bufferSize: 3, maxSamplesPerSecond: false });
    for (let i = 0; i < 10; i++) full.incrementCounter('orders');
    expect(full.bufferedSampleCount).toBe(3);

    const sampled = getCustomCollector({ maxSamplesPerSecond: 5 });
    for (let i = 0; i < 1000; i++) sampled.incrementCounter('hot');
    const sampledOut = sampled.registry.self.samplesSampledOut.get({ collector: 'custom' }) ?? 0;
    expect(sampled.bufferedSampleCount).toBeLessThan(1000);
    expect(sampled.bufferedSampleCount + sampledOut).toBe(1000);
  });
});
