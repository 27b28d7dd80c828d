import { describe, expect, it } from 'vitest';
import { balancedOrder } from '../../../bench-support/stats.js';

/** Counts, over `rows` consecutive rows from `from`, positions and immediate predecessors. */
function tally(n: number, from: number, rows: number) {
  const positions = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const follows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let row = from; row < from + rows; row++) {
    const order = balancedOrder(n, row);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    order.forEach((variant, position) => {
      positions[variant]![position]!++;
      if (position > 0) follows[variant]![order[position - 1]!]!++;
    });
  }
  return { positions, follows };
}

describe('balancedOrder (the block order of the side-by-side benchmarks)', () => {
  for (const n of [2, 3, 4, 5, 6, 7]) {
    it(`with ${n} variants, runs each at every position and after every other one equally often`, () => {
      const period = n % 2 === 0 ? n : 2 * n;
      // Any window of one period, not only the first.
      for (const from of [0, 3, 17]) {
        const { positions, follows } = tally(n, from, period);
        for (const counts of positions) expect(new Set(counts)).toEqual(new Set([period / n]));
        follows.forEach((counts, variant) => {
          counts.forEach((count, previous) => {
            // period rows of n - 1 pairs each, over n (n - 1) ordered pairs: period / n each.
            expect(count).toBe(previous === variant ? 0 : period / n);
          });
        });
      }
    });
  }

  it('refuses a count of variants that is not a positive integer', () => {
    expect(() => balancedOrder(0, 0)).toThrow(RangeError);
    expect(() => balancedOrder(2.5, 0)).toThrow(/positive integer/);
  });
});
