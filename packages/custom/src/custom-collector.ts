import {
  assertFinite,
  assertNonNegative,
  BaseCollector,
  type Counter,
  type CounterSeries,
  type Gauge,
  type GaugeSeries,
  type Histogram,
  type HistogramSeries,
  type HistogramSummary,
  InvalidValueError,
  type LabelsInput,
  MetricType,
  MetricUnit,
  type NameSampler,
  type PerformanceMetric,
  toBaseUnit,
  type Unit,
} from '@fw0/metrics-core';
import { type BusinessMetricSummary, BusinessMetricTable } from './business-metrics.js';
import { snapshotContext } from './context.js';
import type { BusinessMetricOptions, CounterOptions, GaugeOptions, HistogramOptions } from './definitions.js';
import { InstrumentTable } from './instrument-table.js';
import { type CustomCollectorOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { sampleTags } from './sample-tags.js';
import { newSample, newSampleWithContext, type SeedSample } from './seed-sample.js';
import { seriesValues } from './series-values.js';
import {
  assertCounterStaysFinite,
  assertHistogramSumStaysFinite,
  COUNTER_INCREMENT_AT_RISK,
  OBSERVATION_AT_RISK,
} from './sum-guard.js';
import { UnitCache } from './unit-cache.js';

/**
 * User-defined counters, gauges, histograms and business metrics (the seed's
 * CustomMetricsCollector), recorded into a {@link MetricsRegistry} (the given one or its own).
 *
 * Seed-style calls (`incrementCounter`, `setGauge`, `recordHistogramValue`,
 * `recordBusinessMetric`) update the exact aggregate and return the {@link PerformanceMetric}
 * they recorded, which also goes to the sample buffer (sampled for hot names) that
 * `getCollectedMetrics()` drains. Bound handles (`counter()`, `gauge()`, `histogram()`) record
 * the aggregate only, with no lookup and no allocation: the hot-loop path.
 *
 * Names must be valid Prometheus names (`orders_completed`, not `orders.completed`), not start
 * with `fw0_`, and not be held in the registry by anyone else: a collector records only into
 * metrics it defined, so its resets and values are its own. Bad input throws a typed error and
 * changes nothing.
 */
export class CustomMetricsCollector extends BaseCollector {
  private readonly settings: ResolvedOptions;
  private readonly table: InstrumentTable;
  private readonly business: BusinessMetricTable;
  private readonly units = new UnitCache();

  constructor(options: CustomCollectorOptions = {}) {
    const settings = resolveOptions(options);
    super(settings.name, options);
    this.settings = settings;
    const samplerFor = (name: string) => this.samplerFor(name);
    this.table = new InstrumentTable(this.registry, settings, samplerFor);
    this.business = new BusinessMetricTable(this.table, samplerFor);
  }

  /**
   * Adds `value` (default 1; finite, >= 0) to the counter `name` (exposed as `name_total`) for
   * `tags`. Returns the sample: type counter, the increment as its value. An increment that would
   * make the total infinite is refused (InvalidValueError), like every bad input: nothing changes.
   */
  incrementCounter(name: string, value = 1, tags?: LabelsInput): PerformanceMetric {
    assertNonNegative(name, value, 'increment');
    const entry = this.table.counters.get(name) ?? this.table.counter(name, tags);
    if (value >= COUNTER_INCREMENT_AT_RISK) assertCounterStaysFinite(entry.instrument, name, value, tags);
    const series = entry.instrument.bind(tags);
    series.add(value);
    const sample = newSample(name, value, MetricType.COUNTER, entry.sampleUnit, sampleTags(series, tags));
    return this.keep(entry.sampler, sample);
  }

  /** Sets the gauge `name` for `tags` to `value` (finite). Returns the sample: type gauge. */
  setGauge(name: string, value: number, tags?: LabelsInput): PerformanceMetric {
    assertFinite(name, value);
    const entry = this.table.gauges.get(name) ?? this.table.gauge(name, tags);
    const series = entry.instrument.bind(tags);
    series.set(value);
    const sample = newSample(name, value, MetricType.GAUGE, entry.sampleUnit, sampleTags(series, tags));
    return this.keep(entry.sampler, sample);
  }

  /**
   * Records `value` (finite) in the histogram `name` for `tags`, in the histogram's unit: the
   * one it was defined with, else the one its name announces (`_seconds`, `_bytes`, `_ratio`),
   * else a plain number. Returns the sample: type histogram. A value that would take the
   * series' sum beyond ±8.99e307 (half the range of a double) is refused (InvalidValueError).
   */
  recordHistogramValue(name: string, value: number, tags?: LabelsInput): PerformanceMetric {
    assertFinite(name, value);
    const known = this.table.histograms.get(name);
    if (value >= OBSERVATION_AT_RISK || value <= -OBSERVATION_AT_RISK)
      assertHistogramSumStaysFinite(known?.instrument, name, value, tags);
    const entry = known ?? this.table.histogram(name, tags);
    const series = entry.instrument.bind(tags);
    series.observe(value);
    const sample = newSample(name, value, MetricType.HISTOGRAM, entry.sampleUnit, sampleTags(series, tags));
    return this.keep(entry.sampler, sample);
  }

  /**
   * Records an amount of a business metric in `unit` (default count; a {@link MetricUnit} or a
   * custom unit such as a currency, `'eur'`). It aggregates into a histogram named with the
   * unit's suffix, in the base unit (`revenue` in eur: `revenue_eur`; `fulfilment_time` in hours:
   * `fulfilment_time_seconds`). `context` (a JSON object) travels with the sample only, never as
   * a label. Returns the sample: type histogram, `value` and `unit` as given, a copy of `context`.
   * An amount that is not finite in the base unit, or that would take the sum beyond ±8.99e307,
   * is refused (InvalidValueError).
   */
  recordBusinessMetric(
    name: string,
    value: number,
    unit: Unit = MetricUnit.COUNT,
    tags?: LabelsInput,
    context?: Readonly<Record<string, unknown>>,
  ): PerformanceMetric {
    assertFinite(name, value);
    const resolved = this.units.resolve(unit);
    // Checked before anything is created: a finite amount can overflow in the base unit (1e308 hours).
    const baseValue = toBaseUnit(value, resolved.unit);
    if (!Number.isFinite(baseValue)) {
      throw new InvalidValueError(
        `Invalid value ${value} ${resolved.unit} for business metric "${name}": it is not finite once converted to ${resolved.base}`,
        { subject: name, value },
      );
    }
    const copy =
      context === undefined ? undefined : snapshotContext(name, context, this.settings.maxContextLength);
    if (baseValue >= OBSERVATION_AT_RISK || baseValue <= -OBSERVATION_AT_RISK)
      assertHistogramSumStaysFinite(this.business.histogramFor(name, resolved), name, baseValue, tags);
    const entry = this.business.resolve(name, resolved, tags);
    const series = entry.histogram.bind(tags);
    series.observe(baseValue);
    const labels = sampleTags(series, tags);
    const sample =
      copy === undefined
        ? newSample(name, value, MetricType.HISTOGRAM, resolved.unit, labels)
        : newSampleWithContext(name, value, MetricType.HISTOGRAM, resolved.unit, labels, copy);
    return this.keep(entry.sampler, sample);
  }

  /**
   * Current value of every series of every counter of this collector. Keys: the counter's name
   * as first given to the collector for its series without tags, else that name with the label
   * set as exposition writes it (`orders{region="eu",tier="gold"}`: names sorted, values escaped).
   */
  getCounterValues(): Record<string, number> {
    return seriesValues(this.registry, 'counter', this.table.displayNames('counter'));
  }

  /** Current value of every series of every gauge of this collector, keyed as in {@link getCounterValues}. */
  getGaugeValues(): Record<string, number> {
    return seriesValues(this.registry, 'gauge', this.table.displayNames('gauge'));
  }

  /**
   * Sets every series of every counter of this collector to zero; bound handles stay valid.
   * Counters of anyone else in the registry are never touched (the collector records only into
   * its own).
   */
  resetCounters(): void {
    for (const counter of this.table.ownedCounters()) counter.reset();
  }

  /**
   * Count, sum, min, max, mean and p50/p90/p95/p99/p99.9 of the histogram `name` for `tags`, over
   * every observation and over the sliding window (quantiles within 1%), in the histogram's
   * unit; undefined when the collector has no such histogram or series.
   */
  getHistogramSummary(name: string, tags?: LabelsInput): HistogramSummary | undefined {
    return this.table.histograms.get(name)?.instrument.summary(tags);
  }

  /** As {@link getHistogramSummary}, for the business metric `name` (figures in its base unit). */
  getBusinessMetricSummary(name: string, tags?: LabelsInput): BusinessMetricSummary | undefined {
    const entry = this.business.get(name);
    const summary = entry?.histogram.summary(tags);
    if (entry === undefined || summary === undefined) return undefined;
    return { ...summary, name: entry.histogram.name, unit: entry.baseUnit };
  }

  /** Bound handle on the counter `name` for `labels`: `.add(value)` costs about a nanosecond. */
  counter(name: string, labels?: LabelsInput): CounterSeries {
    return (this.table.counters.get(name) ?? this.table.counter(name, labels)).instrument.bind(labels);
  }

  /** Bound handle on the gauge `name` for `labels`: `.set(value)`, `.add(delta)`. */
  gauge(name: string, labels?: LabelsInput): GaugeSeries {
    return (this.table.gauges.get(name) ?? this.table.gauge(name, labels)).instrument.bind(labels);
  }

  /** Bound handle on the histogram `name` for `labels`: `.observe(value)` in the histogram's unit. */
  histogram(name: string, labels?: LabelsInput): HistogramSeries {
    return (this.table.histograms.get(name) ?? this.table.histogram(name, labels)).instrument.bind(labels);
  }

  /** Defines the counter `name` with HELP, unit or series limit; returns it (the same one if it exists alike). */
  defineCounter(name: string, options: CounterOptions = {}): Counter {
    return this.table.counter(name, undefined, options).instrument;
  }

  /** Defines the gauge `name` with HELP, unit, merge aggregation or series limit. */
  defineGauge(name: string, options: GaugeOptions = {}): Gauge {
    return this.table.gauge(name, undefined, options).instrument;
  }

  /** Defines the histogram `name` with HELP, unit, buckets, accuracy or window; do it before recording. */
  defineHistogram(name: string, options: HistogramOptions = {}): Histogram {
    return this.table.histogram(name, undefined, options).instrument;
  }

  /** Defines the business metric `name` with its unit, HELP and buckets (in the base unit); returns its histogram. */
  defineBusinessMetric(name: string, options: BusinessMetricOptions = {}): Histogram {
    const { unit = MetricUnit.COUNT, ...rest } = options;
    return this.business.resolve(name, this.units.resolve(unit), undefined, rest).histogram;
  }

  /**
   * Offers a seed-style call's sample to the buffer through the name's sampler (the same
   * sampler `recordSample` would find by name, bound in the entry) and returns it: with its
   * `sampleRate` when kept at a rate below 1; counted in `fw0_samples_sampled_out_total` when
   * sampling leaves it out.
   */
  private keep(sampler: NameSampler, sample: SeedSample): PerformanceMetric {
    const rate = sampler.admit();
    if (rate === 0) {
      this.sampledOut.add();
      return sample;
    }
    if (rate < 1) sample.sampleRate = rate;
    this.pushSample(sample);
    return sample;
  }
}
