import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { startPrometheus, type TestPrometheus } from '../../../test-support/prometheus.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';

describe('a real Prometheus scrapes the demo', () => {
  let demo: RunningDemo;
  let prometheus: TestPrometheus;
  beforeAll(async () => {
    demo = await startDemo();
    prometheus = await startPrometheus([{ job: 'fw0-demo', address: new URL(demo.url).host }]);
    // At least three scrapes (one a second), all successful.
    await waitFor(
      'three successful scrapes of the demo',
      async () => {
        const up = await prometheus.query(
          'count_over_time(up{job="fw0-demo"}[1m]) >= 3 and up{job="fw0-demo"} == 1',
        );
        return up.length === 1;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    await demo?.stop();
  });

  it("returns the demo's counters", async () => {
    const orders = await prometheus.query('sum(shop_orders_total)');
    expect(Number(orders[0]!.value[1])).toBeGreaterThan(0);
    const byCountry = await prometheus.query('shop_orders_total');
    expect(byCountry.map((row) => row.metric.country).sort()).toEqual(['de', 'fr', 'jp', 'us']);
  });

  it('computes histogram_quantile over the timer buckets', async () => {
    const rows = await prometheus.query(
      'histogram_quantile(0.99, sum by (le) (rate(shop_checkout_duration_seconds_bucket[30s])))',
    );
    expect(rows).toHaveLength(1);
    const p99 = Number(rows[0]!.value[1]);
    expect(Number.isFinite(p99)).toBe(true);
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(10);
  });

  it('computes node_cpu_seconds_total rates per cpu and mode', async () => {
    const rows = await prometheus.query('rate(node_cpu_seconds_total{mode="idle"}[30s])');
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const row of rows) {
      const idle = Number(row.value[1]);
      // Seconds of idle per second, per core: between 0 and 1 (a little slack for clock skew).
      expect(idle).toBeGreaterThanOrEqual(0);
      expect(idle).toBeLessThanOrEqual(1.05);
    }
    expect(new Set(rows.map((row) => row.metric.cpu)).size).toBe(rows.length);
  });
});
