import { createServer, type Server } from 'node:net';
import {
  ConfigError,
  MetricConflictError,
  MetricsRegistry,
  OVERFLOW_LABELS,
  serializePrometheus,
} from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryInUse } from '../../../test-support/memory.js';
import { freePort } from '../../../test-support/processes.js';
import { NetworkMetricName as Name } from './names.js';
import { getNetworkCollector, NetworkMetricsCollector } from './network-collector.js';
import { seriesValue } from './test-support/metrics.js';
import { startHttpServer, type TestServer } from './test-support/servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function web(): Promise<TestServer> {
  const server = await startHttpServer((_request, response) => response.end('ok'));
  cleanup.push(() => server.close());
  return server;
}

async function tcpServer(): Promise<number> {
  const server: Server = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

describe('NetworkMetricsCollector', () => {
  it('is what getNetworkCollector() returns, registered in its registry, and leaves it on close', async () => {
    const network = getNetworkCollector();
    expect(network).toBeInstanceOf(NetworkMetricsCollector);
    expect(network.name).toBe('network');
    expect(network.registry.collectors).toContain(network);
    await network.close();
    await network.close(); // idempotent
    expect(network.registry.collectors).not.toContain(network);
  });

  it('drains every sample since the last call, in order (the seed getCollectedMetrics)', async () => {
    const server = await web();
    const port = await tcpServer();
    const network = new NetworkMetricsCollector({ maxSamplesPerSecond: false });
    cleanup.push(() => network.close());
    const http = await network.measureHttpRequest(server.origin, 5000);
    const tcp = await network.measureTcpLatency('127.0.0.1', port, 5000);
    const throughput = network.measureThroughput(2048, 2, 'download');
    expect(network.getCollectedMetrics()).toEqual([http, tcp, throughput]);
    expect(network.getCollectedMetrics()).toEqual([]);
  });

  it('rejects bad options without registering anything', () => {
    const registry = new MetricsRegistry();
    for (const options of [
      { maxTargets: 0 },
      { maxConcurrentProbes: 0 },
      { connectTimeoutMs: 0 },
      { keepAliveTimeoutMs: -1 },
      { bufferSize: 0 },
    ]) {
      expect(() => new NetworkMetricsCollector({ registry, ...options })).toThrow(ConfigError);
    }
    expect(registry.collectors).toEqual([]);
  });

  it('shares a registry with other collectors under distinct names, and leaves it as it was on a conflict', async () => {
    const registry = new MetricsRegistry();
    const server = await web();
    const first = new NetworkMetricsCollector({ registry, name: 'edge' });
    const second = new NetworkMetricsCollector({ registry, name: 'core' });
    cleanup.push(
      () => first.close(),
      () => second.close(),
    );
    expect(() => new NetworkMetricsCollector({ registry, name: 'edge' })).toThrow(ConfigError);
    await first.measureHttpRequest(`${server.origin}/a`, 5000);
    await second.measureHttpRequest(`${server.origin}/b`, 5000);
    const attempts = registry.getMetric(Name.PROBE_ATTEMPTS);
    expect(attempts?.labelSets().map((labels) => labels.target)).toEqual([
      `${server.origin}/a`,
      `${server.origin}/b`,
    ]);

    const taken = new MetricsRegistry();
    taken.counter({ name: 'probe_success' });
    expect(() => new NetworkMetricsCollector({ registry: taken })).toThrow(MetricConflictError);
    expect(taken.collectors).toEqual([]);
  });

  it('keeps at most maxTargets targets; the rest go to the overflow series', async () => {
    const server = await web();
    const network = new NetworkMetricsCollector({ maxTargets: 2 });
    cleanup.push(() => network.close());
    for (const path of ['/1', '/2', '/3', '/4'])
      await network.measureHttpRequest(`${server.origin}${path}`, 5000);
    expect(network.getSuccessRates().map((rate) => rate.target)).toEqual([
      `${server.origin}/1`,
      `${server.origin}/2`,
    ]);
    const attempts = network.registry.snapshot().families.find((family) => family.name === 'probe_attempts');
    const overflow = attempts?.series.find(
      (series) => series.labels.fw0_overflow === OVERFLOW_LABELS.fw0_overflow,
    );
    expect(overflow && 'value' in overflow ? overflow.value : undefined).toBe(2);
    expect(network.registry.self.seriesOverflow.get({ metric: 'probe_attempts_total' })).toBe(2);
  });

  it('records each call under its own target when calls alternate between URLs, URL objects and labels', async () => {
    const server = await web();
    const network = new NetworkMetricsCollector({ maxSamplesPerSecond: false });
    cleanup.push(() => network.close());
    const a = `${server.origin}/a`;
    const b = `${server.origin}/b`;
    const targets: (string | undefined)[] = [];
    for (const call of [
      () => network.measureHttpRequest(a, 5000),
      () => network.measureHttpRequest(b),
      () => network.measureHttpRequest(a, 5000),
      () => network.measureHttpRequest(new URL(b), 5000),
      () => network.measureHttpRequest(a, 5000, { target: 'labelled' }),
      () => network.measureHttpRequest(b, 5000),
    ]) {
      targets.push((await call())?.tags?.target);
    }
    expect(targets).toEqual([a, b, a, b, 'labelled', b]);
    const attempts = Object.fromEntries(
      network.getSuccessRates().map((rate) => [rate.target, rate.attempts]),
    );
    expect(attempts).toEqual({ [a]: 2, [b]: 3, labelled: 1 });
  });

  it('writes the last-probe gauges when they are read: every read sees the last probe of each target', async () => {
    let status = 200;
    const server = await startHttpServer((_request, response) => {
      response.statusCode = status;
      response.end('ok');
    });
    cleanup.push(() => server.close());
    const refused = `http://127.0.0.1:${await freePort()}/`;
    const network = new NetworkMetricsCollector();
    cleanup.push(() => network.close());
    const { registry } = network;
    const target = { target: `${server.origin}/` };
    const probe = { kind: 'http', ...target };

    await network.measureHttpRequest(server.origin, 5000);
    expect(seriesValue(registry, Name.HTTP_STATUS_CODE, target)).toBe(200);
    expect(seriesValue(registry, Name.PROBE_SUCCESS, probe)).toBe(1);
    status = 503;
    await network.measureHttpRequest(server.origin, 5000);
    await network.measureHttpRequest(refused, 5000);
    // Through exposition, as Prometheus reads them: the 503 probe is the last of its target.
    const text = serializePrometheus(registry.snapshot());
    expect(text).toContain(`probe_http_status_code{target="${server.origin}/"} 503\n`);
    expect(text).toContain(`probe_success{kind="http",target="${server.origin}/"} 0\n`);
    expect(text).toContain(`probe_success_ratio{kind="http",target="${server.origin}/"} 0.5\n`);
    expect(text).toContain(`probe_success{kind="http",target="${refused}"} 0\n`);
    expect(seriesValue(registry, Name.PROBE_SUCCESS_RATIO, { kind: 'http', target: refused })).toBe(0);

    // Written on close too: the last probe before it is readable afterwards.
    status = 200;
    await network.measureHttpRequest(server.origin, 5000);
    await network.close();
    expect(seriesValue(registry, Name.HTTP_STATUS_CODE, target)).toBe(200);
    expect(seriesValue(registry, Name.PROBE_SUCCESS_RATIO, probe)).toBeCloseTo(2 / 3, 10);
  });

  it('writes the gauges of targets past maxTargets with their other series, not on a read (their overflow series)', async () => {
    const server = await web();
    const network = new NetworkMetricsCollector({ maxTargets: 1 });
    cleanup.push(() => network.close());
    await network.measureHttpRequest(`${server.origin}/kept`, 5000);
    await network.measureHttpRequest(`${server.origin}/past`, 5000);
    const status = network.registry.getMetric(Name.HTTP_STATUS_CODE);
    // A read of the metric (its series count) runs its read hooks, which record the probes ended.
    expect(status?.seriesCount).toBe(1);
    expect(status?.type === 'gauge' ? status.overflowSeries?.value : undefined).toBe(200);
  });

  it('keeps no response body while a last outcome waits for its gauges to be read', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 'a');
    const server = await startHttpServer((_request, response) => response.end(body));
    cleanup.push(() => server.close());
    const network = new NetworkMetricsCollector();
    cleanup.push(() => network.close());
    // Four targets, each with a waiting outcome whose probe kept an 8 MiB body for its pattern.
    const urls = ['/1', '/2', '/3', '/4'].map((path) => `${server.origin}${path}`);
    await network.measureHttpRequest(urls[0]!, 5000, { bodyMatches: /^a/ });
    const before = memoryInUse();
    for (const url of urls) {
      const sample = await network.measureHttpRequest(url, 5000, { bodyMatches: /^a/ });
      expect(sample?.context?.bodyBytes).toBe(body.length);
    }
    const grown = memoryInUse() - before;
    expect(grown).toBeLessThan(4 * 1024 * 1024);
    // The outcomes did wait: the gauges show them once read.
    expect(seriesValue(network.registry, Name.HTTP_BODY_LENGTH, { target: urls[3]! })).toBe(body.length);
  });
});
