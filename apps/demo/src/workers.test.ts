import { parseExposition } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpenMetricsStrictly } from '../../../test-support/openmetrics.js';
import { waitFor } from '../../../test-support/processes.js';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { type RunningDemo, startDemo } from './test-support/demo-process.js';
import {
  camelCaseFinding,
  expectedPromtoolFindings,
  nodeExporterFindings,
} from './test-support/node-exporter-baseline.js';

async function scrape(url: string) {
  return parseExposition(await (await fetch(url)).text());
}

/** Sum of the samples named `name` in a parsed exposition. */
function total(parsed: Awaited<ReturnType<typeof scrape>>, name: string): number {
  return parsed.families
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name)
    .reduce((sum, sample) => sum + sample.value, 0);
}

describe('the demo with --workers 2', () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo(['--workers', '2']);
    await waitFor(
      'both workers to answer and record orders',
      async () => {
        const merged = await scrape(`${demo.url}metrics`);
        const answered = merged.families
          .find((family) => family.name === 'fw0_workers')
          ?.samples.find((sample) => sample.labels.state === 'answered');
        return answered?.value === 2 && total(merged, 'shop_orders_total') > 0;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 120_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it("serves merged counts equal to the sum of the workers' (bracketed: counters only grow)", async () => {
    for (const name of [
      'shop_orders_total',
      'shop_checkout_duration_seconds_count',
      'shop_fetch_prices_calls_total',
    ]) {
      const before = await scrape(`${demo.url}metrics/workers`);
      const merged = await scrape(`${demo.url}metrics`);
      const after = await scrape(`${demo.url}metrics/workers`);
      const workers = new Set(
        before.families
          .flatMap((family) => family.samples)
          .map((sample) => sample.labels.worker)
          .filter(Boolean),
      );
      expect(workers.size, name).toBe(2);
      expect(total(before, name), name).toBeGreaterThan(0);
      expect(total(merged, name), name).toBeGreaterThanOrEqual(total(before, name));
      expect(total(merged, name), name).toBeLessThanOrEqual(total(after, name));
    }
  });

  it('merged output: promtool finds exactly the camelCase names node_exporter has too', async () => {
    const baseline = await nodeExporterFindings();
    const text = await (await fetch(`${demo.url}metrics`)).text();
    const expected = expectedPromtoolFindings(text, 'prometheus');
    for (const name of expected.camelCaseNames) expect(baseline, name).toContain(camelCaseFinding(name));
    const result = promtoolCheckMetrics(text);
    expect([...result.findings].sort()).toEqual(expected.findings);
    expect(result.code).toBe(expected.findings.length > 0 ? 3 : 0);
  });

  it('merged OpenMetrics output passes the reference OpenMetrics parser', async () => {
    const response = await fetch(`${demo.url}metrics`, {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0' },
    });
    const families = parseOpenMetricsStrictly(await response.text());
    const orders = families.find((family) => family.name === 'shop_orders');
    expect(orders?.type).toBe('counter');
    expect(orders!.samples.reduce((sum, sample) => sum + sample.value, 0)).toBeGreaterThan(0);
  });
});
