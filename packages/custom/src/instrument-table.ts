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
  type NameSampler,
  normalizeLabelValue,
  normalizeUnit,
  OVERFLOW_LABELS,
  type Unit,
  validateLabelName,
} from '@fw0/metrics-core';
import { validateCustomName } from './custom-name.js';
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
  /** Sampler of the samples recorded under this name (bound once: no lookup per call). */
  readonly sampler: NameSampler;
}

type InstrumentOf<K extends InstrumentKind> = K extends 'counter'
  ? Counter
  : K extends 'gauge'
    ? Gauge
    : Histogram;

/** How a definition is reached: reuse this collector's metric of that name, or insist on these options. */
interface Resolution {
  /** Options the caller gave explicitly; the registry compares them with an existing metric. */
  readonly explicit: Omit<InstrumentDefinition, 'name'> | undefined;
  /** Unit the collector's existing metric must have (business metrics); undefined: any. */
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
 * anything is created, then defined in the registry; past `maxMetrics` metrics a new name is a
 * ConfigError. Nothing changes when a check fails.
 *
 * A collector records only into metrics it defined itself. A name the registry already holds
 * for someone else (another collector, `registry.counter()`, a self-metric) is a
 * MetricConflictError: sharing it would let this collector's `resetCounters()` erase counts
 * that are not its own, and make its values include them.
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
    private readonly samplerFor: (name: string) => NameSampler,
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

  /** The entry of a counter named `name`, created on first use. */
  counter(name: string, tags: LabelsInput | undefined, explicit?: Omit<InstrumentDefinition, 'name'>) {
    const help = explicit?.help ?? DefaultHelp.counter(name);
    return this.resolve('counter', this.counters, name, tags, { explicit, help });
  }

  /** The entry of a gauge named `name`, created on first use. */
  gauge(name: string, tags: LabelsInput | undefined, explicit?: Omit<InstrumentDefinition, 'name'>) {
    const help = explicit?.help ?? DefaultHelp.gauge(name);
    return this.resolve('gauge', this.gauges, name, tags, { explicit, help });
  }

  /** The entry of a histogram named `name`, created on first use. */
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
    validateCustomName(name);
    if (tags !== undefined) validateTags(kind, name, tags);
    const existing = this.registry.getMetric(name);
    if (existing !== undefined && !this.owned.has(existing)) throw this.notOwned(name, existing);
    let instrument: AnyInstrument;
    if (existing !== undefined && existing.type === kind && resolution.explicit === undefined) {
      const required = resolution.requiredUnit;
      if (required !== undefined && existing.unit !== required.unit) {
        throw new MetricConflictError(
          `Metric "${name}" is already registered with unit ${existing.unit ?? '(none)'}; it cannot change to ${required.unit ?? '(none)'}`,
          { subject: name, value: required.unit },
        );
      }
      instrument = existing;
    } else {
      if (existing === undefined) this.checkCapacity(name);
      instrument = this.define(kind, name, resolution, existing);
    }
    const displayName = this.owned.get(instrument) ?? name;
    const entry: InstrumentEntry<InstrumentOf<K>> = {
      instrument: instrument as InstrumentOf<K>,
      displayName,
      sampleUnit: instrument.unit ?? MetricUnit.COUNT,
      sampler: this.samplerFor(name),
    };
    this.owned.set(instrument, displayName);
    entries.set(name, entry);
    return entry;
  }

  /** The error for a name the registry holds for someone else than this collector. */
  private notOwned(name: string, existing: AnyInstrument): MetricConflictError {
    return new MetricConflictError(
      `Metric "${name}" is already in the registry as a ${existing.type} that collector "${this.settings.name}" did not define (another collector's, or created with registry.${existing.type}()); a collector records only into metrics it defines: use another name`,
      { subject: name, value: existing.type },
    );
  }

  /**
   * Defines the metric in the registry, or checks that `existing` (this collector's) matches the
   * options given. Options left out of a re-definition are the existing metric's own, so only
   * what the caller states can conflict. The registry checks the type, unit and shape; the HELP
   * and series limit are compared here too, so that a re-definition that differs in them is a
   * conflict whatever the registry's own rule.
   */
  private define(
    kind: InstrumentKind,
    name: string,
    resolution: Resolution,
    existing: AnyInstrument | undefined,
  ): AnyInstrument {
    const { unit: explicitUnit, ...explicit } = resolution.explicit ?? {};
    const unit = resolution.requiredUnit
      ? resolution.requiredUnit.unit
      : explicitUnit !== undefined
        ? normalizeUnit(explicitUnit)
        : existing !== undefined
          ? existing.unit
          : inferUnit(kind, name);
    const maxSeries = existing?.maxSeries ?? this.settings.maxSeriesPerMetric;
    const definition: InstrumentDefinition = {
      ...(maxSeries === undefined ? {} : { maxSeries }),
      ...explicit,
      ...(unit === undefined || unit === MetricUnit.COUNT ? {} : { unit }),
      name,
      // The caller's own help (null included, for the registry to refuse), else the existing or default one.
      help:
        explicit.help !== undefined
          ? explicit.help
          : existing !== undefined
            ? existing.help
            : resolution.help,
    };
    const instrument =
      kind === 'counter'
        ? this.registry.counter(definition)
        : kind === 'gauge'
          ? this.registry.gauge(definition)
          : this.registry.histogram(definition);
    // The registry handed back the existing metric unchanged: refusing now changes nothing.
    if (existing !== undefined) assertSameDefinition(name, instrument, explicit);
    return instrument;
  }

  private checkCapacity(name: string): void {
    if (this.owned.size >= this.settings.maxMetrics) {
      throw new ConfigError(
        `Cannot record metric "${name}": collector "${this.settings.name}" already has maxMetrics=${this.settings.maxMetrics} metrics (put varying data in tags or context, not in names)`,
        { subject: name, value: this.settings.maxMetrics },
      );
    }
  }
}

/** Throws MetricConflictError when the HELP or series limit stated differs from the metric's. */
function assertSameDefinition(
  name: string,
  instrument: AnyInstrument,
  stated: Omit<InstrumentDefinition, 'name' | 'unit'>,
): void {
  const { help, maxSeries } = stated;
  if (help !== undefined && help !== '' && instrument.help !== '' && help !== instrument.help) {
    throw new MetricConflictError(
      `Metric "${name}" is already defined with help ${JSON.stringify(instrument.help)}; it cannot change to ${JSON.stringify(help)}`,
      { subject: name, value: help },
    );
  }
  if (maxSeries !== undefined && maxSeries !== instrument.maxSeries) {
    throw new MetricConflictError(
      `Metric "${name}" is already defined with maxSeries ${instrument.maxSeries}; it cannot change to ${maxSeries}`,
      { subject: name, value: maxSeries },
    );
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
