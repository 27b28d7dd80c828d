import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { MetricsRegistry } from '@fw0/metrics-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NetworkMetricName as Name } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import type { HttpProbeContext } from './options.js';
import { makeSelfSignedCertificate, type TestCertificate } from './test-support/hosts.js';
import { histogramOf, seriesValue } from './test-support/metrics.js';
import { startHttpsServer, startSilentServer, type TestServer } from './test-support/servers.js';
import { socketTiming } from './timed-connector.js';

/** A timed-out probe ends no earlier than its timeout and at most this much later (ms, loaded machine). */
const LATE_MS = 300;

let certificate: TestCertificate;
let server: TestServer;

beforeAll(async () => {
  certificate = makeSelfSignedCertificate();
  server = await startHttpsServer(certificate, (_request, response) => response.end('secure'));
});
afterAll(() => server.close());

const collectors: NetworkMetricsCollector[] = [];
afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.close();
});

function collector(): NetworkMetricsCollector {
  const created = new NetworkMetricsCollector({
    registry: new MetricsRegistry(),
    maxSamplesPerSecond: false,
  });
  collectors.push(created);
  return created;
}

const contextOf = (sample: { context?: unknown } | null) => sample?.context as HttpProbeContext;

describe('measureHttpRequest over TLS', () => {
  it('rejects a self-signed certificate by default, counting a tls failure', async () => {
    const network = collector();
    const sample = await network.measureHttpRequest(`${server.origin}/`, 5000);
    expect(sample).toBeNull();
    const target = `${server.origin}/`;
    expect(seriesValue(network.registry, Name.PROBE_FAILURES, { kind: 'http', target, reason: 'tls' })).toBe(
      1,
    );
    expect(seriesValue(network.registry, Name.PROBE_SUCCESS, { kind: 'http', target })).toBe(0);
    expect(
      network.registry.self.collectorErrors.get({ collector: 'network', operation: 'measure_http_request' }),
    ).toBe(1);
  });

  it('accepts it when the probe is told to, and measures the TLS handshake', async () => {
    const network = collector();
    const sample = await network.measureHttpRequest(`${server.origin}/`, 5000, { insecure: true });
    expect(sample).not.toBeNull();
    const context = contextOf(sample);
    expect(context.tls).toBe(true);
    expect(context.phases.tls).toBeGreaterThan(0);
    expect(context.phases.connect).toBeGreaterThan(0);
    const { resolve, connect, tls, processing, transfer } = context.phases;
    expect(Math.abs(resolve + connect + tls + processing + transfer - sample!.value)).toBeLessThan(1e-9);
    const target = `${server.origin}/`;
    expect(seriesValue(network.registry, Name.HTTP_SSL, { target })).toBe(1);
    expect(seriesValue(network.registry, Name.HTTP_DURATION, { target, phase: 'tls' })).toBe(
      context.phases.tls,
    );
    // The handshake's distribution has it, as the sum of its one observation.
    const handshakes = histogramOf(network.registry, Name.PROBE_PHASE_DURATION, {
      kind: 'http',
      target,
      phase: 'tls',
    });
    expect(handshakes.count).toBe(1);
    expect(handshakes.sum).toBe(context.phases.tls);
    // The certificate was made valid for 2 days: its expiry is 2 days from now, give or take one.
    const expiry = seriesValue(network.registry, Name.SSL_EARLIEST_CERT_EXPIRY, { target })!;
    const days = (expiry - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(1);
    expect(days).toBeLessThan(3);
  });

  it('accepting is per probe: a probe without the option still rejects the certificate', async () => {
    const network = collector();
    expect(await network.measureHttpRequest(`${server.origin}/a`, 5000, { insecure: true })).not.toBeNull();
    expect(await network.measureHttpRequest(`${server.origin}/a`, 5000)).toBeNull();
    expect(await network.measureHttpRequest(`${server.origin}/a`, 5000, { insecure: true })).not.toBeNull();
  });

  it('verifies the certificate against a CA given to the probe', async () => {
    const network = collector();
    const byAddress = await network.measureHttpRequest(`${server.origin}/`, 5000, { ca: certificate.cert });
    const byName = await network.measureHttpRequest(`https://localhost:${server.port}/`, 5000, {
      ca: certificate.cert,
    });
    expect(contextOf(byAddress).statusCode).toBe(200);
    expect(contextOf(byName).phases.resolve).toBeGreaterThan(0);
  });

  it('makes one TLS context per configuration, not one per connection', async () => {
    const network = collector();
    // tls.connect makes a context through tls.createSecureContext unless it is given one: a
    // counting wrapper sees each (about 0.5 ms of CPU, which would land in the DNS phase).
    const original = tls.createSecureContext;
    let made = 0;
    tls.createSecureContext = (options) => {
      made++;
      return original(options);
    };
    try {
      for (let probe = 0; probe < 3; probe++) {
        const sample = await network.measureHttpRequest(`${server.origin}/`, 5000, {
          ca: certificate.cert,
          keepAlive: false,
        });
        expect(contextOf(sample)).toMatchObject({ statusCode: 200, connectionReused: false });
      }
    } finally {
      tls.createSecureContext = original;
    }
    expect(made).toBeLessThanOrEqual(1);
  });

  it('reads the certificate chain after writing the first request, not in its processing time', async () => {
    const network = collector();
    // What the connection's timings held when undici wrote each request to it.
    const atWrite: { secureAt: number | undefined; expiry: number | undefined }[] = [];
    const onSendHeaders = (message: unknown) => {
      const timing = socketTiming((message as { socket: object }).socket);
      atWrite.push({ secureAt: timing?.secureAt, expiry: timing?.certificateExpiry });
    };
    diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
    try {
      const sample = await network.measureHttpRequest(`${server.origin}/`, 5000, {
        insecure: true,
        keepAlive: false,
      });
      expect(contextOf(sample).connectionReused).toBe(false);
    } finally {
      diagnosticsChannel.unsubscribe('undici:client:sendHeaders', onSendHeaders);
    }
    expect(atWrite).toHaveLength(1);
    expect(atWrite[0]!.secureAt).toBeGreaterThan(0);
    expect(atWrite[0]!.expiry).toBeUndefined();
    // ... and the measurement still reports it, read when it completed.
    const expiry = seriesValue(network.registry, Name.SSL_EARLIEST_CERT_EXPIRY, {
      target: `${server.origin}/`,
    });
    expect(expiry).toBeGreaterThan(Date.now() / 1000);
  });

  it('reuses the TLS connection: no handshake on the second request', async () => {
    const network = collector();
    await network.measureHttpRequest(`${server.origin}/one`, 5000, { insecure: true });
    await new Promise((resolve) => setImmediate(resolve)); // undici reuses it after a loop cycle
    const second = await network.measureHttpRequest(`${server.origin}/two`, 5000, { insecure: true });
    expect(contextOf(second)).toMatchObject({ connectionReused: true, tls: true });
    expect(contextOf(second).phases).toMatchObject({ connect: 0, tls: 0 });
    // Still reported on a reused connection: the certificate belongs to the connection.
    expect(
      seriesValue(network.registry, Name.SSL_EARLIEST_CERT_EXPIRY, { target: `${server.origin}/two` }),
    ).toBeGreaterThan(0);
  });

  /**
   * Probes, as https://, a TCP server that accepts and never answers the ClientHello: the probe
   * must end at `endsAtMs` (not before, at most LATE_MS after) with reason timeout, and the
   * server must see the connection closed.
   */
  async function probeStalledHandshake(
    network: NetworkMetricsCollector,
    timeoutMs: number,
    endsAtMs: number,
  ) {
    const stalled = await startSilentServer();
    try {
      const target = `https://127.0.0.1:${stalled.port}/`;
      const started = performance.now();
      expect(await network.measureHttpRequest(target, timeoutMs, { insecure: true })).toBeNull();
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(endsAtMs - 1);
      expect(elapsed).toBeLessThan(endsAtMs + LATE_MS);
      expect(
        seriesValue(network.registry, Name.PROBE_FAILURES, { kind: 'http', target, reason: 'timeout' }),
      ).toBe(1);
      expect(seriesValue(network.registry, Name.HTTP_STATUS_CODE, { target })).toBe(0);
      await stalled.idle(2000); // the attempt was abandoned: the server saw the close
      expect(stalled.accepted).toBe(1);
    } finally {
      await stalled.close();
    }
  }

  it('ends a TLS handshake that stalls at the probe timeout, with reason timeout, closing the connection', async () => {
    await probeStalledHandshake(collector(), 400, 400);
  });

  it('ends a stalled TLS handshake at connectTimeoutMs when that comes first, also as timeout', async () => {
    const network = new NetworkMetricsCollector({
      registry: new MetricsRegistry(),
      maxSamplesPerSecond: false,
      connectTimeoutMs: 300,
    });
    collectors.push(network);
    await probeStalledHandshake(network, 10_000, 300);
  });
});
