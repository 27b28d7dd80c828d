import {
  type AnyInstrument,
  ErrorCode,
  exposedSampleNames,
  MetricsRegistry,
  type ParsedSample,
  type PerformanceMetric,
  parseExposition,
  serializeOpenMetrics,
} from '@fw0/metrics-core';
import { type CustomMetricsCollector, getCustomCollector } from '@fw0/metrics-custom';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { attempt, checkProperty, ensure, ensureSame, expectOutcome, Faults } from './harness.js';
import {
  anyNumber,
  anyText,
  bucketsInput,
  bucketsValid,
  canonicalTags,
  finiteBounds,
  integerIn,
  integerOption,
  isMetricName,
  junk,
  metricNameInput,
  numberOrJunk,
  suffixOf,
  tagsInput,
  tagsValid,
  unicodeText,
  unitInput,
  unitModel,
} from './inputs.js';
import {
  ensureUnchanged,
  parsedSamples,
  prometheusText,
  registryFingerprint,
  sampleValueOf,
} from './observe.js';

/**
 * The bad-input properties of @fw0/metrics-custom: every public entry point that takes user
 * input (the seed-style calls, bound handles, definitions, summaries, the factory's options).
 * The models below are written from the package README: each case either gives the documented
 * result, checked through getCounterValues()/getGaugeValues()/the summaries/the exposition and
 * the sample returned and drained, or a typed error with the documented code and nothing changed
 * (registry exposition, definitions, values and sample buffer fingerprinted before and after).
 */

type Kind = 'counter' | 'gauge' | 'histogram';
type Labels = Record<string, string>;

const MAX = Number.MAX_VALUE;
/** README: a histogram's sum stays within ±8.99e307, half the range of a double. */
const SUM_LIMIT = MAX / 2;
/** Series per metric in the fixtures (the registry's limit, which the collector takes). */
const SERIES_LIMIT = 4;
/** maxContextLength of the fixtures. */
const CONTEXT_LIMIT = 300;
const RESERVED = ['fw0_overflow'];
const HISTOGRAM_RESERVED = ['fw0_overflow', 'le'];
const OVERFLOW: Labels = { fw0_overflow: 'true' };

const INVALID_NAME = ErrorCode.INVALID_NAME;
const INVALID_LABEL = ErrorCode.INVALID_LABEL;
const INVALID_VALUE = ErrorCode.INVALID_VALUE;
const INVALID_UNIT = ErrorCode.INVALID_UNIT;
const INVALID_CONFIG = ErrorCode.INVALID_CONFIG;
const CONFLICT = ErrorCode.METRIC_CONFLICT;

// ---------------------------------------------------------------------------------------------
// The fixture: a shared registry with someone else's metrics, and a collector with state

interface World {
  readonly registry: MetricsRegistry;
  readonly collector: CustomMetricsCollector;
  /** Metrics the collector defined: the only ones it may record into (README: one owner per metric). */
  readonly owned: ReadonlySet<AnyInstrument>;
  /** Family -> the name getCounterValues()/getGaugeValues() show (the first spelling). */
  readonly display: ReadonlyMap<string, string>;
  /** Business metric -> its base unit. */
  readonly business: ReadonlyMap<string, string>;
  /** Names getHistogramSummary() knows: histograms recorded by name, business histograms by exposed name. */
  readonly histogramNames: ReadonlySet<string>;
}

function newWorld(): World {
  const registry = new MetricsRegistry({ maxSeriesPerMetric: SERIES_LIMIT });
  registry.counter({ name: 'foreign_events_total', help: 'Counted elsewhere.' }).add(3);
  registry.gauge({ name: 'pool_size', help: 'Set elsewhere.' }).set(8);
  const collector = getCustomCollector({
    registry,
    maxSamplesPerSecond: false,
    maxContextLength: CONTEXT_LIMIT,
  });
  collector.incrementCounter('orders', 2, { region: 'eu' });
  collector.incrementCounter('orders', 1);
  collector.incrementCounter('big_events_total', MAX / 1.5);
  for (const shard of ['a', 'b', 'c', 'd', 'e']) collector.incrementCounter('sharded', 1, { shard });
  collector.setGauge('queue_length', 5);
  collector.setGauge('cache_bytes', 1024, { cache: 'l1' });
  collector.recordHistogramValue('latency_seconds', 0.25, { route: '/cart' });
  collector.recordHistogramValue('swing', 8e307);
  collector.recordBusinessMetric('revenue', 12.5, 'eur', { region: 'eu' }, { order: 'A-1' });
  collector.recordBusinessMetric('wait_time', 2, 'minutes');
  const families = [
    'orders',
    'big_events',
    'sharded',
    'queue_length',
    'cache_bytes',
    'latency_seconds',
    'swing',
    'revenue_eur',
    'wait_time_seconds',
  ];
  return {
    registry,
    collector,
    owned: new Set(families.map((family) => registry.getMetric(family)!)),
    display: new Map([
      ['orders', 'orders'],
      ['big_events', 'big_events_total'],
      ['sharded', 'sharded'],
      ['queue_length', 'queue_length'],
      ['cache_bytes', 'cache_bytes'],
    ]),
    business: new Map([
      ['revenue', 'eur'],
      ['wait_time', 'seconds'],
    ]),
    histogramNames: new Set(['latency_seconds', 'swing', 'revenue_eur', 'wait_time_seconds']),
  };
}

/** Names the fixtures hold, for the name generators. */
const TAKEN = [
  'orders',
  'orders_total',
  'orders_created',
  'big_events',
  'big_events_total',
  'sharded',
  'queue_length',
  'cache_bytes',
  'latency_seconds',
  'latency_seconds_count',
  'swing',
  'revenue',
  'revenue_eur',
  'wait_time',
  'wait_time_seconds',
  'foreign_events',
  'foreign_events_total',
  'pool_size',
  'fw0_series_overflow_total',
  'fw0_samples_dropped',
  'fw0_anything',
];

/**
 * Everything a caller can observe of the world: the registry's OpenMetrics text (every family,
 * series, value, unit and HELP), its definitions (metrics without series too) and collectors,
 * the collector's values and its sample buffer. (One text format is enough here: the core
 * properties check that both formats say the same.)
 */
function fingerprint(world: World): string {
  const { collector, registry } = world;
  return JSON.stringify({
    text: serializeOpenMetrics(registry.snapshot({ sketches: false })),
    definitions: registry
      .getMetrics()
      .filter((metric) => !metric.name.startsWith('fw0_'))
      .map((metric) => [metric.type, metric.name, metric.unit ?? null, metric.help, metric.maxSeries]),
    collectors: registry.collectors.map((item) => item.name),
    counters: collector.getCounterValues(),
    gauges: collector.getGaugeValues(),
    buffered: collector.bufferedSampleCount,
  });
}

// ---------------------------------------------------------------------------------------------
// Models from the README

/** README: the unit a name's suffix announces (a counter's `_total` looked through). */
const UNIT_SUFFIXES: readonly [string, string][] = [
  ['_bytes_per_second', 'bytes_per_second'],
  ['_per_second', 'per_second'],
  ['_seconds', 'seconds'],
  ['_bytes', 'bytes'],
  ['_ratio', 'ratio'],
  ['_celsius', 'celsius'],
];

function inferredUnit(kind: Kind, name: string): string | undefined {
  const stem = kind === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
  for (const [suffix, unit] of UNIT_SUFFIXES)
    if (stem.endsWith(suffix) && stem.length > suffix.length) return unit;
  return undefined;
}

/** README: a sample's unit is its metric's, or `count` for a metric without one. */
function sampleUnit(check: NameCheck, kind: Kind, name: string): string {
  if (check.fault !== undefined) return 'count';
  return check.existing?.unit ?? inferredUnit(kind, name) ?? 'count';
}

/** A name the collector may use for a metric of `kind`, or the documented fault. */
type NameCheck =
  | { readonly fault: string }
  | { readonly fault?: undefined; readonly existing: AnyInstrument | undefined; readonly family: string };

/**
 * README: names follow the Prometheus grammar, not `__` nor `fw0_` (nor exposing a `__` sample); a counter may be named with
 * or without `_total`; a name the registry holds for another owner, or for another type, is a
 * MetricConflictError, as is a new metric whose exposed samples another metric already exposes.
 */
function checkName(world: World, kind: Kind, name: unknown): NameCheck {
  if (!isMetricName(name) || name.startsWith('fw0_')) return { fault: INVALID_NAME };
  const family = kind === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
  // Core's rule: no exposed sample may start with "__" (a counter or histogram named "_").
  if (family === '' || exposedSampleNames(kind, family).some((sample) => sample.startsWith('__')))
    return { fault: INVALID_NAME };
  const existing = world.registry.getMetric(name);
  if (existing !== undefined) {
    if (!world.owned.has(existing) || existing.type !== kind) return { fault: CONFLICT };
    return { existing, family: existing.name };
  }
  const taken = new Set(
    world.registry.getMetrics().flatMap((metric) => exposedSampleNames(metric.type, metric.name)),
  );
  if (exposedSampleNames(kind, family).some((sample) => taken.has(sample))) return { fault: CONFLICT };
  return { existing: undefined, family };
}

/** README: a values key is the name alone, or the name and the label set, names sorted, values escaped. */
function seriesKeyOf(display: string, labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return display;
  const escapeValue = (value: string) =>
    value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
  return `${display}{${names.map((name) => `${name}="${escapeValue(labels[name]!)}"`).join(',')}}`;
}

/**
 * The series a record with `labels` goes to, from the values the collector lists: its own, a new
 * one while the metric has fewer than the limit, else the overflow series.
 */
function seriesOf(
  values: Readonly<Record<string, number>>,
  display: string,
  labels: Labels,
): { key: string; labels: Labels } {
  const key = seriesKeyOf(display, labels);
  if (Object.hasOwn(values, key)) return { key, labels };
  const overflowKey = seriesKeyOf(display, OVERFLOW);
  const count = Object.keys(values).filter(
    (candidate) =>
      (candidate === display || candidate.startsWith(`${display}{`)) && candidate !== overflowKey,
  ).length;
  return count >= SERIES_LIMIT ? { key: overflowKey, labels: OVERFLOW } : { key, labels };
}

/** Count and sum of every series of the histogram `family`, by label set (as JSON of sorted labels). */
function histogramSeries(
  samples: readonly ParsedSample[],
  family: string,
): Map<string, { count: number; sum: number }> {
  const series = new Map<string, { count: number; sum: number }>();
  for (const sample of samples) {
    if (sample.name !== `${family}_count`) continue;
    const sum = sampleValueOf(samples, `${family}_sum`, sample.labels) ?? Number.NaN;
    series.set(labelsKey(sample.labels), { count: sample.value, sum });
  }
  return series;
}

function labelsKey(labels: Readonly<Labels>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name]]),
  );
}

/** The histogram series a record with `labels` goes to (as {@link seriesOf}), and its count and sum. */
function histogramSeriesOf(
  samples: readonly ParsedSample[],
  family: string,
  labels: Labels,
): { labels: Labels; count: number; sum: number } {
  const series = histogramSeries(samples, family);
  const own = series.get(labelsKey(labels));
  if (own !== undefined) return { labels, ...own };
  const overflowKey = labelsKey(OVERFLOW);
  const count = [...series.keys()].filter((key) => key !== overflowKey).length;
  if (count < SERIES_LIMIT) return { labels, count: 0, sum: 0 };
  return { labels: OVERFLOW, ...(series.get(overflowKey) ?? { count: 0, sum: 0 }) };
}

/** The returned sample is the one drained, with the documented fields. */
function checkSample(
  world: World,
  sample: PerformanceMetric,
  expected: Omit<PerformanceMetric, 'timestamp'>,
  window: { before: number; after: number; buffered: number },
  what: string,
): void {
  const { timestamp, ...rest } = sample;
  ensureSame(rest, expected, `${what}: sample`);
  ensure(
    Number.isInteger(timestamp) && timestamp >= window.before && timestamp <= window.after,
    `${what}: timestamp ${timestamp} outside [${window.before}, ${window.after}]`,
  );
  ensure(
    world.collector.bufferedSampleCount === window.buffered + 1,
    `${what}: ${world.collector.bufferedSampleCount} samples buffered`,
  );
  const drained = world.collector.getCollectedMetrics();
  ensure(drained.at(-1) === sample, `${what}: the sample drained last is not the one returned`);
  ensure(world.collector.bufferedSampleCount === 0, `${what}: buffer not empty after a drain`);
}

/** README: a context travels as the copy of its JSON form; what has no JSON object form is refused. */
function contextModel(context: unknown): { ok: true; copy: unknown } | { ok: false } {
  if (context === undefined) return { ok: true, copy: undefined };
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return { ok: false };
  let json: string | undefined;
  try {
    json = JSON.stringify(context) as string | undefined;
  } catch {
    return { ok: false };
  }
  if (json === undefined || json.length > CONTEXT_LIMIT) return { ok: false };
  const copy: unknown = JSON.parse(json);
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) return { ok: false };
  return { ok: true, copy };
}

const cyclic: Record<string, unknown> = { order: 'A-2' };
cyclic.self = cyclic;

/** Contexts: flat and nested JSON objects, and everything that is not one. */
const contextInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  {
    arbitrary: fc.dictionary(
      anyText(8),
      fc.oneof(anyText(16), anyNumber, fc.boolean(), fc.constant(null), fc.constant(undefined)),
      { maxKeys: 5 },
    ),
    weight: 6,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  {
    arbitrary: fc.constantFrom<unknown>(
      cyclic,
      { amount: 10n },
      10n,
      { run: () => 1 },
      () => 1,
      { toJSON: () => undefined },
      { toJSON: () => 'text' },
      { toJSON: () => ({ fine: true }) },
      new Date(0),
      new Map([['a', 1]]),
      Object.assign(Object.create(null) as object, { bare: 1 }),
      JSON.parse('{"__proto__": {"polluted": true}}'),
      { huge: 'x'.repeat(CONTEXT_LIMIT) },
      { almost: 'x'.repeat(CONTEXT_LIMIT - 12) },
      [],
      'order A-1',
      null,
      42,
    ),
    weight: 3,
  },
);

// ---------------------------------------------------------------------------------------------
// Properties

export function customProperties(): void {
  describe('@fw0/metrics-custom', () => {
    it('metric names through every entry point', () => {
      const calls = [
        'incrementCounter',
        'setGauge',
        'recordHistogramValue',
        'counter',
        'gauge',
        'histogram',
        'defineCounter',
        'defineGauge',
        'defineHistogram',
      ] as const;
      const kindOf: Record<(typeof calls)[number], Kind> = {
        incrementCounter: 'counter',
        counter: 'counter',
        defineCounter: 'counter',
        setGauge: 'gauge',
        gauge: 'gauge',
        defineGauge: 'gauge',
        recordHistogramValue: 'histogram',
        histogram: 'histogram',
        defineHistogram: 'histogram',
      };
      checkProperty(
        'custom.metric-names',
        fc.record({ call: fc.constantFrom(...calls), name: metricNameInput(TAKEN) }),
        ({ call, name }) => {
          const world = newWorld();
          const { collector } = world;
          const kind = kindOf[call];
          const check = checkName(world, kind, name);
          const faults = new Faults();
          if (check.fault !== undefined) faults.add(check.fault);
          const valuesBefore = { counters: collector.getCounterValues(), gauges: collector.getGaugeValues() };
          const samplesBefore = parsedSamples(prometheusText(world.registry));
          const before = fingerprint(world);
          const n = name as string;
          const what = `${call}(${JSON.stringify(String(name))})`;
          const outcome = attempt(() => {
            switch (call) {
              case 'incrementCounter':
                return collector.incrementCounter(n, 2);
              case 'setGauge':
                return collector.setGauge(n, -2.5);
              case 'recordHistogramValue':
                return collector.recordHistogramValue(n, 0.5);
              case 'counter':
                return collector.counter(n).add(2);
              case 'gauge':
                return collector.gauge(n).set(-2.5);
              case 'histogram':
                return collector.histogram(n).observe(0.5);
              case 'defineCounter':
                return collector.defineCounter(n);
              case 'defineGauge':
                return collector.defineGauge(n);
              default:
                return collector.defineHistogram(n);
            }
          });
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, fingerprint(world), what);
            return;
          }
          if (check.fault !== undefined) return;
          const family = check.family;
          const metric = world.registry.getMetric(n);
          ensure(
            metric !== undefined && metric.type === kind && metric.name === family,
            `${what}: no ${kind} ${family}`,
          );
          if (check.existing !== undefined)
            ensure(metric === check.existing, `${what}: another metric than the existing one`);
          else {
            ensure(metric.unit === inferredUnit(kind, n), `${what}: unit ${metric.unit}`);
            ensure(metric.maxSeries === SERIES_LIMIT, `${what}: series limit ${metric.maxSeries}`);
          }
          if (call.startsWith('define')) return;
          const samples = parsedSamples(prometheusText(world.registry));
          const display = world.display.get(family) ?? n;
          if (kind === 'counter') {
            const series = seriesOf(valuesBefore.counters, display, {});
            const expected = (valuesBefore.counters[series.key] ?? 0) + 2;
            ensure(
              collector.getCounterValues()[series.key] === expected,
              `${what}: ${series.key} is not ${expected}`,
            );
            ensure(
              sampleValueOf(samples, `${family}_total`, series.labels) === expected,
              `${what}: exposition`,
            );
          } else if (kind === 'gauge') {
            const series = seriesOf(valuesBefore.gauges, display, {});
            ensure(collector.getGaugeValues()[series.key] === -2.5, `${what}: gauge value`);
            ensure(sampleValueOf(samples, family, series.labels) === -2.5, `${what}: exposed gauge value`);
          } else {
            const series = histogramSeriesOf(samplesBefore, family, {});
            const count = sampleValueOf(samples, `${family}_count`, series.labels);
            ensure(count === series.count + 1, `${what}: _count ${count}`);
            if (call === 'recordHistogramValue')
              ensure(collector.getHistogramSummary(n)?.cumulative.count === count, `${what}: summary count`);
          }
        },
        900,
      );
    });

    it('incrementCounter: values, tags, totals that would overflow, the overflow series', () => {
      checkProperty(
        'custom.increment-counter',
        fc.record({
          name: fc.constantFrom(
            'orders',
            'orders_total',
            'big_events',
            'big_events_total',
            'sharded',
            'fz_new_total',
            'busy_seconds_total',
            'queue_length',
            'foreign_events',
          ),
          value: fc.oneof(
            { arbitrary: numberOrJunk, weight: 6 },
            { arbitrary: fc.constant(undefined), weight: 1 },
            { arbitrary: fc.constantFrom(MAX, MAX / 3, 2 ** 970, 2 ** 970 * (1 - 2 ** -52)), weight: 2 },
          ),
          tags: fc.oneof(
            { arbitrary: tagsInput(RESERVED), weight: 4 },
            {
              arbitrary: fc.constantFrom({ region: 'eu' }, { shard: 'a' }, { shard: 'zz' }, {}, null),
              weight: 2,
            },
          ),
        }),
        ({ name, value, tags }) => {
          const world = newWorld();
          const { collector } = world;
          const check = checkName(world, 'counter', name);
          const effective = value === undefined ? 1 : value;
          const valueOk = typeof effective === 'number' && effective >= 0 && Number.isFinite(effective);
          const tagsOk = tagsValid(tags, RESERVED);
          const faults = new Faults()
            .add(INVALID_VALUE, !valueOk)
            .add(INVALID_LABEL, !tagsOk)
            .add(check.fault ?? '', check.fault !== undefined);
          const canonical = canonicalTags(tags);
          const values = collector.getCounterValues();
          const display = check.fault === undefined ? (world.display.get(check.family) ?? name) : name;
          const series = seriesOf(values, display, canonical);
          const previous = values[series.key] ?? 0;
          if (faults.none && previous + (effective as number) === Number.POSITIVE_INFINITY)
            faults.add(INVALID_VALUE);
          const what = `incrementCounter(${JSON.stringify(name)}, ${String(value)}, ${JSON.stringify(tags)})`;
          const before = fingerprint(world);
          const buffered = collector.bufferedSampleCount;
          const started = Date.now();
          const outcome = attempt(() =>
            value === undefined
              ? collector.incrementCounter(name, undefined, tags as Labels)
              : collector.incrementCounter(name, value as number, tags as Labels),
          );
          const after = Date.now();
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, fingerprint(world), what);
            return;
          }
          if (check.fault !== undefined) return;
          const expected = previous + (effective as number);
          ensure(
            collector.getCounterValues()[series.key] === expected,
            `${what}: ${series.key} is not ${expected}`,
          );
          const shown = sampleValueOf(
            parsedSamples(prometheusText(world.registry)),
            `${check.family}_total`,
            series.labels,
          );
          ensure(shown === expected, `${what}: exposition shows ${shown}, expected ${expected}`);
          const unit = sampleUnit(check, 'counter', name);
          checkSample(
            world,
            outcome.value,
            { name, value: effective as number, type: 'counter', unit, tags: canonical },
            { before: started, after, buffered },
            what,
          );
        },
        1000,
      );
    });

    it('setGauge and the bound gauge: values and tags', () => {
      checkProperty(
        'custom.set-gauge',
        fc.record({
          name: fc.constantFrom('queue_length', 'cache_bytes', 'fz_level_ratio', 'orders', 'pool_size'),
          value: numberOrJunk,
          tags: fc.oneof(
            { arbitrary: tagsInput(RESERVED), weight: 4 },
            { arbitrary: fc.constantFrom({ cache: 'l1' }, {}, null, undefined), weight: 2 },
          ),
          bound: fc.boolean(),
        }),
        ({ name, value, tags, bound }) => {
          const world = newWorld();
          const { collector } = world;
          const check = checkName(world, 'gauge', name);
          const valueOk = typeof value === 'number' && Number.isFinite(value);
          const tagsOk = tagsValid(tags, RESERVED);
          const faults = new Faults()
            .add(INVALID_VALUE, !valueOk)
            .add(INVALID_LABEL, !tagsOk)
            .add(check.fault ?? '', check.fault !== undefined);
          const canonical = canonicalTags(tags);
          const display = check.fault === undefined ? (world.display.get(check.family) ?? name) : name;
          const series = seriesOf(collector.getGaugeValues(), display, canonical);
          const what = `${bound ? 'gauge().set' : 'setGauge'}(${JSON.stringify(name)}, ${String(value)}, ${JSON.stringify(tags)})`;
          let before = fingerprint(world);
          const buffered = collector.bufferedSampleCount;
          const started = Date.now();
          let outcome: ReturnType<typeof attempt<PerformanceMetric | undefined>>;
          if (bound) {
            // A bound handle is made (its series included) before any value: bind, then set.
            const handle = attempt(() => collector.gauge(name, tags as Labels));
            const bindFaults = new Faults()
              .add(INVALID_LABEL, !tagsOk)
              .add(check.fault ?? '', check.fault !== undefined);
            if (!expectOutcome(handle, bindFaults.codes, `bind ${what}`)) {
              ensureUnchanged(before, fingerprint(world), what);
              return;
            }
            before = fingerprint(world);
            outcome = attempt(() => {
              handle.value.set(value as number);
              return undefined;
            });
            if (!expectOutcome(outcome, new Faults().add(INVALID_VALUE, !valueOk).codes, what)) {
              ensureUnchanged(before, fingerprint(world), what);
              return;
            }
          } else {
            outcome = attempt(() => collector.setGauge(name, value as number, tags as Labels));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, fingerprint(world), what);
              return;
            }
          }
          const after = Date.now();
          if (check.fault !== undefined) return;
          const v = value as number;
          ensure(collector.getGaugeValues()[series.key] === v, `${what}: ${series.key} is not ${v}`);
          const shown = sampleValueOf(
            parsedSamples(prometheusText(world.registry)),
            check.family,
            series.labels,
          );
          ensure(shown === v, `${what}: exposition shows ${shown}`);
          if (bound) return;
          const unit = sampleUnit(check, 'gauge', name);
          checkSample(
            world,
            outcome.value!,
            { name, value: v, type: 'gauge', unit, tags: canonical },
            { before: started, after, buffered },
            what,
          );
        },
        800,
      );
    });

    it('recordHistogramValue: values, tags, sums beyond the limit', () => {
      checkProperty(
        'custom.record-histogram',
        fc.record({
          name: fc.constantFrom(
            'latency_seconds',
            'swing',
            'fz_sizes_bytes',
            'revenue_eur',
            'orders',
            'pool_size',
          ),
          value: fc.oneof(
            { arbitrary: numberOrJunk, weight: 6 },
            {
              arbitrary: fc.constantFrom(1e307, -1e307, 2 ** 969, -(2 ** 969), SUM_LIMIT, -MAX, MAX),
              weight: 2,
            },
          ),
          tags: fc.oneof(
            { arbitrary: tagsInput(HISTOGRAM_RESERVED), weight: 4 },
            { arbitrary: fc.constantFrom({ route: '/cart' }, { le: '1' }, {}, null), weight: 2 },
          ),
        }),
        ({ name, value, tags }) => {
          const world = newWorld();
          const { collector } = world;
          const check = checkName(world, 'histogram', name);
          const valueOk = typeof value === 'number' && Number.isFinite(value);
          const tagsOk = tagsValid(tags, HISTOGRAM_RESERVED);
          const faults = new Faults()
            .add(INVALID_VALUE, !valueOk)
            .add(INVALID_LABEL, !tagsOk)
            .add(check.fault ?? '', check.fault !== undefined);
          const canonical = canonicalTags(tags);
          const samplesBefore = parsedSamples(prometheusText(world.registry));
          const family = check.fault === undefined ? check.family : name;
          const series = histogramSeriesOf(samplesBefore, family, canonical);
          const v = value as number;
          if (valueOk && Math.abs(series.sum + v) > SUM_LIMIT) faults.add(INVALID_VALUE);
          const what = `recordHistogramValue(${JSON.stringify(name)}, ${String(value)}, ${JSON.stringify(tags)})`;
          const before = fingerprint(world);
          const buffered = collector.bufferedSampleCount;
          const started = Date.now();
          const outcome = attempt(() => collector.recordHistogramValue(name, v, tags as Labels));
          const after = Date.now();
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, fingerprint(world), what);
            return;
          }
          if (check.fault !== undefined) return;
          const samples = parsedSamples(prometheusText(world.registry));
          const now = histogramSeries(samples, family).get(labelsKey(series.labels));
          ensure(now?.count === series.count + 1, `${what}: _count ${now?.count}`);
          ensure(now.sum === series.sum + v, `${what}: _sum ${now.sum}, expected ${series.sum + v}`);
          if (series.labels !== OVERFLOW) {
            const summary = collector.getHistogramSummary(name, tags as Labels);
            ensure(summary?.cumulative.count === now.count, `${what}: summary count`);
            ensure(Number.isFinite(summary.window.sum), `${what}: window sum ${summary.window.sum}`);
          }
          const unit = sampleUnit(check, 'histogram', name);
          checkSample(
            world,
            outcome.value,
            { name, value: v, type: 'histogram', unit, tags: canonical },
            { before: started, after, buffered },
            what,
          );
        },
        800,
      );
    });

    it('recordBusinessMetric: values, units and unit changes, tags, contexts', () => {
      checkProperty(
        'custom.record-business',
        fc.record({
          name: fc.oneof(
            fc.constantFrom(
              'revenue',
              'wait_time',
              'fz_amount',
              'orders',
              'latency_seconds',
              'swing',
              'fw0_money',
              'pool_size',
            ),
            metricNameInput([]),
          ),
          value: fc.oneof(
            { arbitrary: numberOrJunk, weight: 6 },
            { arbitrary: fc.constantFrom(1e307, 1e300, 1e308, -1e307, 2 ** 969), weight: 1 },
          ),
          unit: fc.oneof(
            { arbitrary: unitInput, weight: 5 },
            { arbitrary: fc.constant(undefined), weight: 1 },
          ),
          tags: fc.oneof(
            { arbitrary: tagsInput(HISTOGRAM_RESERVED), weight: 3 },
            { arbitrary: fc.constantFrom({ region: 'eu' }, {}, undefined), weight: 2 },
          ),
          context: contextInput,
        }),
        ({ name, value, unit, tags, context }) => {
          const world = newWorld();
          const { collector } = world;
          const faults = new Faults();
          const valueOk = typeof value === 'number' && Number.isFinite(value);
          faults.add(INVALID_VALUE, !valueOk);
          const unitInfo = unitModel(unit === undefined ? 'count' : unit);
          if (!unitInfo.ok) faults.add(INVALID_UNIT);
          const v = value as number;
          const base = unitInfo.ok && valueOk ? v * unitInfo.factor : Number.NaN;
          if (valueOk && unitInfo.ok && !Number.isFinite(base)) faults.add(INVALID_VALUE);
          const contextOk = contextModel(context);
          faults.add(INVALID_VALUE, !contextOk.ok);
          const tagsOk = tagsValid(tags, HISTOGRAM_RESERVED);
          faults.add(INVALID_LABEL, !tagsOk);
          let exposed: string | undefined;
          let check: NameCheck | undefined;
          if (!isMetricName(name) || name.startsWith('fw0_')) faults.add(INVALID_NAME);
          else if (unitInfo.ok) {
            const known = world.business.get(name);
            if (known !== undefined && known !== unitInfo.base) faults.add(CONFLICT);
            exposed = name.endsWith(suffixOf(unitInfo.base)) ? name : name + suffixOf(unitInfo.base);
            check = checkName(world, 'histogram', exposed);
            if (check.fault !== undefined) faults.add(check.fault);
            else if (check.existing !== undefined && (check.existing.unit ?? 'count') !== unitInfo.base)
              faults.add(CONFLICT);
          }
          const canonical = canonicalTags(tags);
          const samplesBefore = parsedSamples(prometheusText(world.registry));
          const series = histogramSeriesOf(samplesBefore, exposed ?? '', canonical);
          if (Number.isFinite(base) && Math.abs(series.sum + base) > SUM_LIMIT) faults.add(INVALID_VALUE);
          const what = `recordBusinessMetric(${JSON.stringify(name)}, ${String(value)}, ${JSON.stringify(unit)}, ${JSON.stringify(tags)}, context)`;
          const before = fingerprint(world);
          const buffered = collector.bufferedSampleCount;
          const started = Date.now();
          const outcome = attempt(() =>
            collector.recordBusinessMetric(
              name as string,
              v,
              unit as string,
              tags as Labels,
              context as Record<string, unknown>,
            ),
          );
          const after = Date.now();
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, fingerprint(world), what);
            return;
          }
          if (!unitInfo.ok || !contextOk.ok || exposed === undefined) return;
          const samples = parsedSamples(prometheusText(world.registry));
          const now = histogramSeries(samples, exposed).get(labelsKey(series.labels));
          ensure(now?.count === series.count + 1, `${what}: ${exposed}_count ${now?.count}`);
          ensure(
            now.sum === series.sum + base,
            `${what}: ${exposed}_sum ${now.sum}, expected ${series.sum + base}`,
          );
          const summary = collector.getBusinessMetricSummary(name as string, tags as Labels);
          if (series.labels !== OVERFLOW) {
            ensure(
              summary?.name === exposed && summary.unit === unitInfo.base,
              `${what}: summary ${summary?.name} ${summary?.unit}`,
            );
            ensure(summary.cumulative.count === now.count, `${what}: summary count`);
          }
          // OpenMetrics names the unit of every unit but count.
          const family = openMetricsFamilies(world.registry).find((item) => item.name === exposed);
          ensure(
            family?.unit === (unitInfo.base === 'count' ? undefined : unitInfo.base),
            `${what}: # UNIT ${family?.unit}`,
          );
          const sample = outcome.value;
          const expected: Record<string, unknown> = {
            name,
            value: v,
            type: 'histogram',
            unit: unitInfo.unit,
            tags: canonical,
          };
          if (contextOk.copy !== undefined) expected.context = contextOk.copy;
          ensure(
            sample.context === undefined || Object.isFrozen(sample.context),
            `${what}: the sample's context is not frozen`,
          );
          checkSample(
            world,
            sample,
            expected as Omit<PerformanceMetric, 'timestamp'>,
            { before: started, after, buffered },
            what,
          );
        },
        1000,
      );
    });

    it('define*: options of new metrics, and re-definitions alike or not', () => {
      const options = fc.record(
        {
          help: fc.oneof(anyText(20), junk),
          unit: fc.oneof(
            { arbitrary: unitInput, weight: 2 },
            { arbitrary: fc.constant(undefined), weight: 3 },
          ),
          maxSeries: integerOption(1, 10_000_000),
          aggregation: fc.oneof(
            fc.constantFrom('sum', 'min', 'max', 'last'),
            fc.constantFrom('avg', ''),
            junk,
          ),
          buckets: bucketsInput,
        },
        { requiredKeys: [] },
      );
      checkProperty(
        'custom.define',
        fc.record({
          call: fc.constantFrom('defineCounter', 'defineGauge', 'defineHistogram', 'defineBusinessMetric'),
          stem: fc.stringMatching(/^fz_[a-z][a-z0-9]{0,8}$/),
          suffix: fc.constantFrom(
            '',
            '_seconds',
            '_bytes',
            '_ratio',
            '_eur',
            '_celsius',
            '_per_second',
            '_total',
          ),
          options,
          change: fc.constantFrom('help', 'maxSeries', 'aggregation', 'buckets'),
        }),
        ({ call, stem, suffix, options, change }) => {
          const world = newWorld();
          const { collector } = world;
          const name = stem + suffix;
          const definition: Record<string, unknown> = { ...options };
          if (call !== 'defineGauge') delete definition.aggregation;
          if (call !== 'defineHistogram' && call !== 'defineBusinessMetric') delete definition.buckets;
          const kind: Kind =
            call === 'defineCounter' ? 'counter' : call === 'defineGauge' ? 'gauge' : 'histogram';
          const faults = new Faults();
          if (definition.help !== undefined && typeof definition.help !== 'string')
            faults.add(INVALID_CONFIG);
          if (definition.maxSeries !== undefined && !integerIn(definition.maxSeries, 1, 10_000_000))
            faults.add(INVALID_CONFIG);
          if (
            call === 'defineGauge' &&
            definition.aggregation !== undefined &&
            !['sum', 'min', 'max', 'last'].includes(definition.aggregation as string)
          )
            faults.add(INVALID_CONFIG);
          // Buckets left out or null: the defaults of the unit.
          if (definition.buckets != null && !bucketsValid(definition.buckets)) faults.add(INVALID_CONFIG);
          let family: string;
          let unit: string | undefined;
          if (call === 'defineBusinessMetric') {
            // README: any unit; the histogram is named with its base unit's suffix and holds base units.
            // Only a unit left out is count (null is no unit, as for recordBusinessMetric).
            const info = unitModel(definition.unit === undefined ? 'count' : definition.unit);
            if (!info.ok) {
              faults.add(INVALID_UNIT);
              family = name;
            } else {
              family = name.endsWith(suffixOf(info.base)) ? name : name + suffixOf(info.base);
              unit = info.base === 'count' ? undefined : info.base;
            }
          } else {
            family = kind === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
            // README: the unit given, else the one the name announces; a base unit the name ends with.
            const info = definition.unit === undefined ? undefined : unitModel(definition.unit);
            if (info !== undefined && !info.ok) faults.add(INVALID_UNIT);
            else if (info !== undefined && info.base !== info.unit) faults.add(INVALID_CONFIG);
            else if (
              info !== undefined &&
              suffixOf(info.base) !== '' &&
              !family.endsWith(suffixOf(info.base))
            )
              faults.add(INVALID_NAME);
            unit =
              info === undefined
                ? inferredUnit(kind, name)
                : info.ok && info.unit !== 'count'
                  ? info.unit
                  : undefined;
          }
          const define = (input: Record<string, unknown>) => {
            const typed = input as never;
            if (call === 'defineCounter') return collector.defineCounter(name, typed);
            if (call === 'defineGauge') return collector.defineGauge(name, typed);
            if (call === 'defineHistogram') return collector.defineHistogram(name, typed);
            return collector.defineBusinessMetric(name, typed);
          };
          const what = `${call}(${JSON.stringify(name)}, ${JSON.stringify(definition, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))})`;
          const before = fingerprint(world);
          const outcome = attempt(() => define(definition));
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, fingerprint(world), what);
            return;
          }
          const instrument = outcome.value;
          ensure(
            instrument.type === kind && instrument.name === family,
            `${what}: got ${instrument.type} ${instrument.name}`,
          );
          ensure(instrument.unit === unit, `${what}: unit ${instrument.unit}, expected ${unit}`);
          ensure(
            instrument.maxSeries === (definition.maxSeries ?? SERIES_LIMIT),
            `${what}: maxSeries ${instrument.maxSeries}`,
          );
          const help = definition.help as string | undefined;
          if (help !== undefined && help !== '')
            ensure(instrument.help === help, `${what}: help ${instrument.help}`);
          if (instrument.type === 'gauge')
            ensure(instrument.aggregation === (definition.aggregation ?? 'sum'), `${what}: aggregation`);
          if (instrument.type === 'histogram' && Array.isArray(definition.buckets))
            ensureSame(
              finiteBounds(instrument.bounds),
              finiteBounds(definition.buckets as number[]),
              `${what}: bounds`,
            );
          // Alike again: the same instrument, nothing changed.
          const defined = fingerprint(world);
          const again = attempt(() => define(definition));
          ensure(
            again.ok && again.value === instrument,
            `${what}: defined again alike, not the same instrument`,
          );
          ensureUnchanged(defined, fingerprint(world), `${what} again alike`);
          // Stated otherwise: a MetricConflictError, nothing changed.
          const other: Record<string, unknown> = { ...definition };
          // (An empty HELP is "no HELP": any other is no conflict with it.)
          if (change === 'help' && instrument.help !== '') other.help = `${instrument.help} (changed)`;
          else if (change === 'maxSeries')
            other.maxSeries = instrument.maxSeries === 1 ? 2 : instrument.maxSeries - 1;
          else if (change === 'aggregation' && instrument.type === 'gauge')
            other.aggregation = instrument.aggregation === 'max' ? 'min' : 'max';
          else if (change === 'buckets' && instrument.type === 'histogram') {
            const bounds = finiteBounds(instrument.bounds);
            other.buckets = bounds.length > 1 ? bounds.slice(1) : [bounds[0] === 0 ? 1 : 0];
          } else return;
          const conflict = attempt(() => define(other));
          expectOutcome(conflict, new Faults().add(CONFLICT).codes, `${what} changed in ${change}`);
          ensureUnchanged(defined, fingerprint(world), `${what} changed in ${change}`);
          // And the seed-style call records into the definition.
          if (instrument.type === 'counter') collector.incrementCounter(name, 2, { k: 'v' });
          else if (instrument.type === 'gauge') collector.setGauge(name, 2, { k: 'v' });
          else if (call === 'defineHistogram') collector.recordHistogramValue(name, 2, { k: 'v' });
          else return;
          const samples = parsedSamples(prometheusText(world.registry));
          const sampleName =
            kind === 'counter' ? `${family}_total` : kind === 'histogram' ? `${family}_sum` : family;
          ensure(
            sampleValueOf(samples, sampleName, { k: 'v' }) === 2,
            `${what}: ${sampleName} after a record`,
          );
        },
        900,
      );
    });

    it('getHistogramSummary and getBusinessMetricSummary: any name, any tags', () => {
      checkProperty(
        'custom.summaries',
        fc.record({
          business: fc.boolean(),
          name: fc.oneof(
            fc.constantFrom(
              'latency_seconds',
              'swing',
              'revenue',
              'revenue_eur',
              'wait_time',
              'orders',
              'unknown',
            ),
            metricNameInput(TAKEN),
          ),
          tags: fc.oneof(
            { arbitrary: tagsInput(HISTOGRAM_RESERVED), weight: 3 },
            {
              arbitrary: fc.constantFrom({ route: '/cart' }, { region: 'eu' }, {}, undefined, null, {
                fw0_overflow: 'true',
              }),
              weight: 2,
            },
          ),
        }),
        ({ business, name, tags }) => {
          const world = newWorld();
          const { collector } = world;
          const known = business
            ? world.business.has(name as string)
            : world.histogramNames.has(name as string);
          const tagsOk = tagsValid(tags, HISTOGRAM_RESERVED);
          const faults = new Faults().add(INVALID_LABEL, known && !tagsOk);
          const what = `${business ? 'getBusinessMetricSummary' : 'getHistogramSummary'}(${JSON.stringify(String(name))}, ${JSON.stringify(tags)})`;
          const before = fingerprint(world);
          const outcome = attempt(() =>
            business
              ? collector.getBusinessMetricSummary(name as string, tags as Labels)
              : collector.getHistogramSummary(name as string, tags as Labels),
          );
          const changed = fingerprint(world);
          ensureUnchanged(before, changed, `${what} (a read)`);
          if (!expectOutcome(outcome, faults.codes, what)) return;
          const family = business
            ? ({ revenue: 'revenue_eur', wait_time: 'wait_time_seconds' } as Record<string, string>)[
                name as string
              ]
            : (name as string);
          const series = known
            ? histogramSeries(parsedSamples(prometheusText(world.registry)), family!).get(
                labelsKey(canonicalTags(tags)),
              )
            : undefined;
          const summary = outcome.value;
          if (series === undefined) {
            ensure(summary === undefined, `${what}: a summary of no series`);
            return;
          }
          ensure(summary !== undefined, `${what}: no summary of an existing series`);
          ensure(
            summary.cumulative.count === series.count && summary.cumulative.sum === series.sum,
            `${what}: count/sum ${summary.cumulative.count}/${summary.cumulative.sum}`,
          );
          const mean = series.sum / series.count;
          ensure(summary.cumulative.mean === mean, `${what}: mean ${summary.cumulative.mean}`);
          for (const q of ['p50', 'p90', 'p95', 'p99', 'p999'] as const) {
            const estimate = summary.cumulative[q];
            ensure(
              estimate >= summary.cumulative.min * (1 - 0.011) &&
                estimate <= summary.cumulative.max * (1 + 0.011),
              `${what}: ${q} ${estimate} outside [min, max]`,
            );
          }
        },
        600,
      );
    });

    it("getCustomCollector options, and the collector's limits honoured", () => {
      const logger = { debug() {}, warn() {}, error() {} };
      checkProperty(
        'custom.factory-options',
        fc.oneof(
          {
            arbitrary: fc.record(
              {
                registry: fc.oneof(fc.constant('shared'), fc.constant('fresh'), junk),
                name: fc.oneof(fc.constantFrom('custom', 'shop', 'taken', ' ', ''), unicodeText(8), junk),
                maxSeriesPerMetric: integerOption(1, 10_000_000),
                maxMetrics: integerOption(1, 1_000_000),
                bufferSize: integerOption(1, 100_000),
                maxSamplesPerSecond: fc.oneof(
                  fc.constant(false),
                  fc.constant(true),
                  integerOption(1, 10_000_000),
                ),
                maxContextLength: integerOption(2, 10_000_000),
                logger: fc.oneof(fc.constant(logger), fc.constant({ warn() {} }), junk),
              },
              { requiredKeys: [] },
            ),
            weight: 9,
          },
          { arbitrary: fc.constantFrom<unknown>(null, 5, 'options', true, [], undefined), weight: 1 },
        ),
        (input) => {
          const registry = new MetricsRegistry();
          getCustomCollector({ registry, name: 'taken' });
          const raw = input as Record<string, unknown> | null | undefined;
          const options =
            typeof raw === 'object' && raw !== null && !Array.isArray(raw)
              ? {
                  ...raw,
                  ...(raw.registry === 'shared'
                    ? { registry }
                    : raw.registry === 'fresh'
                      ? { registry: new MetricsRegistry() }
                      : {}),
                }
              : raw;
          const target = (options as { registry?: unknown } | null | undefined)?.registry;
          const faults = new Faults();
          // An array is no options object (core's BaseCollector refuses it).
          if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw)))
            faults.add(INVALID_CONFIG);
          else if (options !== undefined && !Array.isArray(options)) {
            // README: null is "not given", for every option.
            const o = options as Record<string, unknown>;
            const given = (key: string) => o[key] !== undefined && o[key] !== null;
            if (given('registry') && !(o.registry instanceof MetricsRegistry)) faults.add(INVALID_CONFIG);
            if (given('logger') && o.logger !== logger) faults.add(INVALID_CONFIG);
            const name = o.name ?? 'custom';
            if (typeof name !== 'string' || name.trim() === '') faults.add(INVALID_CONFIG);
            else if (o.registry === registry && name === 'taken') faults.add(INVALID_CONFIG);
            if (given('maxMetrics') && !integerIn(o.maxMetrics, 1, 1_000_000)) faults.add(INVALID_CONFIG);
            if (given('maxContextLength') && !integerIn(o.maxContextLength, 2, 10_000_000))
              faults.add(INVALID_CONFIG);
            if (given('maxSeriesPerMetric') && !integerIn(o.maxSeriesPerMetric, 1, 10_000_000))
              faults.add(INVALID_CONFIG);
            if (given('bufferSize') && !integerIn(o.bufferSize, 1, 10_000_000)) faults.add(INVALID_CONFIG);
            const rate = o.maxSamplesPerSecond;
            if (given('maxSamplesPerSecond') && rate !== false && !integerIn(rate, 1, 10_000_000))
              faults.add(INVALID_CONFIG);
          }
          const what = `getCustomCollector(${JSON.stringify(input)})`;
          const before = registryFingerprint(registry);
          const outcome = attempt(() => getCustomCollector(options as never));
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          const collector = outcome.value;
          const raw2 = (Array.isArray(options) ? {} : (options ?? {})) as Record<string, unknown>;
          const o = Object.fromEntries(Object.entries(raw2).filter(([, value]) => value !== null)) as Record<
            string,
            number | false | undefined
          >;
          if (target instanceof MetricsRegistry)
            ensure(collector.registry === target, `${what}: another registry`);
          ensure(collector.registry.collectors.includes(collector), `${what}: not registered`);
          // The limits hold: series, buffer, metrics, context length.
          const seriesLimit = (o.maxSeriesPerMetric as number | undefined) ?? 2000;
          const tagSets = Math.min(seriesLimit + 1, 40);
          for (let i = 0; i < tagSets; i++) collector.incrementCounter('fz_probe', 1, { i: String(i) });
          const values = collector.getCounterValues();
          const overflowed = values['fz_probe{fw0_overflow="true"}'];
          ensure(
            seriesLimit < tagSets ? overflowed === tagSets - seriesLimit : overflowed === undefined,
            `${what}: overflow series ${overflowed} for ${tagSets} tag sets and a limit of ${seriesLimit}`,
          );
          const bufferSize = (o.bufferSize as number | undefined) ?? 10_000;
          const kept = collector.getCollectedMetrics().length;
          ensure(kept <= Math.min(bufferSize, tagSets), `${what}: ${kept} samples kept`);
          if (o.maxSamplesPerSecond === false || (o.maxSamplesPerSecond ?? 100) >= tagSets)
            ensure(kept === Math.min(bufferSize, tagSets), `${what}: ${kept} samples kept of ${tagSets}`);
          const maxMetrics = (o.maxMetrics as number | undefined) ?? 1000;
          if (maxMetrics <= 3) {
            const extra = attempt(() => {
              for (let i = 0; i < maxMetrics; i++) collector.setGauge(`fz_gauge_${i}`, i);
            });
            expectOutcome(extra, new Faults().add(INVALID_CONFIG).codes, `${what}: metrics past maxMetrics`);
          }
          const limit = (o.maxContextLength as number | undefined) ?? 4096;
          if (limit <= 100_000 && maxMetrics > 3) {
            const fits = { n: 'x'.repeat(Math.max(0, limit - 8)) };
            const fitsOk = JSON.stringify(fits).length <= limit;
            const recorded = attempt(() =>
              collector.recordBusinessMetric('fz_amount', 1, 'eur', undefined, fits),
            );
            expectOutcome(
              recorded,
              new Faults().add(INVALID_VALUE, !fitsOk).codes,
              `${what}: a context at the limit`,
            );
            const tooLong = attempt(() =>
              collector.recordBusinessMetric('fz_amount', 1, 'eur', undefined, { n: 'x'.repeat(limit) }),
            );
            expectOutcome(
              tooLong,
              new Faults().add(INVALID_VALUE).codes,
              `${what}: a context past the limit`,
            );
          }
        },
        400,
      );
    });

    it('resetCounters and getCollectedMetrics over two collectors of one registry', () => {
      const command = fc.oneof(
        {
          arbitrary: fc.record({
            op: fc.constant('increment' as const),
            who: fc.constantFrom('shop', 'billing'),
            name: fc.constantFrom('orders', 'orders_total', 'invoices', 'foreign_events', 'refunds'),
            value: fc.constantFrom(0, 1, 2.5, 7),
            region: fc.constantFrom(undefined, 'eu', 'us'),
          }),
          weight: 6,
        },
        {
          arbitrary: fc.record({
            op: fc.constant('reset' as const),
            who: fc.constantFrom('shop', 'billing'),
          }),
          weight: 1,
        },
        {
          arbitrary: fc.record({
            op: fc.constant('drain' as const),
            who: fc.constantFrom('shop', 'billing'),
          }),
          weight: 1,
        },
        {
          arbitrary: fc.record({ op: fc.constant('foreign' as const), value: fc.constantFrom(1, 4) }),
          weight: 1,
        },
      );
      checkProperty(
        'custom.reset-and-drain',
        fc.array(command, { minLength: 1, maxLength: 30 }),
        (commands) => {
          const registry = new MetricsRegistry();
          const foreign = registry.counter({ name: 'foreign_events_total', help: 'Counted elsewhere.' });
          foreign.add(3);
          const collectors = {
            shop: getCustomCollector({ registry, name: 'shop', maxSamplesPerSecond: false }),
            billing: getCustomCollector({ registry, name: 'billing', maxSamplesPerSecond: false }),
          };
          // The model: who owns each family, each collector's values by key, its undrained samples.
          const owner = new Map<string, 'shop' | 'billing'>();
          const display = new Map<string, string>();
          const values = { shop: new Map<string, number>(), billing: new Map<string, number>() };
          const pending = { shop: [] as string[], billing: [] as string[] };
          let foreignTotal = 3;
          for (const [step, item] of commands.entries()) {
            const what = `step ${step} ${JSON.stringify(item)}`;
            if (item.op === 'foreign') {
              foreign.add(item.value);
              foreignTotal += item.value;
            } else if (item.op === 'reset') {
              collectors[item.who].resetCounters();
              for (const key of values[item.who].keys()) values[item.who].set(key, 0);
            } else if (item.op === 'drain') {
              const drained = collectors[item.who]
                .getCollectedMetrics()
                .map((sample) => `${sample.name}=${sample.value}`);
              ensureSame(drained, pending[item.who], `${what}: drained samples`);
              pending[item.who] = [];
            } else {
              const family = item.name.replace(/_total$/, '');
              const tags = item.region === undefined ? undefined : { region: item.region };
              const taken =
                family === 'foreign_events' || (owner.has(family) && owner.get(family) !== item.who);
              const outcome = attempt(() =>
                collectors[item.who].incrementCounter(item.name, item.value, tags),
              );
              if (!expectOutcome(outcome, new Faults().add(CONFLICT, taken).codes, what)) continue;
              owner.set(family, item.who);
              if (!display.has(family)) display.set(family, item.name);
              const key = seriesKeyOf(display.get(family)!, tags ?? {});
              values[item.who].set(key, (values[item.who].get(key) ?? 0) + item.value);
              pending[item.who].push(`${item.name}=${item.value}`);
            }
            const sorted = (entries: [string, number][]) =>
              entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
            for (const who of ['shop', 'billing'] as const)
              ensureSame(
                sorted(Object.entries(collectors[who].getCounterValues())),
                sorted([...values[who]]),
                `${what}: ${who} values`,
              );
            ensure(
              foreign.get() === foreignTotal,
              `${what}: the foreign counter reads ${foreign.get()}, not ${foreignTotal}`,
            );
          }
        },
        300,
      );
    });
  });
}

/** The families of the registry's OpenMetrics text, read back. */
function openMetricsFamilies(registry: MetricsRegistry): { name: string; unit?: string | undefined }[] {
  return parseExposition(serializeOpenMetrics(registry.snapshot({ sketches: false }))).families;
}
