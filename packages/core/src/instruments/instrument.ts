import type { CoarseClock } from '../clock.js';
import { ConfigError, describeValue } from '../errors.js';
import type { FamilySnapshot, NumberSeriesSnapshot } from '../snapshot.js';
import type { Labels, LabelsInput } from '../types.js';
import { normalizeUnit, type Unit } from '../units.js';
import {
  OVERFLOW_LABELS,
  RESERVED_LABELS,
  type SeriesBase,
  type SeriesFactory,
  SeriesIndex,
} from './series-index.js';

/** What every instrument definition has. */
export interface InstrumentDefinition {
  /**
   * Metric name, Prometheus grammar. With a `unit` other than count it must end with the
   * unit's suffix (`_seconds`, `_bytes`, `_eur`). Counters may end in `_total` or not: they are
   * exposed with `_total` either way.
   */
  readonly name: string;
  /** One line saying what the metric measures (HELP). */
  readonly help?: string;
  /** Base unit of the recorded values (seconds, bytes, ratio, a custom unit); none for counts. */
  readonly unit?: Unit;
  /**
   * Most distinct label sets this metric keeps (default: the registry's, 2,000). Past it, records
   * go to one `{fw0_overflow="true"}` series and `fw0_series_overflow_total` counts them (every
   * record, labelled call or bound handle).
   */
  readonly maxSeries?: number;
}

/** What the registry gives each instrument. */
export interface InstrumentContext {
  readonly clock: CoarseClock;
  /** Default series limit. */
  readonly maxSeries: number;
  /** Called once per record that went to an overflow series. */
  onOverflow(metric: string): void;
  /** Called when a metric's overflow series is created: its first label set past `maxSeries`. */
  onOverflowStart(metric: string, maxSeries: number): void;
  /** Called when a read hook of `metric` (see `Instrument.onRead`) threw `error`. */
  onReadHookError(metric: string, owner: string, error: unknown): void;
}

/** A function called before a metric is read, and whose it is. */
interface ReadHook {
  readonly owner: string;
  readonly run: () => void;
}

/** A series that can be detached (removed while a caller still holds its handle). */
export interface DetachableSeries extends SeriesBase {
  /**
   * True sends every record through the series to the owner's `reattach()` after it is made. A
   * removed series sets it, to be put back; the overflow series keeps it set, so that each record
   * through a handle bound past the limit is counted. Ordinary series pay nothing: their record
   * paths test this flag anyway.
   */
  detached: boolean;
  /** Zeroes the series in place (handles stay valid). */
  reset(): void;
  /** Moves this series' data into `target` and zeroes this one. */
  moveInto(target: this): void;
}

/** Snapshot options an instrument honours. */
export interface SnapshotOptions {
  /** Include histogram sketches (for JSON, quantiles and merging). Default true. */
  readonly sketches?: boolean;
}

/**
 * Base of every instrument: a named metric whose series are found by label set, with
 * a bounded number of series.
 */
export abstract class Instrument<S extends DetachableSeries> implements SeriesFactory<S> {
  /** Family name (counters without `_total`). */
  readonly name: string;
  readonly help: string;
  readonly unit: Unit | undefined;
  readonly maxSeries: number;
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  readonly reservedLabels: readonly string[] = RESERVED_LABELS;
  protected readonly index: SeriesIndex<S>;
  private readHooks: readonly ReadHook[] = [];
  /** True while the read hooks run: a read made by a hook itself does not run them again. */
  private hooksRunning = false;

  constructor(
    name: string,
    definition: InstrumentDefinition,
    protected readonly context: InstrumentContext,
  ) {
    this.name = name;
    this.help = definition.help ?? '';
    // The unit as the registry checked it ('EUR' is 'eur'), so that the same definition given
    // again compares equal and exposition names the unit the metric name ends with.
    this.unit = definition.unit === undefined ? undefined : normalizeUnit(definition.unit);
    this.maxSeries = definition.maxSeries ?? context.maxSeries;
    this.index = new SeriesIndex(this);
  }

  /** The name samples are exposed under (`x_total` for the counter `x`); used in messages and self-metrics. */
  get exposedName(): string {
    return this.type === 'counter' ? `${this.name}_total` : this.name;
  }

  /** Creates the series object of a new label set. */
  abstract createSeries(labels: Labels): S;

  /** @internal Called for each record sent to the overflow series. */
  onOverflow(): void {
    this.context.onOverflow(this.exposedName);
  }

  /**
   * @internal The overflow series: marked detached, so that every record through it (labelled
   * calls and bound handles alike test the flag after recording) comes to {@link reattach} and is
   * counted there, once.
   */
  createOverflowSeries(): S {
    const series = this.createSeries(OVERFLOW_LABELS);
    series.detached = true;
    this.context.onOverflowStart(this.exposedName, this.maxSeries);
    return series;
  }

  /**
   * A bound handle on the series of `labels`: recording through it does no label lookup, no
   * string work and no allocation. Handles stay valid across {@link reset}; after
   * {@link remove} the next record through the handle puts its series back.
   */
  bind(labels?: LabelsInput): S {
    return this.index.resolve(labels);
  }

  /**
   * Calls `hook` synchronously before every read of this metric: its snapshot (so exposition,
   * pushes and merges), `get()`, `quantile()`, `summary()`, `labelSets()` and `seriesCount`.
   * For a collector that keeps the latest values in fields of its own and writes them to the
   * series only when someone reads them, as prom-client's `collect()` and OpenTelemetry's
   * observable gauges do: a value that changes on every request then costs nothing until a
   * scrape. Reads through a bound handle (`series.value`) do not call it. `owner` names the
   * collector the hook belongs to: a hook that throws is counted in
   * `fw0_collector_errors_total{collector=owner, operation="read_hook"}` and logged, and the read
   * goes on with the values as they are. A read made from inside a hook (of this metric or
   * another whose hook led here) sees the values as they are, without running the hooks again.
   * Returns the function that removes the hook. Throws ConfigError for an owner that is not a
   * non-empty string or a hook that is not a function.
   */
  onRead(owner: string, hook: () => void): () => void {
    if (typeof owner !== 'string' || owner === '' || !owner.isWellFormed()) {
      throw new ConfigError(
        `Invalid read hook owner ${describeValue(owner)} for metric "${this.exposedName}": expected a non-empty string (the collector label of its errors)`,
        { subject: this.exposedName, value: owner },
      );
    }
    if (typeof hook !== 'function') {
      throw new ConfigError(
        `Invalid read hook ${describeValue(hook)} for metric "${this.exposedName}": expected a function`,
        { subject: this.exposedName, value: hook },
      );
    }
    const entry: ReadHook = { owner, run: hook };
    this.readHooks = [...this.readHooks, entry];
    return () => {
      this.readHooks = this.readHooks.filter((other) => other !== entry);
    };
  }

  /** Runs the read hooks: called first by every read of the series. */
  protected beforeRead(): void {
    if (this.hooksRunning || this.readHooks.length === 0) return;
    this.hooksRunning = true;
    try {
      // The array is replaced, never changed in place: a hook that adds or removes hooks does
      // not disturb this loop.
      for (const hook of this.readHooks) {
        try {
          hook.run();
        } catch (error) {
          this.context.onReadHookError(this.exposedName, hook.owner, error);
        }
      }
    } finally {
      this.hooksRunning = false;
    }
  }

  /** Removes the series of `labels` from exposition; true if it existed. */
  remove(labels?: LabelsInput): boolean {
    const series = this.index.remove(labels);
    if (series === undefined) return false;
    series.reset();
    series.detached = true;
    return true;
  }

  /** Zeroes every series in place (bound handles stay valid). */
  reset(): void {
    for (const series of this.index.series()) series.reset();
  }

  /** Removes every series (bound handles put their series back when used again). */
  clear(): void {
    for (const series of this.index.series()) {
      series.reset();
      series.detached = true;
    }
    this.index.clear();
  }

  /** Number of series, not counting the overflow series. */
  get seriesCount(): number {
    this.beforeRead();
    return this.index.size;
  }

  /**
   * The series that takes every label set past the series limit, or undefined if nothing
   * overflowed. (`bind(OVERFLOW_LABELS)` is refused: `fw0_overflow` is a reserved label.)
   */
  get overflowSeries(): S | undefined {
    return this.index.overflowed;
  }

  /** Label sets of every series (the overflow series last, if any). */
  labelSets(): Labels[] {
    this.beforeRead();
    return Array.from(this.index.series(), (series) => series.labels);
  }

  /**
   * @internal A record was made through a detached series: put it back, or move its data to
   * where it belongs. A record through an overflow series (the current one, or one dropped by
   * {@link clear}, whose handles keep overflowing) is counted.
   */
  reattach(series: S): void {
    if (series.labels === OVERFLOW_LABELS) {
      const target = this.index.overflow(true);
      if (target !== series) series.moveInto(target);
      return;
    }
    const target = this.index.reattach(series);
    if (target === series) series.detached = false;
    else series.moveInto(target);
  }

  /** Calls `visit` on every series, the overflow series last (no iterator allocation). */
  protected forEachSeries(visit: (series: S) => void): void {
    this.index.forEach(visit);
  }

  /** @internal The family's state for exporters. */
  abstract snapshot(options: SnapshotOptions): FamilySnapshot;
}

/** A series holding one number: counters and gauges. */
export interface ValueSeries extends DetachableSeries {
  value: number;
}

/** Base of instruments whose series hold one number (counters, gauges). */
export abstract class ValueInstrument<S extends ValueSeries> extends Instrument<S> {
  /** Current value of the series of `labels`, or undefined if it has none. */
  get(labels?: LabelsInput): number | undefined {
    this.beforeRead();
    return this.index.find(labels)?.value;
  }

  /** Labels and value of every series, for snapshots. */
  protected seriesValues(): NumberSeriesSnapshot[] {
    this.beforeRead();
    const series: NumberSeriesSnapshot[] = [];
    this.forEachSeries((item) => series.push({ labels: item.labels, value: item.value }));
    return series;
  }
}
