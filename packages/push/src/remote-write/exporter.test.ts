import {
  ClosedError,
  ConfigError,
  InvalidLabelError,
  InvalidTargetError,
  MetricsRegistry,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { labelsOf, named, useExporterFixture } from '../test-support/exporter-fixture.js';
import type { ReceivedRequest } from '../test-support/scripted-receiver.js';
import { pushStats } from '../test-support/self-metrics.js';
import { selfSignedCertificate } from '../test-support/tls-certificate.js';
import { RemoteWriteExporter } from './exporter.js';

const { receiver, exporter } = useExporterFixture();

describe('RemoteWriteExporter', () => {
  it('sends remote-write 1.0: protocol headers, snappy protobuf, labels and metadata', async () => {
    const remote = await receiver();
    const registry = new MetricsRegistry();
    registry.counter({ name: 'orders_total', help: 'Orders placed.' }).add(7, { shop: 'a "b"' });
    const push = exporter({
      url: remote.url,
      registry,
      headers: { Authorization: 'Bearer secret-token' },
      externalLabels: { instance: 'test-1' },
    });
    expect(await push.flush()).toBe(true);
    expect(await push.flush()).toBe(true);
    expect(remote.requests).toHaveLength(2);
    const [first, second] = remote.requests as [ReceivedRequest, ReceivedRequest];
    expect(first.method).toBe('POST');
    expect(first.path).toBe('/api/v1/write');
    expect(first.headers).toMatchObject({
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'x-prometheus-remote-write-version': '0.1.0',
      authorization: 'Bearer secret-token',
      'user-agent': expect.stringMatching(/^fw0-metrics-push\//),
    });
    const [orders] = named(first, 'orders_total');
    expect(labelsOf(orders!)).toEqual({ __name__: 'orders_total', instance: 'test-1', shop: 'a "b"' });
    expect(orders!.samples[0]!.value).toBe(7);
    expect(Math.abs(orders!.samples[0]!.timestamp - Date.now())).toBeLessThan(60_000);
    // Metadata goes with the first request, then once per metadataIntervalMs (60 s by default).
    expect(first.write!.metadata.find((item) => item.metricFamilyName === 'orders_total')).toEqual({
      type: 1,
      metricFamilyName: 'orders_total',
      help: 'Orders placed.',
      unit: '',
    });
    expect(second.write!.metadata).toEqual([]);
    expect(named(second, 'orders_total')[0]!.samples[0]!.timestamp).toBeGreaterThanOrEqual(
      orders!.samples[0]!.timestamp,
    );
    const stats = pushStats(registry);
    expect(stats.sent).toBe(first.write!.timeseries.length + second.write!.timeseries.length);
    expect(stats.sentBytes).toBe(first.body.length + second.body.length);
    expect(stats.lastSuccess).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('splits a large snapshot into requests of maxSamplesPerRequest, in order', async () => {
    const remote = await receiver();
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'slot' });
    for (let i = 0; i < 95; i++) gauge.set(i, { i: String(i).padStart(3, '0') });
    const push = exporter({ url: remote.url, registry, maxSamplesPerRequest: 10 });
    expect(await push.flush()).toBe(true);
    expect(remote.requests.length).toBeGreaterThanOrEqual(10);
    for (const request of remote.requests) expect(request.write!.timeseries.length).toBeLessThanOrEqual(10);
    const slots = remote.requests.flatMap((request) =>
      named(request, 'slot').map((series) => series.samples[0]!.value),
    );
    expect(slots).toEqual(Array.from({ length: 95 }, (_, i) => i));
  });

  it('pushes in the background every intervalMs and a last snapshot on stop()', async () => {
    const remote = await receiver();
    const registry = new MetricsRegistry();
    const ticks = registry.counter({ name: 'ticks_total' });
    const push = exporter({ url: remote.url, registry, intervalMs: 100 });
    push.start();
    expect(push.running).toBe(true);
    const deadline = Date.now() + 10_000;
    while (remote.requests.length < 4 && Date.now() < deadline) {
      ticks.add();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    ticks.add(100);
    await push.stop();
    expect(push.running).toBe(false);
    const values = remote.requests.map((request) => named(request, 'ticks_total')[0]!.samples[0]!);
    expect(values.length).toBeGreaterThanOrEqual(5);
    // The last request is stop()'s snapshot: it has the final total.
    expect(values.at(-1)!.value).toBe(ticks.get());
    for (let i = 1; i < values.length; i++)
      expect(values[i]!.timestamp).toBeGreaterThanOrEqual(values[i - 1]!.timestamp);
    expect(() => push.start()).toThrow(ClosedError);
    await expect(push.flush()).rejects.toThrow(ClosedError);
    // stop() unregistered the exporter: a new one may take its name.
    expect(() => exporter({ url: remote.url, registry })).not.toThrow();
  });

  it('checks options at once, with typed errors naming the value, registering nothing', () => {
    const registry = new MetricsRegistry();
    const url = 'http://127.0.0.1:9/api/v1/write';
    expect(() => new RemoteWriteExporter({ url: 'ftp://example/write', registry })).toThrow(
      InvalidTargetError,
    );
    expect(() => new RemoteWriteExporter({ url: 'not a url', registry })).toThrow(/"not a url"/);
    expect(() => new RemoteWriteExporter({ url } as never)).toThrow(ConfigError);
    expect(() => new RemoteWriteExporter({ url, registry, intervalMs: 0 })).toThrow(/intervalMs=0/);
    expect(
      () => new RemoteWriteExporter({ url, registry, maxSamplesPerRequest: 500, maxQueueSamples: 100 }),
    ).toThrow(/maxQueueSamples=100/);
    expect(() => new RemoteWriteExporter({ url, registry, headers: { 'Content-Encoding': 'gzip' } })).toThrow(
      /Content-Encoding/,
    );
    expect(() => new RemoteWriteExporter({ url, registry, headers: { 'X-Bad': 'a\r\nb' } })).toThrow(
      ConfigError,
    );
    expect(() => new RemoteWriteExporter({ url, registry, externalLabels: { __name__: 'x' } })).toThrow(
      InvalidLabelError,
    );
    expect(() => new RemoteWriteExporter({ url, registry, externalLabels: { 'bad-name': 'x' } })).toThrow(
      /bad-name/,
    );
    expect(registry.getMetrics()).toEqual([]);
    expect(registry.collectors).toEqual([]);
    const first = exporter({ url, registry });
    expect(() => new RemoteWriteExporter({ url, registry })).toThrow(/already registered/);
    expect(registry.collectors).toEqual([first]);
  });

  it('pushes over HTTPS to a remote whose certificate a private CA signed', async () => {
    const certificate = selfSignedCertificate();
    const remote = await receiver(0, certificate);
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'secure_level' }).set(4);
    const trusted = exporter({ url: remote.url, registry, tls: { ca: certificate.cert } });
    expect(await trusted.flush()).toBe(true);
    expect(named(remote.requests[0]!, 'secure_level')[0]!.samples[0]!.value).toBe(4);
    // Without the CA the certificate is refused: a network failure, retried later, never thrown.
    const other = new MetricsRegistry();
    const untrusted = exporter({
      url: remote.url,
      registry: other,
      retry: { initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
    });
    expect(await untrusted.flush({ timeoutMs: 2000 })).toBe(false);
    expect(pushStats(other).failed('network')).toBe(1);
    expect(remote.requests).toHaveLength(1);
    expect(() => exporter({ url: 'http://127.0.0.1:1/w', registry: other, name: 'x', tls: {} })).toThrow(
      /no TLS options for an http:\/\/ URL/,
    );
    expect(() => exporter({ url: remote.url, registry: other, name: 'y', tls: { ca: 5 as never } })).toThrow(
      /tls\.ca=5/,
    );
  });
});
