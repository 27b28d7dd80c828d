import { type DistributionSummary, ManualClock, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { exactQuantile, lognormalSamples, relativeError } from '../../../test-support/random.js';
import { getCustomCollector } from './get-custom-collector.js';

const QUANTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
] as const;

/** Relative accuracy core's sketch guarantees for quantiles (1%), plus float slack. */
const ACCURACY = 0.01 + 1e-9;

function expectMatches(summary: DistributionSummary, values: readonly number[]): void {
  expect(summary.count).toBe(values.length);
  const sum = values.reduce((total, value) => total + value, 0);
  const sorted = [...values].sort((a, b) => a - b);
  expect(relativeError(summary.sum, sum)).toBeLessThan(1e-9);
  expect(relativeError(summary.mean, sum / values.length)).toBeLessThan(1e-9);
  for (const [field, q] of QUANTILES) {
    expect(relativeError(summary[field], exactQuantile(sorted, q)), `${field}`).toBeLessThanOrEqual(ACCURACY);
  }
}

describe('getHistogramSummary', () => {
  it('answers count, sum, min, max, mean and p50..p99.9 within 1% per tag set', () => {
    const collector = getCustomCollector();
    const fast = Array.from(lognormalSamples(20_000, Math.log(0.05), 0.6, 1));
    const slow = Array.from(lognormalSamples(5_000, Math.log(0.8), 1.1, 2));
    for (const value of fast)
      collector.recordHistogramValue('checkout_latency_seconds', value, { route: 'fast' });
    for (const value of slow)
      collector.recordHistogramValue('checkout_latency_seconds', value, { route: 'slow' });
    const summaryFast = collector.getHistogramSummary('checkout_latency_seconds', { route: 'fast' })!;
    const summarySlow = collector.getHistogramSummary('checkout_latency_seconds', { route: 'slow' })!;
    expectMatches(summaryFast.cumulative, fast);
    expectMatches(summarySlow.cumulative, slow);
    expect(summaryFast.cumulative.min).toBe(Math.min(...fast));
    expect(summaryFast.cumulative.max).toBe(Math.max(...fast));
    // Everything was recorded within the window (the coarse clock moves at most a few seconds here).
    expectMatches(summaryFast.window, fast);
  });

  it('keeps the sliding window to the recent values and the cumulative summary to all of them', () => {
    const clock = new ManualClock();
    const collector = getCustomCollector({ registry: new MetricsRegistry({ clock }) });
    const old = Array.from(lognormalSamples(3000, Math.log(0.01), 0.3, 3));
    const recent = Array.from(lognormalSamples(2000, Math.log(2), 0.3, 4));
    for (const value of old) collector.recordHistogramValue('job_duration_seconds', value);
    // The default window is 60 s in 3 slices of 20 s: 80 s later the old values have left it.
    clock.advance(80);
    for (const value of recent) collector.recordHistogramValue('job_duration_seconds', value);
    const summary = collector.getHistogramSummary('job_duration_seconds')!;
    expectMatches(summary.window, recent);
    expectMatches(summary.cumulative, [...old, ...recent]);
    clock.advance(120);
    const later = collector.getHistogramSummary('job_duration_seconds')!;
    expect(later.window.count).toBe(0);
    expect(Number.isNaN(later.window.p99)).toBe(true);
    expect(later.cumulative.count).toBe(old.length + recent.length);
  });

  it('honours the window of defineHistogram', () => {
    const clock = new ManualClock();
    const collector = getCustomCollector({ registry: new MetricsRegistry({ clock }) });
    collector.defineHistogram('poll_seconds', { windowSeconds: 10, windowSlices: 2 });
    collector.recordHistogramValue('poll_seconds', 1);
    clock.advance(12);
    collector.recordHistogramValue('poll_seconds', 3);
    collector.recordHistogramValue('poll_seconds', 3);
    const summary = collector.getHistogramSummary('poll_seconds')!;
    expect(summary.window.count).toBe(2);
    expect(summary.window.sum).toBe(6);
    expect(summary.cumulative.count).toBe(3);
  });

  it('is undefined for a name or tag set the collector has not recorded', () => {
    const collector = getCustomCollector();
    collector.recordHistogramValue('basket_items', 3, { shop: 'eu' });
    expect(collector.getHistogramSummary('unknown_metric')).toBeUndefined();
    expect(collector.getHistogramSummary('basket_items', { shop: 'us' })).toBeUndefined();
    expect(collector.getHistogramSummary('basket_items')).toBeUndefined();
    expect(collector.getBusinessMetricSummary('basket_items')).toBeUndefined();
  });

  it('regression: window min above max when every windowed value sits in one sketch bin', () => {
    // Core's window summary clamps its bin-based extremes to the exact cumulative ones, which can
    // cross (one 0.12 gave window min 0.12, max 0.11905). The collector's summary stays ordered.
    for (const values of [[0.12], [7200], [0.12, 0.1201], [5, 5, 5]]) {
      const collector = getCustomCollector();
      for (const value of values) collector.recordHistogramValue('wait_seconds', value);
      const { window, cumulative } = collector.getHistogramSummary('wait_seconds')!;
      expect(window.count).toBe(values.length);
      expect(window.min).toBeLessThanOrEqual(window.max);
      for (const [field] of QUANTILES) {
        expect(window[field]).toBeGreaterThanOrEqual(window.min);
        expect(window[field]).toBeLessThanOrEqual(window.max);
      }
      expect(relativeError(window.min, cumulative.min)).toBeLessThanOrEqual(ACCURACY);
      expect(relativeError(window.max, cumulative.max)).toBeLessThanOrEqual(ACCURACY);
      if (values.length === 1) expect(window).toEqual(cumulative);
    }
  });
});
