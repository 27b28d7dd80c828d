import type { ServerResponse } from 'node:http';
import { ConfigError, MetricsRegistry } from '@fw0/metrics-core';
import { Agent, Client, Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import { seriesValue } from './test-support/metrics.js';
import { startHttpServer, type TestServer } from './test-support/servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A server that holds every response until `release()`. */
async function holdingServer(): Promise<{ server: TestServer; held: () => number; release: () => void }> {
  const waiting: ServerResponse[] = [];
  const server = await startHttpServer((_request, response) => void waiting.push(response));
  cleanup.push(() => server.close());
  return {
    server,
    held: () => waiting.length,
    release: () => {
      for (const response of waiting.splice(0)) response.end('done');
    },
  };
}

function collector(): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
  cleanup.push(() => created.close());
  return created;
}

function stats(network: NetworkMetricsCollector, labels: Record<string, string>) {
  const read = (name: string) => seriesValue(network.registry, name, labels);
  return {
    connected: read(Name.POOL_CONNECTED),
    free: read(Name.POOL_FREE),
    pending: read(Name.POOL_PENDING),
    queued: read(Name.POOL_QUEUED),
    running: read(Name.POOL_RUNNING),
    size: read(Name.POOL_SIZE),
  };
}

describe('observeDispatcher', () => {
  it('follows a Pool under concurrent requests', async () => {
    const { server, held, release } = await holdingServer();
    const pool = new Pool(server.origin, { connections: 4 });
    cleanup.push(() => pool.destroy());
    const network = collector();
    network.observeDispatcher(pool, 'api');

    const responses = Array.from({ length: 6 }, () =>
      pool.request({ path: '/', method: 'GET' }).then(
        (response) => response.body.text(),
        (error: unknown) => String(error),
      ),
    );
    await waitFor('4 requests to reach the server', () => held() === 4, { timeoutMs: 5000, intervalMs: 10 });
    await network.registry.collect();
    // Four requests on four connections; two in the pool's own queue (undici counts queued
    // requests as pending too).
    expect(stats(network, { name: 'api' })).toEqual({
      connected: 4,
      free: 0,
      pending: 2,
      queued: 2,
      running: 4,
      size: 6,
    });

    // Released, the two waiting requests go out on the same four connections.
    release();
    await waitFor('the last 2 requests', () => held() === 2, { timeoutMs: 5000, intervalMs: 10 });
    release();
    expect(await Promise.all(responses)).toEqual(new Array(6).fill('done'));
    await waitFor('the pool to settle', () => pool.stats.running === 0 && pool.stats.free === 4, {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    await network.registry.collect();
    expect(stats(network, { name: 'api' })).toEqual({
      connected: 4,
      free: 4,
      pending: 0,
      queued: 0,
      running: 0,
      size: 0,
    });
    expect(server.accepted).toBe(4);
  });

  it('follows an Agent per origin, and a Client', async () => {
    const first = await holdingServer();
    const second = await holdingServer();
    const agent = new Agent();
    const client = new Client(second.server.origin);
    cleanup.push(
      () => agent.destroy(),
      () => client.destroy(),
    );
    const network = collector();
    network.observeDispatcher(agent, 'app');
    network.observeDispatcher(client, 'single');
    const pending = [
      agent.request({ origin: first.server.origin, path: '/', method: 'GET' }),
      agent.request({ origin: second.server.origin, path: '/', method: 'GET' }),
      agent.request({ origin: second.server.origin, path: '/', method: 'GET' }),
      client.request({ path: '/', method: 'GET' }),
    ];
    await waitFor('requests to arrive', () => first.held() === 1 && second.held() === 3, { timeoutMs: 5000 });
    await network.registry.collect();
    expect(stats(network, { name: 'app', origin: first.server.origin })).toMatchObject({
      running: 1,
      size: 1,
    });
    expect(stats(network, { name: 'app', origin: second.server.origin })).toMatchObject({
      running: 2,
      size: 2,
    });
    // A Client has one connection (connected is 1 or 0) and no free or queued counts.
    expect(stats(network, { name: 'single' })).toEqual({
      connected: 1,
      free: undefined,
      pending: 0,
      queued: undefined,
      running: 1,
      size: 1,
    });
    first.release();
    second.release();
    for (const response of await Promise.all(pending)) await response.body.dump();
  });

  it('drops the series of a closed dispatcher and of an unobserved one', async () => {
    const { server } = await holdingServer();
    const pool = new Pool(server.origin);
    const other = new Pool(server.origin);
    cleanup.push(() => other.destroy());
    const network = collector();
    network.observeDispatcher(pool, 'closing');
    const unobserve = network.observeDispatcher(other, 'leaving');
    await network.registry.collect();
    expect(seriesValue(network.registry, Name.POOL_SIZE, { name: 'closing' })).toBe(0);
    await pool.close();
    unobserve();
    await network.registry.collect();
    expect(seriesValue(network.registry, Name.POOL_SIZE, { name: 'closing' })).toBeUndefined();
    expect(seriesValue(network.registry, Name.POOL_SIZE, { name: 'leaving' })).toBeUndefined();
    expect(network.unobserveDispatcher('closing')).toBe(false);
    // The name is free again.
    network.observeDispatcher(other, 'closing');
  });

  it('counts a dispatcher whose stats throw, without breaking the collection', async () => {
    const { server, release } = await holdingServer();
    // A real Agent whose stats getter fails on demand.
    const agent = new Agent();
    cleanup.push(() => agent.destroy());
    let broken = false;
    const readStats = Object.getOwnPropertyDescriptor(Agent.prototype, 'stats')!.get!;
    Object.defineProperty(agent, 'stats', {
      get() {
        if (broken) throw new Error('stats unavailable');
        return readStats.call(agent);
      },
    });
    const network = collector();
    network.observeDispatcher(agent, 'flaky');
    const response = agent.request({ origin: server.origin, path: '/', method: 'GET' });
    await waitFor('the request to run', () => agent.stats[server.origin]?.running === 1, { timeoutMs: 5000 });
    await network.registry.collect();
    expect(seriesValue(network.registry, Name.POOL_RUNNING, { name: 'flaky', origin: server.origin })).toBe(
      1,
    );
    broken = true;
    const snapshot = await network.registry.collect();
    // The stale series is gone rather than frozen at its last value; the error is counted.
    expect(snapshot.families.find((family) => family.name === Name.POOL_RUNNING)).toBeUndefined();
    expect(
      network.registry.self.collectorErrors.get({ collector: 'network', operation: 'observe_dispatcher' }),
    ).toBe(1);
    broken = false;
    await network.registry.collect();
    expect(seriesValue(network.registry, Name.POOL_RUNNING, { name: 'flaky', origin: server.origin })).toBe(
      1,
    );
    release();
    await (await response).body.dump();
  });

  it('rejects what it cannot observe', () => {
    const network = collector();
    const pool = new Pool('http://127.0.0.1:1');
    cleanup.push(() => pool.destroy());
    expect(() => network.observeDispatcher({} as Pool, 'x')).toThrow(ConfigError);
    expect(() => network.observeDispatcher(null as unknown as Pool, 'x')).toThrow(ConfigError);
    expect(() => network.observeDispatcher(pool, '')).toThrow(ConfigError);
    network.observeDispatcher(pool, 'x');
    expect(() => network.observeDispatcher(pool, 'x')).toThrow(ConfigError);
  });
});
