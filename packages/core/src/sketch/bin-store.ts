/**
 * Dense counts of log-bins over a contiguous index range, grown on demand and capped at
 * `maxBins`: past the cap the lowest bins collapse into one, so the high quantiles that matter
 * for latency keep their accuracy while memory stays bounded.
 *
 * Counts start as a Uint32Array (4 bytes a bin) and widen to a Float64Array (exact to 2^53)
 * the first time a bin passes 2^32 - 1. The hot path is one bounds check and one increment;
 * the occupied range is found by scanning, which only growth and queries need.
 */

const EMPTY = new Uint32Array(0);
const UINT32_LIMIT = 0xffffffff;
/** Extra bins allocated on each side when the store grows, so neighbours do not reallocate. */
const GROWTH_MARGIN = 16;

export class BinStore {
  /** Count of each bin; `counts[i]` is bin `offset + i`. */
  counts: Uint32Array | Float64Array = EMPTY;
  /** Bin index of `counts[0]`. */
  offset = 0;
  /** True once lowest bins were merged to respect `maxBins`. */
  collapsed = false;

  constructor(readonly maxBins: number) {}

  /** Adds one observation to bin `index`. */
  add(index: number): void {
    const i = index - this.offset;
    const counts = this.counts;
    // One unsigned compare covers both i < 0 and i >= length.
    if (i >>> 0 < counts.length) {
      if (++counts[i]! > UINT32_LIMIT) this.widen(i);
      return;
    }
    this.addSlow(index, 1);
  }

  /** Adds `count` observations to bin `index` (merging, deserialising). */
  addCount(index: number, count: number): void {
    if (count > 0) this.addSlow(index, count);
  }

  /**
   * Adds many bins at once (merging, deserialising): `indexes` increasing, `counts` beside them.
   * The array is sized once for the whole run instead of once per bin; a run that would pass
   * `maxBins` goes bin by bin through the collapsing path.
   */
  addBins(indexes: ArrayLike<number>, counts: ArrayLike<number>): void {
    const length = counts.length;
    if (length === 0) return;
    const low = Math.min(this.minIndex, indexes[0]!);
    const high = Math.max(this.maxIndex, indexes[length - 1]!);
    if (high - low + 1 > this.maxBins) {
      for (let i = 0; i < length; i++) this.addCount(indexes[i]!, counts[i]!);
      return;
    }
    this.ensureRange(low, high);
    for (let i = 0; i < length; i++) {
      const count = counts[i]!;
      if (count <= 0) continue;
      const at = indexes[i]! - this.offset;
      if (this.counts[at]! + count > UINT32_LIMIT) this.widenArray();
      this.counts[at] = this.counts[at]! + count;
    }
  }

  /** Lowest bin index holding a count, or +Infinity when empty. */
  get minIndex(): number {
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) return this.offset + i;
    return Number.POSITIVE_INFINITY;
  }

  /** Highest bin index holding a count, or -Infinity when empty. */
  get maxIndex(): number {
    const counts = this.counts;
    for (let i = counts.length - 1; i >= 0; i--) if (counts[i] !== 0) return this.offset + i;
    return Number.NEGATIVE_INFINITY;
  }

  /** Count of bin `index` (0 outside the stored range). */
  countAt(index: number): number {
    return this.counts[index - this.offset] ?? 0;
  }

  /** Total of all bins. */
  total(): number {
    let sum = 0;
    for (const count of this.counts) sum += count;
    return sum;
  }

  /** Removes every count, keeping the allocation. */
  clear(): void {
    this.counts.fill(0);
    this.collapsed = false;
  }

  /** Bytes held by the counts array. */
  get byteLength(): number {
    return this.counts.byteLength;
  }

  private addSlow(index: number, count: number): void {
    const min = this.minIndex;
    const max = this.maxIndex;
    const low = Math.min(min, index);
    const high = Math.max(max, index);
    let target = index;
    if (high - low + 1 > this.maxBins) {
      // Keep the highest maxBins bins; everything below folds into the lowest kept bin.
      const floor = high - this.maxBins + 1;
      this.collapseBelow(floor, min, max);
      if (target < floor) {
        target = floor;
        this.collapsed = true;
      }
    }
    this.put(target, count);
  }

  /** Adds `count` to bin `index`, growing the array to cover it (the span must fit maxBins). */
  private put(index: number, count: number): void {
    this.ensureRange(Math.min(this.minIndex, index), Math.max(this.maxIndex, index));
    const i = index - this.offset;
    if (this.counts[i]! + count > UINT32_LIMIT) this.widenArray();
    this.counts[i] = this.counts[i]! + count;
  }

  /** Makes `counts` cover [low, high], with a margin, within maxBins. */
  private ensureRange(low: number, high: number): void {
    const counts = this.counts;
    if (counts.length > 0 && low >= this.offset && high < this.offset + counts.length) return;
    const span = high - low + 1;
    const size = Math.min(this.maxBins, span + 2 * GROWTH_MARGIN);
    // Centre the margin, but never below `high - size + 1` (so `high` fits) nor above `low`.
    const newOffset = Math.max(high - size + 1, low - Math.floor((size - span) / 2));
    const next = counts instanceof Float64Array ? new Float64Array(size) : new Uint32Array(size);
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i]!;
      if (count !== 0) next[this.offset + i - newOffset] = count;
    }
    this.counts = next;
    this.offset = newOffset;
  }

  private collapseBelow(floor: number, min: number, max: number): void {
    if (min >= floor || min > max) return;
    let folded = 0;
    const stop = Math.min(max, floor - 1);
    for (let index = min; index <= stop; index++) {
      const i = index - this.offset;
      folded += this.counts[i]!;
      this.counts[i] = 0;
    }
    this.collapsed = true;
    if (folded > 0) this.put(floor, folded);
  }

  /** Bin `i` passed 2^32 - 1 on increment: if it was a Uint32 bin, it wrapped to 0; widen and restore. */
  private widen(i: number): void {
    if (this.counts instanceof Float64Array) return;
    this.widenArray();
    this.counts[i] = UINT32_LIMIT + 1;
  }

  private widenArray(): void {
    if (this.counts instanceof Float64Array) return;
    this.counts = Float64Array.from(this.counts);
  }
}
