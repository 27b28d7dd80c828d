import type { CoarseClock } from '../clock.js';
import { ConfigError, describeValue, InvalidValueError } from '../errors.js';
import { BinStore } from '../sketch/bin-store.js';
import { type BucketTable, buildBucketTable, searchBucket } from '../sketch/bucket-table.js';
import { defaultBuckets, validateBuckets } from '../sketch/buckets.js';
import {
  DEFAULT_MAX_BINS,
  DEFAULT_RELATIVE_ACCURACY,
  type DistributionSummary,
  type LogMapping,
  MIN_INDEXABLE,
  mappingFor,
  SketchCounts,
  summarizeCounts,
} from '../sketch/log-sketch.js';
import type { HistogramFamilySnapshot, HistogramSeriesSnapshot } from '../snapshot.js';
import type { Labels, LabelsInput } from '../types.js';
import { assertIntegerOption } from '../validation.js';
import {
  type DetachableSeries,
  Instrument,
  type InstrumentContext,
  type InstrumentDefinition,
  type SnapshotOptions,
} from './instrument.js';
import { RESERVED_LABELS } from './series-index.js';

/** Definition of a histogram. */
export interface HistogramDefinition extends InstrumentDefinition {
  /** Upper bounds of the Prometheus `le` buckets (default chosen by unit: seconds, bytes, ratio, counts). */
  readonly buckets?: readonly number[];
  /** Relative accuracy of quantiles, from 1e-6 to below 1 (default 0.01: every quantile within 1%). */
  readonly relativeAccuracy?: number;
  /** Most log-bins per sign kept per series (default 1,024); past it the lowest bins merge. */
  readonly maxBins?: number;
  /**
   * Length of the sliding window for windowed quantiles, in whole seconds (default 60; 0 turns
   * the window off and saves its memory and time).
   */
  readonly windowSeconds?: number;
  /**
   * Slices of the window (default 3). The window moves a slice at a time, so it covers between
   * `windowSeconds * (1 - 1/windowSlices)` and `windowSeconds` seconds of data.
   */
  readonly windowSlices?: number;
}

/** Cumulative and sliding-window summaries of one histogram series. */
export interface HistogramSummary {
  /** Every observation since the series began or was reset. */
  readonly cumulative: DistributionSummary;
  /** Observations of the last `windowSeconds` (see {@link HistogramDefinition.windowSeconds}). */
  readonly window: DistributionSummary;
}

function invalidObservation(metric: string, value: unknown): InvalidValueError {
  return new InvalidValueError(
    `Invalid observation ${describeValue(value)} for histogram "${metric}": it must be a finite number`,
    {
      subject: metric,
      value,
    },
  );
}

interface HistogramShape {
  readonly bounds: readonly number[];
  readonly buckets: BucketTable | undefined;
  readonly mapping: LogMapping;
  readonly maxBins: number;
  readonly sliceSeconds: number;
  readonly slices: number;
  readonly clock: CoarseClock;
}

/**
 * The cumulative counts as they were at the start of a window slice. Counts only grow, so the
 * window is "cumulative now minus the mark at its start": the hot path updates one store, and
 * a rotation copies the bins once per slice.
 */
interface WindowMark {
  readonly slot: number;
  readonly count: number;
  readonly sum: number;
  readonly zeroCount: number;
  readonly positive: Uint32Array | Float64Array;
  readonly positiveOffset: number;
  readonly negative: Uint32Array | Float64Array | undefined;
  readonly negativeOffset: number;
}

/** One series of a {@link Histogram}; also the bound handle returned by `histogram.bind(labels)`. */
export class HistogramSeries implements DetachableSeries {
  /** Observations per `le` bucket (not cumulative); the last entry is `+Inf`. */
  readonly bucketCounts: Float64Array;
  /** Every observation: count, sum, min, max and the quantile sketch. */
  readonly cumulative: SketchCounts;
  /** @internal */
  detached = false;
  private readonly bounds: readonly number[];
  private readonly mapping: LogMapping;
  private readonly clock: CoarseClock;
  private readonly bucketTable: Int32Array;
  private readonly bucketTableStart: number;
  private readonly bucketBelow: number;
  private readonly useBucketTable: boolean;
  private readonly sliceSeconds: number;
  /** Marks of the last `slices` slice starts, by slot modulo `slices`. */
  private readonly marks: (WindowMark | undefined)[];
  private nextSliceAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly labels: Labels,
    private readonly owner: Histogram,
    shape: HistogramShape,
  ) {
    this.bounds = shape.bounds;
    this.mapping = shape.mapping;
    this.clock = shape.clock;
    this.useBucketTable = shape.buckets !== undefined;
    this.bucketTable = shape.buckets?.table ?? new Int32Array(0);
    this.bucketTableStart = shape.buckets?.start ?? 0;
    this.bucketBelow = shape.buckets?.below ?? 0;
    this.bucketCounts = new Float64Array(shape.bounds.length + 1);
    this.cumulative = new SketchCounts(shape.mapping, shape.maxBins);
    this.sliceSeconds = shape.sliceSeconds;
    this.marks = new Array<WindowMark | undefined>(shape.slices).fill(undefined);
    // Without a window, never rotate.
    if (shape.slices === 0) this.nextSliceAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Records one observation (finite). Throws InvalidValueError, changing nothing.
   *
   * The common case (a positive value whose log-bin lies inside the bucket table and holds no
   * bucket bound) is all here, in one function: split over two, V8 sometimes left the callee out
   * of line and boxed every value on the way (a heap number per observation).
   */
  observe(value: number): void {
    if (typeof value !== 'number' || value - value !== 0) throw invalidObservation(this.owner.name, value);
    if (this.clock.seconds >= this.nextSliceAt) this.rotate();
    if (value > MIN_INDEXABLE && this.useBucketTable) {
      const index = this.mapping.index(value);
      const t = index - this.bucketTableStart;
      const table = this.bucketTable;
      // One unsigned compare covers t < 0 and t >= length; odd entries are bins holding a bound.
      const entry = t >>> 0 < table.length ? table[t]! : 1;
      if ((entry & 1) === 0) this.bucketCounts[entry >> 1]!++;
      else this.countBucketNearBound(value, t);
      this.cumulative.addPositive(value, index);
    } else {
      this.recordGeneral(value);
    }
    if (this.detached) this.owner.reattach(this);
  }

  /** Counts a positive value whose bin holds a bucket bound or lies outside the bucket table. */
  private countBucketNearBound(value: number, t: number): void {
    const table = this.bucketTable;
    const bounds = this.bounds;
    let bucket: number;
    if (t < 0) bucket = this.bucketBelow;
    else if (t >= table.length) bucket = bounds.length;
    else {
      bucket = table[t]! >> 1;
      while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    }
    this.bucketCounts[bucket]!++;
  }

  /** Zero, negative values, or bounds too wide for a table: the general path. */
  private recordGeneral(value: number): void {
    const magnitude = value < 0 ? -value : value;
    this.bucketCounts[searchBucket(this.bounds, value)]!++;
    this.cumulative.addIndexed(value, magnitude > MIN_INDEXABLE ? this.mapping.index(magnitude) : 0);
  }

  /** Number of observations. */
  get count(): number {
    return this.cumulative.count;
  }

  /** Sum of observations. */
  get sum(): number {
    return this.cumulative.sum;
  }

  /** Value at quantile `q` (0 to 1) of every observation, within the relative accuracy; NaN if none. */
  quantile(q: number): number {
    return this.cumulative.quantile(q);
  }

  /** Value at quantile `q` of the sliding window; NaN if the window is empty. */
  windowQuantile(q: number): number {
    return this.windowCounts().quantile(q);
  }

  /**
   * Cumulative and windowed count, sum, min, max, mean and p50/p90/p95/p99/p99.9. Window count
   * and sum are exact; window min and max, like all quantiles, are within the relative accuracy.
   */
  summary(): HistogramSummary {
    return { cumulative: summarizeCounts(this.cumulative), window: summarizeCounts(this.windowCounts()) };
  }

  /** Observations of the sliding window, as new counts (a copy). */
  windowCounts(): SketchCounts {
    const window = new SketchCounts(this.mapping, this.cumulative.maxBins);
    const slices = this.marks.length;
    if (slices === 0) return window;
    const slot = Math.floor(this.clock.seconds / this.sliceSeconds);
    // The window starts at the oldest slice still inside it; no mark there means no observation since.
    let start: WindowMark | undefined;
    for (const mark of this.marks) {
      if (
        mark !== undefined &&
        mark.slot > slot - slices &&
        mark.slot <= slot &&
        (start === undefined || mark.slot < start.slot)
      ) {
        start = mark;
      }
    }
    if (start === undefined) return window;
    const cumulative = this.cumulative;
    subtractInto(
      window.positive,
      cumulative.positive.counts,
      cumulative.positive.offset,
      start.positive,
      start.positiveOffset,
    );
    if (cumulative.negative !== undefined) {
      window.negative = new BinStore(cumulative.maxBins);
      subtractInto(
        window.negative,
        cumulative.negative.counts,
        cumulative.negative.offset,
        start.negative,
        start.negativeOffset,
      );
    }
    window.zeroCount = cumulative.zeroCount - start.zeroCount;
    window.count = cumulative.count - start.count;
    window.sum = cumulative.sum - start.sum;
    const lowest = lowestValue(window);
    if (window.count === 1) {
      // One value: its exact sum is the value itself.
      window.min = window.sum;
      window.max = window.sum;
    } else if (lowest !== undefined) {
      // Both estimates clamped to the exact cumulative extremes: they keep their order
      // (lowest <= highest), so min <= max even when every windowed value shares one bin.
      window.min = clamp(lowest, cumulative.min, cumulative.max);
      window.max = clamp(highestValue(window)!, cumulative.min, cumulative.max);
    }
    return window;
  }

  /** @internal */
  reset(): void {
    this.bucketCounts.fill(0);
    this.cumulative.clear();
    this.marks.fill(undefined);
    if (this.marks.length > 0) this.nextSliceAt = Number.NEGATIVE_INFINITY;
  }

  /** @internal Adds this series' data to `target` (it shows in the target's window as new) and zeroes this one. */
  moveInto(target: HistogramSeries): void {
    if (target.clock.seconds >= target.nextSliceAt) target.rotate();
    for (let i = 0; i < this.bucketCounts.length; i++) target.bucketCounts[i]! += this.bucketCounts[i]!;
    target.cumulative.merge(this.cumulative);
    this.reset();
  }

  /** @internal Bytes held by this series' arrays (bins, marks and buckets). */
  get byteLength(): number {
    let bytes = this.bucketCounts.byteLength + this.cumulative.byteLength;
    for (const mark of this.marks)
      bytes += (mark?.positive.byteLength ?? 0) + (mark?.negative?.byteLength ?? 0);
    return bytes;
  }

  /** @internal */
  toSnapshot(sketches: boolean): HistogramSeriesSnapshot {
    const source = this.bucketCounts;
    const bucketCounts = new Array<number>(source.length);
    for (let i = 0; i < source.length; i++) bucketCounts[i] = source[i]!;
    const cumulative = this.cumulative;
    const negative = cumulative.min < 0 ? ({ negative: true } as const) : undefined;
    if (!sketches)
      return { labels: this.labels, count: cumulative.count, sum: cumulative.sum, bucketCounts, ...negative };
    return {
      labels: this.labels,
      count: cumulative.count,
      sum: cumulative.sum,
      bucketCounts,
      ...negative,
      sketch: cumulative.toData(),
      window: this.windowCounts().toData(),
    };
  }

  /** Marks the start of the current slice (called before the first observation in it). */
  private rotate(): void {
    const slices = this.marks.length;
    const slot = Math.floor(this.clock.seconds / this.sliceSeconds);
    const position = slot % slices;
    const previous = this.marks[position];
    const cumulative = this.cumulative;
    const negative = cumulative.negative;
    this.marks[position] = {
      slot,
      count: cumulative.count,
      sum: cumulative.sum,
      zeroCount: cumulative.zeroCount,
      positive: copyInto(previous?.positive, cumulative.positive.counts),
      positiveOffset: cumulative.positive.offset,
      negative: negative === undefined ? undefined : copyInto(previous?.negative, negative.counts),
      negativeOffset: negative?.offset ?? 0,
    };
    this.nextSliceAt = (slot + 1) * this.sliceSeconds;
  }
}

/** A copy of `source`, reusing `reuse` when it has the same type and length. */
function copyInto(
  reuse: Uint32Array | Float64Array | undefined,
  source: Uint32Array | Float64Array,
): Uint32Array | Float64Array {
  if (reuse !== undefined && reuse.length === source.length && reuse.constructor === source.constructor) {
    reuse.set(source);
    return reuse;
  }
  return source.slice();
}

/** target += now - then, bin by bin (never below zero: bins collapsed since the mark stay put). */
function subtractInto(
  target: BinStore,
  now: Uint32Array | Float64Array,
  nowOffset: number,
  then: Uint32Array | Float64Array | undefined,
  thenOffset: number,
): void {
  const indexes: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < now.length; i++) {
    const index = nowOffset + i;
    const difference = now[i]! - (then?.[index - thenOffset] ?? 0);
    if (difference > 0) {
      indexes.push(index);
      counts.push(difference);
    }
  }
  target.addBins(indexes, counts);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function lowestValue(counts: SketchCounts): number | undefined {
  const negative = counts.negative?.maxIndex;
  if (negative !== undefined && negative !== Number.NEGATIVE_INFINITY) return -counts.mapping.value(negative);
  if (counts.zeroCount > 0) return 0;
  const positive = counts.positive.minIndex;
  return positive === Number.POSITIVE_INFINITY ? undefined : counts.mapping.value(positive);
}

function highestValue(counts: SketchCounts): number | undefined {
  const positive = counts.positive.maxIndex;
  if (positive !== Number.NEGATIVE_INFINITY) return counts.mapping.value(positive);
  if (counts.zeroCount > 0) return 0;
  const negative = counts.negative?.minIndex;
  return negative === undefined || negative === Number.POSITIVE_INFINITY
    ? undefined
    : -counts.mapping.value(negative);
}

/**
 * A distribution of observed values (latencies, sizes), per label set: exact count and sum,
 * Prometheus `le` buckets, and a quantile sketch (any quantile within a relative accuracy,
 * cumulative and over a sliding window).
 */
export class Histogram extends Instrument<HistogramSeries> {
  readonly type = 'histogram' as const;
  /** Upper bounds of the `le` buckets, without `+Inf`. */
  readonly bounds: readonly number[];
  readonly relativeAccuracy: number;
  readonly maxBins: number;
  /** Sliding window length in seconds (0: no window). */
  readonly windowSeconds: number;
  readonly windowSlices: number;
  override readonly reservedLabels: readonly string[];
  private readonly shape: HistogramShape;
  /** The series without labels, once looked up (see {@link observe}). */
  private unlabelledSeries: HistogramSeries | undefined;

  constructor(name: string, definition: HistogramDefinition, context: InstrumentContext) {
    super(name, definition, context);
    this.reservedLabels = [...RESERVED_LABELS, 'le'];
    this.bounds = validateBuckets(name, definition.buckets ?? defaultBuckets(definition.unit));
    this.relativeAccuracy = definition.relativeAccuracy ?? DEFAULT_RELATIVE_ACCURACY;
    const mapping = mappingFor(this.relativeAccuracy);
    this.maxBins = definition.maxBins ?? DEFAULT_MAX_BINS;
    assertIntegerOption(`${name}: maxBins`, this.maxBins, 16, 65_536);
    this.windowSeconds = definition.windowSeconds ?? 60;
    this.windowSlices = this.windowSeconds === 0 ? 0 : (definition.windowSlices ?? 3);
    assertIntegerOption(`${name}: windowSeconds`, this.windowSeconds, 0, 86_400);
    if (this.windowSeconds > 0) {
      assertIntegerOption(`${name}: windowSlices`, this.windowSlices, 1, 60);
      if (this.windowSeconds % this.windowSlices !== 0) {
        throw new ConfigError(
          `Invalid window for histogram "${name}": windowSeconds ${this.windowSeconds} is not a multiple of windowSlices ${this.windowSlices}`,
          { subject: name, value: { windowSeconds: this.windowSeconds, windowSlices: this.windowSlices } },
        );
      }
    }
    this.shape = {
      bounds: this.bounds,
      buckets: buildBucketTable(this.bounds, mapping),
      mapping,
      maxBins: this.maxBins,
      sliceSeconds: this.windowSlices === 0 ? 0 : this.windowSeconds / this.windowSlices,
      slices: this.windowSlices,
      clock: context.clock,
    };
  }

  /** @internal */
  createSeries(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this, this.shape);
  }

  /** Records `value` (finite) in the series of `labels`. Bad input throws and changes nothing. */
  observe(value: number, labels?: LabelsInput): void {
    // Kept this small on purpose: V8 inlines a call chain up to a total bytecode budget, and
    // past it left series.observe out of line, boxing every value (a heap number per call).
    (labels === undefined ? this.unlabelled(value) : this.lookUp(value, labels)).observe(value);
  }

  /**
   * The series without labels, kept at hand as a bound handle would be: one field instead of a
   * lookup. A detached one (removed, cleared, or the overflow series) is looked up again.
   */
  private unlabelled(value: number): HistogramSeries {
    const series = this.unlabelledSeries;
    if (series !== undefined && !series.detached) return series;
    return (this.unlabelledSeries = this.lookUp(value, undefined));
  }

  /** The series of `labels`, created if new, after checking the value (a bad one creates nothing). */
  private lookUp(value: number, labels: LabelsInput | undefined): HistogramSeries {
    if (typeof value !== 'number' || value - value !== 0) throw invalidObservation(this.name, value);
    return labels === undefined ? this.index.unlabelled() : this.index.resolve(labels);
  }

  /** Quantile `q` (0 to 1) of every observation of `labels`; NaN if there are none. */
  quantile(q: number, labels?: LabelsInput): number {
    this.beforeRead();
    return this.index.find(labels)?.quantile(q) ?? Number.NaN;
  }

  /** Cumulative and windowed summary of the series of `labels`, or undefined if it has none. */
  summary(labels?: LabelsInput): HistogramSummary | undefined {
    this.beforeRead();
    return this.index.find(labels)?.summary();
  }

  /** @internal */
  snapshot(options: SnapshotOptions): HistogramFamilySnapshot {
    this.beforeRead();
    const sketches = options.sketches ?? true;
    const series: HistogramSeriesSnapshot[] = [];
    this.forEachSeries((item) => series.push(item.toSnapshot(sketches)));
    return {
      type: 'histogram',
      name: this.name,
      help: this.help,
      unit: this.unit,
      bounds: this.bounds,
      relativeAccuracy: this.relativeAccuracy,
      windowSeconds: this.windowSeconds,
      series,
    };
  }
}
