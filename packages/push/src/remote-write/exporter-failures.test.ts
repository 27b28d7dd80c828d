import { isFw0Error, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import { PushRequestError } from '../http/send.js';
import { FAST_RETRY, named, useExporterFixture } from '../test-support/exporter-fixture.js';
import { pushStats, recordingLogger } from '../test-support/self-metrics.js';

const { receiver, exporter } = useExporterFixture();

describe('RemoteWriteExporter when the remote fails', () => {
  it('retries 5xx with exponential backoff and delivers every sample once', async () => {
    const remote = await receiver();
    const times: number[] = [];
    remote.script((_request, index) => {
      times.push(performance.now());
      return index < 2 ? { status: 503, body: 'overloaded' } : { status: 204 };
    });
    const registry = new MetricsRegistry();
    registry.counter({ name: 'events_total' }).add(3);
    const push = exporter({ url: remote.url, registry, retry: FAST_RETRY });
    expect(await push.flush({ timeoutMs: 5000 })).toBe(true);
    expect(remote.requests).toHaveLength(3);
    // The same samples each time; waits of 50 ms then 100 ms (timers never fire early by more than 1 ms).
    expect(remote.requests[2]!.body.equals(remote.requests[0]!.body)).toBe(true);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(49);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(99);
    const stats = pushStats(registry);
    expect(stats.failed('http_5xx')).toBe(2);
    expect(stats.sent).toBe(remote.requests[2]!.write!.timeseries.length);
    expect(stats.droppedRejected + stats.droppedQueueFull).toBe(0);
    expect(stats.collectorErrors).toBe(2);
  });

  it('honours Retry-After on 429 Too Many Requests', async () => {
    const remote = await receiver();
    const times: number[] = [];
    remote.script((_request, index) => {
      times.push(performance.now());
      return index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 };
    });
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'level' }).set(1);
    const push = exporter({
      url: remote.url,
      registry,
      retry: { initialBackoffMs: 10, maxBackoffMs: 5000, jitter: 0 },
    });
    expect(await push.flush({ timeoutMs: 8000 })).toBe(true);
    expect(remote.requests).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
    expect(pushStats(registry).failed('http_429')).toBe(1);
  });

  it('does not retry other 4xx: drops the samples, counts them and logs the response body', async () => {
    const remote = await receiver();
    remote.script(() => ({ status: 400, body: 'out of order sample for series x' }));
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'level' }).set(1);
    const logger = recordingLogger();
    const push = exporter({ url: remote.url, registry, logger, retry: FAST_RETRY });
    expect(await push.flush()).toBe(true);
    expect(remote.requests).toHaveLength(1);
    const stats = pushStats(registry);
    expect(stats.failed('http_4xx')).toBe(1);
    expect(stats.droppedRejected).toBe(remote.requests[0]!.write!.timeseries.length);
    expect(stats.sent).toBe(0);
    const logged = logger.lines.find((line) => line.level === 'error')!;
    const error = (logged.fields as { error: PushRequestError }).error;
    expect(error).toBeInstanceOf(PushRequestError);
    expect(error.code).toBe('FW0_REMOTE_FAILED');
    expect(isFw0Error(error)).toBe(true);
    expect(error.status).toBe(400);
    expect(error.message).toContain('HTTP 400: out of order sample for series x');
  });

  it('gives up a hanging request after timeoutMs and retries it', async () => {
    const remote = await receiver();
    remote.script((_request, index) => (index === 0 ? 'hang' : { status: 204 }));
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'level' }).set(2);
    const push = exporter({ url: remote.url, registry, timeoutMs: 200, retry: FAST_RETRY });
    expect(await push.flush({ timeoutMs: 5000 })).toBe(true);
    expect(remote.requests).toHaveLength(2);
    expect(pushStats(registry).failed('timeout')).toBe(1);
  });

  it('keeps at most maxQueueSamples while the remote is down, then delivers the newest', async () => {
    const port = await freePort();
    const registry = new MetricsRegistry();
    const marker = registry.gauge({ name: 'snapshot_index' });
    const push = exporter({
      url: `http://127.0.0.1:${port}/api/v1/write`,
      registry,
      intervalMs: 3_600_000,
      maxQueueSamples: 300,
      maxSamplesPerRequest: 100,
      retry: FAST_RETRY,
    });
    const snapshots = 20;
    for (let index = 0; index < snapshots; index++) {
      marker.set(index);
      expect(await push.flush({ timeoutMs: 30 })).toBe(false);
      expect(push.queuedSamples).toBeLessThanOrEqual(300);
    }
    const down = pushStats(registry);
    expect(down.failed('network')).toBeGreaterThanOrEqual(1);
    expect(down.droppedQueueFull).toBeGreaterThan(0);
    expect(down.queueSamples).toBe(push.queuedSamples);

    // The remote comes up on that port: the queue drains, oldest first.
    const remote = await receiver(port);
    marker.set(snapshots);
    expect(await push.flush({ timeoutMs: 5000 })).toBe(true);
    const delivered = remote.requests.flatMap((request) =>
      named(request, 'snapshot_index').map((series) => series.samples[0]!.value),
    );
    // What survived is the newest snapshots, contiguous, ending with the last one.
    expect(delivered.at(-1)).toBe(snapshots);
    expect(delivered).toEqual(
      Array.from({ length: delivered.length }, (_, i) => snapshots - delivered.length + 1 + i),
    );
    expect(delivered.length).toBeLessThan(snapshots);
    const up = pushStats(registry);
    expect(up.queueSamples).toBe(0);
    expect(up.sent).toBe(
      remote.requests.reduce((total, request) => total + request.write!.timeseries.length, 0),
    );
  });

  it('resolves stop() within its timeout when the remote hangs, counting what is left', async () => {
    const remote = await receiver();
    remote.script(() => 'hang');
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'level' }).set(3);
    const push = exporter({ url: remote.url, registry, intervalMs: 50, timeoutMs: 60_000 });
    push.start();
    const deadline = Date.now() + 5000;
    while (remote.requests.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(remote.requests).toHaveLength(1);
    const started = performance.now();
    await push.stop({ timeoutMs: 300 });
    const elapsed = performance.now() - started;
    // 300 ms of flush plus scheduling slack on a loaded machine.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    const stats = pushStats(registry);
    expect(stats.droppedShutdown).toBeGreaterThan(0);
    expect(stats.queueSamples).toBe(0);
    expect(push.queuedSamples).toBe(0);
  });
});
