import { MetricsRegistry, type MetricsServer, parseExposition, startMetricsServer } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { getCustomCollector } from './get-custom-collector.js';
import { QueueCollector } from './test-support/queue-collector.js';

describe('one /metrics for several collectors', () => {
  const registry = new MetricsRegistry();
  const shop = getCustomCollector({ registry, name: 'shop' });
  const billing = getCustomCollector({ registry, name: 'billing' });
  let queued = 0;
  const queue = new QueueCollector(() => queued, { registry });
  let server: MetricsServer;

  beforeAll(async () => {
    shop.incrementCounter('orders', 3, { region: 'eu' });
    shop.setGauge('open_carts', 12);
    shop.recordHistogramValue('checkout_latency_seconds', 0.42, { region: 'eu' });
    billing.recordBusinessMetric('revenue', 99.5, 'eur', { region: 'eu' }, { invoice: 'I-7' });
    billing.recordBusinessMetric('payment_time', 1500, 'milliseconds');
    queued = 17;
    server = await startMetricsServer(registry, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('serves every collector, refreshed, in Prometheus text that promtool accepts', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/plain;version=0.0.4' } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const families = new Map(parseExposition(text).families.map((family) => [family.name, family]));
    expect(families.get('orders_total')?.samples[0]).toMatchObject({ labels: { region: 'eu' }, value: 3 });
    expect(families.get('open_carts')?.samples[0]?.value).toBe(12);
    expect(families.get('work_queue_depth')?.samples[0]?.value).toBe(17);
    expect(families.get('revenue_eur')?.type).toBe('histogram');
    expect(
      families.get('payment_time_seconds')?.samples.find((sample) => sample.name.endsWith('_sum'))?.value,
    ).toBe(1.5);
    // Registered collectors were all refreshed for this scrape.
    const refreshed = families
      .get('fw0_collector_refresh_duration_seconds')
      ?.samples.map((s) => s.labels.collector);
    expect(refreshed).toEqual(['queue']);
    expect(registry.collectors).toEqual([shop, billing, queue]);
    const lint = promtoolCheckMetrics(text);
    expect(lint.findings).toEqual([]);
    expect(lint.code).toBe(0);
  });

  it('serves OpenMetrics with # UNIT for the currency and the converted time', async () => {
    const response = await fetch(server.url, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0' },
    });
    const parsed = parseExposition(await response.text());
    expect(parsed.eof).toBe(true);
    const units = Object.fromEntries(parsed.families.map((family) => [family.name, family.unit]));
    expect(units.revenue_eur).toBe('eur');
    expect(units.payment_time_seconds).toBe('seconds');
    expect(units.checkout_latency_seconds).toBe('seconds');
    expect(units.orders).toBeUndefined();
  });

  it('keeps each collector to its own samples and values', () => {
    expect(shop.getCollectedMetrics().map((sample) => sample.name)).toEqual([
      'orders',
      'open_carts',
      'checkout_latency_seconds',
    ]);
    const billed = billing.getCollectedMetrics();
    expect(billed.map((sample) => [sample.name, sample.unit])).toEqual([
      ['revenue', 'eur'],
      ['payment_time', 'milliseconds'],
    ]);
    expect(billed[0]?.context).toEqual({ invoice: 'I-7' });
    expect(billing.getCounterValues()).toEqual({});
    expect(shop.getGaugeValues()).toEqual({ open_carts: 12 });
  });
});
