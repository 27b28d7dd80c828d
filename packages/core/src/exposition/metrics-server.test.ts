import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { MetricsRegistry } from '../registry.js';
import { rawHttpRequest, statusOf } from '../test-support/raw-http.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startMetricsServer', () => {
  it('regression: a request target that is not a URL (GET //) answers 400 instead of crashing the host', async () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'jobs_total' }).add(1);
    server = await startMetricsServer(registry, { port: 0 });
    for (const target of ['//', '//:x', 'http://[', '//a:b@:1/metrics']) {
      const reply = await rawHttpRequest(server.port, `GET ${target} HTTP/1.1`);
      expect(statusOf(reply), `GET ${target}`).toBe(400);
    }
    // Still serving afterwards.
    const ok = await rawHttpRequest(server.port, 'GET /metrics HTTP/1.1');
    expect(statusOf(ok)).toBe(200);
    expect(ok).toContain('jobs_total 1');
  });

  it('checks the host option: an IP address or a host name (null and undefined mean the default)', async () => {
    const registry = new MetricsRegistry();
    for (const host of ['', ' ', 'a b', '127.0.0.1\n', 'host_name', '-x', 5, {}, ['127.0.0.1']]) {
      await expect(
        startMetricsServer(registry, { port: 0, host: host as string }),
        JSON.stringify(host),
      ).rejects.toThrow(ConfigError);
    }
    server = await startMetricsServer(registry, { port: 0, host: '::1' });
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+\/metrics$/);
  });

  it('checks the path option: a string starting with /', async () => {
    const registry = new MetricsRegistry();
    for (const path of ['', 'metrics', 5, {}, '/a b', '/m?x=1', '/m#x', '/a/../metrics', '/métriques']) {
      await expect(
        startMetricsServer(registry, { port: 0, path: path as string }),
        JSON.stringify(path),
      ).rejects.toThrow(ConfigError);
    }
    server = await startMetricsServer(registry, { port: 0, path: '/m%C3%A9triques' });
    expect(statusOf(await rawHttpRequest(server.port, 'GET /m%C3%A9triques HTTP/1.1'))).toBe(200);
    expect(statusOf(await rawHttpRequest(server.port, 'GET /metrics HTTP/1.1'))).toBe(404);
  });
});
