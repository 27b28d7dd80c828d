import {
  type Histogram,
  type HistogramSummary,
  type LabelsInput,
  MetricConflictError,
  MetricUnit,
  type NameSampler,
  nameWithUnit,
  type Unit,
} from '@fw0/metrics-core';
import { validateCustomName } from './custom-name.js';
import type { BusinessMetricOptions } from './definitions.js';
import type { InstrumentTable } from './instrument-table.js';
import { DefaultHelp } from './names.js';
import type { ResolvedUnit } from './unit-cache.js';

/** Summary of a business metric: its histogram's summaries, in `unit`. */
export interface BusinessMetricSummary extends HistogramSummary {
  /** Exposed name of the histogram behind the metric (`revenue_eur`, `fulfilment_time_seconds`). */
  readonly name: string;
  /** Unit of every figure of the summary: the base unit (`seconds` for a metric recorded in hours). */
  readonly unit: Unit;
}

/** A business metric: the caller's name, and the histogram that aggregates it in its base unit. */
export interface BusinessEntry {
  /** The caller's name (`revenue`). */
  readonly name: string;
  /** The histogram behind it: `name` with the unit's suffix (`revenue_eur`), values in `baseUnit`. */
  readonly histogram: Histogram;
  /** Base unit of the histogram's values (`seconds` for a metric recorded in milliseconds; `count` for plain counts). */
  readonly baseUnit: Unit;
  /** Sampler of the samples recorded under the caller's name (bound once: no lookup per call). */
  readonly sampler: NameSampler;
}

/**
 * Business metrics by the caller's name. Each is a histogram of the recorded amounts in the
 * base unit of their unit, named with the unit's suffix, so the total (`_sum`), the number of
 * records (`_count`) and the distribution (buckets, quantiles) are all available. A metric keeps
 * the base unit of its first record or definition: a unit of another dimension or currency later
 * is a MetricConflictError (milliseconds after seconds is fine: both are converted to seconds).
 */
export class BusinessMetricTable {
  private readonly entries = new Map<string, BusinessEntry>();

  constructor(
    private readonly table: InstrumentTable,
    private readonly samplerFor: (name: string) => NameSampler,
  ) {}

  /** The business metric named `name`, or undefined if none was recorded or defined. */
  get(name: string): BusinessEntry | undefined {
    return this.entries.get(name);
  }

  /**
   * The histogram a record of `name` in `resolved.unit` would go to, if it exists already (the
   * metric's, or this collector's histogram of the exposed name); never creates anything.
   * Throws InvalidNameError for an invalid name.
   */
  histogramFor(name: string, resolved: ResolvedUnit): Histogram | undefined {
    const known = this.entries.get(name);
    if (known !== undefined) return known.histogram;
    validateCustomName(name);
    return this.table.histograms.get(nameWithUnit(name, resolved.unit))?.instrument;
  }

  /**
   * The business metric `name` for a record in `resolved.unit`, created on first use.
   * Throws MetricConflictError when `unit` measures something else than the metric's unit.
   */
  resolve(
    name: string,
    resolved: ResolvedUnit,
    tags: LabelsInput | undefined,
    options?: Omit<BusinessMetricOptions, 'unit'>,
  ): BusinessEntry {
    const { unit, base: baseUnit } = resolved;
    const known = this.entries.get(name);
    if (known !== undefined && options === undefined) {
      if (known.baseUnit !== baseUnit) throw unitConflict(name, known.baseUnit, unit);
      return known;
    }
    validateCustomName(name);
    if (known !== undefined && known.baseUnit !== baseUnit) throw unitConflict(name, known.baseUnit, unit);
    const exposedName = nameWithUnit(name, unit);
    const { instrument } = this.table.histogram(exposedName, tags, options, {
      requiredUnit: { unit: baseUnit === MetricUnit.COUNT ? undefined : baseUnit },
      help: options?.help ?? DefaultHelp.business(name, baseUnit),
    });
    const entry: BusinessEntry = { name, histogram: instrument, baseUnit, sampler: this.samplerFor(name) };
    this.entries.set(name, entry);
    return entry;
  }
}

function unitConflict(name: string, baseUnit: Unit, unit: Unit): MetricConflictError {
  return new MetricConflictError(
    `Business metric "${name}" is recorded in ${baseUnit}; it cannot change to ${unit} (record it under another name)`,
    { subject: name, value: unit },
  );
}
