/**
 * Quantile `q` (0 to 1) of `values`, interpolated linearly between the two nearest ranks (the
 * median of an even count is the mean of the middle two); NaN when there are none.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** The median of `values` (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Row `row` of a Williams design for `n` variants: the order in which to run them in one block
 * of a side-by-side comparison. Over any `n` consecutive rows (2n when n is odd: the rows, then
 * the same rows reversed) every variant runs at every position equally often and right after
 * every other variant equally often. A plain rotation (0 1 2, 1 2 0, 2 0 1) varies positions
 * only: each variant would always follow the same one and inherit what it leaves behind
 * (garbage to collect, timers, caches), a bias no number of rounds averages out.
 */
export function balancedOrder(n: number, row: number): number[] {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`balancedOrder: n must be a positive integer, not ${n}`);
  const period = n % 2 === 0 ? n : 2 * n;
  const index = ((row % period) + period) % period;
  const shift = index % n;
  const order: number[] = [];
  for (let position = 0; position < n; position++) {
    // 0, 1, n-1, 2, n-2, ...: consecutive differences 1, -2, 3, -4... are all distinct mod n.
    const base = position === 0 ? 0 : position % 2 === 1 ? (position + 1) / 2 : n - position / 2;
    order.push((base + shift) % n);
  }
  return index < n ? order : order.reverse();
}
