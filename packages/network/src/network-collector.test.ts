import { createServer, type Server } from 'node:net';
import { ConfigError, MetricConflictError, MetricsRegistry, OVERFLOW_LABELS } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkMetricName as Name } from './names.js';
import { getNetworkCollector, NetworkMetricsCollector } from './network-collector.js';
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
});
