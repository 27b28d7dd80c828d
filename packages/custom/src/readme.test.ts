import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExposition } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The ```text block the README shows as the checkout example's output. */
function documentedOutput(): string[] {
  const readme = readFileSync(`${packageDir}/README.md`, 'utf8');
  const match = /including these lines, then the p99 and the samples:\n\n```text\n([\s\S]*?)```/.exec(readme);
  if (match === null) throw new Error('README: the documented output of the checkout example is missing');
  return match[1]!.trim().split('\n');
}

describe('README examples', () => {
  it('checkout prints Prometheus text with orders, revenue in eur, the latency histogram, and the p99', () => {
    const run = runReadmeExample(packageDir, 'checkout');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    // What the README says it prints is what it prints.
    for (const line of documentedOutput()) expect(lines).toContain(line);

    const samplesLine = lines.pop()!;
    const p99Line = lines.pop()!;
    const families = new Map(parseExposition(`${lines.join('\n')}\n`).families.map((f) => [f.name, f]));
    const orders = families.get('orders_total')!.samples.reduce((sum, sample) => sum + sample.value, 0);
    const revenueCount = families
      .get('revenue_eur')!
      .samples.filter((sample) => sample.name === 'revenue_eur_count')
      .reduce((sum, sample) => sum + sample.value, 0);
    const latency = families.get('checkout_latency_seconds')!.samples;
    const count = latency.find((sample) => sample.name === 'checkout_latency_seconds_count')!.value;
    expect(orders).toBeGreaterThan(0);
    expect(revenueCount).toBe(orders);
    expect(count).toBe(orders);

    // The printed p99 lies in the le bucket where the cumulative count first reaches 99%.
    const p99 = Number(/^checkout p99: (\d+\.\d{3}) s$/.exec(p99Line)![1]);
    const buckets = latency
      .filter((sample) => sample.name === 'checkout_latency_seconds_bucket')
      .map((sample) => ({
        le: Number(sample.labels.le === '+Inf' ? Infinity : sample.labels.le),
        count: sample.value,
      }));
    const index = buckets.findIndex((bucket) => bucket.count >= Math.ceil(0.99 * count));
    expect(p99).toBeLessThanOrEqual(buckets[index]!.le);
    expect(p99).toBeGreaterThan(index === 0 ? 0 : buckets[index - 1]!.le);

    // Kept samples and sampled-out ones account for every call.
    const kept = Number(/^samples kept: (\d+) of (\d+) calls$/.exec(samplesLine)![1]);
    const sampledOut = families.get('fw0_samples_sampled_out_total')!.samples[0]!.value;
    expect(kept + sampledOut).toBe(3 * orders);
  });

  it('fast-path counts through a bound handle and reads a quantile', () => {
    const run = runReadmeExample(packageDir, 'fast-path');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [values, p50Line] = run.stdout.trim().split('\n');
    expect(JSON.parse(values!)).toEqual({ 'cache_hits{cache="l1"}': 1_000_000 });
    const p50 = Number(/^p50 payload: (\d+) bytes$/.exec(p50Line!)![1]);
    // Sizes 1..1000: the nearest-rank median is 500, within the sketch's 1%.
    expect(Math.abs(p50 - 500)).toBeLessThanOrEqual(5);
  });

  it('shared-registry serves two collectors in one /metrics', () => {
    const run = runReadmeExample(packageDir, 'shared-registry');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const parsed = parseExposition(run.stdout);
    const samples = parsed.families.flatMap((family) => family.samples);
    expect(samples).toEqual([
      { name: 'orders_total', labels: { region: 'eu' }, value: 1 },
      { name: 'invoice_amount_usd_sum', labels: {}, value: 99.9 },
    ]);
  });
});
