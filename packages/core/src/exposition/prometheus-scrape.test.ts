import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test-support/processes.js';
import { startPrometheus, type TestPrometheus } from '../../../../test-support/prometheus.js';
import { MetricsRegistry } from '../registry.js';
import { createMetricsHandler } from './http-handler.js';

/** Label values that stress escaping, served to a real Prometheus in both formats. */
/** HELP with a quote, a backslash and a line feed: each format escapes them by its own rules. */
const HELP_TEXT = 'Events "quoted" \\ and\nmore.';
const TRICKY = ['plain', 'quote " inside', 'back\\slash', 'new\nline', 'émoji ✓ 漢字', '', '{},=#'];

function serve(registry: MetricsRegistry, accept: string): Promise<Server> {
  const handler = createMetricsHandler(registry);
  const server = createServer((request, response) => {
    request.headers.accept = accept;
    handler(request, response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a real Prometheus scrapes both formats', () => {
  const registry = new MetricsRegistry();
  const servers: Server[] = [];
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    // A quote and a backslash in HELP: OpenMetrics escapes the quote, 0.0.4 does not.
    const counter = registry.counter({ name: 'fw0scrape_events_total', help: HELP_TEXT });
    const gauge = registry.gauge({ name: 'fw0scrape_level', help: 'Level.' });
    const histogram = registry.histogram({
      name: 'fw0scrape_latency_seconds',
      help: 'Latency.',
      unit: 'seconds',
    });
    TRICKY.forEach((value, i) => {
      counter.add(i + 1, { value });
      gauge.set(1 - i * 1.5, { value });
      histogram.observe(0.001 * 10 ** (i % 4), { value });
    });
    const openMetrics = await serve(registry, 'application/openmetrics-text;version=1.0.0');
    const text = await serve(registry, 'text/plain;version=0.0.4');
    servers.push(openMetrics, text);
    const address = (server: Server) => `127.0.0.1:${(server.address() as AddressInfo).port}`;
    prometheus = await startPrometheus([
      { job: 'openmetrics', address: address(openMetrics) },
      { job: 'text', address: address(text) },
    ]);
    await waitFor(
      'two successful scrapes of each job',
      async () => (await prometheus.query('count_over_time(up[1m]) >= 2 and up == 1')).length === 2,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const server of servers) server.close();
  });

  for (const job of ['openmetrics', 'text']) {
    it(`reads every value back through PromQL (${job})`, async () => {
      const counters = await prometheus.query(`fw0scrape_events_total{job="${job}"}`);
      const gauges = await prometheus.query(`fw0scrape_level{job="${job}"}`);
      const counts = await prometheus.query(`fw0scrape_latency_seconds_count{job="${job}"}`);
      const inf = await prometheus.query(`fw0scrape_latency_seconds_bucket{job="${job}",le="+Inf"}`);
      const byValue = (rows: { metric: Record<string, string>; value: [number, string] }[]) =>
        Object.fromEntries(rows.map((row) => [row.metric.value ?? '', Number(row.value[1])]));
      const expectedCounters = Object.fromEntries(TRICKY.map((value, i) => [value, i + 1]));
      const expectedGauges = Object.fromEntries(TRICKY.map((value, i) => [value, 1 - i * 1.5]));
      expect(byValue(counters)).toEqual(expectedCounters);
      expect(byValue(gauges)).toEqual(expectedGauges);
      expect(byValue(counts)).toEqual(Object.fromEntries(TRICKY.map((value) => [value, 1])));
      expect(byValue(inf)).toEqual(Object.fromEntries(TRICKY.map((value) => [value, 1])));
    });
  }

  it('accepts the HELP escapes of each format (metadata API)', async () => {
    const response = await fetch(`${prometheus.url}/api/v1/metadata?metric=fw0scrape_events_total`);
    const body = (await response.json()) as { data: Record<string, { help: string }[]> };
    const helps = new Set((body.data.fw0scrape_events_total ?? []).map((entry) => entry.help));
    // Both formats carried the same text; Prometheus unescaped each by its own grammar.
    expect(helps.size).toBeGreaterThan(0);
    for (const help of helps)
      expect(help).toBe('Events "quoted" \\ and\nmore.'.replace('\\\\', '\\').replace('\\n', '\n'));
  });

  it('negotiated OpenMetrics: Prometheus stored the format-specific samples the same', async () => {
    const scraped = await prometheus.query('scrape_samples_scraped');
    const byJob = Object.fromEntries(scraped.map((row) => [row.metric.job, Number(row.value[1])]));
    expect(byJob.openmetrics).toBeGreaterThan(0);
    expect(byJob.openmetrics).toBe(byJob.text);
  });
});
