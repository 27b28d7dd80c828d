import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OpenMetricsFamily, parseOpenMetricsStrictly } from '../../../../test-support/openmetrics.js';
import { promtoolCheckMetrics } from '../../../../test-support/promtool.js';
import { isFw0Error } from '../errors.js';
import { MetricsRegistry } from '../registry.js';
import { familyFindings, metricNameFindings } from '../test-support/promlint-names.js';
import { serializeOpenMetrics } from './openmetrics.js';
import { type ParsedExposition, parseExposition } from './parse.js';
import { serializePrometheus } from './prometheus.js';

/**
 * Both text formats over arbitrary families: names anywhere in the Prometheus grammar, HELP and
 * label values of any Unicode (quotes, backslashes, newlines, carriage returns, line separators,
 * NUL, empty), any finite numbers, any bucket layout. Prometheus text must pass Debian's
 * `promtool check metrics` without a finding; OpenMetrics must be read by the reference parser
 * (promtool 2.42 reads OpenMetrics with the 0.0.4 grammar and refuses the `\"` escape
 * OpenMetrics requires in HELP: see test-support/openmetrics.ts). Both must parse back to the
 * same HELP, values and every bucket.
 *
 * Left out, and only these: names promtool's lint (not its parser) reports (camelCase, `:`,
 * abbreviated or non-base units, a type in the name, `_total` on non-counters, `_bucket`,
 * `_count`, `_sum` on non-histograms, `le` and `quantile` labels: see promlint-names.ts), and
 * what the registry itself refuses (`__` prefixes, exposed ones included, the reserved
 * `fw0_overflow` label, a family whose exposed names collide with another's).
 */

const metricName = fc
  .stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,24}$/)
  .filter((name) => !name.startsWith('__') && metricNameFindings(name).length === 0);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,16}$/).filter(
  (name) =>
    !name.startsWith('__') &&
    name !== 'fw0_overflow' &&
    // The lint rules on labels (checked per family too); `le` is also reserved in histograms.
    familyFindings('x', 'gauge', [name]).length === 0,
);
/** Characters that need escaping or break naive parsers. */
const NASTY = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  '{',
  '}',
  ',',
  '=',
  '#',
  '\u2028',
  '\u0000',
  'é',
  '😀',
  '\u0301',
];
/** Any well-formed Unicode, rich in nasty characters. */
const text = (minLength: number, maxLength: number) =>
  fc.string({
    unit: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    minLength,
    maxLength,
  });
/** HELP text: promtool's lint reports "no help text" when nothing is left after leading blanks. */
const help = text(1, 24).filter((value) => /[^ \t]/.test(value));
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1e-300, 1e300, 0.1, -2.5),
);
const buckets = fc
  .uniqueArray(
    fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.constantFrom(0, 1, 0.5),
    ),
    { minLength: 1, maxLength: 6, comparator: (a, b) => a === b },
  )
  .map((bounds) => bounds.sort((a, b) => a - b));

const familySpec = fc
  .record({
    name: metricName,
    kind: fc.constantFrom('counter', 'gauge', 'histogram'),
    help,
    buckets,
    series: fc.uniqueArray(
      fc.record({
        labels: fc.dictionary(labelName, text(0, 12), { maxKeys: 3 }),
        values: fc.array(value, { minLength: 1, maxLength: 5 }),
      }),
      { minLength: 1, maxLength: 3, selector: (series) => canonical(series.labels) },
    ),
  })
  .filter(
    (spec) =>
      // The registry refuses these: an empty counter name, and `__` exposed names (`__total`, `__bucket`).
      !(spec.kind === 'counter' && spec.name === '_total') &&
      !(spec.kind !== 'gauge' && spec.name === '_') &&
      familyFindings(
        exposedName(spec.kind, spec.name),
        spec.kind,
        spec.series.flatMap((series) => Object.keys(series.labels)),
      ).length === 0,
  );
type FamilySpec = typeof familySpec extends fc.Arbitrary<infer T> ? T : never;

/** Many families per run: promtool and the reference parser are subprocesses. */
const batch = fc.array(familySpec, { minLength: 5, maxLength: 25 });

function canonical(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The family name in Prometheus text (counters carry `_total`). */
function exposedName(kind: string, name: string): string {
  return kind === 'counter' && !name.endsWith('_total') ? `${name}_total` : name;
}

/** A family as registered, with what each of its samples must read. */
interface ExpectedFamily {
  readonly kind: 'counter' | 'gauge' | 'histogram';
  /** Family name as OpenMetrics and the reference parser name it (counters without `_total`). */
  readonly name: string;
  readonly help: string;
  readonly bounds: readonly number[];
  readonly series: readonly ExpectedSeries[];
}

interface ExpectedSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Counter total or gauge value. */
  readonly value: number;
  /** Histograms: cumulative count per bound, then the +Inf bucket (= count). */
  readonly cumulative: readonly number[];
  readonly sum: number;
  readonly negative: boolean;
}

/** Registers the families (skipping those the registry refuses as colliding); computes the expected samples independently. */
function build(specs: readonly FamilySpec[]): { registry: MetricsRegistry; families: ExpectedFamily[] } {
  const registry = new MetricsRegistry();
  const families: ExpectedFamily[] = [];
  const taken = new Set<string>();
  for (const spec of specs) {
    // A name given twice finds the first family (or conflicts): keep the first spec only.
    if (taken.has(exposedName(spec.kind, spec.name))) continue;
    taken.add(exposedName(spec.kind, spec.name));
    let record: (values: readonly number[], labels: Record<string, string>) => void;
    let familyName = spec.name;
    try {
      if (spec.kind === 'counter') {
        const counter = registry.counter({ name: spec.name, help: spec.help });
        familyName = counter.name;
        record = (values, labels) => {
          for (const item of values) counter.add(Math.abs(item), labels);
        };
      } else if (spec.kind === 'gauge') {
        const gauge = registry.gauge({ name: spec.name, help: spec.help });
        record = (values, labels) => {
          for (const item of values) gauge.set(item, labels);
        };
      } else {
        const histogram = registry.histogram({ name: spec.name, help: spec.help, buckets: spec.buckets });
        record = (values, labels) => {
          for (const item of values) histogram.observe(item, labels);
        };
      }
    } catch (error) {
      // Same name twice, or exposed names colliding: the registry's rule, not an exposition case.
      if (isFw0Error(error) && error.code === 'FW0_METRIC_CONFLICT') continue;
      throw error;
    }
    const series = spec.series.map(({ labels, values }): ExpectedSeries => {
      record(values, labels);
      let total = 0;
      for (const item of values) total += Math.abs(item);
      let sum = 0;
      for (const item of values) sum += item;
      return {
        labels,
        value: spec.kind === 'counter' ? total : values.at(-1)!,
        cumulative: [...spec.buckets, Number.POSITIVE_INFINITY].map(
          (bound) => values.filter((item) => item <= bound).length,
        ),
        sum,
        negative: values.some((item) => item < 0),
      };
    });
    families.push({ kind: spec.kind, name: familyName, help: spec.help, bounds: spec.buckets, series });
  }
  return { registry, families };
}

const sameNumber = (a: number | undefined, b: number) => a !== undefined && (Object.is(a, b) || a === b);

function withoutLe(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { le: _, ...rest } = labels;
  return rest;
}

/** Key of a sample: name, labels without `le`, and the bound `le` stands for (`+Inf` is Infinity). */
function sampleKey(name: string, labels: Readonly<Record<string, string>>): string {
  const le = labels.le;
  const bound = le === undefined ? '' : `@${le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)}`;
  return `${name}${canonical(withoutLe(labels))}${bound}`;
}

/** Every sample of our own parser's reading, by name and canonical labels. */
function ownSamples(parsed: ParsedExposition): Map<string, number> {
  const samples = new Map<string, number>();
  for (const family of parsed.families)
    for (const sample of family.samples) {
      const key = sampleKey(sample.name, sample.labels);
      expect(samples.has(key), `${key} twice`).toBe(false);
      samples.set(key, sample.value);
    }
  return samples;
}

/** The same from the reference OpenMetrics parser. */
function referenceSamples(families: readonly OpenMetricsFamily[]): Map<string, number> {
  const samples = new Map<string, number>();
  for (const family of families)
    for (const sample of family.samples) samples.set(sampleKey(sample.name, sample.labels), sample.value);
  return samples;
}

/** Checks every sample of every family: values, every bucket, count and sum (unless OpenMetrics must leave it out). */
function checkValues(
  samples: Map<string, number>,
  families: readonly ExpectedFamily[],
  openMetrics: boolean,
): void {
  for (const family of families) {
    for (const series of family.series) {
      const labels = canonical(series.labels);
      const at = (sample: string, bound?: number) =>
        samples.get(`${sample}${labels}${bound === undefined ? '' : `@${bound}`}`);
      // (Keys as sampleKey() makes them: the bound as a number, Infinity for +Inf.)
      if (family.kind === 'counter') {
        const shown = at(`${family.name}_total`);
        expect(
          sameNumber(shown, series.value),
          `${family.name}_total${labels}: ${shown} != ${series.value}`,
        ).toBe(true);
      } else if (family.kind === 'gauge') {
        const shown = at(family.name);
        expect(sameNumber(shown, series.value), `${family.name}${labels}: ${shown} != ${series.value}`).toBe(
          true,
        );
      } else {
        const bounds = [...family.bounds, Number.POSITIVE_INFINITY];
        for (const [i, bound] of bounds.entries()) {
          const shown = at(`${family.name}_bucket`, bound);
          expect(shown, `${family.name}_bucket${labels} le=${bound}`).toBe(series.cumulative[i]);
        }
        const count = at(`${family.name}_count`);
        const sum = at(`${family.name}_sum`);
        if (openMetrics && (series.negative || family.bounds[0]! < 0)) {
          // OpenMetrics: no _sum where it can go down, and _count only with _sum.
          expect(sum, `${family.name}_sum${labels} must be absent in OpenMetrics`).toBeUndefined();
          expect(count, `${family.name}_count${labels} must be absent without _sum`).toBeUndefined();
        } else {
          expect(count, `${family.name}_count${labels}`).toBe(series.cumulative.at(-1));
          expect(sameNumber(sum, series.sum), `${family.name}_sum${labels}: ${sum} != ${series.sum}`).toBe(
            true,
          );
        }
      }
    }
  }
}

function checkHelp(read: ReadonlyMap<string, string | undefined>, families: readonly ExpectedFamily[]): void {
  for (const family of families) expect(read.get(family.name), `HELP of ${family.name}`).toBe(family.help);
}

describe('exposition properties', () => {
  let cases = 0;

  it('Prometheus text passes promtool without a finding and parses back to the same values', () => {
    fc.assert(
      fc.property(batch, (specs) => {
        cases++;
        const { registry, families } = build(specs);
        const text = serializePrometheus(registry.snapshot());
        const result = promtoolCheckMetrics(text);
        expect(result.findings, text).toEqual([]);
        expect(result.code).toBe(0);
        const parsed = parseExposition(text);
        checkValues(ownSamples(parsed), families, false);
        // Our parser names counter families as the text does (`x_total`).
        checkHelp(
          new Map(parsed.families.map((family) => [family.name.replace(/_total$/, ''), family.help])),
          families,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('OpenMetrics text passes the reference parser and parses back to the same values', () => {
    fc.assert(
      fc.property(batch, (specs) => {
        cases++;
        const { registry, families } = build(specs);
        const text = serializeOpenMetrics(registry.snapshot());
        const reference = parseOpenMetricsStrictly(text);
        checkValues(referenceSamples(reference), families, true);
        checkHelp(new Map(reference.map((family) => [family.name, family.help])), families);
        const parsed = parseExposition(text);
        expect(parsed.eof).toBe(true);
        checkValues(ownSamples(parsed), families, true);
        checkHelp(new Map(parsed.families.map((family) => [family.name, family.help])), families);
      }),
      { numRuns: 40 },
    );
    expect(cases).toBe(80);
  });
});
