import type { ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ClosedError, ConfigError, InvalidTargetError, MetricsRegistry } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import { startUnansweredPort } from './test-support/hosts.js';
import { seriesValue } from './test-support/metrics.js';
import { sleep, startHttpServer, startSilentServer, type TestServer } from './test-support/servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function collector(maxConcurrentProbes = 8): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({ registry: new MetricsRegistry(), maxConcurrentProbes });
  cleanup.push(() => created.close());
  return created;
}

async function server(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const started = await startHttpServer(handler);
  cleanup.push(() => started.close());
  return started;
}

const attempts = (network: NetworkMetricsCollector, kind: string, target: string) =>
  seriesValue(network.registry, Name.PROBE_ATTEMPTS, { kind, target }) ?? 0;

describe('startProbes / stopProbes', () => {
  it('probes HTTP and TCP targets every interval and stops when told', async () => {
    const web = await server((_request, response) => response.end('ok'));
    const tcp = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => tcp.close(resolve)));
    const tcpPort = (tcp.address() as { port: number }).port;
    const network = collector();
    await network.startProbes([
      { kind: 'http', url: `${web.origin}/health`, intervalMs: 50 },
      { kind: 'tcp', host: '127.0.0.1', port: tcpPort, intervalMs: 50, timeoutMs: 1000 },
    ]);
    // The promise resolved after the first round (a fast target may have started its second).
    expect(attempts(network, 'http', `${web.origin}/health`)).toBeGreaterThanOrEqual(1);
    expect(attempts(network, 'tcp', `127.0.0.1:${tcpPort}`)).toBeGreaterThanOrEqual(1);
    await waitFor('three rounds', () => attempts(network, 'http', `${web.origin}/health`) >= 3, {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    await network.stopProbes();
    const stopped = attempts(network, 'http', `${web.origin}/health`);
    await sleep(200);
    expect(attempts(network, 'http', `${web.origin}/health`)).toBe(stopped);
    expect(
      seriesValue(network.registry, Name.PROBE_SUCCESS_RATIO, {
        kind: 'tcp',
        target: `127.0.0.1:${tcpPort}`,
      }),
    ).toBe(1);
  });

  it('never overlaps the runs of one target: a slow probe delays the next', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = await server((_request, response) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        response.end('late');
      }, 120);
    });
    const network = collector();
    await network.startProbes([{ kind: 'http', url: slow.origin, intervalMs: 30, timeoutMs: 2000 }]);
    await waitFor('three probes', () => attempts(network, 'http', `${slow.origin}/`) >= 3, {
      timeoutMs: 5000,
    });
    await network.stopProbes();
    expect(most).toBe(1);
    expect(network.registry.self.taskOverruns.get({ task: `probe http ${slow.origin}/` })).toBeGreaterThan(0);
  });

  it('runs at most maxConcurrentProbes probes at once', async () => {
    const held: ServerResponse[] = [];
    const holding = await server((_request, response) => void held.push(response));
    const network = collector(2);
    const first = network.startProbes(
      ['/a', '/b', '/c', '/d'].map((path) => ({
        kind: 'http' as const,
        url: `${holding.origin}${path}`,
        intervalMs: 60_000,
      })),
    );
    await waitFor('two probes to arrive', () => held.length === 2, { timeoutMs: 5000, intervalMs: 10 });
    await sleep(100);
    expect(held).toHaveLength(2);
    for (const response of held.splice(0)) response.end('ok');
    await waitFor('the other two', () => held.length === 2, { timeoutMs: 5000, intervalMs: 10 });
    for (const response of held.splice(0)) response.end('ok');
    await first;
    expect(network.getSuccessRates().map((rate) => rate.successes)).toEqual([1, 1, 1, 1]);
  });

  it('ends each probe at its timeout, and stopProbes waits for the probe in flight', async () => {
    const TIMEOUT_MS = 1000;
    /** A probe outliving its timeout by more than this fails the test (a loaded machine is slow, not that slow). */
    const LATE_MS = 1000;
    const silent = await startSilentServer();
    cleanup.push(() => silent.close());
    const unanswered = await startUnansweredPort();
    cleanup.push(() => unanswered.stop());
    const network = collector();
    const started = performance.now();
    void network.startProbes([
      { kind: 'http', url: `${silent.origin}/`, intervalMs: 60_000, timeoutMs: TIMEOUT_MS },
      { kind: 'tcp', host: '127.0.0.1', port: unanswered.port, intervalMs: 60_000, timeoutMs: TIMEOUT_MS },
    ]);
    await waitFor('the probe to connect', () => silent.accepted === 1, { timeoutMs: 5000, intervalMs: 5 });
    let stopped = false;
    const stopping = network.stopProbes().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false); // the probes in flight (950 ms to go) are awaited...
    // ...and end at their timeout: waited for no longer than the timeout and the lateness allowed.
    await Promise.race([stopping, sleep(TIMEOUT_MS + LATE_MS - (performance.now() - started))]);
    expect(stopped).toBe(true);
    const stoppedAfter = performance.now() - started;
    expect(stoppedAfter).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    expect(stoppedAfter).toBeLessThan(TIMEOUT_MS + LATE_MS);
    const http = { kind: 'http', target: `${silent.origin}/` };
    const tcp = { kind: 'tcp', target: `127.0.0.1:${unanswered.port}` };
    for (const labels of [http, tcp]) {
      expect(seriesValue(network.registry, Name.PROBE_FAILURES, { ...labels, reason: 'timeout' })).toBe(1);
      // Each probe's own duration: from its start to its end, at the timeout and not long after.
      const seconds = seriesValue(network.registry, Name.PROBE_DURATION, labels)!;
      expect(seconds).toBeGreaterThanOrEqual((TIMEOUT_MS - 1) / 1000);
      expect(seconds).toBeLessThan((TIMEOUT_MS + LATE_MS) / 1000);
    }
    // The server's view: the connection was closed at the deadline, not left open.
    await silent.idle(2000);
    const [connection] = silent.connections;
    expect(connection!.closedAt! - connection!.acceptedAt).toBeLessThan(TIMEOUT_MS + LATE_MS);
  });

  it('checks every target before starting any', async () => {
    const web = await server((_request, response) => response.end('ok'));
    const network = collector();
    const good = { kind: 'http' as const, url: web.origin, intervalMs: 50 };
    expect(() => network.startProbes([good, { kind: 'http', url: 'ftp://127.0.0.1/' }])).toThrow(
      InvalidTargetError,
    );
    expect(() => network.startProbes([good, { kind: 'udp' } as never])).toThrow(ConfigError);
    expect(() => network.startProbes([good, { kind: 'tcp', host: '127.0.0.1', port: 0 }])).toThrow(
      InvalidTargetError,
    );
    expect(() => network.startProbes([good, { ...good, intervalMs: 0 }])).toThrow(ConfigError);
    expect(() => network.startProbes([good, { ...good, timeoutMs: 2.5 }])).toThrow(ConfigError);
    expect(() => network.startProbes([good, good])).toThrow(ConfigError);
    expect(() => network.startProbes('x' as never)).toThrow(ConfigError);
    await sleep(100);
    expect(web.accepted).toBe(0);
    expect(network.getSuccessRates()).toEqual([]);
    await network.startProbes([good]);
    expect(() => network.startProbes([good])).toThrow(ConfigError); // already probing
    await network.close();
    expect(() => network.startProbes([good])).toThrow(ClosedError);
  });
});
