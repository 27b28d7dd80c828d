import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { MetricsRegistry } from '../registry.js';
import { rawHttpRequest, statusOf } from '../test-support/raw-http.js';
import { createMetricsHandler } from './http-handler.js';
import type { JsonExposition } from './json.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { acceptsGzip, negotiateFormat } from './negotiate.js';
import { parseExposition } from './parse.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function populated(): MetricsRegistry {
  const registry = new MetricsRegistry();
  registry.counter({ name: 'jobs_total', help: 'Jobs.' }).add(3, { queue: 'a' });
  registry.histogram({ name: 'job_duration_seconds', help: 'Job time.', unit: 'seconds' }).observe(0.2);
  return registry;
}

describe('negotiateFormat', () => {
  it('follows Accept with q-values, defaulting to Prometheus text', () => {
    expect(negotiateFormat(undefined)).toBe('prometheus');
    expect(negotiateFormat('*/*')).toBe('prometheus');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('prometheus');
    // What Prometheus 2.x sends:
    expect(
      negotiateFormat(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toBe('openmetrics');
    expect(negotiateFormat('application/json')).toBe('json');
    expect(negotiateFormat('application/json;q=0.5, text/plain')).toBe('prometheus');
    expect(negotiateFormat('application/openmetrics-text;version=2.0.0')).toBeUndefined();
    expect(negotiateFormat('text/html')).toBeUndefined();
    expect(negotiateFormat('text/plain;q=0')).toBeUndefined();
  });

  it('reads Accept-Encoding', () => {
    expect(acceptsGzip('gzip, deflate')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('GZIP;Q=0.5')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
  });

  it('regression: an explicit q=0 for gzip wins over *, whatever the order', () => {
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip ; q = 0 , *;q=1')).toBe(false);
    expect(acceptsGzip('gzip;q=0.000, *')).toBe(false);
    expect(acceptsGzip('x-gzip;q=0, *')).toBe(false);
    // The other way round: an explicit gzip wins over a refusing *.
    expect(acceptsGzip('*;q=0, gzip')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('identity, *;q=0')).toBe(false);
  });

  it('regression: a q-value outside the grammar counts as a refusal, never as a yes', () => {
    // RFC 9110 qvalue: 0(.ddd) or 1(.000). Number() would read "0x1" and "1e0" as 1, "" as 0.
    for (const q of ['0x1', '1e0', 'abc', '', '-1', '1.5', '2', 'Infinity', '.5']) {
      expect(acceptsGzip(`gzip;q=${q}`), `gzip;q=${q}`).toBe(false);
      expect(negotiateFormat(`application/json;q=${q}`), `application/json;q=${q}`).toBeUndefined();
    }
    expect(acceptsGzip('gzip;q=0.001')).toBe(true);
    expect(acceptsGzip('gzip;q=1.000')).toBe(true);
  });

  it('a versioned media range is more specific than an unversioned one', () => {
    // Refusing text format 0.0.4 (the only text version served) refuses Prometheus text.
    expect(negotiateFormat('text/plain, text/plain;version=0.0.4;q=0')).toBeUndefined();
    expect(negotiateFormat('text/plain;version=0.0.4;q=0, text/plain')).toBeUndefined();
    expect(negotiateFormat('text/plain;q=0, text/plain;version=0.0.4')).toBe('prometheus');
  });
});

describe('createMetricsHandler', () => {
  it('serves Prometheus text by default, bound to loopback', async () => {
    server = await startMetricsServer(populated(), { port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const reply = await send(server.url);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const parsed = parseExposition(reply.body.toString());
    expect(parsed.families.find((f) => f.name === 'jobs_total')!.samples[0]!.value).toBe(3);
  });

  it('serves OpenMetrics and JSON by negotiation or ?format=', async () => {
    server = await startMetricsServer(populated(), { port: 0 });
    const om = await send(server.url, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.body.toString().endsWith('# EOF\n')).toBe(true);
    const json = await send(`${server.url}?format=json`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const document = JSON.parse(json.body.toString()) as JsonExposition;
    const histogram = document.metrics.find((m) => m.name === 'job_duration_seconds')!;
    expect(histogram.series[0]!.summary!.count).toBe(1);
    expect(histogram.series[0]!.summary!.p99).toBeCloseTo(0.2, 2);
    expect(histogram.series[0]!.buckets!.at(-1)).toEqual({ le: '+Inf', count: 1 });
  });

  it('compresses with gzip when asked', async () => {
    server = await startMetricsServer(populated(), { port: 0 });
    const reply = await send(server.url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(reply.body).toString()).toContain('jobs_total{queue="a"} 3');
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
  });

  it('answers 405 to other methods, 406 to unacceptable formats, 404 elsewhere', async () => {
    server = await startMetricsServer(populated(), { port: 0 });
    const post = await send(server.url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await send(server.url, { headers: { Accept: 'text/html' } })).status).toBe(406);
    expect((await send(server.url.replace('/metrics', '/other'))).status).toBe(404);
    const head = await send(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('regression: an unknown or inherited ?format= answers 406, not 500', async () => {
    const registry = populated();
    server = await startMetricsServer(registry, { port: 0 });
    for (const format of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'xml']) {
      expect((await send(`${server.url}?format=${format}`)).status, format).toBe(406);
    }
    expect(registry.self.scrapes.get({ code: '406' })).toBe(6);
    expect(registry.self.scrapes.get({ code: '500' })).toBeUndefined();
    expect((await send(`${server.url}?format=json`)).status).toBe(200);
  });

  it('regression: a request target that is not a URL answers 400 from the handler too', async () => {
    const registry = populated();
    const handler = createMetricsHandler(registry);
    const plain = createServer((request, response) => handler(request, response));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      const reply = await rawHttpRequest(port, 'GET // HTTP/1.1');
      expect(statusOf(reply)).toBe(400);
      expect(registry.self.scrapes.get({ code: '400' })).toBe(1);
      expect(registry.self.scrapes.get({ code: '500' })).toBeUndefined();
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('checks its options where they are given, not at each scrape', () => {
    const registry = new MetricsRegistry();
    for (const options of [
      { gzip: 'yes' },
      { gzip: 1 },
      { timeoutMs: 0 },
      { timeoutMs: 1.5 },
      { timeoutMs: Number.NaN },
      { timeoutMs: '100' },
      { timeoutMs: 3_600_001 },
    ]) {
      expect(() => createMetricsHandler(registry, options as never), JSON.stringify(options)).toThrow(
        ConfigError,
      );
    }
    expect(() => createMetricsHandler(registry, null as never)).toThrow(ConfigError);
    expect(typeof createMetricsHandler(registry, { gzip: false, timeoutMs: 1 })).toBe('function');
  });

  it('requires the bearer token when configured', async () => {
    server = await startMetricsServer(populated(), { port: 0, bearerToken: 's3cret' });
    expect((await send(server.url)).status).toBe(401);
    expect((await send(server.url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await send(server.url, { headers: { Authorization: 'Bearer s3cret-longer' } })).status).toBe(401);
    const ok = await send(server.url, { headers: { Authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    await expect(startMetricsServer(new MetricsRegistry(), { bearerToken: '' })).rejects.toThrow(ConfigError);
  });

  it('never throws into the server: a failing snapshot answers 500 and is counted', async () => {
    const registry = populated();
    (registry as unknown as { snapshot: () => never }).snapshot = () => {
      throw new Error('snapshot exploded');
    };
    server = await startMetricsServer(registry, { port: 0 });
    const reply = await send(server.url);
    expect(reply.status).toBe(500);
    expect((await send(server.url)).status).toBe(500);
    expect(registry.self.scrapes.get({ code: '500' })).toBe(2);
  });

  it('still answers when a collector hangs, within the timeout', async () => {
    const registry = populated();
    registry.register({ name: 'hung', getCollectedMetrics: () => [], refresh: () => new Promise(() => {}) });
    server = await startMetricsServer(registry, { port: 0, timeoutMs: 100 });
    const reply = await send(server.url);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toContain('fw0_collector_timeouts_total{collector="hung"} 1');
  });

  it('measures scrapes as self-metrics', async () => {
    const registry = populated();
    server = await startMetricsServer(registry, { port: 0 });
    await send(server.url);
    await send(server.url, { headers: { Accept: 'application/json' } });
    expect(registry.self.scrapeDuration.bind({ format: 'prometheus' }).count).toBe(1);
    expect(registry.self.scrapeDuration.bind({ format: 'json' }).count).toBe(1);
    expect(registry.self.scrapes.get({ code: '200' })).toBe(2);
  });
});
