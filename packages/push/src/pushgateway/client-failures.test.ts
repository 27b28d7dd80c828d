import {
  ConfigError,
  InvalidLabelError,
  MetricsRegistry,
  PROMETHEUS_CONTENT_TYPE,
  parseExposition,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/processes.js';
import { startScriptedReceiver } from '../test-support/scripted-receiver.js';
import { pushStats } from '../test-support/self-metrics.js';
import { PushgatewayClient } from './client.js';

describe('PushgatewayClient failures and retries', () => {
  it('resolves an unreachable gateway as a network failure', async () => {
    const registry = new MetricsRegistry();
    const client = new PushgatewayClient({ url: `http://127.0.0.1:${await freePort()}`, registry, job: 'j' });
    const result = await client.push();
    expect(result).toMatchObject({ ok: false, reason: 'network', status: undefined, attempts: 1 });
    expect(pushStats(registry, 'pushgateway').failed('network')).toBe(1);
  });

  it('retries 5xx up to `attempts` times, sending Prometheus text 0.0.4', async () => {
    const gateway = await startScriptedReceiver();
    try {
      gateway.script((_request, index) => (index < 2 ? { status: 503, body: 'busy' } : { status: 200 }));
      const registry = new MetricsRegistry();
      registry.counter({ name: 'retried_total' }).add(9);
      const client = new PushgatewayClient({
        url: gateway.url.replace('/api/v1/write', '/prefix/'),
        registry,
        job: 'retry',
        attempts: 3,
        retry: { initialBackoffMs: 20, maxBackoffMs: 100, jitter: 0 },
      });
      const result = await client.pushAdd({ instance: 'i' });
      expect(result).toMatchObject({ ok: true, status: 200, attempts: 3 });
      expect(gateway.requests.map((request) => `${request.method} ${request.path}`)).toEqual(
        Array(3).fill('POST /prefix/metrics/job/retry/instance/i'),
      );
      const last = gateway.requests[2]!;
      expect(last.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
      const text = parseExposition(last.body.toString('utf8'));
      expect(text.families.find((family) => family.name === 'retried_total')?.samples[0]?.value).toBe(9);
      expect(pushStats(registry, 'pushgateway').failed('http_5xx')).toBe(2);
    } finally {
      await gateway.close();
    }
  });

  it('gives up a call after timeoutMs', async () => {
    const gateway = await startScriptedReceiver();
    try {
      gateway.script(() => 'hang');
      const client = new PushgatewayClient({
        url: gateway.url,
        registry: new MetricsRegistry(),
        job: 'slow',
        timeoutMs: 200,
      });
      const started = performance.now();
      const result = await client.delete();
      // 200 ms, with generous slack for a loaded machine (the point: not the 10 s default).
      expect(performance.now() - started).toBeLessThan(3000);
      expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    } finally {
      await gateway.close();
    }
  });

  it('rejects bad jobs and grouping labels at once with typed errors naming them', () => {
    const registry = new MetricsRegistry();
    const url = 'http://127.0.0.1:9091';
    expect(() => new PushgatewayClient({ url, registry, job: '' })).toThrow(ConfigError);
    expect(() => new PushgatewayClient({ url, registry, job: 7 as never })).toThrow(/job 7/);
    expect(() => new PushgatewayClient({ url, registry, job: 'j', groupingLabels: { job: 'x' } })).toThrow(
      InvalidLabelError,
    );
    expect(() => new PushgatewayClient({ url, registry, job: 'j', groupingLabels: { __x: '1' } })).toThrow(
      /__x/,
    );
    expect(() => new PushgatewayClient({ url, registry, job: 'j', attempts: 0 })).toThrow(/attempts=0/);
    expect(() => new PushgatewayClient({ url: 'mailto:x', registry, job: 'j' })).toThrow(/mailto/);
    expect(registry.collectors).toEqual([]);
    const client = new PushgatewayClient({ url, registry, job: 'j' });
    // Per-call labels are checked synchronously: the call throws before any request.
    expect(() => client.push({ 'bad-name': 'x' })).toThrow(InvalidLabelError);
    expect(() => client.delete({ lone: '\ud800' })).toThrow(/lone surrogate/);
  });
});
