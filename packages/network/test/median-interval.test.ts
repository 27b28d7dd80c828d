import { describe, expect, it } from 'vitest';
import { median, medianInterval } from '../../../bench-support/stats.js';
import { lognormalSamples } from '../../../test-support/random.js';

describe('medianInterval (how far a benchmark median could move)', () => {
  it('holds the true median of the distribution the values came from, for most seeds', () => {
    // Lognormal with mu = 0: the true median is exactly 1.
    let held = 0;
    const draws = 40;
    for (let seed = 1; seed <= draws; seed++) {
      const { low, high } = medianInterval(Array.from(lognormalSamples(60, 0, 0.5, seed)), 0.9);
      if (low <= 1 && 1 <= high) held++;
    }
    // A 90% interval misses about 4 of 40; a broken one (too narrow, off centre) misses far more.
    expect(held).toBeGreaterThanOrEqual(32);
  });

  it('narrows as values are added and widens with the confidence asked for', () => {
    const few = Array.from(lognormalSamples(40, 0, 0.5, 7));
    const many = Array.from(lognormalSamples(640, 0, 0.5, 7));
    const width = ({ low, high }: { low: number; high: number }) => high - low;
    // Sixteen times the values: about a quarter of the width.
    expect(width(medianInterval(many))).toBeLessThan(width(medianInterval(few)) / 2);
    expect(width(medianInterval(few, 0.5))).toBeLessThan(width(medianInterval(few, 0.95)));
    const interval = medianInterval(few);
    expect(interval.low).toBeLessThanOrEqual(median(few));
    expect(interval.high).toBeGreaterThanOrEqual(median(few));
  });

  it('is the value itself for identical values, NaN for none, and the same for the same input', () => {
    expect(medianInterval([3, 3, 3])).toEqual({ low: 3, high: 3 });
    const none = medianInterval([]);
    expect(Number.isNaN(none.low) && Number.isNaN(none.high)).toBe(true);
    const values = Array.from(lognormalSamples(30, 0, 1, 3));
    expect(medianInterval(values)).toEqual(medianInterval(values));
  });

  it('refuses a confidence outside (0, 1) and a resample count that is not a positive integer', () => {
    for (const confidence of [0, 1, -0.5, 95, Number.NaN]) {
      expect(() => medianInterval([1, 2], confidence)).toThrow(/confidence must be between 0 and 1/);
    }
    for (const resamples of [0, 1.5, -3]) {
      expect(() => medianInterval([1, 2], 0.95, resamples)).toThrow(/resamples must be a positive integer/);
    }
  });
});
