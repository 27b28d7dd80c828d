import { MetricsRegistry, type MetricsServer, silentLogger, startMetricsServer } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { startPrometheus, type TestPrometheus } from '../../../test-support/prometheus.js';
import { ApplicationMetricsCollector } from './collector.js';

describe('a real Prometheus scrapes the application metrics', () => {
  const registry = new MetricsRegistry({ logger: silentLogger });
  const app = new ApplicationMetricsCollector({ registry });
  let server: MetricsServer;
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    const getUser = app.timed((id: number) => `user ${id}`, {
      name: 'UserService.getUser',
      tags: { tier: 'gold' },
    });
    const charge = app.timed(
      (amount: number) => {
        if (amount < 0) throw new RangeError('negative amount');
        return amount;
      },
      { name: 'Billing.charge' },
    );
    for (let i = 0; i < 25; i++) getUser(i);
    for (const amount of [5, -1, 7, -2]) {
      try {
        charge(amount);
      } catch {
        // counted as outcome="error"
      }
    }
    app.start();
    server = await startMetricsServer(registry, { port: 0 });
    prometheus = await startPrometheus([{ job: 'app', address: `127.0.0.1:${server.port}` }]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
    await app.stop();
  });

  it('sees the call counters, duration histograms and runtime health', async () => {
    const value = async (query: string) => Number((await prometheus.query(query))[0]?.value[1] ?? Number.NaN);
    await waitFor(
      'Prometheus to scrape the timers',
      async () => (await value('sum(user_service_get_user_calls_total)')) === 25,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(await value('user_service_get_user_calls_total{tier="gold",outcome="success"}')).toBe(25);
    expect(await value('billing_charge_calls_total{outcome="error"}')).toBe(2);
    expect(await value('billing_charge_duration_seconds_count{outcome="success"}')).toBe(2);
    expect(
      await value(
        'histogram_quantile(0.5, user_service_get_user_duration_seconds_bucket{outcome="success"})',
      ),
    ).toBeGreaterThan(0);
    // Each scrape ends a runtime-health window.
    expect(await value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(await value('sum(nodejs_heap_space_size_used_bytes)')).toBeGreaterThan(0);
  }, 90_000);
});
