import {
  type AnyInstrument,
  ConfigError,
  type Counter,
  type Gauge,
  type Histogram,
  type InstrumentDefinition,
  type LabelsInput,
  MetricConflictError,
  type MetricsRegistry,
  MetricUnit,
  normalizeLabelValue,
  normalizeUnit,
  OVERFLOW_LABELS,
  type Unit,
  validateLabelName,
  validateMetricName,
} from '@fw0/metrics-core';
import { DefaultHelp } from './names.js';
import type { ResolvedOptions } from './options.js';
import { type InstrumentKind, inferUnit } from './unit-inference.js';

/** What the collector knows of one metric it records into. */
export interface InstrumentEntry<T extends AnyInstrument> {
  readonly instrument: T;
  /** The name `getCounterValues()` / `getGaugeValues()` show: the caller's spelling at first use. */
  readonly displayName: string;
  /** Unit of the samples recorded into it (`count` when the metric has none). */
  readonly sampleUnit: Unit;
}

type InstrumentOf<K extends InstrumentKind> = K extends 'counter'
  ? Counter
  : K extends 'gauge'
    ? Gauge
    : Histogram;

/** How a definition is reached: adopt what the registry holds, or insist on these options. */
interface Resolution {
  /** Options the caller gave explicitly; the registry compares them with an existing metric. */
  readonly explicit: Omit<InstrumentDefinition, 'name'> | undefined;
  /** Unit an adopted metric must have (business metrics); undefined: adopt whatever is there. */
  readonly requiredUnit?: { readonly unit: Unit | undefined };
  /** HELP when the metric is created. */
  readonly help: string;
}

const RESERVED: Readonly<Record<InstrumentKind, readonly string[]>> = {
  counter: Object.keys(OVERFLOW_LABELS),
  gauge: Object.keys(OVERFLOW_LABELS),
  histogram: [...Object.keys(OVERFLOW_LABELS), 'le'],
};

/**
 * The metrics a collector records into, found by the caller's name (a counter by `x` or
 * `x_total` alike). A name seen for the first time is validated completely (name, tags) before
 * anything is created, then adopts the registry's metric of that name or defines it; past
 * `maxMetrics` metrics a new name is a ConfigError. Nothing changes when a check fails.
 */
export class InstrumentTable {
  readonly counters = new Map<string, InstrumentEntry<Counter>>();
  readonly gauges = new Map<string, InstrumentEntry<Gauge>>();
  readonly histograms = new Map<string, InstrumentEntry<Histogram>>();
  /** Every metric this collector owns -> its display name. */
  private readonly owned = new Map<AnyInstrument, string>();

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly settings: ResolvedOptions,
  ) {}

  /** Every counter this collector owns. */
  ownedCounters(): Counter[] {
    return [...this.owned.keys()].filter(
      (instrument): instrument is Counter => instrument.type === 'counter',
    );
  }

  /** Display name of each owned metric of `kind`, by family name (counters without `_total`). */
  displayNames(kind: InstrumentKind): Map<string, string> {
    const names = new Map<string, string>();
    for (const [instrument, displayName] of this.owned) {
      if (instrument.type === kind) names.set(instrument.name, displayName);
    }
    return names;
  }

  /** The entry of a counter named `name`, created (or adopted) on first use. */
  counter(name: string, tags: LabelsInput | undefined, explicit?: Omit<InstrumentDefinition, 'name'>) {
    const help = explicit?.help ?? DefaultHelp.counter(name);
    return this.resolve('counter', this.counters, name, tags, { explicit, help });
  }

  /** The entry of a gauge named `name`, created (or adopted) on first use. */
  gauge(name: string, tags: LabelsInput | undefined, explicit?: Omit<InstrumentDefinition, 'name'>) {
    const help = explicit?.help ?? DefaultHelp.gauge(name);
    return this.resolve('gauge', this.gauges, name, tags, { explicit, help });
  }

  /** The entry of a histogram named `name`, created (or adopted) on first use. */
  histogram(
    name: string,
    tags: LabelsInput | undefined,
    explicit?: Omit<InstrumentDefinition, 'name'>,
    resolution: Partial<Resolution> = {},
  ) {
    const help = resolution.help ?? explicit?.help ?? DefaultHelp.histogram(name);
    return this.resolve('histogram', this.histograms, name, tags, { ...resolution, explicit, help });
  }

  private resolve<K extends InstrumentKind>(
    kind: K,
    entries: Map<string, InstrumentEntry<InstrumentOf<K>>>,
    name: string,
    tags: LabelsInput | undefined,
    resolution: Resolution,
  ): InstrumentEntry<InstrumentOf<K>> {
    const known = entries.get(name);
    if (known !== undefined && resolution.explicit === undefined && resolution.requiredUnit === undefined)
      return known;
    validateMetricName(name);
    if (tags !== undefined) validateTags(kind, name, tags);
    const existing = this.registry.getMetric(name);
    let instrument: AnyInstrument;
    if (existing !== undefined && existing.type === kind && resolution.explicit === undefined) {
      const required = resolution.requiredUnit;
      if (required !== undefined && existing.unit !== required.unit) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered with unit ${existing.unit ?? '(none)'}; it cannot change to ${required.unit ?? '(none)'}`,
          { subject: name, value: required.unit },
        );
      }
      this.checkCapacity(name, existing);
      instrument = existing;
    } else {
      this.checkCapacity(name, existing);
      instrument = this.define(kind, name, resolution);
    }
    const displayName = this.owned.get(instrument) ?? name;
    const entry: InstrumentEntry<InstrumentOf<K>> = {
      instrument: instrument as InstrumentOf<K>,
      displayName,
      sampleUnit: instrument.unit ?? MetricUnit.COUNT,
    };
    this.owned.set(instrument, displayName);
    entries.set(name, entry);
    return entry;
  }

  private define(kind: InstrumentKind, name: string, resolution: Resolution): AnyInstrument {
    const { unit: explicitUnit, ...explicit } = resolution.explicit ?? {};
    const unit = resolution.requiredUnit
      ? resolution.requiredUnit.unit
      : explicitUnit === undefined
        ? inferUnit(kind, name)
        : normalizeUnit(explicitUnit);
    const limit = this.settings.maxSeriesPerMetric;
    const definition: InstrumentDefinition = {
      ...(limit === undefined ? {} : { maxSeries: limit }),
      ...explicit,
      ...(unit === undefined || unit === MetricUnit.COUNT ? {} : { unit }),
      name,
      help: resolution.help,
    };
    if (kind === 'counter') return this.registry.counter(definition);
    if (kind === 'gauge') return this.registry.gauge(definition);
    return this.registry.histogram(definition);
  }

  private checkCapacity(name: string, existing: AnyInstrument | undefined): void {
    if (existing !== undefined && this.owned.has(existing)) return;
    if (this.owned.size >= this.settings.maxMetrics) {
      throw new ConfigError(
        `Cannot record metric "${name}": collector "${this.settings.name}" already has maxMetrics=${this.settings.maxMetrics} metrics (put varying data in tags or context, not in names)`,
        { subject: name, value: this.settings.maxMetrics },
      );
    }
  }
}

/** Checks every tag before a metric is created, so a bad tag leaves no metric behind. */
function validateTags(kind: InstrumentKind, name: string, tags: LabelsInput): void {
  for (const label in tags) {
    const value = tags[label];
    if (value === undefined) continue;
    validateLabelName(name, label, RESERVED[kind]);
    normalizeLabelValue(name, label, value);
  }
}
