import { performance } from 'node:perf_hooks';
import { type CoarseClock, coarseClock } from './clock.js';
import type { Collector } from './collector.js';
import { ConfigError, describeValue, InvalidNameError, MetricConflictError, TimeoutError } from './errors.js';
import { exposedSampleNames } from './exposed-names.js';
import { Counter } from './instruments/counter.js';
import { Gauge, type GaugeDefinition } from './instruments/gauge.js';
import { Histogram, type HistogramDefinition } from './instruments/histogram.js';
import type { InstrumentContext, InstrumentDefinition } from './instruments/instrument.js';
import { assertLogger, debugLogger, type Logger, safeLog } from './logger.js';
import { SelfMetrics } from './self-metrics.js';
import type { FamilySnapshot, MetricsSnapshot } from './snapshot.js';
import { baseUnitOf, normalizeUnit, type Unit, unitSuffix } from './units.js';
import { assertIntegerOption, assertOptionsObject, validateMetricName } from './validation.js';

/** Options of a {@link MetricsRegistry}. */
export interface RegistryOptions {
  /** Default limit of distinct label sets per metric (default 2,000). */
  readonly maxSeriesPerMetric?: number;
  /**
   * How long `collect()` waits for each collector's refresh, in milliseconds (default 5,000).
   * A refresh that takes longer is counted in `fw0_collector_timeouts_total`; the snapshot
   * comes without waiting further.
   */
  readonly collectTimeoutMs?: number;
  /** Where the registry says what it did (default: `NODE_DEBUG=fw0`). */
  readonly logger?: Logger;
  /** Clock of histogram windows and sampling (default: the process-wide coarse clock). */
  readonly clock?: CoarseClock;
}

/** Options of {@link MetricsRegistry.collect}. */
export interface CollectOptions {
  /** Include histogram sketches in the snapshot (default true; text exposition does not need them). */
  readonly sketches?: boolean;
  /** Overrides the registry's collect timeout for this call, in milliseconds (an integer, 1 to 3,600,000). */
  readonly timeoutMs?: number;
}

/** Any instrument a registry holds. */
export type AnyInstrument = Counter | Gauge | Histogram;

const COUNTER_SUFFIX = '_total';
/** Longest collect timeout accepted, in milliseconds (one hour). */
export const MAX_TIMEOUT_MS = 3_600_000;
const REGISTRY_MARKER = Symbol.for('fw0.metrics.registry');

/**
 * True when `candidate` is a {@link MetricsRegistry} from this or any other copy of the package
 * (two versions installed side by side), which `instanceof` alone cannot tell.
 */
export function isMetricsRegistry(candidate: unknown): candidate is MetricsRegistry {
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate as Record<symbol, unknown>)[REGISTRY_MARKER] === true
  );
}

/**
 * Holds instruments (by name) and collectors, and takes snapshots of both for exporters.
 *
 * Registering the same definition twice returns the existing instrument; a conflicting one
 * (another type, unit, buckets, accuracy, window, aggregation, a stated `maxSeries` other than
 * the metric's, a non-empty `help` other than its non-empty help) throws
 * {@link MetricConflictError}, as does a name whose exposed samples would collide with another
 * metric's (`x_total` gauge next to the counter `x`). A definition that leaves `help` or
 * `maxSeries` out adopts the registered metric's, so code can find a metric that another part of
 * the application defined with its own limit.
 */
export class MetricsRegistry {
  /** The fw0_ self-metrics of this registry. */
  readonly self: SelfMetrics;
  readonly logger: Logger;
  readonly maxSeriesPerMetric: number;
  readonly collectTimeoutMs: number;
  private readonly instruments = new Map<string, AnyInstrument>();
  /** Every sample name a family exposes (x, x_total, x_bucket...) -> the family name. */
  private readonly exposedNames = new Map<string, string>();
  private readonly registeredCollectors: Collector[] = [];
  /** Each collector's refresh in flight, with when it started (performance.now(), ms). */
  private readonly refreshing = new Map<
    Collector,
    { readonly done: Promise<void>; readonly started: number }
  >();
  private readonly context: InstrumentContext;

  constructor(options: RegistryOptions = {}) {
    this.maxSeriesPerMetric = options.maxSeriesPerMetric ?? 2000;
    assertIntegerOption('maxSeriesPerMetric', this.maxSeriesPerMetric, 1, 10_000_000);
    this.collectTimeoutMs = options.collectTimeoutMs ?? 5000;
    assertIntegerOption('collectTimeoutMs', this.collectTimeoutMs, 1, MAX_TIMEOUT_MS);
    assertLogger('the registry', options.logger);
    this.logger = options.logger ?? debugLogger();
    const clock = options.clock;
    this.context = {
      get clock() {
        return clock ?? coarseClock();
      },
      maxSeries: this.maxSeriesPerMetric,
      onOverflow: (metric) => this.onOverflow(metric),
      onOverflowStart: (metric, maxSeries) =>
        safeLog(
          this.logger,
          'warn',
          `metric "${metric}" reached its limit of ${maxSeries} label sets; records of further label sets go to its {fw0_overflow="true"} series, counted in fw0_series_overflow_total`,
          { metric, maxSeries },
        ),
      onReadHookError: (metric, owner, error) => {
        this.self.collectorErrors.add(1, { collector: owner, operation: 'read_hook' });
        safeLog(
          this.logger,
          'error',
          `a read hook of "${owner}" on metric "${metric}" failed; its values may be stale`,
          {
            metric,
            error,
          },
        );
      },
    };
    this.self = new SelfMetrics(this);
    Object.defineProperty(this, REGISTRY_MARKER, { value: true });
  }

  static [Symbol.hasInstance](candidate: unknown): boolean {
    // `this` is the class on the right of instanceof: MetricsRegistry itself also accepts another
    // copy's instances; subclasses (an aggregating registry) keep the ordinary prototype check.
    // biome-ignore lint/complexity/noThisInStatic: the class name instead would break subclasses.
    // biome-ignore lint/complexity/noUselessThisAlias: the alias carries the type and the suppression.
    const target: Function = this;
    return target === MetricsRegistry
      ? isMetricsRegistry(candidate)
      : Function.prototype[Symbol.hasInstance].call(target, candidate);
  }

  /** The clock of histogram windows and sample throttling. */
  get clock(): CoarseClock {
    return this.context.clock;
  }

  /** Gets or creates a counter. The name may end in `_total` or not; it is exposed with `_total`. */
  counter(definition: InstrumentDefinition): Counter {
    return this.define(
      'counter',
      definition,
      (name) => new Counter(name, definition, this.context),
      () => true,
    );
  }

  /** Gets or creates a gauge. */
  gauge(definition: GaugeDefinition): Gauge {
    if (typeof definition === 'object' && definition !== null) checkAggregation(definition);
    return this.define(
      'gauge',
      definition,
      (name) => new Gauge(name, definition, this.context),
      (existing) => (definition.aggregation ?? 'sum') === (existing as Gauge).aggregation,
    );
  }

  /** Gets or creates a histogram. */
  histogram(definition: HistogramDefinition): Histogram {
    return this.define(
      'histogram',
      definition,
      (name) => new Histogram(name, definition, this.context),
      (existing) => {
        // Build the would-be histogram to compare its resolved options (defaults included).
        const candidate = new Histogram(existing.name, definition, this.context);
        const current = existing as Histogram;
        return (
          candidate.relativeAccuracy === current.relativeAccuracy &&
          candidate.windowSeconds === current.windowSeconds &&
          candidate.windowSlices === current.windowSlices &&
          candidate.maxBins === current.maxBins &&
          candidate.bounds.length === current.bounds.length &&
          candidate.bounds.every((bound, i) => bound === current.bounds[i])
        );
      },
    );
  }

  /** The instrument exposed under `name` (a counter may be named with or without `_total`). */
  getMetric(name: string): AnyInstrument | undefined {
    return (
      this.instruments.get(name) ?? (name.endsWith(COUNTER_SUFFIX) ? this.counterByTotal(name) : undefined)
    );
  }

  /** Every instrument, in registration order. */
  getMetrics(): AnyInstrument[] {
    return [...this.instruments.values()];
  }

  /** Removes an instrument and its series; true if it existed. */
  removeMetric(name: string): boolean {
    const instrument = this.getMetric(name);
    if (instrument === undefined) return false;
    this.instruments.delete(instrument.name);
    for (const [exposed, family] of this.exposedNames) {
      if (family === instrument.name) this.exposedNames.delete(exposed);
    }
    instrument.clear();
    return true;
  }

  /** Adds a collector: `collect()` refreshes it first. A collector is registered once per name. */
  register(collector: Collector): void {
    if (this.registeredCollectors.includes(collector)) return;
    if (this.registeredCollectors.some((other) => other.name === collector.name)) {
      throw new ConfigError(`A collector named "${collector.name}" is already registered in this registry`, {
        subject: collector.name,
        value: collector.name,
      });
    }
    this.registeredCollectors.push(collector);
  }

  /** Removes a collector; true if it was registered. */
  unregister(collector: Collector): boolean {
    const index = this.registeredCollectors.indexOf(collector);
    if (index < 0) return false;
    this.registeredCollectors.splice(index, 1);
    return true;
  }

  /** The registered collectors, in registration order. */
  get collectors(): readonly Collector[] {
    return [...this.registeredCollectors];
  }

  /**
   * Refreshes every collector (each in isolation, each within the collect timeout), then returns
   * a snapshot. A collector that throws or hangs is counted and logged; the snapshot still comes.
   */
  async collect(options: CollectOptions = {}): Promise<MetricsSnapshot> {
    assertOptionsObject('collect', options);
    const timeoutMs = options.timeoutMs ?? this.collectTimeoutMs;
    assertIntegerOption('timeoutMs', timeoutMs, 1, MAX_TIMEOUT_MS);
    await Promise.all(
      this.registeredCollectors.map((collector) => this.refreshCollector(collector, timeoutMs)),
    );
    return this.snapshot(options);
  }

  /** A snapshot of the instruments as they are now, without refreshing collectors. */
  snapshot(options: CollectOptions = {}): MetricsSnapshot {
    const sketches = options.sketches ?? true;
    const families: FamilySnapshot[] = [];
    for (const instrument of this.instruments.values()) {
      const family = instrument.snapshot({ sketches });
      if (family.series.length > 0) families.push(family);
    }
    return { timestamp: Date.now(), families };
  }

  private async refreshCollector(collector: Collector, timeoutMs: number): Promise<void> {
    if (collector.refresh === undefined) return;
    let inflight = this.refreshing.get(collector);
    if (inflight === undefined) {
      const started = performance.now();
      // The duration is "of the last refresh", whatever its outcome: a failed refresh that took
      // 4 s must not leave the gauge at the 2 ms of the last successful one.
      const measure = () =>
        this.self.collectorDuration.set((performance.now() - started) / 1000, { collector: collector.name });
      const done = Promise.resolve()
        .then(() => collector.refresh?.())
        .then(measure, (error: unknown) => {
          measure();
          this.self.collectorErrors.add(1, { collector: collector.name, operation: 'refresh' });
          safeLog(
            this.logger,
            'error',
            `collector "${collector.name}" failed to refresh; its metrics may be stale`,
            { error },
          );
        })
        .finally(() => this.refreshing.delete(collector));
      inflight = { done, started };
      this.refreshing.set(collector, inflight);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      // Not unref'd: the caller awaits this collect, and when a refresh hangs on something that
      // does not keep the process alive (an unref'd timer, a promise nobody settles), this timer
      // is what ends it. Unref'd, `await registry.collect()` in a script (a batch job's
      // Pushgateway push) never returned: the process exited without its snapshot. It is cleared
      // as soon as the refresh ends, so it holds the process at most `timeoutMs`.
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([inflight.done, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // So far, at least the timeout; the refresh sets its real duration if it ever ends.
      this.self.collectorDuration.set((performance.now() - inflight.started) / 1000, {
        collector: collector.name,
      });
      this.self.collectorTimeouts.add(1, { collector: collector.name });
      safeLog(
        this.logger,
        'warn',
        `collector "${collector.name}" did not refresh within ${timeoutMs} ms; snapshot taken without waiting`,
        {
          error: new TimeoutError(`refresh of ${collector.name} timed out`, {
            subject: collector.name,
            value: timeoutMs,
          }),
        },
      );
    }
  }

  private onOverflow(metric: string): void {
    if (metric === this.self.seriesOverflow.exposedName) return;
    this.self.seriesOverflow.add(1, { metric });
  }

  private counterByTotal(name: string): Counter | undefined {
    const instrument = this.instruments.get(name.slice(0, -COUNTER_SUFFIX.length));
    return instrument?.type === 'counter' ? instrument : undefined;
  }

  private define<T extends AnyInstrument>(
    type: T['type'],
    definition: InstrumentDefinition,
    create: (name: string) => T,
    sameOptions: (existing: AnyInstrument) => boolean,
  ): T {
    if (typeof definition !== 'object' || definition === null) {
      throw new ConfigError(
        `Invalid ${type} definition ${describeValue(definition)}: expected an object with a name`,
        {
          value: definition,
        },
      );
    }
    validateMetricName(definition.name);
    if (definition.help !== undefined && typeof definition.help !== 'string') {
      throw new ConfigError(
        `Invalid help ${describeValue(definition.help)} for metric "${definition.name}": expected a string`,
        { subject: definition.name, value: definition.help },
      );
    }
    const name =
      type === 'counter' && definition.name.endsWith(COUNTER_SUFFIX)
        ? definition.name.slice(0, -6)
        : definition.name;
    if (name === '')
      throw new InvalidNameError(`Invalid counter name "${definition.name}"`, { value: definition.name });
    const unit = definition.unit === undefined ? undefined : normalizeUnit(definition.unit);
    checkUnit(name, unit);
    if (definition.maxSeries !== undefined)
      assertIntegerOption(`${name}: maxSeries`, definition.maxSeries, 1, 10_000_000);
    const exposed = exposedSampleNames(type, name);
    // `__` names are Prometheus's own: the counter `_` would expose `__total`, the histogram `_` `__bucket`.
    const reserved = exposed.find((sample) => sample.startsWith('__'));
    if (reserved !== undefined) {
      throw new InvalidNameError(
        `Invalid ${type} name "${definition.name}": it would expose "${reserved}", and names starting with "__" are reserved`,
        { subject: definition.name, value: definition.name },
      );
    }

    const existing = this.instruments.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered as a ${existing.type}; it cannot be registered as a ${type}`,
          { subject: name, value: type },
        );
      }
      if (existing.unit !== unit) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered with unit ${existing.unit ?? '(none)'}; it cannot change to ${unit ?? '(none)'}`,
          { subject: name, value: unit },
        );
      }
      if (definition.maxSeries !== undefined && definition.maxSeries !== existing.maxSeries) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered with maxSeries ${existing.maxSeries}; it cannot change to ${definition.maxSeries}`,
          { subject: name, value: definition.maxSeries },
        );
      }
      if (
        definition.help !== undefined &&
        definition.help !== '' &&
        existing.help !== '' &&
        definition.help !== existing.help
      ) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered with help ${JSON.stringify(existing.help)}; it cannot change to ${JSON.stringify(definition.help)}`,
          { subject: name, value: definition.help },
        );
      }
      if (!sameOptions(existing)) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered as a ${type} with other options`,
          {
            subject: name,
            value: definition,
          },
        );
      }
      return existing as T;
    }

    for (const sample of exposed) {
      const owner = this.exposedNames.get(sample);
      if (owner !== undefined) {
        throw new MetricConflictError(
          `Metric "${name}" (${type}) would expose "${sample}", which metric "${owner}" already exposes`,
          { subject: name, value: sample },
        );
      }
    }
    const instrument = create(name);
    this.instruments.set(name, instrument);
    for (const sample of exposed) this.exposedNames.set(sample, name);
    return instrument;
  }
}

const GAUGE_AGGREGATIONS: readonly unknown[] = ['sum', 'min', 'max', 'last'];

function checkAggregation(definition: GaugeDefinition): void {
  const aggregation: unknown = definition.aggregation;
  if (aggregation !== undefined && !GAUGE_AGGREGATIONS.includes(aggregation)) {
    throw new ConfigError(
      `Invalid aggregation ${describeValue(aggregation)} for gauge ${describeValue(definition.name)}: expected "sum", "min", "max" or "last"`,
      { subject: typeof definition.name === 'string' ? definition.name : undefined, value: aggregation },
    );
  }
}

function checkUnit(name: string, unit: Unit | undefined): void {
  if (unit === undefined) return;
  if (baseUnitOf(unit) !== unit) {
    throw new ConfigError(
      `Metric "${name}" declares unit ${unit}: instruments record base units; use "${baseUnitOf(unit)}" and convert with toBaseUnit()`,
      { subject: name, value: unit },
    );
  }
  const suffix = unitSuffix(unit);
  if (suffix !== '' && !name.endsWith(suffix)) {
    throw new InvalidNameError(
      `Metric "${name}" has unit ${unit}, so its name must end with "${suffix}" (e.g. "${name}${suffix}")`,
      { subject: name, value: name },
    );
  }
}
