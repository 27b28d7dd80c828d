import {
  ConfigError,
  InvalidTargetError,
  MetricsRegistry,
  type MetricsSnapshot,
  serializeOpenMetrics,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { sendHttp } from './http/send.js';
import { PushgatewayClient } from './pushgateway/client.js';
import { RemoteWriteExporter } from './remote-write/exporter.js';
import { SeriesEncoder } from './remote-write/series-encoder.js';
import { decodeWriteRequest } from './remote-write/write-request.js';
import { startScriptedReceiver } from './test-support/scripted-receiver.js';

/**
 * Regressions found by the bad-input properties of `apps/reliability` (src/fuzz/push.properties.ts):
 * each bad option used to be accepted and to fail later, out of sight, or to leave state behind.
 */

/** What a caller can see of a registry: both expositions and the metric definitions. */
function observable(registry: MetricsRegistry): string {
  return `${serializeOpenMetrics(registry.snapshot())}${registry
    .getMetrics()
    .map((metric) => metric.name)
    .join(',')}`;
}

const both = [
  ['RemoteWriteExporter', (options: object) => new RemoteWriteExporter(options as never)],
  ['PushgatewayClient', (options: object) => new PushgatewayClient({ job: 'j', ...options } as never)],
] as const;

describe('bad-input regressions', () => {
  for (const [kind, create] of both) {
    it(`${kind}: credentials that are not valid percent-encoding are refused at once`, () => {
      // They used to become basic auth at each request: a URIError, a rejected push() or
      // remote-write samples lost without being counted.
      for (const url of [
        'http://%ff@127.0.0.1:9/',
        'http://a:%E0%A4%A@127.0.0.1:9/',
        'http://%C3%28:x@127.0.0.1:9/',
      ]) {
        const registry = new MetricsRegistry();
        expect(() => create({ url, registry })).toThrow(InvalidTargetError);
        expect(registry.collectors).toEqual([]);
      }
      const registry = new MetricsRegistry();
      expect(create({ url: 'http://us%20er:p%40ss@127.0.0.1:9/', registry }).url).toBe('http://127.0.0.1:9/');
    });

    it(`${kind}: a header value Node will not send, or Transfer-Encoding, is refused at once`, () => {
      for (const headers of [
        { 'x-a': '😀' },
        { 'x-a': '\u0001' },
        { 'x-a': '\u007f' },
        { 'Transfer-Encoding': 'chunked' },
      ]) {
        const registry = new MetricsRegistry();
        expect(() => create({ url: 'http://127.0.0.1:9/', registry, headers })).toThrow(ConfigError);
      }
      // Latin-1 is a valid field value (obs-text), as Node sends it.
      expect(() =>
        create({ url: 'http://127.0.0.1:9/', registry: new MetricsRegistry(), headers: { 'x-a': 'é' } }),
      ).not.toThrow();
    });

    it(`${kind}: a client certificate or key Node cannot read is refused at once`, () => {
      for (const tls of [{ cert: 'not a PEM' }, { key: Buffer.from('not a PEM') }]) {
        expect(() => create({ url: 'https://127.0.0.1:9/', registry: new MetricsRegistry(), tls })).toThrow(
          ConfigError,
        );
      }
    });

    it(`${kind}: a refused name or logger leaves no self-metric behind`, () => {
      // The self-metrics used to be bound before the base class checked the name and logger.
      const registry = new MetricsRegistry();
      registry.counter({ name: 'jobs', help: 'Jobs.' }).add(1);
      const before = observable(registry);
      for (const options of [{ name: 'a\uD800' }, { logger: {} }, { logger: 5 }]) {
        expect(() => create({ url: 'http://127.0.0.1:9/', registry, ...options })).toThrow(ConfigError);
        expect(observable(registry)).toBe(before);
        expect(registry.collectors).toEqual([]);
      }
    });
  }

  it('flush() and stop() refuse options that are not an object, and stay usable', async () => {
    const receiver = await startScriptedReceiver();
    const exporter = new RemoteWriteExporter({ url: receiver.url, registry: new MetricsRegistry() });
    try {
      await expect(exporter.flush(null as never)).rejects.toThrow(ConfigError);
      expect(() => exporter.stop(5 as never)).toThrow(ConfigError);
      await expect(exporter.flush({ timeoutMs: 5000 })).resolves.toBe(true);
    } finally {
      await exporter.stop();
      await receiver.close();
    }
  });

  it('decodeWriteRequest keeps a label value that starts with U+FEFF', () => {
    // TextDecoder strips a leading byte-order mark unless told not to: the value arrived empty.
    const snapshot: MetricsSnapshot = {
      timestamp: 1000,
      families: [
        {
          name: 'jobs',
          type: 'counter',
          help: '',
          unit: undefined,
          series: [{ labels: { queue: '\uFEFFa' }, value: 1 }],
        },
      ],
    };
    const write = decodeWriteRequest(new SeriesEncoder().encode(snapshot).bytes);
    expect(write.timeseries[0]?.labels).toEqual([
      { name: '__name__', value: 'jobs_total' },
      { name: 'queue', value: '\uFEFFa' },
    ]);
  });

  it('sendHttp resolves a request Node refuses to build as a network failure, never a rejection', async () => {
    const outcome = await sendHttp({
      url: new URL('http://127.0.0.1:9/'),
      method: 'POST',
      headers: { 'x-a': '😀' },
      body: new Uint8Array(1),
      timeoutMs: 1000,
    });
    expect(outcome.kind).toBe('network');
    expect(outcome.kind === 'network' && outcome.error.message).toMatch(/header/i);
  });
});
