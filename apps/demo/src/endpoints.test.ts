import type { JsonExposition, JsonFamily } from '@fw0/metrics-core';
import { parseExposition } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function snapshot(demo: RunningDemo): Promise<{ response: Response; body: JsonExposition }> {
  const response = await fetch(`${demo.url}api/snapshot`);
  return { response, body: (await response.json()) as JsonExposition };
}

/** Sum of a counter family's series in the JSON snapshot. */
function counterTotal(body: JsonExposition, name: string): number {
  const family = body.metrics.find((item) => item.name === name);
  if (family?.type !== 'counter') throw new Error(`no counter ${name} in the snapshot`);
  return family.series.reduce((sum, series) => sum + series.value!, 0);
}

/** Sum of the samples named `name` in the demo's /metrics (Prometheus text). */
async function scrapedTotal(demo: RunningDemo, name: string): Promise<number> {
  const parsed = parseExposition(await (await fetch(`${demo.url}metrics`)).text());
  return parsed.families
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name)
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** The documented shape of a family (core's JsonFamily): checks every field of every series. */
function expectFamilyShape(family: JsonFamily): void {
  expect(family.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  expect(['counter', 'gauge', 'histogram']).toContain(family.type);
  expect(typeof family.help).toBe('string');
  expect(family.unit === null || typeof family.unit === 'string', family.name).toBe(true);
  expect(Array.isArray(family.series)).toBe(true);
  for (const series of family.series) {
    expect(typeof series.labels, family.name).toBe('object');
    for (const value of Object.values(series.labels)) expect(typeof value, family.name).toBe('string');
    if (family.type !== 'histogram') {
      expect(typeof series.value, family.name).toBe('number');
      continue;
    }
    expect(Number.isInteger(series.count), family.name).toBe(true);
    expect(typeof series.sum, family.name).toBe('number');
    const buckets = series.buckets!;
    expect(buckets.at(-1)!.le, family.name).toBe('+Inf');
    expect(buckets.at(-1)!.count, family.name).toBe(series.count);
    // Cumulative: counts never decrease, bounds increase.
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i]!.count, family.name).toBeGreaterThanOrEqual(buckets[i - 1]!.count);
      if (buckets[i]!.le !== '+Inf') expect(buckets[i]!.le).toBeGreaterThan(buckets[i - 1]!.le as number);
    }
    for (const summary of [series.summary, series.window]) {
      expect(summary, family.name).toBeDefined();
      for (const key of ['count', 'sum', 'min', 'max', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999'] as const)
        expect(summary![key] === null || typeof summary![key] === 'number', `${family.name} ${key}`).toBe(
          true,
        );
    }
  }
}

describe("the demo's HTTP endpoints", () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
    // The workload has placed orders and the system collector has two readings.
    await waitFor(
      'orders and CPU figures in the snapshot',
      async () => {
        const { body } = await snapshot(demo);
        return (
          body.metrics.some((family) => family.name === 'system_cpu_utilization_ratio') &&
          counterTotal(body, 'shop_orders') > 0
        );
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 90_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('/api/snapshot answers JSON of the documented shape, with quantile summaries', async () => {
    const { response, body } = await snapshot(demo);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['metrics', 'timestamp']);
    expect(Math.abs(body.timestamp - Date.now())).toBeLessThan(60_000);
    for (const family of body.metrics) expectFamilyShape(family);
    const names = new Set(body.metrics.map((family) => family.name));
    expect(names.size).toBe(body.metrics.length);
    // Every collector is in it: host, runtime, timers, business metrics, probes, pool stats.
    for (const name of [
      'node_cpu_seconds',
      'system_memory_used_bytes',
      'nodejs_heap_size_used_bytes',
      'shop_checkout_duration_seconds',
      'shop_orders',
      'shop_revenue_eur',
      'probe_success',
      'undici_pool_connected',
    ])
      expect(names, name).toContain(name);
    const checkout = body.metrics.find((family) => family.name === 'shop_checkout_duration_seconds')!;
    expect(checkout.type).toBe('histogram');
    expect(checkout.unit).toBe('seconds');
    const busiest = [...checkout.series].sort((a, b) => b.count! - a.count!)[0]!;
    expect(busiest.count).toBeGreaterThan(0);
    expect(busiest.window!.p50).toBeGreaterThan(0);
    expect(busiest.window!.p99).toBeGreaterThanOrEqual(busiest.window!.p50!);
    const cpu = body.metrics.find((family) => family.name === 'node_cpu_seconds')!;
    expect(cpu.series.some((series) => series.labels.cpu === '0' && series.labels.mode === 'idle')).toBe(
      true,
    );
  });

  it('/api/snapshot reflects the registry: counters grow between fetches, in step with /metrics', async () => {
    const scrapedBefore = await scrapedTotal(demo, 'shop_orders_total');
    const first = await snapshot(demo);
    await sleep(1500);
    const second = await snapshot(demo);
    const scrapedAfter = await scrapedTotal(demo, 'shop_orders_total');
    const [a, b] = [counterTotal(first.body, 'shop_orders'), counterTotal(second.body, 'shop_orders')];
    // 20 orders a second: 1.5 s later there are more.
    expect(b).toBeGreaterThan(a);
    expect(second.body.timestamp).toBeGreaterThan(first.body.timestamp);
    // The same counter as /metrics serves (bracketed: counters only grow).
    expect(a).toBeGreaterThanOrEqual(scrapedBefore);
    expect(b).toBeLessThanOrEqual(scrapedAfter);
  });

  it('/api/snapshot refuses other methods than GET and HEAD', async () => {
    const response = await fetch(`${demo.url}api/snapshot`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('/metrics exports the shop\'s undici Agent pool stats (name="shop-api")', async () => {
    const text = await (await fetch(`${demo.url}metrics`)).text();
    // The shop calls the demo's target server, the one its HTTP probe watches.
    const health = /^probe_success\{kind="http",target="(http:\/\/127\.0\.0\.1:\d+)\/health"\} 1$/m.exec(
      text,
    );
    expect(health, 'the HTTP probe of the target server').not.toBeNull();
    const origin = health![1]!;
    const stats: Record<string, number> = {};
    for (const match of text.matchAll(/^undici_pool_(\w+)\{name="shop-api",origin="([^"]+)"\} (\S+)$/gm)) {
      expect(match[2]).toBe(origin);
      stats[match[1]!] = Number(match[3]);
    }
    expect(Object.keys(stats).sort()).toEqual(['connected', 'free', 'pending', 'queued', 'running', 'size']);
    for (const [stat, value] of Object.entries(stats)) {
      expect(Number.isInteger(value), stat).toBe(true);
      expect(value, stat).toBeGreaterThanOrEqual(0);
    }
    // The Agent keeps at most 8 connections; kept alive at 20 requests a second, some are open.
    expect(stats.connected).toBeGreaterThanOrEqual(1);
    expect(stats.connected).toBeLessThanOrEqual(8);
    expect(stats.free).toBeLessThanOrEqual(stats.connected!);
    // HELP and TYPE say what they are.
    expect(text).toMatch(/^# TYPE undici_pool_connected gauge$/m);
  });
});
