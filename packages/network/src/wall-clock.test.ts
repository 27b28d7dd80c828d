import { performance } from 'node:perf_hooks';
import { MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { NetworkMetricsCollector } from './network-collector.js';
import { startHttpServer } from './test-support/servers.js';
import { epochMilliseconds } from './wall-clock.js';

/** Clock readings taken one after the other differ by this much at most on a loaded machine (ms). */
const SLACK_MS = 5;

describe('epochMilliseconds', () => {
  it('turns a performance.now() reading into the wall-clock time of that moment', () => {
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const epoch = epochMilliseconds(performance.now());
      const after = Date.now();
      expect(epoch).toBeGreaterThanOrEqual(before - SLACK_MS);
      expect(epoch).toBeLessThanOrEqual(after + SLACK_MS);
    }
    // A reading from a second ago is a second before now, not now.
    expect(Date.now() - epochMilliseconds(performance.now() - 1000)).toBeGreaterThanOrEqual(1000 - SLACK_MS);
  });

  it('stamps a measurement sample with the time its measurement ended', async () => {
    const server = await startHttpServer((_request, response) => setTimeout(() => response.end('ok'), 50));
    const network = new NetworkMetricsCollector({
      registry: new MetricsRegistry(),
      maxSamplesPerSecond: false,
    });
    try {
      const started = Date.now();
      const sample = await network.measureHttpRequest(`${server.origin}/`, 5000);
      const ended = Date.now();
      expect(sample).not.toBeNull();
      // At least the server's 50 ms after the start, and not after the promise resolved.
      expect(sample!.timestamp).toBeGreaterThanOrEqual(started + 49 - SLACK_MS);
      expect(sample!.timestamp).toBeLessThanOrEqual(ended + SLACK_MS);
    } finally {
      await network.close();
      await server.close();
    }
  });
});
