import diagnosticsChannel from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CounterSeries,
  InvalidValueError,
  MetricsRegistry,
  serializePrometheus,
} from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startBenchServer } from '../bench/bench-server.js';
import type { HttpOutcome } from './http-measurement.js';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import { MAX_QUEUED_OUTCOMES, RECORD_BATCH, RECORD_DELAY_MS, TargetRecorders } from './target-recorders.js';
import { histogramOf } from './test-support/metrics.js';
import { reusedConnectionOutcome } from './test-support/outcomes.js';
import { startHttpServer } from './test-support/servers.js';

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

/**
 * Recorders whose queue holds an outcome with a NaN duration (its observation throws) and then a
 * good one, and the errors their background sink was handed.
 */
function queueWithBadDuration(): {
  registry: MetricsRegistry;
  errors: unknown[];
  recorders: TargetRecorders;
} {
  const registry = new MetricsRegistry();
  const errors: unknown[] = [];
  const recorders = new TargetRecorders(registry, 10, 'test', (error) => errors.push(error));
  const recorder = recorders.get('http', 'http://127.0.0.1:9/');
  recorders.recordHttpSoon(recorder, outcome(Number.NaN));
  recorders.recordHttpSoon(recorder, outcome(0.002));
  return { registry, errors, recorders };
}

describe('recording off the request path', () => {
  it('records probes only after the next request is written, in batches while a loop runs, and every read sees them all', async () => {
    // A server in a process of its own, as a real one: in the test's own process, undici opens
    // a second connection for a request sent back to back.
    const server = await startBenchServer();
    cleanup.push(() => server.stop());
    const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
    cleanup.push(() => network.close());
    const url = `http://127.0.0.1:${server.httpPort}/`;
    const attempts = attemptsHandle(network.registry, url);
    // Each write: the probes ended before it, those recorded then, and whether its connection
    // had been used before.
    const writes: { ended: number; recorded: number; reused: boolean }[] = [];
    const sockets = new Set<unknown>();
    let ended = 0;
    const onSendHeaders = (message: unknown) => {
      const socket = (message as { socket: unknown }).socket;
      writes.push({ ended, recorded: attempts.value, reused: sockets.has(socket) });
      sockets.add(socket);
    };
    diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
    const probes = RECORD_BATCH + 8;
    try {
      // Back to back, each sent from the previous one's continuation, as a probe loop does.
      for (let i = 0; i < probes; i++) {
        await network.measureHttpRequest(url, 5000);
        ended++;
      }
    } finally {
      diagnosticsChannel.unsubscribe('undici:client:sendHeaders', onSendHeaders);
    }
    expect(writes).toHaveLength(probes);
    // The probe that ended right before a write is never recorded before that write: neither a
    // full batch (recorded from an immediate queued behind undici's) nor a timer's.
    for (const write of writes) expect(write.recorded).toBeLessThanOrEqual(Math.max(0, write.ended - 1));
    // Most writes went to connections already open (undici opens a second one early on).
    expect(writes.filter((write) => write.reused).length).toBeGreaterThanOrEqual(probes - 2);
    // A full batch was recorded while the loop ran, not only at the end.
    expect(writes.at(-1)!.recorded).toBeGreaterThanOrEqual(RECORD_BATCH - 1);
    expect(attempts.value).toBeLessThan(probes);
    // Any read through the registry records what waits first.
    const text = serializePrometheus(network.registry.snapshot());
    expect(text).toContain(`probe_attempts_total{kind="http",target="${url}"} ${probes}`);
    expect(attempts.value).toBe(probes);
  });

  it(`records fewer than a batch at most ${RECORD_DELAY_MS} ms after the first of them, without a read`, async () => {
    const registry = new MetricsRegistry();
    const recorders = new TargetRecorders(registry, 10, 'test', () => {});
    const recorder = recorders.get('http', 'http://127.0.0.1:9/');
    const attempts = attemptsHandle(registry, 'http://127.0.0.1:9/');
    const queuedAt = performance.now();
    recorders.recordHttpSoon(recorder, outcome(0.001));
    recorders.recordHttpSoon(recorder, outcome(0.001));
    await turnEnded();
    // Not recorded by the turn's end (unless a stalled machine let the delay pass meanwhile).
    if (performance.now() - queuedAt < RECORD_DELAY_MS) expect(attempts.value).toBe(0);
    await sleep(RECORD_DELAY_MS + 50);
    expect(attempts.value).toBe(2);
    recorders.close();
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
    // Each a different duration (i ms): the figures copied at queueing, past the queue's first
    // capacity too, must be the ones recorded.
    for (let i = 1; i < MAX_QUEUED_OUTCOMES; i++) recorders.recordHttpSoon(recorder, outcome(i / 1000));
    expect(attempts.value).toBe(0);
    recorders.recordHttpSoon(recorder, outcome(MAX_QUEUED_OUTCOMES / 1000));
    expect(attempts.value).toBe(MAX_QUEUED_OUTCOMES);
    const latency = histogramOf(registry, Name.PROBE_LATENCY, {
      kind: 'http',
      target: 'http://127.0.0.1:9/',
    });
    const expected = (MAX_QUEUED_OUTCOMES * (MAX_QUEUED_OUTCOMES + 1)) / 2 / 1000;
    expect(latency.count).toBe(MAX_QUEUED_OUTCOMES);
    expect(latency.sum).toBeCloseTo(expected, 6);
    expect(latency.quantile(1)).toBeCloseTo(MAX_QUEUED_OUTCOMES / 1000, 1);
    expect(errors).toEqual([]);
    recorders.close();
  });

  it('hands what recording throws in the background to its sink, never to the caller, and records the rest', async () => {
    const { registry, errors, recorders } = queueWithBadDuration();
    expect(errors).toEqual([]);
    await sleep(RECORD_DELAY_MS + 50);
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

  it('hands what recording the queue throws for the success rates to the sink, not to their caller', () => {
    const { errors, recorders } = queueWithBadDuration();
    // Both attempts are counted (the bad duration's before its observation threw).
    expect(recorders.successRates()).toMatchObject([{ attempts: 2, successes: 2 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidValueError);
    recorders.close();
  });
});
