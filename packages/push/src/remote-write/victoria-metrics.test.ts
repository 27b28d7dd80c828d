import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, temporaryDirectory, waitFor } from '../../../../test-support/processes.js';
import { startVictoriaMetrics, type TestStore } from '../test-support/remote-stores.js';
import { pushStats } from '../test-support/self-metrics.js';
import { TRICKY_HISTOGRAM, TRICKY_VALUES, trickyRegistry } from '../test-support/tricky-registry.js';
import { RemoteWriteExporter } from './exporter.js';

describe('remote write to a real VictoriaMetrics (Debian victoria-metrics)', () => {
  const directory = temporaryDirectory('fw0-push-vm');
  let port: number;
  let store: TestStore;
  beforeAll(async () => {
    port = await freePort();
    store = await startVictoriaMetrics(port, directory.path);
  });
  afterAll(async () => {
    await store.stop();
    directory.remove();
  });

  it('stores counters, gauges and histograms with their labels', async () => {
    const registry = trickyRegistry('rw_vm');
    const exporter = new RemoteWriteExporter({
      url: store.writeUrl,
      registry,
      externalLabels: { cluster: 'test' },
    });
    expect(await exporter.flush()).toBe(true);
    await exporter.stop();
    await waitFor('samples to be searchable', async () => {
      await store.makeSearchable();
      return (await store.query('rw_vm_requests_total')).length === TRICKY_VALUES.length;
    });
    const requests = await store.query('rw_vm_requests_total');
    for (const [index, path] of TRICKY_VALUES.entries()) {
      const series = requests.find((item) => item.labels.path === path);
      expect(series?.labels).toEqual({
        __name__: 'rw_vm_requests_total',
        path,
        method: 'GET',
        cluster: 'test',
      });
      expect(series?.value).toBe(index + 1);
    }
    expect((await store.query('rw_vm_temperature_celsius'))[0]?.value).toBe(-3.25);
    const buckets = await store.query('rw_vm_latency_seconds_bucket');
    expect(Object.fromEntries(buckets.map((item) => [item.labels.le, item.value]))).toEqual(
      Object.fromEntries(TRICKY_HISTOGRAM.buckets),
    );
    expect((await store.query('rw_vm_latency_seconds_sum'))[0]?.value).toBeCloseTo(TRICKY_HISTOGRAM.sum, 12);
    expect((await store.query('rw_vm_latency_seconds_count'))[0]?.value).toBe(TRICKY_HISTOGRAM.count);
  });

  it('rides out a restart of the remote mid-run without a gap (the queue stays within its bound)', async () => {
    const registry = trickyRegistry('rw_restart');
    const ticks = registry.counter({ name: 'rw_restart_ticks_total' });
    const tick = setInterval(() => ticks.add(), 50);
    const intervalMs = 200;
    const exporter = new RemoteWriteExporter({
      url: store.writeUrl,
      registry,
      intervalMs,
      retry: { initialBackoffMs: 100, maxBackoffMs: 500 },
    });
    try {
      exporter.start();
      await waitFor('pushes before the restart', () => pushStats(registry).sent > 0);
      await new Promise((resolve) => setTimeout(resolve, 600));
      await store.stop();
      const downAt = Date.now();
      await waitFor('failures while down', () => pushStats(registry).failed('network') > 0);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      store = await startVictoriaMetrics(port, directory.path);
      const upAt = Date.now();
      const sentAtRestart = pushStats(registry).sent;
      await waitFor(
        'the queue to drain',
        () => pushStats(registry).sent > sentAtRestart && exporter.queuedSamples === 0,
        {
          timeoutMs: 20_000,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 600));
      await exporter.stop();
      const stats = pushStats(registry);
      expect(stats.droppedQueueFull + stats.droppedRejected + stats.droppedShutdown).toBe(0);

      let timestamps: number[] = [];
      await waitFor('the samples pushed after the restart to be searchable', async () => {
        await store.makeSearchable();
        const [series] = await store.raw('rw_restart_ticks_total');
        timestamps = series?.samples.map((sample) => sample.timestamp) ?? [];
        return timestamps.length > 0 && timestamps.at(-1)! > upAt;
      });
      // Samples from before, during and after the outage, with no gap longer than a few intervals
      // (timer slack on a loaded machine), although the remote was gone for over two seconds.
      expect(upAt - downAt).toBeGreaterThan(2000);
      expect(timestamps[0]!).toBeLessThan(downAt);
      expect(timestamps.some((time) => time > downAt && time < upAt)).toBe(true);
      const gaps = timestamps.slice(1).map((time, i) => time - timestamps[i]!);
      expect(Math.max(...gaps)).toBeLessThan(intervalMs * 5);
    } finally {
      clearInterval(tick);
      await exporter.stop({ timeoutMs: 200 });
    }
  });

  it('drops the oldest samples of an outage longer than the queue holds, keeping the newest', async () => {
    const registry = trickyRegistry('rw_bound');
    const slots = registry.gauge({ name: 'rw_bound_slot' });
    for (let i = 0; i < 200; i++) slots.set(i, { i: String(i) });
    const intervalMs = 200;
    // About 270 samples per snapshot (200 slots, the tricky families, the self-metrics): the
    // queue holds 3 to 4 snapshots, 0.6 to 0.8 s of a 2.5 s outage.
    const maxQueueSamples = 1000;
    const exporter = new RemoteWriteExporter({
      url: store.writeUrl,
      registry,
      intervalMs,
      maxQueueSamples,
      maxSamplesPerRequest: 500,
      retry: { initialBackoffMs: 100, maxBackoffMs: 300 },
    });
    try {
      exporter.start();
      await waitFor('pushes before the outage', () => pushStats(registry).sent > 0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await store.stop();
      const downAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      store = await startVictoriaMetrics(port, directory.path);
      const upAt = Date.now();
      await waitFor(
        'the queue to drain',
        () => exporter.queuedSamples === 0 && pushStats(registry).lastSuccess! * 1000 > upAt,
        {
          timeoutMs: 20_000,
        },
      );
      await exporter.stop();
      const snapshotSize = registry
        .snapshot()
        .families.reduce(
          (total, family) =>
            total + family.series.length * (family.type === 'histogram' ? family.bounds.length + 3 : 1),
          0,
        );
      expect(pushStats(registry).droppedQueueFull).toBeGreaterThan(0);

      let timestamps: number[] = [];
      await waitFor('the samples to be searchable', async () => {
        await store.makeSearchable();
        const [series] = await store.raw('rw_bound_slot{i="0"}');
        timestamps = series?.samples.map((sample) => sample.timestamp) ?? [];
        return timestamps.some((time) => time > upAt);
      });
      const duringOutage = timestamps.filter((time) => time > downAt && time < upAt);
      // What survived of the outage: at most what the queue holds (plus one request in flight)...
      expect(duringOutage.length).toBeGreaterThan(0);
      expect(duringOutage.length * snapshotSize).toBeLessThanOrEqual(maxQueueSamples + 500 + snapshotSize);
      // ...and it is the newest part: one gap, at the start of the outage, then every tick to the end.
      const gaps = timestamps.slice(1).map((time, i) => time - timestamps[i]!);
      expect(gaps.filter((gap) => gap >= intervalMs * 5)).toHaveLength(1);
      expect(upAt - duringOutage.at(-1)!).toBeLessThan(intervalMs * 5 + 1000);
    } finally {
      await exporter.stop({ timeoutMs: 200 });
    }
  });
});
