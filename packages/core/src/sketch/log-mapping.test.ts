import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogMapping } from './log-mapping.js';

/** Accuracies of both mappings: the table (down to about 0.07%) and the cubic below it. */
const ACCURACIES = [0.2, 0.05, 0.01, 0.002, 0.001, 0.0005, 0.0001, 1e-6];

/** Any positive normal double, spread over the whole exponent range. */
const positive = fc
  .tuple(fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }), fc.integer({ min: -1000, max: 1020 }))
  .map(([mantissa, exponent]) => mantissa * 2 ** exponent);

describe('LogMapping', () => {
  it('reports every value within the relative accuracy, with either mapping', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACCURACIES),
        fc.array(positive, { minLength: 1, maxLength: 50 }),
        (accuracy, values) => {
          const mapping = new LogMapping(accuracy);
          for (const value of values) {
            const reported = mapping.value(mapping.index(value));
            expect(Math.abs(reported - value) / value, `${value} at ${accuracy}`).toBeLessThanOrEqual(
              accuracy * (1 + 1e-9),
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is monotonic, and puts a bin lower edge in its own bin', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACCURACIES), positive, positive, (accuracy, a, b) => {
        const mapping = new LogMapping(accuracy);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(mapping.index(low)).toBeLessThanOrEqual(mapping.index(high));
        const index = mapping.index(low);
        const edge = mapping.lowerBound(index);
        expect(edge).toBeLessThanOrEqual(low);
        expect(mapping.index(edge * (1 + 1e-12))).toBe(index);
      }),
      { numRuns: 400 },
    );
  });

  it('uses about as many bins per octave as exact logarithms would (table and cubic)', () => {
    for (const accuracy of ACCURACIES) {
      const mapping = new LogMapping(accuracy);
      const exact = Math.log(2) / Math.log(mapping.gamma);
      expect(mapping.multiplier, String(accuracy)).toBeGreaterThanOrEqual(exact);
      expect(mapping.multiplier, String(accuracy)).toBeLessThanOrEqual(exact * 1.03 + 1);
    }
  });

  it('keeps the bins of the largest doubles finite', () => {
    const mapping = new LogMapping(0.01);
    expect(Number.isFinite(mapping.value(mapping.index(Number.MAX_VALUE)))).toBe(true);
    expect(mapping.value(mapping.index(Number.MAX_VALUE)) / Number.MAX_VALUE).toBeCloseTo(1, 1);
  });
});
