import type { LogMapping } from './log-mapping.js';

/** Values with a magnitude up to this (1e-12) are counted in the zero bin. */
export const MIN_INDEXABLE = 1e-12;

/** Largest table built per histogram family; wider bucket layouts fall back to binary search. */
const MAX_TABLE = 1 << 17;

/**
 * Bins the table reaches below the first bound and above the last (512: about 14 octaves at 1%
 * accuracy). Values there need no comparison either, and a value outside the table takes a
 * slower, less predictable branch: without the margin, latencies past the last bound (a tenth of
 * a typical spread) paid for it. 4 KiB per histogram family.
 */
const MARGIN = 512;

/**
 * Finds the `le` bucket of a positive value from its sketch bin index, without comparing it to
 * every bound. The mapping is monotonic, so a bin that holds no bound lies wholly inside one
 * bucket: the table gives that bucket. A bin that holds a bound is marked, and only the bounds
 * in that bin are compared. Exact, whatever the floating-point rounding of bin edges.
 */
export interface BucketTable {
  /** Per bin from `start`: `bucket * 2 + 1` if a bound lies in the bin (compare), else `bucket * 2`. */
  readonly table: Int32Array;
  /** Bin index of `table[0]`. */
  readonly start: number;
  /** Bucket of positive values in bins below `start`. */
  readonly below: number;
}

/** Builds the table for `bounds` (increasing), or undefined when it would be too large. */
export function buildBucketTable(bounds: readonly number[], mapping: LogMapping): BucketTable | undefined {
  let firstPositive = 0;
  while (firstPositive < bounds.length && bounds[firstPositive]! <= MIN_INDEXABLE) firstPositive++;
  if (firstPositive === bounds.length) {
    return { table: new Int32Array(0), start: Number.POSITIVE_INFINITY, below: bounds.length };
  }
  const indexes = bounds.slice(firstPositive).map((bound) => mapping.index(bound));
  const start = indexes[0]! - MARGIN;
  const length = indexes.at(-1)! + MARGIN - start + 1;
  if (length > MAX_TABLE) return undefined;
  const table = new Int32Array(length);
  let next = 0;
  for (let i = 0; i < length; i++) {
    const bin = start + i;
    while (next < indexes.length && indexes[next]! < bin) next++;
    const ambiguous = next < indexes.length && indexes[next] === bin ? 1 : 0;
    table[i] = (firstPositive + next) * 2 + ambiguous;
  }
  return { table, start, below: firstPositive };
}

/** The `le` bucket of any finite value by binary search (zero, negative values, no table). */
export function searchBucket(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= bounds[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}
