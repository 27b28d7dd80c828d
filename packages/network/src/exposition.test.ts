import {
  MetricsRegistry,
  parseExposition,
  serializeOpenMetrics,
  serializePrometheus,
} from '@fw0/metrics-core';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { HTTP_PHASES } from './names.js';
import { NetworkMetricsCollector } from './network-collector.js';
import { startHttpServer, type TestServer } from './test-support/servers.js';

let server: TestServer;
let network: NetworkMetricsCollector;
let agent: Agent;

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    if (request.url === '/missing') response.writeHead(404);
    response.end('body');
  });
  network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
  agent = new Agent();
  network.observeDispatcher(agent, 'app');
  await network.measureHttpRequest(`${server.origin}/ok`, 5000);
  await network.measureHttpRequest(`${server.origin}/missing`, 5000);
  await network.measureTcpLatency('127.0.0.1', server.port, 5000);
  network.measureThroughput(1024, 0.5, 'upload');
  await (await agent.request({ origin: server.origin, path: '/ok', method: 'GET' })).body.dump();
});

afterAll(async () => {
  await network.close();
  await agent.close();
  await server.close();
});

describe('exposition', () => {
  it('passes promtool check metrics', async () => {
    const text = serializePrometheus(await network.registry.collect());
    const result = promtoolCheckMetrics(text);
    expect(result.findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('uses blackbox_exporter names with a target label, and undici pool stats per origin', async () => {
    const parsed = parseExposition(serializeOpenMetrics(await network.registry.collect()));
    const family = (name: string) => parsed.families.find((candidate) => candidate.name === name);
    const ok = `${server.origin}/ok`;
    const phases = family('probe_http_duration_seconds')!.samples.filter(
      (sample) => sample.labels.target === ok,
    );
    expect(phases.map((sample) => sample.labels.phase).sort()).toEqual([...HTTP_PHASES].sort());
    expect(
      family('probe_success')!.samples.map((sample) => [
        sample.labels.kind,
        sample.labels.target,
        sample.value,
      ]),
    ).toEqual([
      ['http', ok, 1],
      ['http', `${server.origin}/missing`, 0],
      ['tcp', `127.0.0.1:${server.port}`, 1],
    ]);
    expect(family('probe_http_status_code')!.samples.map((sample) => sample.value)).toEqual([200, 404]);
    expect(family('probe_failures')!.type).toBe('counter');
    expect(family('probe_latency_seconds')!.type).toBe('histogram');
    expect(family('network_throughput_bytes_per_second')!.type).toBe('histogram');
    expect(family('undici_pool_connected')!.samples).toEqual([
      expect.objectContaining({ labels: { name: 'app', origin: server.origin }, value: 1 }),
    ]);
  });
});
