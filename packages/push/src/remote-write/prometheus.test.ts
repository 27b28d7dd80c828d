import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, temporaryDirectory, waitFor } from '../../../../test-support/processes.js';
import { startPrometheus, type TestPrometheus } from '../../../../test-support/prometheus.js';
import { startReceivingPrometheus } from '../test-support/remote-stores.js';
import { pushStats } from '../test-support/self-metrics.js';
import { TRICKY_HISTOGRAM, TRICKY_VALUES, trickyRegistry } from '../test-support/tricky-registry.js';
import { RemoteWriteExporter } from './exporter.js';

describe('remote write to a real Prometheus (2.42, --web.enable-remote-write-receiver)', () => {
  let prometheus: TestPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus([], ['--web.enable-remote-write-receiver']);
  });
  afterAll(() => prometheus.stop());

  it('stores counters, gauges and histograms under their exposition names, tricky labels intact', async () => {
    const registry = trickyRegistry('rw_prom');
    const exporter = new RemoteWriteExporter({
      url: `${prometheus.url}/api/v1/write`,
      registry,
      externalLabels: { cluster: 'test' },
    });
    expect(await exporter.flush()).toBe(true);
    await exporter.stop();
    expect(pushStats(registry).droppedRejected).toBe(0);

    const requests = await prometheus.query('rw_prom_requests_total');
    expect(requests).toHaveLength(TRICKY_VALUES.length);
    for (const [index, path] of TRICKY_VALUES.entries()) {
      const series = requests.find((item) => item.metric.path === path);
      expect(series?.metric).toEqual({
        __name__: 'rw_prom_requests_total',
        path,
        method: 'GET',
        cluster: 'test',
      });
      expect(Number(series?.value[1])).toBe(index + 1);
    }
    const [temperature] = await prometheus.query('rw_prom_temperature_celsius');
    expect(Number(temperature?.value[1])).toBe(-3.25);
    expect(temperature?.metric.room).toBe('lab');

    const buckets = await prometheus.query('rw_prom_latency_seconds_bucket{route="/r"}');
    const byLe = Object.fromEntries(buckets.map((item) => [item.metric.le, Number(item.value[1])]));
    expect(byLe).toEqual(Object.fromEntries(TRICKY_HISTOGRAM.buckets));
    const [sum] = await prometheus.query('rw_prom_latency_seconds_sum');
    const [count] = await prometheus.query('rw_prom_latency_seconds_count');
    expect(Number(sum?.value[1])).toBeCloseTo(TRICKY_HISTOGRAM.sum, 12);
    expect(Number(count?.value[1])).toBe(TRICKY_HISTOGRAM.count);
    // PromQL reads it as a histogram: rank 0.6 * 6 = 3.6 lies 0.6 of the way into the one
    // observation of the (0.1, 1] bucket, interpolated linearly: 0.1 + 0.9 * 0.6.
    const [p60] = await prometheus.query('histogram_quantile(0.6, rw_prom_latency_seconds_bucket)');
    expect(Number(p60?.value[1])).toBeCloseTo(0.64, 9);
  });
});

describe('remote write while Prometheus is down at start', () => {
  it('queues while the remote is down, then delivers everything once it comes up', async () => {
    const port = await freePort();
    const directory = temporaryDirectory('fw0-push-down');
    const registry = trickyRegistry('rw_down');
    const ticks = registry.counter({ name: 'rw_down_ticks_total' });
    const intervalMs = 200;
    const exporter = new RemoteWriteExporter({
      url: `http://127.0.0.1:${port}/api/v1/write`,
      registry,
      intervalMs,
      retry: { initialBackoffMs: 100, maxBackoffMs: 500 },
    });
    const tick = setInterval(() => ticks.add(), 50);
    let store: Awaited<ReturnType<typeof startReceivingPrometheus>> | undefined;
    try {
      const startedAt = Date.now();
      exporter.start();
      await waitFor(
        'samples queued while down',
        () => exporter.queuedSamples > 0 && pushStats(registry).failed('network') > 0,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      store = await startReceivingPrometheus(port, directory.path);
      const upAt = Date.now();
      await waitFor(
        'the queue to drain',
        () => pushStats(registry).sent > 0 && exporter.queuedSamples === 0,
        {
          timeoutMs: 20_000,
        },
      );
      await exporter.stop();
      const stats = pushStats(registry);
      expect(stats.droppedQueueFull + stats.droppedRejected + stats.droppedShutdown).toBe(0);

      const [series] = await store.raw('rw_down_ticks_total');
      const timestamps = series!.samples.map((sample) => sample.timestamp);
      // The first snapshot (taken at start(), while the remote was down) arrived...
      expect(timestamps[0]! - startedAt).toBeLessThan(intervalMs * 5);
      expect(timestamps[0]!).toBeLessThan(upAt - 2000);
      // ...and every later one: no gap longer than a few intervals (timer slack on a loaded machine).
      const gaps = timestamps.slice(1).map((time, i) => time - timestamps[i]!);
      expect(Math.max(...gaps)).toBeLessThan(intervalMs * 5);
      const values = series!.samples.map((sample) => sample.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    } finally {
      clearInterval(tick);
      await exporter.stop({ timeoutMs: 200 });
      await store?.stop();
      directory.remove();
    }
  });
});
