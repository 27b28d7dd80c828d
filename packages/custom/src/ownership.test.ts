import { InvalidNameError, MetricConflictError, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';
import { observableState } from './test-support/state.js';

/**
 * Regression: `resetCounters()` zeroed counters that were not the collector's. A counter of the
 * registry recorded into once by the collector became "its" counter, so a reset erased counts
 * made by others (a foreign `foreign_events_total` at 3 read 0 afterwards; collector "billing"
 * zeroed collector "shop"'s `orders`). A collector now records only into metrics it defined.
 */
describe('a collector records only into its own metrics (resetCounters regression)', () => {
  it('refuses a counter of the registry it did not define, so its reset cannot zero it', () => {
    const registry = new MetricsRegistry();
    const collector = getCustomCollector({ registry, maxSamplesPerSecond: false });
    const foreign = registry.counter({ name: 'foreign_events_total', help: 'Events counted elsewhere' });
    foreign.add(3);
    collector.incrementCounter('orders', 2);
    const before = observableState(collector);
    for (const name of ['foreign_events', 'foreign_events_total']) {
      expect(() => collector.incrementCounter(name)).toThrow(MetricConflictError);
      expect(() => collector.counter(name)).toThrow(MetricConflictError);
      expect(() => collector.defineCounter(name, { help: 'Events counted elsewhere' })).toThrow(
        MetricConflictError,
      );
    }
    expect(() => collector.incrementCounter('foreign_events')).toThrow(/did not define/);
    expect(observableState(collector)).toEqual(before);
    collector.resetCounters();
    expect(foreign.get()).toBe(3);
    expect(collector.getCounterValues()).toEqual({ orders: 0 });
  });

  it('keeps two collectors of one registry apart: billing cannot record into, or reset, shop orders', () => {
    const registry = new MetricsRegistry();
    const shop = getCustomCollector({ registry, name: 'shop', maxSamplesPerSecond: false });
    const billing = getCustomCollector({ registry, name: 'billing', maxSamplesPerSecond: false });
    shop.incrementCounter('orders', 5, { region: 'eu' });
    billing.incrementCounter('invoices', 2);
    expect(() => billing.incrementCounter('orders', 1, { region: 'eu' })).toThrow(MetricConflictError);
    expect(() => billing.incrementCounter('orders_total')).toThrow(MetricConflictError);
    billing.resetCounters();
    expect(shop.getCounterValues()).toEqual({ 'orders{region="eu"}': 5 });
    expect(billing.getCounterValues()).toEqual({ invoices: 0 });
    // And the other way round: shop's reset leaves billing's invoices alone.
    billing.incrementCounter('invoices', 4);
    shop.resetCounters();
    expect(billing.getCounterValues()).toEqual({ invoices: 4 });
    expect(shop.getCounterValues()).toEqual({ 'orders{region="eu"}': 0 });
    // Each collector lists its own counters only.
    expect(Object.keys(billing.getCounterValues())).toEqual(['invoices']);
  });

  it("refuses another owner's gauges, histograms and business metrics too", () => {
    const registry = new MetricsRegistry();
    const shop = getCustomCollector({ registry, name: 'shop' });
    const billing = getCustomCollector({ registry, name: 'billing' });
    shop.setGauge('open_carts', 4);
    shop.recordHistogramValue('checkout_latency_seconds', 0.2);
    shop.recordBusinessMetric('revenue', 10, 'eur');
    registry.gauge({ name: 'pool_size', help: 'Set by the application' }).set(8);
    const calls: [string, () => unknown][] = [
      ['setGauge', () => billing.setGauge('open_carts', 1)],
      ['defineGauge', () => billing.defineGauge('pool_size')],
      ['gauge()', () => billing.gauge('pool_size')],
      ['recordHistogramValue', () => billing.recordHistogramValue('checkout_latency_seconds', 1)],
      ['histogram()', () => billing.histogram('checkout_latency_seconds')],
      ['recordBusinessMetric', () => billing.recordBusinessMetric('revenue', 1, 'eur')],
      ['defineBusinessMetric', () => billing.defineBusinessMetric('revenue', { unit: 'eur' })],
    ];
    const before = observableState(billing);
    for (const [what, call] of calls) expect(call, what).toThrow(MetricConflictError);
    expect(observableState(billing)).toEqual(before);
    expect(registry.getMetric('pool_size')?.type).toBe('gauge');
    expect(shop.getGaugeValues()).toEqual({ open_carts: 4 });
  });

  it('refuses the fw0_ prefix of self-metrics, so they can never be recorded into or reset', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 1 });
    const collector = getCustomCollector({ registry });
    const before = observableState(collector);
    expect(() => collector.incrementCounter('fw0_series_overflow')).toThrow(InvalidNameError);
    expect(() => collector.incrementCounter('fw0_samples_sampled_out_total')).toThrow(/reserved/);
    expect(() => collector.setGauge('fw0_anything', 1)).toThrow(InvalidNameError);
    expect(() => collector.recordBusinessMetric('fw0_revenue', 1, 'eur')).toThrow(InvalidNameError);
    expect(() => collector.defineHistogram('fw0_scrape_duration_seconds')).toThrow(InvalidNameError);
    expect(observableState(collector)).toEqual(before);
    // The registry's own bookkeeping still works: an overflow is counted, not thrown.
    collector.incrementCounter('hits', 1, { shard: 'a' });
    collector.incrementCounter('hits', 1, { shard: 'b' });
    expect(registry.self.seriesOverflow.get({ metric: 'hits_total' })).toBe(1);
    collector.resetCounters();
    expect(registry.self.seriesOverflow.get({ metric: 'hits_total' })).toBe(1);
  });

  it('still adopts its own metrics under either counter spelling and after a definition', () => {
    const collector = getCustomCollector({ maxSamplesPerSecond: false });
    collector.defineCounter('orders', { help: 'Orders placed' });
    collector.incrementCounter('orders_total', 2);
    collector.incrementCounter('orders', 1);
    collector.recordBusinessMetric('revenue', 10, 'eur');
    // The business metric's histogram is the collector's own: recordable by its exposed name.
    collector.recordHistogramValue('revenue_eur', 5);
    expect(collector.getCounterValues()).toEqual({ orders: 3 });
    expect(collector.getBusinessMetricSummary('revenue')?.cumulative.sum).toBe(15);
  });
});
