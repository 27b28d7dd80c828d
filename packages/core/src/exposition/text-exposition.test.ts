import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOpenMetricsStrictly } from '../../../../test-support/openmetrics.js';
import { promtoolCheckMetrics } from '../../../../test-support/promtool.js';
import { mergeSnapshots } from '../merge.js';
import { MetricsRegistry } from '../registry.js';
import { goldenRegistry } from '../test-support/golden-registry.js';
import { serializeOpenMetrics } from './openmetrics.js';
import { parseExposition } from './parse.js';
import { serializePrometheus } from './prometheus.js';
import { escapeLabelValue, formatValue } from './text-common.js';
import { bucketPrefixCacheSize } from './text-writer.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

function golden(name: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(fixture(name), actual);
  expect(actual).toBe(readFileSync(fixture(name), 'utf8'));
}

describe('text exposition', () => {
  it('matches the Prometheus 0.0.4 golden file', () => {
    golden('golden.prom', serializePrometheus(goldenRegistry().snapshot()));
  });

  it('matches the OpenMetrics 1.0 golden file', () => {
    golden('golden.om.txt', serializeOpenMetrics(goldenRegistry().snapshot()));
  });

  it('escapes label values and HELP per format', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const prometheus = serializePrometheus(goldenRegistry().snapshot());
    const openMetrics = serializeOpenMetrics(goldenRegistry().snapshot());
    expect(prometheus).toContain('# HELP http_requests_total HTTP requests served.\\nBy route\\\\method.\n');
    expect(prometheus).toContain('route="/say \\"hi\\""');
    expect(prometheus).toContain('route="back\\\\slash\\nnewline"');
    expect(openMetrics).toContain('# HELP http_requests HTTP requests served.\\nBy route\\\\method.\n');
  });

  it('writes cumulative buckets with +Inf equal to the count', () => {
    const parsed = parseExposition(serializePrometheus(goldenRegistry().snapshot()));
    const histogram = parsed.families.find((family) => family.name === 'checkout_duration_seconds')!;
    const eu = histogram.samples.filter((sample) => sample.labels.shop === 'eu');
    const buckets = eu
      .filter((sample) => sample.name.endsWith('_bucket'))
      .map((sample) => [sample.labels.le, sample.value]);
    expect(buckets).toEqual([
      ['0.05', 1],
      ['0.1', 2],
      ['0.5', 3],
      ['+Inf', 4],
    ]);
    expect(eu.find((sample) => sample.name.endsWith('_count'))!.value).toBe(4);
  });

  it('names counters with _total in both formats and families without it in OpenMetrics', () => {
    const openMetrics = parseExposition(serializeOpenMetrics(goldenRegistry().snapshot()));
    expect(openMetrics.eof).toBe(true);
    const counter = openMetrics.families.find((family) => family.name === 'http_requests')!;
    expect(counter.type).toBe('counter');
    expect(counter.samples.every((sample) => sample.name === 'http_requests_total')).toBe(true);
    const revenue = openMetrics.families.find((family) => family.name === 'revenue_eur')!;
    expect(revenue.unit).toBe('eur');
    expect(revenue.samples[0]!.name).toBe('revenue_eur_total');
  });

  it('formats special values as both formats spell them', () => {
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(1e21)).toBe('1e+21');
  });

  it('passes promtool check metrics (Prometheus text: clean)', () => {
    const result = promtoolCheckMetrics(serializePrometheus(goldenRegistry().snapshot()));
    expect(result.findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('passes promtool check metrics (OpenMetrics: parses; only the known counter-name lint)', () => {
    // promtool lints with the 0.0.4 parser, which files OpenMetrics counter samples (x_total)
    // under a family of their own without HELP. Everything else must be clean.
    const text = serializeOpenMetrics(goldenRegistry().snapshot());
    const result = promtoolCheckMetrics(text);
    expect(result.code === 0 || result.code === 3).toBe(true);
    const counters = parseExposition(text).families.filter((family) => family.type === 'counter');
    const expected = counters.map((family) => `${family.name}_total no help text`).sort();
    expect(result.findings.sort()).toEqual(expected);
  });

  it('leaves _sum and _count out of OpenMetrics histograms with negative observations or bounds, not out of 0.0.4', () => {
    const registry = new MetricsRegistry();
    const delta = registry.histogram({ name: 'delta', help: 'Signed change.', buckets: [0, 10] });
    delta.observe(-5, { side: 'down' });
    delta.observe(3, { side: 'up' });
    const offset = registry.histogram({ name: 'offset', help: 'Clock offset.', buckets: [-1, 1] });
    offset.observe(0.5);
    const sums = (text: string) =>
      parseExposition(text)
        .families.flatMap((family) => family.samples)
        .filter((sample) => sample.name.endsWith('_sum') || sample.name.endsWith('_count'))
        .map((sample) => `${sample.name}${sample.labels.side ? `{${sample.labels.side}}` : ''}`)
        .sort();
    // OpenMetrics 1.0: a sum that can decrease is no counter, so it MUST be absent, and _count
    // comes only with _sum. The reference parser agrees.
    const openMetrics = serializeOpenMetrics(registry.snapshot());
    expect(sums(openMetrics)).toEqual(['delta_count{up}', 'delta_sum{up}']);
    expect(() => parseOpenMetricsStrictly(openMetrics)).not.toThrow();
    expect(sums(serializePrometheus(registry.snapshot()))).toEqual([
      'delta_count{down}',
      'delta_count{up}',
      'delta_sum{down}',
      'delta_sum{up}',
      'offset_count',
      'offset_sum',
    ]);
    // Merged snapshots (workers) keep the mark: one negative part is enough.
    const positive = new MetricsRegistry();
    positive
      .histogram({ name: 'delta', help: 'Signed change.', buckets: [0, 10] })
      .observe(1, { side: 'down' });
    const merged = mergeSnapshots([
      registry.snapshot({ sketches: true }),
      positive.snapshot({ sketches: true }),
    ]);
    expect(sums(serializeOpenMetrics(merged))).toEqual(['delta_count{up}', 'delta_sum{up}']);
  });

  it('keeps the cache of histogram bucket prefixes bounded however many names come and go', () => {
    for (let round = 0; round < 5000; round++) {
      const registry = new MetricsRegistry();
      registry.histogram({ name: `short_lived_${round}_seconds`, unit: 'seconds' }).observe(0.1, { a: 'b' });
      serializePrometheus(registry.snapshot());
    }
    expect(bucketPrefixCacheSize()).toBeGreaterThan(0);
    expect(bucketPrefixCacheSize()).toBeLessThanOrEqual(4096);
  });
});
