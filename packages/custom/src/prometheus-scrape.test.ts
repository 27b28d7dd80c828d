import { MetricsRegistry, type MetricsServer, SECONDS_BUCKETS, startMetricsServer } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { startPrometheus, type TestPrometheus } from '../../../test-support/prometheus.js';
import { lognormalSamples } from '../../../test-support/random.js';
import { getCustomCollector } from './get-custom-collector.js';
import { QueueCollector } from './test-support/queue-collector.js';

type Row = { metric: Record<string, string>; value: [number, string] };

describe('a real Prometheus scrapes the custom collector beside another collector', () => {
  const registry = new MetricsRegistry();
  const collector = getCustomCollector({ registry, maxSeriesPerMetric: 3 });
  new QueueCollector(() => 4, { registry });
  const latencies = Array.from(lognormalSamples(2000, Math.log(0.12), 0.7, 7));
  let server: MetricsServer;
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    collector.incrementCounter('orders', 41, { region: 'eu' });
    collector.incrementCounter('orders', 1, { region: 'eu' });
    for (const [index, region] of ['us', 'apac', 'latam', 'africa'].entries())
      collector.incrementCounter('orders', index + 1, { region });
    for (const amount of [19.99, 5.01, 75]) collector.recordBusinessMetric('revenue', amount, 'eur');
    for (const latency of latencies) collector.recordHistogramValue('checkout_latency_seconds', latency);
    server = await startMetricsServer(registry, { port: 0, host: '127.0.0.1' });
    prometheus = await startPrometheus([{ job: 'shop', address: `127.0.0.1:${server.port}` }]);
    await waitFor(
      'two successful scrapes',
      async () =>
        (await prometheus.query('count_over_time(up{job="shop"}[1m]) >= 2 and up == 1')).length === 1,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  const byLabel = (rows: Row[], label: string) =>
    Object.fromEntries(rows.map((row) => [row.metric[label] ?? '', Number(row.value[1])]));

  it('stores counters with _total, the overflow series and its self-metric', async () => {
    const orders = byLabel(await prometheus.query('orders_total'), 'region');
    expect(orders).toEqual({ eu: 42, us: 1, apac: 2, '': 7 });
    const overflowRows = await prometheus.query('orders_total{fw0_overflow="true"}');
    expect(overflowRows.map((row) => Number(row.value[1]))).toEqual([7]);
    const counted = await prometheus.query('fw0_series_overflow_total{metric="orders_total"}');
    expect(counted.map((row) => Number(row.value[1]))).toEqual([2]);
    const other = await prometheus.query('work_queue_depth');
    expect(other.map((row) => Number(row.value[1]))).toEqual([4]);
  });

  it('stores the business metric as revenue_eur_sum / _count with its unit in the metadata', async () => {
    const [sum] = await prometheus.query('revenue_eur_sum');
    const [count] = await prometheus.query('revenue_eur_count');
    expect(Number(sum?.value[1])).toBeCloseTo(100, 9);
    expect(Number(count?.value[1])).toBe(3);
    const response = await fetch(`${prometheus.url}/api/v1/metadata?metric=revenue_eur`);
    const body = (await response.json()) as { data: Record<string, { type: string; unit: string }[]> };
    expect(body.data.revenue_eur?.[0]).toMatchObject({ type: 'histogram', unit: 'eur' });
  });

  it("puts PromQL's histogram_quantile(0.99) in the same bucket as the collector's p99", async () => {
    const [row] = await prometheus.query('histogram_quantile(0.99, checkout_latency_seconds_bucket)');
    const promql = Number(row?.value[1]);
    const p99 = collector.getHistogramSummary('checkout_latency_seconds')!.cumulative.p99;
    const bucketOf = (value: number) => SECONDS_BUCKETS.findIndex((bound) => value <= bound);
    expect(Number.isFinite(promql)).toBe(true);
    expect(bucketOf(promql)).toBe(bucketOf(p99));
  });
});
