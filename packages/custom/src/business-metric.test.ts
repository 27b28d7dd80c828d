import {
  MetricConflictError,
  MetricUnit,
  parseExposition,
  serializeOpenMetrics,
  serializePrometheus,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';

const unsampled = () => getCustomCollector({ maxSamplesPerSecond: false });

describe('recordBusinessMetric', () => {
  it('keeps the unit and the context on the sample, and the tags as labels', () => {
    const collector = unsampled();
    const context = { orderId: 'A-1001', items: [{ sku: 'X1', quantity: 2 }], coupon: null };
    const sample = collector.recordBusinessMetric('revenue', 12.5, 'EUR', { region: 'eu' }, context);
    expect(sample).toMatchObject({
      name: 'revenue',
      value: 12.5,
      type: 'histogram',
      unit: 'eur',
      tags: { region: 'eu' },
      context,
    });
    expect(collector.getCollectedMetrics()).toEqual([sample]);
    // The sample holds a copy: later changes to the caller's object do not reach it.
    context.orderId = 'changed';
    expect(sample.context?.orderId).toBe('A-1001');
    expect(Object.isFrozen(sample.context)).toBe(true);
    // JSON in, JSON out.
    expect(JSON.parse(JSON.stringify(sample)).context).toEqual({ ...context, orderId: 'A-1001' });
  });

  it('never turns the context into labels', () => {
    const collector = unsampled();
    for (let i = 0; i < 50; i++)
      collector.recordBusinessMetric('revenue', i, 'eur', { region: 'eu' }, { orderId: `o-${i}` });
    const text = serializePrometheus(collector.registry.snapshot());
    expect(text).not.toContain('orderId');
    expect(text).not.toContain('o-49');
    expect(collector.registry.getMetric('revenue_eur')?.seriesCount).toBe(1);
  });

  it('aggregates amounts in a currency as a histogram named with the unit: total, count and distribution', () => {
    const collector = unsampled();
    const amounts = [12.5, 40, 7.25, 100];
    for (const amount of amounts) collector.recordBusinessMetric('revenue', amount, 'eur', { region: 'eu' });
    const prometheus = parseExposition(serializePrometheus(collector.registry.snapshot()));
    const family = prometheus.families.find((candidate) => candidate.name === 'revenue_eur')!;
    expect(family.type).toBe('histogram');
    const value = (name: string) => family.samples.find((sample) => sample.name === name)?.value;
    expect(value('revenue_eur_sum')).toBe(159.75);
    expect(value('revenue_eur_count')).toBe(4);
    const openMetrics = parseExposition(serializeOpenMetrics(collector.registry.snapshot()));
    expect(openMetrics.families.find((candidate) => candidate.name === 'revenue_eur')?.unit).toBe('eur');
    const summary = collector.getBusinessMetricSummary('revenue', { region: 'eu' })!;
    expect(summary.name).toBe('revenue_eur');
    expect(summary.unit).toBe('eur');
    expect(summary.cumulative).toMatchObject({ count: 4, sum: 159.75, min: 7.25, max: 100 });
  });

  it('converts time and size units to seconds and bytes, named _seconds and _bytes', () => {
    const collector = unsampled();
    const hours = collector.recordBusinessMetric('fulfilment_time', 2, MetricUnit.HOURS);
    collector.recordBusinessMetric('fulfilment_time', 30, MetricUnit.MINUTES);
    collector.recordBusinessMetric('upload_size', 1.5, MetricUnit.KIBIBYTES);
    collector.recordBusinessMetric('conversion', 12, MetricUnit.PERCENT);
    expect(hours).toMatchObject({ value: 2, unit: 'hours' });
    const fulfilment = collector.getBusinessMetricSummary('fulfilment_time')!;
    expect(fulfilment).toMatchObject({ name: 'fulfilment_time_seconds', unit: 'seconds' });
    expect(fulfilment.cumulative.sum).toBe(2 * 3600 + 30 * 60);
    expect(collector.getBusinessMetricSummary('upload_size')).toMatchObject({
      name: 'upload_size_bytes',
      unit: 'bytes',
    });
    expect(collector.getBusinessMetricSummary('upload_size')?.cumulative.sum).toBe(1536);
    expect(collector.getBusinessMetricSummary('conversion')?.cumulative.sum).toBeCloseTo(0.12, 12);
    const families = parseExposition(serializeOpenMetrics(collector.registry.snapshot())).families;
    const units = Object.fromEntries(families.map((family) => [family.name, family.unit]));
    expect(units).toMatchObject({
      fulfilment_time_seconds: 'seconds',
      upload_size_bytes: 'bytes',
      conversion_ratio: 'ratio',
    });
  });

  it('counts plain business events (unit count) under the bare name', () => {
    const collector = unsampled();
    const sample = collector.recordBusinessMetric('items_per_order', 3);
    collector.recordBusinessMetric('items_per_order', 5);
    expect(sample.unit).toBe('count');
    expect(collector.getBusinessMetricSummary('items_per_order')).toMatchObject({
      name: 'items_per_order',
      unit: 'count',
    });
    expect(serializePrometheus(collector.registry.snapshot())).toContain('items_per_order_sum 8\n');
  });

  it('refuses a unit change on an existing business metric, changing nothing', () => {
    const collector = unsampled();
    collector.recordBusinessMetric('revenue', 10, 'eur');
    const before = serializeOpenMetrics(collector.registry.snapshot());
    for (const unit of ['usd', MetricUnit.SECONDS, MetricUnit.COUNT]) {
      expect(() => collector.recordBusinessMetric('revenue', 1, unit)).toThrow(MetricConflictError);
    }
    expect(() => collector.recordBusinessMetric('revenue', 1, 'usd')).toThrow(
      /"revenue" is recorded in eur; it cannot change to usd/,
    );
    expect(serializeOpenMetrics(collector.registry.snapshot())).toBe(before);
    expect(collector.getCollectedMetrics()).toHaveLength(1);
  });

  it('uses the unit and buckets of defineBusinessMetric', () => {
    const collector = unsampled();
    const histogram = collector.defineBusinessMetric('basket_value', {
      unit: 'usd',
      buckets: [10, 50, 100],
      help: 'Value of baskets at checkout',
    });
    expect(histogram.name).toBe('basket_value_usd');
    for (const value of [5, 20, 60, 500]) collector.recordBusinessMetric('basket_value', value, 'usd');
    expect(Array.from(histogram.bind().bucketCounts)).toEqual([1, 1, 1, 1]);
    expect(serializeOpenMetrics(collector.registry.snapshot())).toContain(
      '# HELP basket_value_usd Value of baskets at checkout\n',
    );
    expect(() => collector.recordBusinessMetric('basket_value', 1, 'eur')).toThrow(MetricConflictError);
  });

  it('shares the histogram with recordHistogramValue under the exposed name', () => {
    const collector = unsampled();
    collector.recordBusinessMetric('checkout_time', 250, MetricUnit.MILLISECONDS);
    collector.recordHistogramValue('checkout_time_seconds', 0.75);
    const summary = collector.getHistogramSummary('checkout_time_seconds')!;
    expect(summary.cumulative.count).toBe(2);
    expect(summary.cumulative.sum).toBe(1);
  });
});
