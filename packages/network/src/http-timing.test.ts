import { MetricsRegistry } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP_PHASES, NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import type { HttpProbeContext } from './options.js';
import { histogramOf, seriesValue } from './test-support/metrics.js';
import { startHttpServer, type TestServer } from './test-support/servers.js';

/**
 * Timing tolerance of this file: a server's wait of W ms must show as a phase of at least
 * W - 5 ms (timers may fire a little early) and at most W + 300 ms (a loaded 2-core machine
 * delays timers and I/O callbacks); phases without a wait stay under 150 ms.
 */
const EARLY_MS = 5;
const LATE_MS = 300;
const QUICK_SECONDS = 0.15;

const HEADER_WAIT_MS = 200;
const BODY_WAIT_MS = 300;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const started = await startHttpServer(handler);
  cleanup.push(() => started.close());
  return started;
}

function collector(): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
  });
  cleanup.push(() => created.close());
  return created;
}

/** Waits one event-loop cycle: undici puts a kept-alive connection back in its pool then. */
function nextCycle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function phasesOf(context: unknown): HttpProbeContext['phases'] {
  return (context as HttpProbeContext).phases;
}

function expectWait(seconds: number, waitMs: number): void {
  expect(seconds).toBeGreaterThanOrEqual((waitMs - EARLY_MS) / 1000);
  expect(seconds).toBeLessThanOrEqual((waitMs + LATE_MS) / 1000);
}

describe('measureHttpRequest phases', () => {
  it('shows a wait before the headers as processing, and the phases add up to the total', async () => {
    const slow = await server((_request, response) => {
      setTimeout(() => response.end('ready'), HEADER_WAIT_MS);
    });
    const network = collector();
    const sample = await network.measureHttpRequest(`${slow.origin}/health`, 5000);
    expect(sample).not.toBeNull();
    const phases = phasesOf(sample!.context);
    expectWait(phases.processing, HEADER_WAIT_MS);
    expect(phases.transfer).toBeLessThan(QUICK_SECONDS);
    expect(phases.connect).toBeGreaterThan(0);
    expect(phases.tls).toBe(0);
    const sum = phases.resolve + phases.connect + phases.tls + phases.processing + phases.transfer;
    expect(Math.abs(sum - sample!.value)).toBeLessThan(1e-9);
    expect(sample).toMatchObject({ name: 'probe_duration_seconds', unit: 'seconds', type: 'timer' });
    expect(sample!.context).toMatchObject({ statusCode: 200, bodyBytes: 5, contentLength: 5, tls: false });

    // The registry holds the same phases as the sample, as blackbox_exporter names them.
    const target = `${slow.origin}/health`;
    for (const phase of HTTP_PHASES) {
      expect(seriesValue(network.registry, Name.HTTP_DURATION, { target, phase })).toBe(phases[phase]);
    }
    expect(seriesValue(network.registry, Name.PROBE_SUCCESS, { kind: 'http', target })).toBe(1);
    expect(seriesValue(network.registry, Name.HTTP_STATUS_CODE, { target })).toBe(200);
    expect(seriesValue(network.registry, Name.PROBE_DURATION, { kind: 'http', target })).toBe(sample!.value);
  });

  it('shows a wait in the middle of the body as transfer', async () => {
    const streaming = await server((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first half;');
      setTimeout(() => response.end('second half'), BODY_WAIT_MS);
    });
    const network = collector();
    const sample = await network.measureHttpRequest(streaming.origin, 5000);
    expect(sample).not.toBeNull();
    const phases = phasesOf(sample!.context);
    expectWait(phases.transfer, BODY_WAIT_MS);
    expect(phases.processing).toBeLessThan(QUICK_SECONDS);
    const sum = phases.resolve + phases.connect + phases.tls + phases.processing + phases.transfer;
    expect(Math.abs(sum - sample!.value)).toBeLessThan(1e-9);
    expect(sample!.context).toMatchObject({ bodyBytes: 22, contentLength: -1 });
  });

  it('reuses a kept-alive connection: the second request has no connect phase', async () => {
    const quick = await server((_request, response) => response.end('ok'));
    const network = collector();
    const first = await network.measureHttpRequest(`${quick.origin}/a`, 5000);
    await nextCycle();
    const second = await network.measureHttpRequest(`${quick.origin}/b`, 5000);
    expect(first!.context).toMatchObject({ connectionReused: false });
    expect(phasesOf(first!.context).connect).toBeGreaterThan(0);
    expect(second!.context).toMatchObject({ connectionReused: true });
    expect(phasesOf(second!.context)).toMatchObject({ resolve: 0, connect: 0, tls: 0 });
    expect(quick.accepted).toBe(1);
  });

  it('opens a new connection each time when keepAlive is false', async () => {
    const quick = await server((_request, response) => response.end('ok'));
    const network = collector();
    for (let i = 0; i < 3; i++) {
      const sample = await network.measureHttpRequest(quick.origin, 5000, { keepAlive: false });
      expect(sample!.context).toMatchObject({ connectionReused: false });
    }
    expect(quick.accepted).toBe(3);
  });

  it('reports no DNS time for an IP address: the time before the connection attempt is connect', async () => {
    const quick = await server((_request, response) => response.end('ok'));
    const network = collector();
    for (let i = 0; i < 3; i++) {
      const sample = await network.measureHttpRequest(quick.origin, 5000, { keepAlive: false });
      const phases = phasesOf(sample!.context);
      expect(phases.resolve).toBe(0);
      expect(phases.connect).toBeGreaterThan(0);
    }
    expect(quick.accepted).toBe(3);
    const target = `${quick.origin}/`;
    expect(seriesValue(network.registry, Name.PROBE_DNS_LOOKUP, { kind: 'http', target })).toBe(0);
  });

  it('times the DNS lookup of a host name', async () => {
    const quick = await server((_request, response) => response.end('ok'));
    const network = collector();
    const sample = await network.measureHttpRequest(`http://localhost:${quick.port}/`, 5000);
    expect(sample).not.toBeNull();
    expect(phasesOf(sample!.context).resolve).toBeGreaterThan(0);
    const target = `http://localhost:${quick.port}/`;
    expect(seriesValue(network.registry, Name.PROBE_DNS_LOOKUP, { kind: 'http', target })).toBe(
      phasesOf(sample!.context).resolve,
    );
  });

  it('back to back, reports the second connection undici opens, then reuses both', async () => {
    // undici reuses a connection one event-loop cycle after its response: a request made at
    // once goes out on a new connection, and the measurement says so.
    const quick = await server((_request, response) => response.end('ok'));
    const network = collector();
    const reused: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const sample = await network.measureHttpRequest(quick.origin, 5000);
      reused.push((sample!.context as HttpProbeContext).connectionReused);
    }
    expect(quick.accepted).toBe(reused.filter((value) => value === false).length);
    expect(quick.accepted).toBeLessThanOrEqual(2);
    expect(reused.slice(2)).toEqual([true, true, true, true]);
  });
});

describe('phase distributions', () => {
  it('observe connect and resolve only for new connections, processing and transfer for every request', async () => {
    const quick = await server((_request, response) => response.end('ok'));
    const network = collector();
    for (let i = 0; i < 3; i++) {
      await network.measureHttpRequest(quick.origin, 5000);
      await nextCycle();
    }
    const target = `${quick.origin}/`;
    const count = (phase: string) =>
      histogramOf(network.registry, Name.PROBE_PHASE_DURATION, { kind: 'http', target, phase }).count;
    expect(quick.accepted).toBe(1);
    expect([
      count('resolve'),
      count('connect'),
      count('tls'),
      count('processing'),
      count('transfer'),
    ]).toEqual([1, 1, 0, 3, 3]);
    expect(histogramOf(network.registry, Name.PROBE_LATENCY, { kind: 'http', target }).count).toBe(3);
  });
});
