import { InvalidValueError, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';
import { COUNTER_INCREMENT_AT_RISK, HISTOGRAM_SUM_LIMIT, OBSERVATION_AT_RISK } from './sum-guard.js';
import { observableState } from './test-support/state.js';

const MAX = Number.MAX_VALUE;
const unsampled = () => getCustomCollector({ maxSamplesPerSecond: false });

/**
 * Regression: finite increments added up to an infinite counter total (two
 * `incrementCounter('orders', Number.MAX_VALUE)` gave +Inf, for good). Totals and sums now stay
 * finite: the record that would break them is refused before anything changes.
 */
describe('counter totals stay finite', () => {
  it('refuses the increment that would make the total infinite, changing nothing and recording no sample', () => {
    const collector = unsampled();
    collector.incrementCounter('orders', MAX);
    collector.incrementCounter('orders', 1, { region: 'eu' });
    const before = observableState(collector);
    expect(() => collector.incrementCounter('orders', MAX)).toThrow(InvalidValueError);
    expect(() => collector.incrementCounter('orders', MAX)).toThrow(/would become infinite/);
    expect(observableState(collector)).toEqual(before);
    expect(collector.getCounterValues()).toEqual({ orders: MAX, 'orders{region="eu"}': 1 });
    expect(collector.bufferedSampleCount).toBe(2);
    // Another series of the same counter has room.
    collector.incrementCounter('orders', MAX, { region: 'eu' });
    expect(collector.getCounterValues()['orders{region="eu"}']).toBe(MAX);
  });

  it('accepts every increment below 2^970, which cannot overflow whatever the total', () => {
    const collector = unsampled();
    collector.incrementCounter('orders', MAX);
    const below = COUNTER_INCREMENT_AT_RISK * (1 - 2 ** -52);
    collector.incrementCounter('orders', below);
    expect(collector.getCounterValues()).toEqual({ orders: MAX });
    expect(MAX + COUNTER_INCREMENT_AT_RISK).toBe(Number.POSITIVE_INFINITY);
    expect(() => collector.incrementCounter('orders', COUNTER_INCREMENT_AT_RISK)).toThrow(InvalidValueError);
  });

  it('guards the overflow series without counting a refused record as overflowed', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1 });
    const collector = getCustomCollector({ registry, maxSamplesPerSecond: false });
    collector.incrementCounter('hits', 1, { shard: 'a' });
    collector.incrementCounter('hits', MAX, { shard: 'b' });
    const before = observableState(collector);
    const overflowed = registry.self.seriesOverflow.get({ metric: 'hits_total' });
    expect(() => collector.incrementCounter('hits', MAX, { shard: 'c' })).toThrow(InvalidValueError);
    expect(observableState(collector)).toEqual(before);
    expect(registry.self.seriesOverflow.get({ metric: 'hits_total' })).toBe(overflowed);
    expect(collector.getCounterValues()).toEqual({ 'hits{shard="a"}': 1, 'hits{fw0_overflow="true"}': MAX });
  });

  it('refuses a bad tag before looking at the total', () => {
    const collector = unsampled();
    collector.incrementCounter('orders', MAX);
    expect(() => collector.incrementCounter('orders', MAX, { 'bad-label': 'x' })).toThrow(/bad-label/);
  });
});

describe('histogram sums stay within half the double range', () => {
  it('refuses the observation that would take the sum beyond ±MAX_VALUE / 2, changing nothing', () => {
    const collector = unsampled();
    collector.recordHistogramValue('payload_bytes', 8e307);
    collector.recordHistogramValue('drift', -8e307, { probe: 'a' });
    const before = observableState(collector);
    expect(() => collector.recordHistogramValue('payload_bytes', 1e307)).toThrow(InvalidValueError);
    expect(() => collector.recordHistogramValue('drift', -1e307, { probe: 'a' })).toThrow(/beyond/);
    expect(() => collector.recordHistogramValue('fresh', MAX)).toThrow(InvalidValueError);
    expect(observableState(collector)).toEqual(before);
    // A refused first record leaves no metric behind.
    expect(collector.registry.getMetric('fresh')).toBeUndefined();
    expect(() => collector.recordBusinessMetric('fresh_amount', 1e308, 'eur')).toThrow(InvalidValueError);
    expect(collector.registry.getMetric('fresh_amount_eur')).toBeUndefined();
    // Values that bring the sum back are fine, and the sum is exact.
    collector.recordHistogramValue('payload_bytes', -8e307);
    expect(collector.getHistogramSummary('payload_bytes')?.cumulative.sum).toBe(0);
  });

  it('keeps window sums finite: the largest swing between two sums is MAX_VALUE', () => {
    const collector = unsampled();
    collector.recordHistogramValue('swing', -HISTOGRAM_SUM_LIMIT);
    collector.recordHistogramValue('swing', HISTOGRAM_SUM_LIMIT);
    collector.recordHistogramValue('swing', HISTOGRAM_SUM_LIMIT);
    const summary = collector.getHistogramSummary('swing')!;
    expect(summary.cumulative.sum).toBe(HISTOGRAM_SUM_LIMIT);
    expect(Number.isFinite(summary.window.sum)).toBe(true);
    expect(HISTOGRAM_SUM_LIMIT - -HISTOGRAM_SUM_LIMIT).toBeLessThanOrEqual(MAX);
  });

  it('accepts every observation smaller than 2^969, which cannot cross the limit', () => {
    const collector = unsampled();
    collector.recordHistogramValue('edge', HISTOGRAM_SUM_LIMIT);
    collector.recordHistogramValue('edge', OBSERVATION_AT_RISK * (1 - 2 ** -52));
    expect(collector.getHistogramSummary('edge')?.cumulative.sum).toBe(HISTOGRAM_SUM_LIMIT);
    expect(() => collector.recordHistogramValue('edge', OBSERVATION_AT_RISK)).toThrow(InvalidValueError);
  });

  it('applies to business metrics in their base unit', () => {
    const collector = unsampled();
    collector.recordBusinessMetric('stored', 8e298, 'gibibytes'); // 8.6e307 bytes
    const before = observableState(collector);
    expect(() => collector.recordBusinessMetric('stored', 1e298, 'gibibytes')).toThrow(InvalidValueError);
    expect(() => collector.recordBusinessMetric('stored', 5e306, 'bytes')).toThrow(InvalidValueError);
    expect(observableState(collector)).toEqual(before);
    collector.recordBusinessMetric('stored', 1, 'kibibytes');
    expect(collector.getBusinessMetricSummary('stored')?.cumulative.count).toBe(2);
  });
});

describe('gauges hold the last value, never a sum', () => {
  it('takes MAX_VALUE as often as it is set', () => {
    const collector = unsampled();
    collector.setGauge('level', MAX);
    collector.setGauge('level', MAX);
    collector.setGauge('level', -MAX);
    expect(collector.getGaugeValues()).toEqual({ level: -MAX });
  });
});
