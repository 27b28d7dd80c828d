import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import {
  type AnyInstrument,
  convertValue,
  createMetricsHandler,
  ErrorCode,
  exponentialBuckets,
  exposedSampleNames,
  linearBuckets,
  MetricsRegistry,
  nameWithUnit,
  normalizeUnit,
  PeriodicTask,
  parseExposition,
  serializeOpenMetrics,
  startMetricsServer,
} from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  attempt,
  attemptAsync,
  checkAsyncProperty,
  checkProperty,
  ensure,
  ensureSame,
  expectOutcome,
  Faults,
} from './harness.js';
import {
  anyNumber,
  anyText,
  BUILT_IN_UNITS,
  bucketsInput,
  bucketsValid,
  canonicalTags,
  finiteBounds,
  hostInput,
  hostValid,
  integerIn,
  integerOption,
  isMetricName,
  junk,
  metricNameInput,
  numberOrJunk,
  pathInput,
  pathValid,
  suffixOf,
  tagsInput,
  tagsValid,
  unicodeText,
  unitInput,
  unitModel,
  validBuckets,
} from './inputs.js';
import {
  ensureUnchanged,
  parsedSamples,
  prometheusText,
  registryFingerprint,
  sampleValueOf,
} from './observe.js';

type Kind = 'counter' | 'gauge' | 'histogram';
const KINDS: readonly Kind[] = ['counter', 'gauge', 'histogram'];

const RESERVED = ['fw0_overflow'];
const HISTOGRAM_RESERVED = ['fw0_overflow', 'le'];

function define(registry: MetricsRegistry, kind: Kind, definition: unknown): AnyInstrument {
  const anyDefinition = definition as Parameters<MetricsRegistry['histogram']>[0];
  if (kind === 'counter') return registry.counter(anyDefinition);
  if (kind === 'gauge') return registry.gauge(anyDefinition);
  return registry.histogram(anyDefinition);
}

/** A registry holding one metric of each kind with series, so rejected calls have state to disturb. */
function populated(): MetricsRegistry {
  const registry = new MetricsRegistry();
  registry.counter({ name: 'jobs', help: 'Jobs done.' }).add(2, { queue: 'a' });
  registry.gauge({ name: 'queue_depth', help: 'Waiting.' }).set(3);
  registry.histogram({ name: 'latency_seconds', unit: 'seconds' }).observe(0.2, { route: '/' });
  return registry;
}

const TAKEN = [
  'jobs',
  'jobs_total',
  'jobs_created',
  'queue_depth',
  'latency_seconds',
  'latency_seconds_bucket',
  'latency_seconds_count',
  'latency_seconds_sum',
  'fw0_scrapes_total',
  'fw0_series_overflow',
  'fw0_task_duration_seconds',
];

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** GET on loopback (bounded: 5 s). */
function httpGet(url: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { headers, timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    sent.on('timeout', () => sent.destroy(new Error(`no reply from ${url} within 5 s`)));
    sent.on('error', reject);
    sent.end();
  });
}

/** The value the exposition shows for a new record, or 0 when the series did not exist. */
const orZero = (value: number | undefined): number => value ?? 0;

function nextAfter(value: number, up: boolean): number {
  if (Number.isNaN(value) || !Number.isFinite(value)) return value;
  if (value === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, value > 0 === up ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

export function coreProperties(): void {
  describe('@fw0/metrics-core', () => {
    it('metric names of counters, gauges and histograms', () => {
      checkProperty(
        'core.metric-names',
        fc.record({ kind: fc.constantFrom(...KINDS), name: metricNameInput(TAKEN), asObject: fc.nat(40) }),
        ({ kind, name, asObject }) => {
          const registry = populated();
          const definition = asObject === 0 ? name : { name };
          const before = registryFingerprint(registry);
          const owners = new Map<string, AnyInstrument>();
          for (const metric of registry.getMetrics())
            for (const sample of exposedSampleNames(metric.type, metric.name)) owners.set(sample, metric);
          const faults = new Faults();
          let mayPass = false;
          let family: string | undefined;
          if (typeof definition !== 'object' || definition === null) faults.add(ErrorCode.INVALID_CONFIG);
          else if (!isMetricName(name)) faults.add(ErrorCode.INVALID_NAME);
          else {
            family = kind === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
            const same = registry.getMetrics().find((metric) => metric.name === family);
            if (family === '') faults.add(ErrorCode.INVALID_NAME);
            // `__` names are reserved, the exposed ones too: no counter or histogram named `_`.
            else if (exposedSampleNames(kind, family).some((sample) => sample.startsWith('__')))
              faults.add(ErrorCode.INVALID_NAME);
            else if (same !== undefined) {
              // Same family: the same type may be adopted (or differ in unit/options); another type conflicts.
              faults.add(ErrorCode.METRIC_CONFLICT);
              mayPass = same.type === kind;
            } else if (exposedSampleNames(kind, family).some((sample) => owners.has(sample))) {
              faults.add(ErrorCode.METRIC_CONFLICT);
            }
          }
          const outcome = attempt(() => define(registry, kind, definition));
          const what = `${kind} ${JSON.stringify(String(name))}`;
          if (!expectOutcome(outcome, faults.codes, what, mayPass)) {
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          const instrument = outcome.value;
          ensure(
            instrument.type === kind && instrument.name === family,
            `${what}: got ${instrument.type} ${instrument.name}`,
          );
          ensure(
            registry.getMetric(name as string) === instrument,
            `${what}: getMetric finds another instrument`,
          );
          const samplesBefore = parsedSamples(prometheusText(registry));
          if (instrument.type === 'counter') instrument.add(1);
          else if (instrument.type === 'gauge') instrument.set(1.5);
          else instrument.observe(1);
          const samples = parsedSamples(prometheusText(registry));
          const sampleName =
            kind === 'counter' ? `${family}_total` : kind === 'histogram' ? `${family}_count` : family!;
          const expected = kind === 'gauge' ? 1.5 : orZero(sampleValueOf(samplesBefore, sampleName, {})) + 1;
          ensure(
            sampleValueOf(samples, sampleName, {}) === expected,
            `${what}: ${sampleName} is not ${expected}`,
          );
          parseExposition(serializeOpenMetrics(registry.snapshot({ sketches: false })));
        },
        3000,
      );
    });

    it('definition options: unit, help, series limit, aggregation, buckets, accuracy, window', () => {
      const options = fc.record(
        {
          help: fc.oneof(anyText(30), junk),
          unit: unitInput,
          maxSeries: integerOption(1, 10_000_000),
          aggregation: fc.oneof(
            fc.constantFrom('sum', 'min', 'max', 'last'),
            fc.constantFrom('avg', 'SUM', ''),
            junk,
          ),
          buckets: bucketsInput,
          relativeAccuracy: fc.oneof(
            fc.double({ min: 1e-6, max: 0.9999999, noNaN: true }),
            fc.constantFrom(0.01, 1e-6, 9.99e-7, 1e-16, 0, 1, -0.1, 0.5, 0.9999999999999999),
            numberOrJunk,
          ),
          maxBins: integerOption(16, 65_536),
          windowSeconds: fc.oneof(
            fc.constantFrom(0, 60, 61, 86_400, 86_401, 3, 10),
            integerOption(0, 86_400),
          ),
          windowSlices: fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 60, 61, 7), integerOption(1, 60)),
        },
        { requiredKeys: [] },
      );
      checkProperty(
        'core.definition-options',
        fc.record({
          kind: fc.constantFrom(...KINDS),
          stem: fc
            .stringMatching(/^fz_[a-z][a-z0-9_]{0,10}$/)
            .filter((stem) => !stem.includes('__') && !stem.endsWith('_')),
          suffix: fc.constantFrom(
            '',
            '_seconds',
            '_bytes',
            '_ratio',
            '_eur',
            '_celsius',
            '_bytes_per_second',
            '_per_second',
            '_total',
            '_orders',
          ),
          options,
          value: anyNumber.filter(Number.isFinite),
        }),
        ({ kind, stem, suffix, options, value }) => {
          const registry = new MetricsRegistry();
          const name = stem + suffix;
          const definition: Record<string, unknown> = { name, ...options };
          if (kind !== 'gauge') delete definition.aggregation;
          if (kind !== 'histogram') {
            for (const key of ['buckets', 'relativeAccuracy', 'maxBins', 'windowSeconds', 'windowSlices'])
              delete definition[key];
          }
          const family = kind === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
          const faults = new Faults();
          if (definition.help !== undefined && typeof definition.help !== 'string')
            faults.add(ErrorCode.INVALID_CONFIG);
          const unit = definition.unit === undefined ? undefined : unitModel(definition.unit);
          if (unit !== undefined) {
            if (!unit.ok) faults.add(ErrorCode.INVALID_UNIT);
            else if (unit.base !== unit.unit) faults.add(ErrorCode.INVALID_CONFIG);
            else if (suffixOf(unit.base) !== '' && !family.endsWith(suffixOf(unit.base)))
              faults.add(ErrorCode.INVALID_NAME);
          }
          if (definition.maxSeries !== undefined && !integerIn(definition.maxSeries, 1, 10_000_000))
            faults.add(ErrorCode.INVALID_CONFIG);
          if (
            kind === 'gauge' &&
            definition.aggregation !== undefined &&
            !['sum', 'min', 'max', 'last'].includes(definition.aggregation as string)
          )
            faults.add(ErrorCode.INVALID_CONFIG);
          if (kind === 'histogram') {
            const buckets = definition.buckets ?? [1];
            if (!bucketsValid(buckets)) faults.add(ErrorCode.INVALID_CONFIG);
            const accuracy = definition.relativeAccuracy ?? 0.01;
            if (!(typeof accuracy === 'number' && accuracy >= 1e-6 && accuracy < 1))
              faults.add(ErrorCode.INVALID_CONFIG);
            if (!integerIn(definition.maxBins ?? 1024, 16, 65_536)) faults.add(ErrorCode.INVALID_CONFIG);
            const windowSeconds = definition.windowSeconds ?? 60;
            if (!integerIn(windowSeconds, 0, 86_400)) faults.add(ErrorCode.INVALID_CONFIG);
            else if ((windowSeconds as number) > 0) {
              const slices = definition.windowSlices ?? 3;
              if (!integerIn(slices, 1, 60) || (windowSeconds as number) % (slices as number) !== 0)
                faults.add(ErrorCode.INVALID_CONFIG);
            }
          }
          const before = registryFingerprint(registry);
          const what = `${kind} ${JSON.stringify(definition, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`;
          const outcome = attempt(() => define(registry, kind, definition));
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          const instrument = outcome.value;
          const normalized = unit?.ok ? unit.unit : undefined;
          ensure(instrument.unit === normalized, `${what}: unit ${instrument.unit} instead of ${normalized}`);
          ensure(instrument.help === (definition.help ?? ''), `${what}: help changed`);
          ensure(
            define(registry, kind, definition) === instrument,
            `${what}: the same definition again is not the same instrument`,
          );
          if (instrument.type === 'gauge')
            ensure(instrument.aggregation === (definition.aggregation ?? 'sum'), `${what}: aggregation`);
          const labels = { k: 'v' };
          if (instrument.type === 'counter') instrument.add(2.5, labels);
          else if (instrument.type === 'gauge') instrument.set(-3.25, labels);
          else instrument.observe(value, labels);
          const snapshot = registry.snapshot({ sketches: false });
          const openMetrics = parseExposition(serializeOpenMetrics(snapshot));
          const parsed = openMetrics.families.find((item) => item.name === family);
          ensure(
            parsed !== undefined && parsed.type === kind,
            `${what}: no ${kind} family ${family} in OpenMetrics`,
          );
          const unitLine =
            normalized !== undefined && normalized !== 'count' && family.endsWith(`_${normalized}`)
              ? normalized
              : undefined;
          ensure(parsed.unit === unitLine, `${what}: OpenMetrics UNIT ${parsed.unit} instead of ${unitLine}`);
          const help = definition.help as string | undefined;
          if (help !== undefined && help !== '' && help.isWellFormed())
            ensure(parsed.help === help, `${what}: HELP read back as ${JSON.stringify(parsed.help)}`);
          const samples = parsedSamples(prometheusText(registry));
          if (instrument.type === 'counter')
            ensure(sampleValueOf(samples, `${family}_total`, labels) === 2.5, `${what}: counter value`);
          else if (instrument.type === 'gauge')
            ensure(sampleValueOf(samples, family, labels) === -3.25, `${what}: gauge value`);
          else {
            const bounds = finiteBounds(instrument.bounds);
            if (Array.isArray(definition.buckets))
              ensureSame(bounds, finiteBounds(definition.buckets as number[]), `${what}: bounds`);
            for (const bound of [...bounds, Number.POSITIVE_INFINITY]) {
              const le = bound === Number.POSITIVE_INFINITY ? '+Inf' : String(bound);
              const count = sampleValueOf(samples, `${family}_bucket`, { ...labels, le });
              ensure(
                count === (value <= bound ? 1 : 0),
                `${what}: bucket le=${le} holds ${count} for ${value}`,
              );
            }
            const estimate = instrument.quantile(0.5, labels);
            const accuracy = instrument.relativeAccuracy;
            ensure(
              Math.abs(value) <= 1e-12
                ? Math.abs(estimate) <= 1e-12
                : Math.abs(estimate - value) <= Math.abs(value) * accuracy * (1 + 1e-9),
              `${what}: median ${estimate} of the single value ${value} is not within ${accuracy}`,
            );
          }
        },
        2500,
      );
    });

    it('counter increments: values and labels', () => {
      checkProperty(
        'core.counter-add',
        fc.record({
          value: fc.oneof(numberOrJunk, fc.constant(undefined)),
          labels: fc.oneof(
            { arbitrary: tagsInput(RESERVED), weight: 4 },
            { arbitrary: fc.constantFrom({ region: 'eu' }, {}), weight: 1 },
          ),
          bound: fc.boolean(),
        }),
        ({ value, labels, bound }) => {
          const registry = new MetricsRegistry();
          const counter = registry.counter({ name: 'fz_events', help: 'Events.' });
          counter.add(5, { region: 'eu' });
          counter.add(1);
          const effective = value === undefined ? 1 : value;
          const valueOk =
            typeof effective === 'number' && effective >= 0 && effective !== Number.POSITIVE_INFINITY;
          const labelsOk = tagsValid(labels, RESERVED);
          const what = `add(${String(value)}, ${JSON.stringify(labels)})`;
          const previous = labelsOk ? orZero(counter.get(labels as Record<string, string>)) : 0;
          let before = registryFingerprint(registry);
          let outcome: ReturnType<typeof attempt<unknown>>;
          if (bound) {
            const handle = attempt(() => counter.bind(labels as Record<string, string>));
            if (
              !expectOutcome(
                handle,
                new Faults().add(ErrorCode.INVALID_LABEL, !labelsOk).codes,
                `bind ${what}`,
              )
            ) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
            before = registryFingerprint(registry);
            outcome = attempt(() => handle.value.add(value as number));
            if (!expectOutcome(outcome, new Faults().add(ErrorCode.INVALID_VALUE, !valueOk).codes, what)) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
          } else {
            const faults = new Faults()
              .add(ErrorCode.INVALID_VALUE, !valueOk)
              .add(ErrorCode.INVALID_LABEL, !labelsOk);
            outcome = attempt(() => counter.add(value as number, labels as Record<string, string>));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
          }
          const expected = previous + (effective as number);
          ensure(
            counter.get(labels as Record<string, string>) === expected,
            `${what}: get() is not ${expected}`,
          );
          const canonical = canonicalTags(labels);
          for (const text of [prometheusText(registry), serializeOpenMetrics(registry.snapshot())]) {
            const shown = sampleValueOf(parsedSamples(text), 'fz_events_total', canonical);
            ensure(shown === expected, `${what}: exposition shows ${shown}, expected ${expected}`);
          }
        },
        3000,
      );
    });

    it('gauge set and add', () => {
      checkProperty(
        'core.gauge-set-add',
        fc.record({
          value: fc.oneof(numberOrJunk, fc.constant(undefined)),
          labels: fc.oneof(
            { arbitrary: tagsInput(RESERVED), weight: 4 },
            { arbitrary: fc.constantFrom({ pool: 'x' }, {}), weight: 1 },
          ),
          operation: fc.constantFrom('set', 'add', 'bound-set', 'bound-add'),
          start: fc.oneof(anyNumber.filter(Number.isFinite), fc.constantFrom(1.7e308, -1.7e308)),
        }),
        ({ value, labels, operation, start }) => {
          const registry = new MetricsRegistry();
          const gauge = registry.gauge({ name: 'fz_level', aggregation: 'max' });
          gauge.set(start, { pool: 'x' });
          gauge.set(7);
          const labelsOk = tagsValid(labels, RESERVED);
          const effective = operation === 'bound-add' && value === undefined ? 1 : value;
          const valueOk = typeof effective === 'number' && Number.isFinite(effective);
          const what = `${operation}(${String(value)}, ${JSON.stringify(labels)})`;
          const previous = labelsOk ? orZero(gauge.get(labels as Record<string, string>)) : 0;
          let before = registryFingerprint(registry);
          const typedLabels = labels as Record<string, string>;
          if (operation.startsWith('bound')) {
            const handle = attempt(() => gauge.bind(typedLabels));
            if (
              !expectOutcome(
                handle,
                new Faults().add(ErrorCode.INVALID_LABEL, !labelsOk).codes,
                `bind ${what}`,
              )
            ) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
            before = registryFingerprint(registry);
            const outcome = attempt(() =>
              operation === 'bound-set'
                ? handle.value.set(value as number)
                : handle.value.add(value as number),
            );
            if (!expectOutcome(outcome, new Faults().add(ErrorCode.INVALID_VALUE, !valueOk).codes, what)) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
          } else {
            const faults = new Faults()
              .add(ErrorCode.INVALID_VALUE, !valueOk)
              .add(ErrorCode.INVALID_LABEL, !labelsOk);
            const outcome = attempt(() =>
              operation === 'set'
                ? gauge.set(value as number, typedLabels)
                : gauge.add(value as number, typedLabels),
            );
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
          }
          const expected = operation.endsWith('set')
            ? (effective as number)
            : previous + (effective as number);
          ensure(gauge.get(typedLabels) === expected, `${what}: get() is not ${expected}`);
          const shown = sampleValueOf(
            parsedSamples(prometheusText(registry)),
            'fz_level',
            canonicalTags(labels),
          );
          ensure(shown === expected, `${what}: exposition shows ${shown}, expected ${expected}`);
        },
        2500,
      );
    });

    it('histogram observations: buckets, count, sum, extremes', () => {
      checkProperty(
        'core.histogram-observe',
        fc
          .record({
            buckets: validBuckets,
            // A value near a bound (the bound itself or the next double either side), or any value.
            near: fc.record({ pick: fc.nat(), step: fc.constantFrom(-1, 0, 1) }),
            other: numberOrJunk,
            useOther: fc.boolean(),
            labels: fc.oneof(
              { arbitrary: tagsInput(HISTOGRAM_RESERVED), weight: 3 },
              { arbitrary: fc.constant({}), weight: 1 },
            ),
            bound: fc.boolean(),
          })
          .map(({ buckets, near, other, useOther, labels, bound }) => {
            const bounds = finiteBounds(buckets);
            const at = bounds[near.pick % bounds.length]!;
            const value = useOther ? other : near.step === 0 ? at : nextAfter(at, near.step > 0);
            return { buckets, value, labels, bound };
          }),
        ({ buckets, value, labels, bound }) => {
          const registry = new MetricsRegistry();
          const histogram = registry.histogram({ name: 'fz_size', buckets, windowSeconds: 0 });
          histogram.observe(finiteBounds(buckets)[0]!, { seed: 'x' });
          const labelsOk = tagsValid(labels, HISTOGRAM_RESERVED);
          const valueOk = typeof value === 'number' && Number.isFinite(value);
          const what = `observe(${String(value)}, ${JSON.stringify(labels)}) with buckets ${JSON.stringify(buckets.map(String))}`;
          const typedLabels = labels as Record<string, string>;
          const summary = labelsOk ? histogram.summary(typedLabels) : undefined;
          const samplesBefore = parsedSamples(prometheusText(registry));
          let before = registryFingerprint(registry);
          if (bound) {
            const handle = attempt(() => histogram.bind(typedLabels));
            if (
              !expectOutcome(
                handle,
                new Faults().add(ErrorCode.INVALID_LABEL, !labelsOk).codes,
                `bind ${what}`,
              )
            ) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
            before = registryFingerprint(registry);
            const outcome = attempt(() => handle.value.observe(value as number));
            if (!expectOutcome(outcome, new Faults().add(ErrorCode.INVALID_VALUE, !valueOk).codes, what)) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
          } else {
            const faults = new Faults()
              .add(ErrorCode.INVALID_VALUE, !valueOk)
              .add(ErrorCode.INVALID_LABEL, !labelsOk);
            const outcome = attempt(() => histogram.observe(value as number, typedLabels));
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensureUnchanged(before, registryFingerprint(registry), what);
              return;
            }
          }
          const x = value as number;
          const after = histogram.summary(typedLabels)!;
          const count = (summary?.cumulative.count ?? 0) + 1;
          ensure(after.cumulative.count === count, `${what}: count ${after.cumulative.count}`);
          ensure(
            after.cumulative.sum === (summary?.cumulative.sum ?? 0) + x,
            `${what}: sum ${after.cumulative.sum}`,
          );
          if (count === 1)
            ensure(
              after.cumulative.min === x && after.cumulative.max === x,
              `${what}: min/max ${after.cumulative.min}/${after.cumulative.max}`,
            );
          const canonical = canonicalTags(labels);
          const samples = parsedSamples(prometheusText(registry));
          for (const le of [...finiteBounds(buckets), Number.POSITIVE_INFINITY]) {
            const label = le === Number.POSITIVE_INFINITY ? '+Inf' : String(le);
            const earlier = orZero(
              sampleValueOf(samplesBefore, 'fz_size_bucket', { ...canonical, le: label }),
            );
            const shown = sampleValueOf(samples, 'fz_size_bucket', { ...canonical, le: label });
            const wanted = earlier + (x <= le ? 1 : 0);
            ensure(shown === wanted, `${what}: bucket le=${label} shows ${shown}, expected ${wanted}`);
          }
          ensure(sampleValueOf(samples, 'fz_size_count', canonical) === count, `${what}: _count`);
          ensure(
            sampleValueOf(samples, 'fz_size_bucket', { ...canonical, le: '+Inf' }) === count,
            `${what}: +Inf bucket`,
          );
        },
        2500,
      );
    });

    it('series limits and the overflow series', () => {
      checkProperty(
        'core.series-limit',
        fc.record({
          maxSeriesPerMetric: fc.oneof(
            fc.constant(undefined),
            fc.integer({ min: 1, max: 40 }),
            integerOption(1, 10_000_000),
          ),
          collectTimeoutMs: fc.oneof(fc.constant(undefined), integerOption(1, 3_600_000)),
          maxSeries: fc.oneof(
            fc.constant(undefined),
            fc.integer({ min: 1, max: 40 }),
            integerOption(1, 10_000_000),
          ),
          records: fc.integer({ min: 0, max: 60 }),
          boundRecords: fc.integer({ min: 0, max: 5 }),
        }),
        ({ maxSeriesPerMetric, collectTimeoutMs, maxSeries, records, boundRecords }) => {
          const options = { maxSeriesPerMetric, collectTimeoutMs } as Record<string, unknown>;
          const registryFaults = new Faults()
            .add(ErrorCode.INVALID_CONFIG, !integerIn(maxSeriesPerMetric ?? 2000, 1, 10_000_000))
            .add(ErrorCode.INVALID_CONFIG, !integerIn(collectTimeoutMs ?? 5000, 1, 3_600_000));
          const created = attempt(() => new MetricsRegistry(options));
          if (
            !expectOutcome(created, registryFaults.codes, `new MetricsRegistry(${JSON.stringify(options)})`)
          )
            return;
          const registry = created.value;
          const before = registryFingerprint(registry);
          const counterFaults = new Faults().add(
            ErrorCode.INVALID_CONFIG,
            maxSeries !== undefined && !integerIn(maxSeries, 1, 10_000_000),
          );
          const defined = attempt(() =>
            registry.counter({
              name: 'fz_limited',
              ...(maxSeries === undefined ? {} : { maxSeries: maxSeries as number }),
            }),
          );
          if (!expectOutcome(defined, counterFaults.codes, `maxSeries ${String(maxSeries)}`)) {
            ensureUnchanged(before, registryFingerprint(registry), 'counter definition');
            return;
          }
          const counter = defined.value;
          const limit = (maxSeries ?? maxSeriesPerMetric ?? 2000) as number;
          let overflowTotal = 0;
          for (let i = 0; i < records; i++) {
            counter.add(i + 1, { shard: String(i) });
            if (i >= limit) overflowTotal += i + 1;
          }
          // Then records through a handle bound to one more label set: past the limit, each of
          // them counts as a record sent to the overflow series (the bind itself records nothing).
          const full = Math.min(records, limit) >= limit;
          const handle = counter.bind({ shard: 'bound' });
          const overflowedBefore = registry.self.seriesOverflow.get({ metric: 'fz_limited_total' }) ?? 0;
          ensure(
            overflowedBefore === Math.max(0, records - limit),
            `bind() counted as an overflowed record (${overflowedBefore} after ${records} sets, limit ${limit})`,
          );
          for (let i = 0; i < boundRecords; i++) handle.add(2);
          if (full) overflowTotal += 2 * boundRecords;
          ensure(
            counter.seriesCount === Math.min(records, limit) + (full ? 0 : 1),
            `seriesCount ${counter.seriesCount} for ${records} sets and a bound one, limit ${limit}`,
          );
          const samples = parsedSamples(prometheusText(registry));
          for (let i = 0; i < Math.min(records, limit); i++)
            ensure(sampleValueOf(samples, 'fz_limited_total', { shard: String(i) }) === i + 1, `shard ${i}`);
          ensure(
            sampleValueOf(samples, 'fz_limited_total', { shard: 'bound' }) ===
              (full ? undefined : 2 * boundRecords),
            `bound series, limit ${limit}`,
          );
          const overflowed = Math.max(0, records - limit) + (full ? boundRecords : 0);
          // The overflow series exists once a label set went past the limit (a bound one too).
          ensure(
            sampleValueOf(samples, 'fz_limited_total', { fw0_overflow: 'true' }) ===
              (full ? overflowTotal : undefined),
            `overflow series of ${records} sets and a bound one, limit ${limit}`,
          );
          ensure(
            sampleValueOf(samples, 'fw0_series_overflow_total', { metric: 'fz_limited_total' }) ===
              (overflowed > 0 ? overflowed : undefined),
            `fw0_series_overflow_total: ${records} labelled sets and ${boundRecords} bound records, limit ${limit}`,
          );
          const total = samples
            .filter((sample) => sample.name === 'fz_limited_total')
            .reduce((sum, sample) => sum + sample.value, 0);
          ensure(
            total === (records * (records + 1)) / 2 + 2 * boundRecords,
            `total ${total} of ${records} records and ${boundRecords} bound ones`,
          );
        },
        600,
      );
    });

    it('parses any text into an exposition or a ParseError', () => {
      const valid = prometheusText(populated());
      const mutated = fc
        .array(
          fc.record({
            at: fc.nat(),
            length: fc.nat(8),
            insert: fc.oneof(
              anyText(6),
              fc.constantFrom('\n', '{', '}', '"', '\\', '=', ' ', '# ', 'NaN', '+Inf'),
            ),
          }),
          { minLength: 1, maxLength: 4 },
        )
        .map((edits) =>
          edits.reduce((text, edit) => {
            const at = edit.at % (text.length + 1);
            return text.slice(0, at) + edit.insert + text.slice(at + edit.length);
          }, valid),
        );
      checkProperty(
        'core.parse-exposition',
        fc.oneof(
          mutated,
          anyText(80),
          fc
            .array(
              fc.oneof(anyText(30), fc.constantFrom('# EOF', '# TYPE x counter', 'x 1', 'x{a="b"} 2 3')),
              { maxLength: 6 },
            )
            .map((lines) => lines.join('\n')),
        ),
        (text) => {
          const outcome = attempt(() => parseExposition(text));
          if (
            !expectOutcome(
              outcome,
              new Set([ErrorCode.PARSE_ERROR]),
              `parse ${JSON.stringify(text.slice(0, 200))}`,
              true,
            )
          )
            return;
          for (const family of outcome.value.families)
            for (const sample of family.samples) {
              ensure(typeof sample.value === 'number', 'a sample value is not a number');
              for (const value of Object.values(sample.labels))
                ensure(typeof value === 'string', 'a label value is not a string');
            }
        },
        3000,
      );
    });

    it('units and bucket helpers', () => {
      checkProperty(
        'core.units-buckets',
        fc.record({
          unit: unitInput,
          from: fc.oneof(unitInput, fc.constantFrom(...Object.keys(BUILT_IN_UNITS))),
          to: fc.oneof(unitInput, fc.constantFrom(...Object.keys(BUILT_IN_UNITS))),
          value: anyNumber,
          base: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/),
          start: numberOrJunk,
          step: numberOrJunk,
          count: fc.oneof(fc.integer({ min: -2, max: 60 }), fc.constantFrom(65_536, 65_537), numberOrJunk),
        }),
        ({ unit, from, to, value, base, start, step, count }) => {
          const model = unitModel(unit);
          const normalized = attempt(() => normalizeUnit(unit));
          if (
            expectOutcome(
              normalized,
              new Faults().add(ErrorCode.INVALID_UNIT, !model.ok).codes,
              `normalizeUnit(${String(unit)})`,
            )
          )
            ensure(
              model.ok && normalized.value === model.unit,
              `normalizeUnit(${String(unit)}) = ${normalized.value}`,
            );
          const named = attempt(() => nameWithUnit(base, unit as string));
          if (
            expectOutcome(
              named,
              new Faults().add(ErrorCode.INVALID_UNIT, !model.ok).codes,
              `nameWithUnit(${base}, ${String(unit)})`,
            )
          ) {
            const suffix = suffixOf((model as { base: string }).base);
            ensure(
              named.value === (suffix === '' || base.endsWith(suffix) ? base : base + suffix),
              `nameWithUnit(${base}, ${String(unit)}) = ${named.value}`,
            );
          }
          const fromInfo =
            typeof from === 'string' && Object.hasOwn(BUILT_IN_UNITS, from)
              ? BUILT_IN_UNITS[from]
              : undefined;
          const toInfo =
            typeof to === 'string' && Object.hasOwn(BUILT_IN_UNITS, to) ? BUILT_IN_UNITS[to] : undefined;
          const convertible =
            from === to ||
            (fromInfo !== undefined && toInfo !== undefined && fromInfo.dimension === toInfo.dimension);
          const converted = attempt(() => convertValue(value, from as string, to as string));
          if (
            expectOutcome(
              converted,
              new Faults().add(ErrorCode.INVALID_UNIT, !convertible).codes,
              `convertValue(${value}, ${String(from)}, ${String(to)})`,
            )
          ) {
            const expected = from === to ? value : (value * fromInfo!.factor) / toInfo!.factor;
            ensure(
              Object.is(converted.value, expected),
              `convertValue(${value}, ${String(from)}, ${String(to)}) = ${converted.value}, expected ${expected}`,
            );
          }
          // Numbers as documented get the strict model; anything else may be coerced or refused.
          const numeric = typeof start === 'number' && typeof step === 'number' && typeof count === 'number';
          const countOk = Number.isInteger(count) && (count as number) >= 1 && (count as number) <= 65_536;
          const linearOk = numeric && step > 0 && countOk && Number.isFinite(start);
          const linear = attempt(() => linearBuckets(start as number, step as number, count as number));
          const linearWhat = `linearBuckets(${String(start)}, ${String(step)}, ${String(count)})`;
          if (
            expectOutcome(
              linear,
              new Faults().add(ErrorCode.INVALID_CONFIG, !linearOk).codes,
              linearWhat,
              !numeric,
            )
          ) {
            ensure(
              linear.value.length === count && linear.value.every((bound) => typeof bound === 'number'),
              linearWhat,
            );
            if (numeric)
              ensureSame(
                linear.value,
                Array.from({ length: count }, (_, i) => start + i * step),
                linearWhat,
              );
          }
          const exponentialOk =
            numeric && start > 0 && step > 1 && countOk && Number.isFinite(start * step ** (count as number));
          const exponential = attempt(() =>
            exponentialBuckets(start as number, step as number, count as number),
          );
          const exponentialWhat = `exponentialBuckets(${String(start)}, ${String(step)}, ${String(count)})`;
          if (
            expectOutcome(
              exponential,
              new Faults().add(ErrorCode.INVALID_CONFIG, !exponentialOk).codes,
              exponentialWhat,
              !numeric,
            )
          ) {
            const bounds = exponential.value;
            ensure(bounds.length === count, `${exponentialWhat}: length`);
            ensure(
              bounds.every((bound, i) => Number.isFinite(bound) && (i === 0 || bound >= bounds[i - 1]!)),
              `${exponentialWhat}: not increasing`,
            );
          }
        },
        2500,
      );
    });

    it('periodic task options', () => {
      checkProperty(
        'core.periodic-task-options',
        fc.record({
          name: fc.oneof(anyText(12), fc.constantFrom('poll', 'probe x')),
          intervalMs: integerOption(1, 86_400_000),
          timeoutMs: fc.oneof(fc.constant(undefined), integerOption(1, 86_400_000)),
          withRegistry: fc.boolean(),
        }),
        ({ name, intervalMs, timeoutMs, withRegistry }) => {
          const registry = new MetricsRegistry();
          const before = registryFingerprint(registry);
          const faults = new Faults()
            .add(ErrorCode.INVALID_CONFIG, !integerIn(intervalMs, 1, 86_400_000))
            .add(ErrorCode.INVALID_CONFIG, !integerIn(timeoutMs ?? intervalMs, 1, 86_400_000))
            .add(ErrorCode.INVALID_LABEL, withRegistry && !name.isWellFormed());
          const outcome = attempt(
            () =>
              new PeriodicTask({
                name,
                intervalMs: intervalMs as number,
                ...(timeoutMs === undefined ? {} : { timeoutMs: timeoutMs as number }),
                ...(withRegistry ? { registry } : {}),
                run: () => undefined,
              }),
          );
          const what = `PeriodicTask ${JSON.stringify({ name, intervalMs, timeoutMs })}`;
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          ensure(outcome.value.intervalMs === intervalMs && !outcome.value.running, `${what}: state`);
        },
        1500,
      );
    });

    it('metrics server and handler options, never off loopback', async () => {
      // Each option is mostly valid, so that a good share of the cases start a server and are
      // scraped; `served` proves it.
      let served = 0;
      await checkAsyncProperty(
        'core.metrics-server-options',
        fc.record({
          // Never undefined or null: both mean the default port 9464, which the demo may hold.
          port: fc.oneof(
            { arbitrary: fc.constant(0), weight: 8 },
            { arbitrary: fc.constantFrom(-1, 65_536, 1.5, Number.NaN, '9464', 70_000, {}, true), weight: 1 },
          ),
          bearerToken: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 4 },
            { arbitrary: unicodeText(12), weight: 1 },
            { arbitrary: fc.stringMatching(/^[!-~]{1,16}$/), weight: 2 },
            { arbitrary: fc.constantFrom('', 5, null, {}), weight: 1 },
          ),
          path: fc.oneof(
            { arbitrary: fc.constant('/metrics'), weight: 2 },
            { arbitrary: pathInput, weight: 3 },
          ),
          host: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 2 },
            { arbitrary: hostInput, weight: 3 },
          ),
          gzip: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 3 },
            { arbitrary: fc.boolean(), weight: 3 },
            { arbitrary: fc.constantFrom('yes', 1, 0, null), weight: 1 },
          ),
          timeoutMs: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 4 },
            { arbitrary: integerOption(1, 3_600_000), weight: 1 },
          ),
        }),
        async ({ port, bearerToken, path, host, gzip, timeoutMs }) => {
          const registry = populated();
          const tokenOk =
            bearerToken === undefined || (typeof bearerToken === 'string' && bearerToken !== '');
          const handlerFaults = new Faults()
            .add(ErrorCode.INVALID_CONFIG, !tokenOk)
            // Null means the default, as for port, host and path.
            .add(ErrorCode.INVALID_CONFIG, gzip !== undefined && gzip !== null && typeof gzip !== 'boolean')
            .add(
              ErrorCode.INVALID_CONFIG,
              timeoutMs !== undefined && timeoutMs !== null && !integerIn(timeoutMs, 1, 3_600_000),
            );
          const faults = new Faults()
            .add(ErrorCode.INVALID_CONFIG, !integerIn(port, 0, 65_535))
            .add(ErrorCode.INVALID_CONFIG, !hostValid(host))
            .add(ErrorCode.INVALID_CONFIG, !pathValid(path));
          for (const code of handlerFaults.codes) faults.add(code);
          const options = {
            port,
            ...(bearerToken === undefined ? {} : { bearerToken }),
            ...(path === undefined ? {} : { path }),
            ...(host === undefined ? {} : { host }),
            ...(gzip === undefined ? {} : { gzip }),
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
          } as Parameters<typeof startMetricsServer>[1];
          const what = `startMetricsServer(${JSON.stringify(options)})`;
          const handler = attempt(() => createMetricsHandler(registry, options));
          expectOutcome(handler, handlerFaults.codes, `createMetricsHandler ${what}`);
          const outcome = await attemptAsync(() => startMetricsServer(registry, options));
          if (!expectOutcome(outcome, faults.codes, what)) return;
          const server = outcome.value;
          try {
            const address = server.server.address();
            const bound = typeof address === 'object' && address !== null ? address.address : String(address);
            const expected =
              host === undefined || host === null
                ? ['127.0.0.1']
                : host === 'localhost'
                  ? ['127.0.0.1', '::1']
                  : [host as string];
            ensure(expected.includes(bound), `${what}: bound to ${bound}`);
            const shownHost = bound.includes(':') ? `[${bound}]` : bound;
            const endpoint = (path ?? '/metrics') as string;
            ensure(
              server.url === `http://${shownHost}:${server.port}${endpoint}`,
              `${what}: url ${server.url}`,
            );
            // The endpoint answers at its path, and only there; the token and gzip as configured.
            const token = typeof bearerToken === 'string' ? bearerToken : undefined;
            const sendable = token !== undefined && /^[!-~]+$/.test(token);
            const headers: Record<string, string> = { 'Accept-Encoding': 'gzip' };
            if (sendable) headers.Authorization = `Bearer ${token}`;
            const reply = await httpGet(server.url, headers);
            if (token !== undefined && !sendable) {
              ensure(reply.status === 401, `${what}: ${reply.status} without the token`);
            } else {
              ensure(reply.status === 200, `${what}: ${reply.status} at ${server.url}`);
              const compressed = reply.headers['content-encoding'] === 'gzip';
              ensure(compressed === (gzip !== false), `${what}: gzip ${compressed}`);
              const body = compressed ? gunzipSync(reply.body).toString() : reply.body.toString();
              ensure(body.includes('jobs_total{queue="a"} 2'), `${what}: body ${body.slice(0, 200)}`);
              if (token !== undefined) {
                const refused = await httpGet(server.url, {});
                ensure(refused.status === 401, `${what}: ${refused.status} without the token`);
              }
            }
            const elsewhere = new URL(server.url);
            elsewhere.pathname = endpoint === '/' ? '/other' : `${endpoint}x`;
            const other = await httpGet(elsewhere.href, headers);
            ensure(other.status === 404, `${what}: ${other.status} at ${elsewhere.href}`);
            served++;
          } finally {
            await server.close();
          }
        },
        300,
      );
      ensure(served >= 60, `only ${served} of 300 cases started and scraped a server`);
    });

    it('collect options', async () => {
      await checkAsyncProperty(
        'core.collect-options',
        fc.record({
          timeoutMs: fc.oneof(fc.constant(undefined), integerOption(1, 3_600_000)),
          asObject: fc.nat(20),
        }),
        async ({ timeoutMs, asObject }) => {
          const registry = populated();
          let refreshed = 0;
          registry.register({
            name: 'fz_refreshing',
            getCollectedMetrics: () => [],
            refresh: () => {
              refreshed++;
            },
          });
          // Now and then the value itself stands where the options object goes.
          const options: unknown = asObject === 0 ? timeoutMs : timeoutMs === undefined ? {} : { timeoutMs };
          const isObject = typeof options === 'object' && options !== null;
          const given = isObject ? (options as { timeoutMs?: unknown }).timeoutMs : undefined;
          const faults = new Faults()
            .add(ErrorCode.INVALID_CONFIG, options !== undefined && !isObject)
            .add(
              ErrorCode.INVALID_CONFIG,
              given !== undefined && given !== null && !integerIn(given, 1, 3_600_000),
            );
          const what = `collect(${JSON.stringify(options)})`;
          const outcome = await attemptAsync(() =>
            registry.collect(options as Parameters<MetricsRegistry['collect']>[0]),
          );
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensure(refreshed === 0, `${what}: refreshed a collector before refusing`);
            return;
          }
          ensure(refreshed === 1, `${what}: refreshed ${refreshed} times`);
          ensure(
            outcome.value.families.some((family) => family.name === 'jobs'),
            `${what}: snapshot without jobs`,
          );
        },
        400,
      );
    });
  });
}
