import diagnosticsChannel from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CounterSeries,
  InvalidValueError,
  MetricsRegistry,
  serializePrometheus,
} from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpOutcome } from './http-measurement.js';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import { MAX_QUEUED_OUTCOMES, TargetRecorders } from './target-recorders.js';
import { reusedConnectionOutcome } from './test-support/outcomes.js';
import { startHttpServer, startServerProcess } from './test-support/servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * Waits until the immediates queued so far have run, and undici has put a kept-alive connection
 * back in its pool: a timer, then an immediate queued after any queued before it.
 */
async function turnEnded(): Promise<void> {
  await sleep(1);
  await new Promise((resolve) => setImmediate(resolve));
}

/** The attempts counter of `target` as a bound handle: read without running the read hooks. */
function attemptsHandle(registry: MetricsRegistry, target: string): CounterSeries {
  const metric = registry.getMetric(Name.PROBE_ATTEMPTS);
  if (metric?.type !== 'counter') throw new Error('no attempts counter');
  return metric.bind({ kind: 'http', target });
}

/** A successful outcome on a reused connection of `seconds`, half processing, half transfer. */
function outcome(seconds: number): HttpOutcome {
  return reusedConnectionOutcome('http://127.0.0.1:9/', seconds / 2, seconds / 2);
}

describe('recording off the request path', () => {
  it('records a probe after the caller went on and its next request was written, in the same event-loop turn', async () => {
    const server = await startServerProcess();
    cleanup.push(() => server.stop());
    const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
    cleanup.push(() => network.close());
    const url = `${server.origin}/`;
    const attempts = attemptsHandle(network.registry, url);
    // Each write: the attempts recorded then, and whether its connection had been used before.
    const writes: { recorded: number; reused: boolean }[] = [];
    const sockets = new Set<unknown>();
    const onSendHeaders = (message: unknown) => {
      const socket = (message as { socket: unknown }).socket;
      writes.push({ recorded: attempts.value, reused: sockets.has(socket) });
      sockets.add(socket);
    };
    diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
    let whenSettled: number;
    try {
      // Back to back from the start, as a probe loop: undici settles on its connections.
      for (let i = 0; i < 4; i++) await network.measureHttpRequest(url, 5000);
      await turnEnded();
      expect(attempts.value).toBe(4);
      await network.measureHttpRequest(url, 5000);
      whenSettled = attempts.value;
      // Sent from the continuation: written (on a connection already open) before probe 5 is
      // recorded, which happens right after, in the same turn.
      await network.measureHttpRequest(url, 5000);
    } finally {
      diagnosticsChannel.unsubscribe('undici:client:sendHeaders', onSendHeaders);
    }
    expect(whenSettled).toBe(4);
    expect(writes.at(-1)).toEqual({ recorded: 4, reused: true });
    // Probe 6 is not recorded yet, but any read through the registry records it first.
    expect(attempts.value).toBe(5);
    const text = serializePrometheus(network.registry.snapshot());
    expect(text).toContain(`probe_attempts_total{kind="http",target="${url}"} 6`);
    expect(attempts.value).toBe(6);
  });

  it('counts every probe in the success rates and on close, before the turn ends', async () => {
    const server = await startHttpServer((_request, response) => response.end('ok'));
    cleanup.push(() => server.close());
    const registry = new MetricsRegistry();
    const network = new NetworkMetricsCollector({ registry });
    const url = `${server.origin}/`;
    await network.measureHttpRequest(url, 5000);
    expect(network.getSuccessRates()).toMatchObject([{ attempts: 1, successes: 1 }]);
    await network.measureHttpRequest(url, 5000);
    const attempts = attemptsHandle(registry, url);
    expect(attempts.value).toBe(1);
    await network.close();
    expect(attempts.value).toBe(2);
  });

  it(`records at once, with the rest, the ${MAX_QUEUED_OUTCOMES}th outcome waiting`, () => {
    const registry = new MetricsRegistry();
    const errors: unknown[] = [];
    const recorders = new TargetRecorders(registry, 10, 'test', (error) => errors.push(error));
    const recorder = recorders.get('http', 'http://127.0.0.1:9/');
    const attempts = attemptsHandle(registry, 'http://127.0.0.1:9/');
    for (let i = 1; i < MAX_QUEUED_OUTCOMES; i++) recorders.recordHttpSoon(recorder, outcome(0.001));
    expect(attempts.value).toBe(0);
    recorders.recordHttpSoon(recorder, outcome(0.001));
    expect(attempts.value).toBe(MAX_QUEUED_OUTCOMES);
    expect(errors).toEqual([]);
    recorders.close();
  });

  it('hands what recording throws in the background to its sink, never to the caller, and records the rest', async () => {
    const registry = new MetricsRegistry();
    const errors: unknown[] = [];
    const recorders = new TargetRecorders(registry, 10, 'test', (error) => errors.push(error));
    const recorder = recorders.get('http', 'http://127.0.0.1:9/');
    recorders.recordHttpSoon(recorder, outcome(Number.NaN));
    recorders.recordHttpSoon(recorder, outcome(0.002));
    expect(errors).toEqual([]);
    await turnEnded();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidValueError);
    const latency = registry.getMetric(Name.PROBE_LATENCY);
    expect(
      latency?.type === 'histogram'
        ? latency.summary({ kind: 'http', target: 'http://127.0.0.1:9/' })?.cumulative.count
        : undefined,
    ).toBe(1);
    recorders.close();
  });
});
