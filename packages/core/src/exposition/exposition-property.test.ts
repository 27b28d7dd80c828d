import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../../test-support/promtool.js';
import { MetricsRegistry } from '../registry.js';
import { serializeOpenMetrics } from './openmetrics.js';
import { type ParsedExposition, parseExposition } from './parse.js';
import { serializePrometheus } from './prometheus.js';

/** Words that make conventional snake_case names (promtool lints camelCase, non-base units, _count on gauges...). */
const WORDS = [
  'http',
  'queue',
  'cache',
  'orders',
  'disk',
  'shop',
  'job',
  'worker',
  'api',
  'db',
  'retry',
  'pool',
];
const metricName = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
  .map((words) => `fw0prop_${words.join('_')}`);
const labelName = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 })
  .map((words) => words.join('_'));
/** Label values: any Unicode, plus the characters that need escaping, and empty. */
const labelValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', 'a', ' ', '{', '}', ',', '=', '#'), maxLength: 8 }),
  fc.constant(''),
);
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, 1e-300, 1e300),
);
const help = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((text) => text.trim() !== '');

const familySpec = fc.record({
  name: metricName,
  // OpenMetrics requires `"` in HELP escaped as \", which promtool's 0.0.4 grammar rejects:
  // that one divergence is proven against a real Prometheus in prometheus-scrape.test.ts.
  help: help.filter((text) => !text.includes('"')),
  kind: fc.constantFrom('counter', 'gauge', 'histogram'),
  series: fc.array(
    fc.tuple(
      fc.dictionary(labelName, labelValue, { maxKeys: 3 }),
      fc.array(value, { minLength: 1, maxLength: 4 }),
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  ),
});

interface Expected {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** A histogram's `_sum`: OpenMetrics leaves it out here, the buckets having a negative bound. */
  histogramSum?: true;
}

/** Fills a registry from the generated spec; returns the samples the text must contain. */
type FamilySpec = typeof familySpec extends fc.Arbitrary<infer T> ? T : never;

function build(specs: FamilySpec[]): { registry: MetricsRegistry; expected: Expected[] } {
  const registry = new MetricsRegistry();
  const expected = new Map<string, Expected>();
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    const key = (name: string, labels: Record<string, string>) =>
      `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
    const remember = (name: string, labels: Record<string, string>, v: number, histogramSum = false) =>
      expected.set(key(name, labels), { name, labels, value: v, ...(histogramSum ? { histogramSum } : {}) });
    if (spec.kind === 'counter') {
      const counter = registry.counter({ name: spec.name, help: spec.help });
      for (const [labels, values] of spec.series) {
        for (const v of values) counter.add(Math.abs(v), labels);
        remember(`${spec.name}_total`, labels, counter.get(labels)!);
      }
    } else if (spec.kind === 'gauge') {
      const gauge = registry.gauge({ name: spec.name, help: spec.help });
      for (const [labels, values] of spec.series) {
        for (const v of values) gauge.set(v, labels);
        remember(spec.name, labels, gauge.get(labels)!);
      }
    } else {
      const histogram = registry.histogram({ name: spec.name, help: spec.help, buckets: [-1, 0, 1, 1000] });
      for (const [labels, values] of spec.series) {
        for (const v of values) histogram.observe(v, labels);
        const series = histogram.bind(labels);
        remember(`${spec.name}_count`, labels, series.count);
        remember(`${spec.name}_sum`, labels, series.sum, true);
      }
    }
  }
  return { registry, expected: [...expected.values()] };
}

function findSample(parsed: ParsedExposition, name: string, labels: Record<string, string>) {
  for (const family of parsed.families) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      const keys = Object.keys(sample.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => sample.labels[k] === labels[k]))
        return sample;
    }
  }
  return undefined;
}

function checkRoundTrip(text: string, expected: Expected[]): void {
  const parsed = parseExposition(text);
  for (const item of expected) {
    const sample = findSample(parsed, item.name, item.labels);
    expect(sample, `${item.name} ${JSON.stringify(item.labels)}`).toBeDefined();
    expect(Object.is(sample!.value, item.value) || sample!.value === item.value).toBe(true);
  }
}

describe('exposition properties', () => {
  let cases = 0;

  it('Prometheus text passes promtool cleanly and parses back to the same values', () => {
    fc.assert(
      fc.property(fc.array(familySpec, { minLength: 1, maxLength: 4 }), (specs) => {
        cases++;
        const { registry, expected } = build(specs);
        const text = serializePrometheus(registry.snapshot());
        const result = promtoolCheckMetrics(text);
        expect(result.findings, text).toEqual([]);
        expect(result.code).toBe(0);
        checkRoundTrip(text, expected);
      }),
      { numRuns: 60 },
    );
  });

  it('OpenMetrics text parses in promtool (known counter lint only) and back to the same values', () => {
    fc.assert(
      fc.property(fc.array(familySpec, { minLength: 1, maxLength: 4 }), (specs) => {
        cases++;
        const { registry, expected } = build(specs);
        const text = serializeOpenMetrics(registry.snapshot());
        const result = promtoolCheckMetrics(text);
        expect([0, 3], text).toContain(result.code);
        const parsed = parseExposition(text);
        expect(parsed.eof).toBe(true);
        const counters = parsed.families
          .filter((family) => family.type === 'counter')
          .map((f) => `${f.name}_total no help text`);
        expect(result.findings.sort(), text).toEqual(counters.sort());
        // OpenMetrics 1.0: with a negative bucket bound the sum is no counter and must be absent.
        checkRoundTrip(
          text,
          expected.filter((item) => item.histogramSum !== true),
        );
        for (const item of expected.filter((entry) => entry.histogramSum === true))
          expect(findSample(parsed, item.name, item.labels), item.name).toBeUndefined();
      }),
      { numRuns: 60 },
    );
    expect(cases).toBe(120);
  });
});
