import { MergeError } from '../errors.js';
import { BinStore } from './bin-store.js';
import { MIN_INDEXABLE } from './bucket-table.js';
import { LogMapping } from './log-mapping.js';

export { LogMapping } from './log-mapping.js';

/**
 * A mergeable quantile sketch with a relative-error guarantee (the DDSketch construction):
 * positive values fall in logarithmic bins `(gamma^(i-1), gamma^i]` with
 * `gamma = (1 + a) / (1 - a)`, so any quantile is answered within relative error `a` of the
 * true value at that rank. Negative values use a mirrored store; values closer to zero than
 * {@link MIN_INDEXABLE} count as zero. Two sketches of the same accuracy merge exactly.
 */

/** Default relative accuracy: 1%. */
export const DEFAULT_RELATIVE_ACCURACY = 0.01;
/** Default cap of bins per store (per sign); 1% accuracy spans 9 decades in 1,024 bins. */
export const DEFAULT_MAX_BINS = 1024;
export { MIN_INDEXABLE } from './bucket-table.js';

const mappings = new Map<number, LogMapping>();

/** One shared mapping per accuracy (they are immutable). */
export function mappingFor(relativeAccuracy: number): LogMapping {
  let mapping = mappings.get(relativeAccuracy);
  if (mapping === undefined) {
    mapping = new LogMapping(relativeAccuracy);
    mappings.set(relativeAccuracy, mapping);
  }
  return mapping;
}

/**
 * Serialisable form of one bin store: its non-empty bins only. `indexes` are delta-encoded (the
 * first is the bin index, each next one the distance from the previous), so a dense run costs
 * a `1` per bin and a sparse sketch costs nothing for its empty bins.
 */
export interface BinsData {
  readonly indexes: readonly number[];
  readonly counts: readonly number[];
}

/** Serialisable form of a sketch, as snapshots carry it (JSON and structured-clone safe). */
export interface SketchData {
  readonly relativeAccuracy: number;
  /** Number of values. */
  readonly count: number;
  /** Exact sum of the values. */
  readonly sum: number;
  /** Exact lowest and highest value; 0 when `count` is 0. */
  readonly min: number;
  readonly max: number;
  /** Values whose magnitude is below {@link MIN_INDEXABLE}. */
  readonly zeroCount: number;
  readonly positive: BinsData;
  /** Bins of the magnitudes of negative values. */
  readonly negative: BinsData;
}

/** The counts of one sketch (positive, negative and zero bins), sharing a mapping. */
export class SketchCounts {
  readonly positive: BinStore;
  negative: BinStore | undefined;
  zeroCount = 0;
  /** Number of values. */
  count = 0;
  /** Exact sum, lowest and highest value (min/max are +/-Infinity while empty). */
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(
    readonly mapping: LogMapping,
    readonly maxBins: number = DEFAULT_MAX_BINS,
  ) {
    this.positive = new BinStore(maxBins);
  }

  /** Adds one finite value. */
  add(value: number): void {
    const magnitude = value < 0 ? -value : value;
    this.addIndexed(value, magnitude > MIN_INDEXABLE ? this.mapping.index(magnitude) : 0);
  }

  /** Adds one value known to be above {@link MIN_INDEXABLE}, whose bin index was computed already. */
  addPositive(value: number, index: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.positive.add(index);
  }

  /** Adds one finite value whose bin index (of its magnitude; anything for zero) was computed already. */
  addIndexed(value: number, index: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > MIN_INDEXABLE) this.positive.add(index);
    else if (value < -MIN_INDEXABLE) (this.negative ??= new BinStore(this.maxBins)).add(index);
    else this.zeroCount++;
  }

  /** Removes every value. */
  clear(): void {
    this.positive.clear();
    this.negative?.clear();
    this.zeroCount = 0;
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  /** Adds every value of `other` (same accuracy) into these counts: exact. */
  merge(other: SketchCounts | SketchData): void {
    if (other instanceof SketchCounts) {
      assertSameAccuracy(this.mapping.relativeAccuracy, other.mapping.relativeAccuracy);
      mergeStore(this.positive, other.positive);
      if (other.negative) mergeStore((this.negative ??= new BinStore(this.maxBins)), other.negative);
      this.mergeTotals(other.count, other.zeroCount, other.sum, other.min, other.max);
      return;
    }
    const data = other as SketchData;
    assertSameAccuracy(this.mapping.relativeAccuracy, data.relativeAccuracy);
    mergeBins(this.positive, data.positive);
    if (data.negative.counts.length > 0)
      mergeBins((this.negative ??= new BinStore(this.maxBins)), data.negative);
    this.mergeTotals(data.count, data.zeroCount, data.sum, data.min, data.max);
  }

  private mergeTotals(count: number, zeroCount: number, sum: number, min: number, max: number): void {
    if (count === 0) return;
    this.count += count;
    this.zeroCount += zeroCount;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }

  /**
   * The value at quantile `q` (0 to 1), within the relative accuracy; NaN when empty.
   * Nearest rank: the smallest value with at least `q * count` values at or below it (so the
   * p99 of four values is the largest, not an underestimate of the tail).
   */
  quantile(q: number): number {
    if (this.count === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
    // The exact extremes are known: q=0 and q=1 are answered exactly, the rest clamped to them.
    if (q === 0) return this.min;
    if (q === 1) return this.max;
    const estimate = this.rawQuantile(q);
    return Math.min(this.max, Math.max(this.min, estimate));
  }

  private rawQuantile(q: number): number {
    // The tolerance keeps q * count = 7.000000000000001 (q = 0.7, count = 10) at rank 7.
    const rank = Math.max(1, Math.ceil(q * this.count - 1e-9));
    let seen = 0;
    const negative = this.negative;
    if (negative !== undefined) {
      // Most negative first: the highest magnitude bins.
      const counts = negative.counts;
      for (let i = counts.length - 1; i >= 0; i--) {
        seen += counts[i]!;
        if (seen >= rank) return -this.mapping.value(negative.offset + i);
      }
    }
    seen += this.zeroCount;
    if (seen >= rank) return 0;
    const positive = this.positive;
    const counts = positive.counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return this.mapping.value(positive.offset + i);
    }
    // Rounding at q = 1: the highest value.
    return this.max;
  }

  /** Serialisable copy (only bins between the lowest and highest non-empty ones). */
  toData(): SketchData {
    return {
      relativeAccuracy: this.mapping.relativeAccuracy,
      count: this.count,
      sum: this.sum,
      min: this.count === 0 ? 0 : this.min,
      max: this.count === 0 ? 0 : this.max,
      zeroCount: this.zeroCount,
      positive: storeData(this.positive),
      negative: this.negative ? storeData(this.negative) : EMPTY_BINS,
    };
  }

  /** Bytes held by the bin arrays. */
  get byteLength(): number {
    return this.positive.byteLength + (this.negative?.byteLength ?? 0);
  }
}

const EMPTY_BINS: BinsData = Object.freeze({
  indexes: Object.freeze([]) as readonly number[],
  counts: Object.freeze([]) as readonly number[],
});

function storeData(store: BinStore): BinsData {
  const indexes: number[] = [];
  const counts: number[] = [];
  const source = store.counts;
  let previous = 0;
  for (let i = 0; i < source.length; i++) {
    const count = source[i]!;
    if (count === 0) continue;
    const index = store.offset + i;
    indexes.push(indexes.length === 0 ? index : index - previous);
    counts.push(count);
    previous = index;
  }
  return indexes.length === 0 ? EMPTY_BINS : { indexes, counts };
}

function mergeStore(target: BinStore, source: BinStore): void {
  const min = source.minIndex;
  if (min === Number.POSITIVE_INFINITY) return;
  const from = min - source.offset;
  const to = source.maxIndex - source.offset + 1;
  const indexes = new Array<number>(to - from);
  for (let i = 0; i < indexes.length; i++) indexes[i] = min + i;
  target.addBins(indexes, source.counts.subarray(from, to));
}

function mergeBins(target: BinStore, bins: BinsData): void {
  const length = bins.indexes.length;
  if (length === 0) return;
  const indexes = new Array<number>(length);
  let index = 0;
  for (let i = 0; i < length; i++) {
    index = i === 0 ? bins.indexes[0]! : index + bins.indexes[i]!;
    indexes[i] = index;
  }
  target.addBins(indexes, bins.counts);
}

function assertSameAccuracy(expected: number, actual: number): void {
  if (expected !== actual) {
    throw new MergeError(`Cannot merge sketches of relative accuracy ${expected} and ${actual}`, {
      value: { expected, actual },
    });
  }
}

/** Rebuilds counts from serialised data (e.g. to answer quantiles of a received snapshot). */
export function sketchFromData(data: SketchData, maxBins: number = DEFAULT_MAX_BINS): SketchCounts {
  const counts = new SketchCounts(mappingFor(data.relativeAccuracy), maxBins);
  counts.merge(data);
  return counts;
}

/** The value at quantile `q` of serialised sketch data; NaN when empty. */
export function sketchDataQuantile(data: SketchData, q: number): number {
  return sketchFromData(data).quantile(q);
}

/** Count, sum, extremes and the usual quantiles of a distribution. Stats of an empty one are NaN. */
export interface DistributionSummary {
  readonly count: number;
  /** Sum of the values (0 when empty). */
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

/** Summarises sketch counts (quantiles within the sketch's relative accuracy; the rest exact). */
export function summarizeCounts(counts: SketchCounts): DistributionSummary {
  const empty = counts.count === 0;
  return {
    count: counts.count,
    sum: counts.sum,
    min: empty ? Number.NaN : counts.min,
    max: empty ? Number.NaN : counts.max,
    mean: empty ? Number.NaN : counts.sum / counts.count,
    p50: counts.quantile(0.5),
    p90: counts.quantile(0.9),
    p95: counts.quantile(0.95),
    p99: counts.quantile(0.99),
    p999: counts.quantile(0.999),
  };
}
