import {
  ConfigError,
  InvalidLabelError,
  InvalidTargetError,
  InvalidValueError,
  MetricsRegistry,
  serializeOpenMetrics,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getNetworkCollector, NetworkMetricsCollector } from './network-collector.js';
import { startHttpServer } from './test-support/servers.js';

/**
 * Regressions found by the bad-input properties of `apps/reliability` (src/fuzz): each case is
 * the smallest input that broke "a rejected call changes nothing" or "a typed error, never another".
 */
describe('bad-input regressions', () => {
  it('leaves no series behind when measureThroughput refuses the values of a new operation', async () => {
    const network = new NetworkMetricsCollector({
      registry: new MetricsRegistry(),
      maxSamplesPerSecond: false,
    });
    const before = serializeOpenMetrics(network.registry.snapshot());
    for (const [bytes, seconds] of [
      [Number.NaN, 1],
      [-1, 1],
      [10, 0],
      [Number.MAX_VALUE, Number.MIN_VALUE],
    ] as const) {
      expect(() => network.measureThroughput(bytes, seconds, `new_${bytes}_${seconds}`)).toThrow(
        InvalidValueError,
      );
    }
    expect(serializeOpenMetrics(network.registry.snapshot())).toBe(before);
    expect(network.getCollectedMetrics()).toEqual([]);
    await network.close();
  });

  it('refuses null options with ConfigError, not TypeError', () => {
    expect(() => getNetworkCollector(null as unknown as undefined)).toThrow(ConfigError);
    expect(() => new NetworkMetricsCollector(5 as unknown as undefined)).toThrow(ConfigError);
  });

  it('checks that a target label is valid Unicode before probing or starting anything', async () => {
    const server = await startHttpServer((_request, response) => response.end('ok'));
    const network = new NetworkMetricsCollector({
      registry: new MetricsRegistry(),
      maxSamplesPerSecond: false,
    });
    try {
      const before = serializeOpenMetrics(network.registry.snapshot());
      const good = { kind: 'http' as const, url: `${server.origin}/`, intervalMs: 60_000, timeoutMs: 1000 };
      // The second target's label used to fail only when its task was created: the first had started.
      expect(() =>
        network.startProbes([
          good,
          { kind: 'tcp', host: '127.0.0.1', port: server.port, target: 'db\uD800' },
        ]),
      ).toThrow(ConfigError);
      expect(() =>
        network.startProbes([good, { kind: 'http', url: `${server.origin}/x`, target: 'web\uDC00' }]),
      ).toThrow(ConfigError);
      // measureTcpLatency connected first, then rejected: now it throws at once.
      expect(() => network.measureTcpLatency('127.0.0.1', server.port, 1000, { target: '\uD800' })).toThrow(
        InvalidLabelError,
      );
      expect(() => network.measureHttpRequest(`${server.origin}/`, 1000, { target: '\uDFFF' })).toThrow(
        ConfigError,
      );
      expect(server.accepted).toBe(0);
      expect(network.getSuccessRates()).toEqual([]);
      expect(serializeOpenMetrics(network.registry.snapshot())).toBe(before);
    } finally {
      await network.close();
      await server.close();
    }
  });

  it('refuses a dispatcher name that cannot be a label value, so the others are still exported', async () => {
    // A lone surrogate was accepted by observeDispatcher and failed when its gauges were set at
    // collection, which stopped the refresh of the dispatchers observed after it.
    const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
    const stats = { connected: 1, pending: 0, running: 0, size: 0 };
    network.observeDispatcher({ stats }, 'first');
    expect(() => network.observeDispatcher({ stats }, 'bad\uD800')).toThrow(ConfigError);
    network.observeDispatcher({ stats }, 'last');
    const snapshot = await network.registry.collect();
    const size = snapshot.families.find((family) => family.name === 'undici_pool_size');
    expect(size?.series.map((series) => series.labels)).toEqual([{ name: 'first' }, { name: 'last' }]);
    await network.close();
  });

  it('refuses a collector name or registry that would fail inside the base class, with ConfigError', () => {
    for (const name of ['', 5, '\uDC00', {}]) {
      expect(() => new NetworkMetricsCollector({ name: name as string })).toThrow(ConfigError);
    }
    for (const registry of [{}, 5, 'registry']) {
      expect(() => new NetworkMetricsCollector({ registry: registry as never })).toThrow(ConfigError);
    }
    // A refused name never half-registers: the registry takes the same collector name afterwards.
    const registry = new MetricsRegistry();
    expect(() => new NetworkMetricsCollector({ registry, name: '\uD800' })).toThrow(ConfigError);
    expect(registry.collectors).toEqual([]);
  });

  it('accepts brackets around IPv6 addresses only', () => {
    const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
    for (const host of ['[localhost]', '[127.0.0.1]', '[]', '[db.internal]']) {
      expect(() => network.measureTcpLatency(host, 5432, 1000)).toThrow(InvalidTargetError);
    }
    expect(network.getSuccessRates()).toEqual([]);
    return network.close();
  });
});
