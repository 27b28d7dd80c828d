import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ConfigError, InvalidLabelError, InvalidTargetError, MetricsRegistry } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test-support/binaries.js';
import { freePort } from '../../../test-support/processes.js';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import type { NetworkCollectorOptions, TcpProbeContext } from './options.js';
import { localLookup, startUnansweredPort } from './test-support/hosts.js';
import { histogramOf, seriesValue } from './test-support/metrics.js';

/** A timed-out probe ends no earlier than its timeout and at most this much later (ms, loaded machine). */
const LATE_MS = 300;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function collector(options: Partial<NetworkCollectorOptions> = {}): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
    ...options,
  });
  cleanup.push(() => created.close());
  return created;
}

/** A stand-in database: a TCP server on `host` counting connections and closes. */
async function database(
  host = '127.0.0.1',
): Promise<{ port: number; accepted: () => number; closed: () => number }> {
  let accepted = 0;
  let closed = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    socket.on('close', () => closed++).resume();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { port: address.port, accepted: () => accepted, closed: () => closed };
}

describe('measureTcpLatency', () => {
  it('measures the connect latency of a listening port and closes the connection', async () => {
    const db = await database();
    const network = collector();
    const sample = await network.measureTcpLatency('127.0.0.1', db.port, 2000);
    expect(sample).toMatchObject({
      name: 'probe_duration_seconds',
      unit: 'seconds',
      type: 'timer',
      tags: { kind: 'tcp', target: `127.0.0.1:${db.port}` },
    });
    const context = sample!.context as TcpProbeContext;
    expect(context).toMatchObject({ host: '127.0.0.1', port: db.port, address: '127.0.0.1' });
    expect(context.phases.connect).toBeGreaterThan(0);
    expect(Math.abs(context.phases.resolve + context.phases.connect - sample!.value)).toBeLessThan(1e-9);
    const target = `127.0.0.1:${db.port}`;
    expect(seriesValue(network.registry, Name.PROBE_SUCCESS, { kind: 'tcp', target })).toBe(1);
    const connect = histogramOf(network.registry, Name.PROBE_PHASE_DURATION, {
      kind: 'tcp',
      target,
      phase: 'connect',
    });
    expect(connect.count).toBe(1);
    expect(connect.sum).toBe(context.phases.connect);
    expect(histogramOf(network.registry, Name.PROBE_LATENCY, { kind: 'tcp', target }).sum).toBe(
      sample!.value,
    );
    const deadline = performance.now() + 2000;
    while (db.closed() < 1 && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(db.accepted()).toBe(1);
    expect(db.closed()).toBe(1);
  });

  it('resolves host names, and labels IPv6 addresses with brackets', async () => {
    const v4 = await database();
    const v6 = await database('::1');
    const network = collector();
    const byName = await network.measureTcpLatency('localhost', v4.port, 2000);
    expect((byName!.context as TcpProbeContext).phases.resolve).toBeGreaterThan(0);
    const byV6 = await network.measureTcpLatency('::1', v6.port, 2000);
    expect(byV6!.tags).toEqual({ kind: 'tcp', target: `[::1]:${v6.port}` });
    expect(await network.measureTcpLatency('[::1]', v6.port, 2000)).not.toBeNull();
  });

  it('resolves to null for a refused port, counting the attempt and its reason', async () => {
    const port = await freePort();
    const network = collector();
    expect(await network.measureTcpLatency('127.0.0.1', port, 2000)).toBeNull();
    const target = `127.0.0.1:${port}`;
    expect(network.getSuccessRates()).toEqual([
      { kind: 'tcp', target, attempts: 1, successes: 0, failures: { refused: 1 }, successRatio: 0 },
    ]);
    expect(seriesValue(network.registry, Name.PROBE_SUCCESS, { kind: 'tcp', target })).toBe(0);
    expect(
      network.registry.self.collectorErrors.get({ collector: 'network', operation: 'measure_tcp_latency' }),
    ).toBe(1);
  });

  it('gives up at the timeout on a host that does not answer, leaving no connection attempt', async () => {
    const unanswered = await startUnansweredPort();
    cleanup.push(() => unanswered.stop());
    const network = collector();
    const started = performance.now();
    expect(await network.measureTcpLatency('127.0.0.1', unanswered.port, 300)).toBeNull();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(299);
    expect(elapsed).toBeLessThan(300 + LATE_MS);
    const target = `127.0.0.1:${unanswered.port}`;
    expect(
      seriesValue(network.registry, Name.PROBE_FAILURES, { kind: 'tcp', target, reason: 'timeout' }),
    ).toBe(1);
    const listing = spawnSync(
      requireBinary('ss', 'iproute2'),
      ['-tnH', 'state', 'syn-sent', `dport = :${unanswered.port}`],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    expect(listing.stdout.trim()).toBe('');
  });

  it('counts a name that does not resolve as dns (resolved by the lookup option, no DNS query)', async () => {
    const { lookup, asked } = localLookup();
    const network = collector({ lookup });
    expect(await network.measureTcpLatency('fw0-network-test.invalid', 5432, 5000)).toBeNull();
    const target = 'fw0-network-test.invalid:5432';
    expect(seriesValue(network.registry, Name.PROBE_FAILURES, { kind: 'tcp', target, reason: 'dns' })).toBe(
      1,
    );
    expect(asked).toEqual(['fw0-network-test.invalid']);
  });

  it('connects to the address the lookup option gives', async () => {
    const db = await database();
    const { lookup, asked } = localLookup({ 'db.fw0.test': '127.0.0.1' });
    const network = collector({ lookup });
    const sample = await network.measureTcpLatency('db.fw0.test', db.port, { timeoutMs: 2000 });
    expect(sample).not.toBeNull();
    expect(asked).toEqual(['db.fw0.test']);
    expect(sample!.context).toMatchObject({ host: 'db.fw0.test', address: '127.0.0.1' });
    expect((sample!.context as TcpProbeContext).phases.resolve).toBeGreaterThan(0);
    expect(db.accepted()).toBe(1);
  });

  it('refuses a lookup option that is not a function', () => {
    for (const lookup of ['dns', 1, null, {}]) {
      expect(
        () => new NetworkMetricsCollector({ lookup: lookup as never, registry: new MetricsRegistry() }),
      ).toThrow(ConfigError);
    }
  });

  it('throws at once for a bad host, port, timeout or label', () => {
    const network = collector();
    for (const port of [0, 65_536, 1.5, Number.NaN, '5432']) {
      expect(() => network.measureTcpLatency('127.0.0.1', port as number)).toThrow(InvalidTargetError);
    }
    for (const host of ['', 'bad host', 'a/b', 42]) {
      expect(() => network.measureTcpLatency(host as string, 5432)).toThrow(InvalidTargetError);
    }
    expect(() => network.measureTcpLatency('127.0.0.1', 5432, 0)).toThrow(ConfigError);
    expect(() => network.measureTcpLatency('127.0.0.1', 5432, { timeoutMs: -1 })).toThrow(ConfigError);
    expect(() => network.measureTcpLatency('127.0.0.1', 5432, null as unknown as number)).toThrow(
      ConfigError,
    );
    expect(() => network.measureTcpLatency('127.0.0.1', 5432, { timeoutMs: 5 } as never, {})).toThrow(
      ConfigError,
    );
    expect(() => network.measureTcpLatency('127.0.0.1', 5432, 1000, { target: '' })).toThrow(
      InvalidLabelError,
    );
    expect(network.getSuccessRates()).toEqual([]);
  });
});
