import { CounterSeries, GaugeSeries, HistogramSeries, serializePrometheus } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';

describe('bound handles (the hot-loop path)', () => {
  it('record into the same series as the seed-style calls', () => {
    const seed = getCustomCollector({ maxSamplesPerSecond: false });
    const bound = getCustomCollector({ maxSamplesPerSecond: false });
    const orders = bound.counter('orders', { region: 'eu' });
    const queue = bound.gauge('queue_length', { queue: 'main' });
    const latency = bound.histogram('checkout_latency_seconds', { route: '/pay' });
    expect(orders).toBeInstanceOf(CounterSeries);
    expect(queue).toBeInstanceOf(GaugeSeries);
    expect(latency).toBeInstanceOf(HistogramSeries);
    for (let i = 0; i < 100; i++) {
      const value = (i % 7) / 10;
      seed.incrementCounter('orders', i % 3, { region: 'eu' });
      orders.add(i % 3);
      seed.setGauge('queue_length', i, { queue: 'main' });
      queue.set(i);
      seed.recordHistogramValue('checkout_latency_seconds', value, { route: '/pay' });
      latency.observe(value);
    }
    const strip = (text: string) => text.replace(/^fw0_.*\n/gm, '');
    expect(strip(serializePrometheus(bound.registry.snapshot()))).toBe(
      strip(serializePrometheus(seed.registry.snapshot())),
    );
    expect(bound.getCounterValues()).toEqual({ 'orders{region="eu"}': 99 });
    // Handles update the aggregates only: no samples.
    expect(bound.getCollectedMetrics()).toEqual([]);
    expect(seed.getCollectedMetrics()).toHaveLength(300);
  });

  it('return one handle per series, whatever the key order, and stay valid across resetCounters', () => {
    const collector = getCustomCollector();
    const handle = collector.counter('hits', { page: 'home', lang: 'en' });
    expect(collector.counter('hits', { lang: 'en', page: 'home' })).toBe(handle);
    expect(collector.counter('hits_total', { lang: 'en', page: 'home' })).toBe(handle);
    handle.add(5);
    collector.resetCounters();
    expect(handle.value).toBe(0);
    handle.add(2);
    collector.incrementCounter('hits', 1, { page: 'home', lang: 'en' });
    expect(collector.getCounterValues()).toEqual({ 'hits{lang="en",page="home"}': 3 });
  });

  it('gauge handles set and add (negative deltas allowed)', () => {
    const collector = getCustomCollector();
    const inflight = collector.gauge('inflight_requests');
    inflight.add();
    inflight.add();
    inflight.add(-1);
    expect(collector.getGaugeValues()).toEqual({ inflight_requests: 1 });
    inflight.set(10);
    expect(collector.getGaugeValues()).toEqual({ inflight_requests: 10 });
  });

  it('histogram handles feed the quantile summary', () => {
    const collector = getCustomCollector();
    const handle = collector.histogram('payload_bytes');
    for (let size = 1; size <= 1000; size++) handle.observe(size);
    const summary = collector.getHistogramSummary('payload_bytes')!;
    expect(summary.cumulative.count).toBe(1000);
    expect(summary.cumulative.sum).toBe(500_500);
    expect(Math.abs(summary.cumulative.p99 - 990) / 990).toBeLessThanOrEqual(0.01);
    expect(collector.registry.getMetric('payload_bytes')?.unit).toBe('bytes');
  });
});
