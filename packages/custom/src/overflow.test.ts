import {
  InvalidLabelError,
  MetricsRegistry,
  OVERFLOW_LABELS,
  parseExposition,
  serializePrometheus,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';
import { SERIES_OVERFLOW_METRIC } from './names.js';

describe('series limit and overflow', () => {
  it('sends tag sets past maxSeriesPerMetric to one overflow series, counted; totals stay exact', () => {
    const collector = getCustomCollector({ maxSeriesPerMetric: 3, maxSamplesPerSecond: false });
    const users = 10;
    for (let i = 0; i < users; i++) collector.incrementCounter('logins', 1, { user: `u${i}` });
    collector.incrementCounter('logins', 5, { user: 'u0' });
    const values = collector.getCounterValues();
    expect(values).toEqual({
      'logins{user="u0"}': 6,
      'logins{user="u1"}': 1,
      'logins{user="u2"}': 1,
      'logins{fw0_overflow="true"}': 7,
    });
    expect(Object.values(values).reduce((sum, value) => sum + value, 0)).toBe(users + 5);
    expect(collector.registry.self.seriesOverflow.get({ metric: 'logins_total' })).toBe(7);
    const text = serializePrometheus(collector.registry.snapshot());
    expect(text).toContain('logins_total{fw0_overflow="true"} 7\n');
    expect(text).toContain(`${SERIES_OVERFLOW_METRIC}{metric="logins_total"} 7\n`);
  });

  it('keeps the caller tags on the samples of overflowed records', () => {
    const collector = getCustomCollector({ maxSeriesPerMetric: 1, maxSamplesPerSecond: false });
    collector.setGauge('session_age_seconds', 1, { session: 'a' });
    const overflowed = collector.setGauge('session_age_seconds', 2, { session: 'b', node: 7 });
    expect(overflowed.tags).toEqual({ node: '7', session: 'b' });
    expect(Object.keys(overflowed.tags)).toEqual(['node', 'session']);
    expect(collector.getGaugeValues()).toEqual({
      'session_age_seconds{session="a"}': 1,
      'session_age_seconds{fw0_overflow="true"}': 2,
    });
  });

  it('applies to histograms and business metrics too', () => {
    const collector = getCustomCollector({ maxSeriesPerMetric: 2, maxSamplesPerSecond: false });
    for (let i = 0; i < 6; i++) collector.recordBusinessMetric('revenue', 10, 'eur', { customer: `c${i}` });
    for (let i = 0; i < 4; i++) collector.recordHistogramValue('wait_seconds', 0.5, { job: `j${i}` });
    const families = parseExposition(serializePrometheus(collector.registry.snapshot())).families;
    const count = (family: string, labels: Record<string, string>) =>
      families
        .find((candidate) => candidate.name === family)
        ?.samples.find(
          (sample) =>
            sample.name === `${family}_count` &&
            Object.entries(labels).every(([name, value]) => sample.labels[name] === value),
        )?.value;
    expect(count('revenue_eur', OVERFLOW_LABELS)).toBe(4);
    expect(count('revenue_eur', { customer: 'c1' })).toBe(1);
    expect(count('wait_seconds', OVERFLOW_LABELS)).toBe(2);
    // The overflow label is reserved: no caller tag set can name the overflow series.
    expect(() => collector.getBusinessMetricSummary('revenue', OVERFLOW_LABELS)).toThrow(InvalidLabelError);
    expect(collector.getBusinessMetricSummary('revenue', { customer: 'c5' })).toBeUndefined();
    expect(collector.registry.self.seriesOverflow.get({ metric: 'revenue_eur' })).toBe(4);
  });

  it('uses the registry limit when the collector sets none', () => {
    const registry = new MetricsRegistry({ maxSeriesPerMetric: 2 });
    const collector = getCustomCollector({ registry, maxSamplesPerSecond: false });
    for (let i = 0; i < 5; i++) collector.incrementCounter('jobs', 1, { id: i });
    expect(collector.getCounterValues()['jobs{fw0_overflow="true"}']).toBe(3);
  });

  it('gives a bound handle of an overflowed tag set the overflow series', () => {
    const collector = getCustomCollector({ maxSeriesPerMetric: 1 });
    collector.counter('hits', { page: 'home' }).add();
    const overflow = collector.counter('hits', { page: 'about' });
    expect(overflow.labels).toEqual(OVERFLOW_LABELS);
    overflow.add(3);
    expect(collector.getCounterValues()).toEqual({ 'hits{page="home"}': 1, 'hits{fw0_overflow="true"}': 3 });
  });
});
