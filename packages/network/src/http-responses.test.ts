import { MetricsRegistry } from '@fw0/metrics-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import type { HttpProbeContext } from './options.js';
import { seriesValue } from './test-support/metrics.js';
import { startHttpServer, type TestServer } from './test-support/servers.js';

let server: TestServer;
const seen: { method: string | undefined; url: string | undefined; probe: string | undefined }[] = [];

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    seen.push({
      method: request.method,
      url: request.url,
      probe: request.headers['x-probe'] as string | undefined,
    });
    const path = request.url ?? '/';
    if (path === '/ok') response.end('status: ok');
    else if (path === '/missing') response.writeHead(404).end('not here');
    else if (path === '/moved') response.writeHead(302, { location: '/ok' }).end();
    else if (path === '/twice') response.writeHead(301, { location: '/moved' }).end();
    else if (path === '/loop') response.writeHead(302, { location: '/loop' }).end();
    else if (path === '/elsewhere') response.writeHead(302, { location: 'ftp://127.0.0.1/file' }).end();
    else response.writeHead(500).end();
  });
});
afterAll(() => server.close());

const collectors: NetworkMetricsCollector[] = [];
afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.close();
  seen.length = 0;
});

function collector(): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
  });
  collectors.push(created);
  return created;
}

function failures(network: NetworkMetricsCollector, path: string, reason: string): number | undefined {
  return seriesValue(network.registry, Name.PROBE_FAILURES, {
    kind: 'http',
    target: `${server.origin}${path}`,
    reason,
  });
}

describe('measureHttpRequest responses', () => {
  it('fails on a status outside 2xx unless the probe accepts it', async () => {
    const network = collector();
    expect(await network.measureHttpRequest(`${server.origin}/missing`, 5000)).toBeNull();
    expect(failures(network, '/missing', 'status_code')).toBe(1);
    expect(seriesValue(network.registry, Name.HTTP_STATUS_CODE, { target: `${server.origin}/missing` })).toBe(
      404,
    );
    const accepted = await network.measureHttpRequest(`${server.origin}/missing`, 5000, {
      validStatusCodes: [404],
    });
    expect((accepted!.context as HttpProbeContext).statusCode).toBe(404);
  });

  it('does not follow redirects unless asked', async () => {
    const network = collector();
    expect(await network.measureHttpRequest(`${server.origin}/moved`, 5000)).toBeNull();
    expect(seriesValue(network.registry, Name.HTTP_STATUS_CODE, { target: `${server.origin}/moved` })).toBe(
      302,
    );
    expect(seen.map((request) => request.url)).toEqual(['/moved']);
  });

  it('follows redirects up to the limit and adds up the phases of every hop', async () => {
    const network = collector();
    const sample = await network.measureHttpRequest(`${server.origin}/twice`, 5000, { followRedirects: 3 });
    const context = sample!.context as HttpProbeContext;
    expect(context).toMatchObject({ statusCode: 200, redirects: 2, bodyBytes: 10 });
    const { resolve, connect, tls, processing, transfer } = context.phases;
    expect(Math.abs(resolve + connect + tls + processing + transfer - sample!.value)).toBeLessThan(1e-9);
    expect(seen.map((request) => request.url)).toEqual(['/twice', '/moved', '/ok']);
    expect(seriesValue(network.registry, Name.HTTP_REDIRECTS, { target: `${server.origin}/twice` })).toBe(2);
  });

  it('fails with reason redirect past the limit or towards another scheme', async () => {
    const network = collector();
    expect(
      await network.measureHttpRequest(`${server.origin}/loop`, 5000, { followRedirects: 3 }),
    ).toBeNull();
    expect(failures(network, '/loop', 'redirect')).toBe(1);
    expect(seen.filter((request) => request.url === '/loop')).toHaveLength(4);
    expect(
      await network.measureHttpRequest(`${server.origin}/elsewhere`, 5000, { followRedirects: 3 }),
    ).toBeNull();
    expect(failures(network, '/elsewhere', 'redirect')).toBe(1);
  });

  it('checks the body against a pattern', async () => {
    const network = collector();
    expect(
      await network.measureHttpRequest(`${server.origin}/ok`, 5000, { bodyMatches: /status: ok/ }),
    ).not.toBeNull();
    expect(
      seriesValue(network.registry, Name.HTTP_FAILED_DUE_TO_REGEX, { target: `${server.origin}/ok` }),
    ).toBe(0);
    expect(
      await network.measureHttpRequest(`${server.origin}/ok`, 5000, { bodyMatches: /degraded/ }),
    ).toBeNull();
    expect(failures(network, '/ok', 'regex')).toBe(1);
    expect(
      seriesValue(network.registry, Name.HTTP_FAILED_DUE_TO_REGEX, { target: `${server.origin}/ok` }),
    ).toBe(1);
  });

  it('regression: a global pattern matches on every probe, not every other one', async () => {
    // RegExp.test with the g flag resumes from lastIndex: the second probe used to fail.
    const network = collector();
    const pattern = /status: ok/g;
    for (let i = 0; i < 3; i++) {
      expect(
        await network.measureHttpRequest(`${server.origin}/ok`, 5000, { bodyMatches: pattern }),
      ).not.toBeNull();
    }
  });

  it('sends the method and headers asked for, and labels by the target given', async () => {
    const network = collector();
    const sample = await network.measureHttpRequest(`${server.origin}/ok`, 5000, {
      method: 'HEAD',
      headers: { 'x-probe': 'fw0' },
      target: 'health',
    });
    expect(sample?.tags).toEqual({ kind: 'http', target: 'health' });
    expect(seen).toEqual([{ method: 'HEAD', url: '/ok', probe: 'fw0' }]);
    expect(seriesValue(network.registry, Name.PROBE_SUCCESS, { kind: 'http', target: 'health' })).toBe(1);
  });

  it('keeps per-target success rates: attempts, successes, failures by reason', async () => {
    const network = collector();
    await network.measureHttpRequest(`${server.origin}/ok`, 5000);
    await network.measureHttpRequest(`${server.origin}/ok`, 5000);
    await network.measureHttpRequest(`${server.origin}/ok`, 5000, { bodyMatches: /nope/ });
    await network.measureHttpRequest(`${server.origin}/missing`, 5000);
    const rates = network.getSuccessRates();
    expect(rates).toEqual([
      {
        kind: 'http',
        target: `${server.origin}/ok`,
        attempts: 3,
        successes: 2,
        failures: { regex: 1 },
        successRatio: 2 / 3,
      },
      {
        kind: 'http',
        target: `${server.origin}/missing`,
        attempts: 1,
        successes: 0,
        failures: { status_code: 1 },
        successRatio: 0,
      },
    ]);
    const ratio = seriesValue(network.registry, Name.PROBE_SUCCESS_RATIO, {
      kind: 'http',
      target: `${server.origin}/ok`,
    });
    expect(ratio).toBe(2 / 3);
  });
});
