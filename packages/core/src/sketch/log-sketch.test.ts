import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactQuantile, lognormalSamples, relativeError } from '../../../../test-support/random.js';
import { ConfigError, MergeError } from '../errors.js';
import { BinStore } from './bin-store.js';
import {
  LogMapping,
  mappingFor,
  SketchCounts,
  sketchDataQuantile,
  sketchFromData,
  summarizeCounts,
} from './log-sketch.js';

const QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe('LogSketch', () => {
  it('answers every quantile of 1,000,000 lognormal samples within 1%', () => {
    const samples = lognormalSamples(1_000_000, Math.log(0.05), 1.2, 7);
    const sketch = new SketchCounts(mappingFor(0.01));
    for (const value of samples) sketch.add(value);
    const sorted = samples.slice().sort();
    for (const q of QUANTILES) {
      expect(relativeError(sketch.quantile(q), exactQuantile(sorted, q)), `q=${q}`).toBeLessThanOrEqual(0.01);
    }
    expect(sketch.count).toBe(1_000_000);
    expect(sketch.min).toBe(sorted[0]);
    expect(sketch.max).toBe(sorted.at(-1));
    // 1% accuracy over this spread needs about 600 bins: 4 bytes each.
    expect(sketch.byteLength).toBeLessThanOrEqual(4 * 1024);
  });

  it('keeps the relative-error guarantee for arbitrary positive, negative and zero values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constant(0)), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.constantFrom(0.005, 0.01, 0.02),
        (values, accuracy) => {
          // Enough bins for the whole range, so nothing collapses: this checks the mapping.
          const sketch = new SketchCounts(mappingFor(accuracy), 16_384);
          for (const value of values) sketch.add(value);
          expect(sketch.positive.collapsed || sketch.negative?.collapsed).toBeFalsy();
          const sorted = values.slice().sort((a, b) => a - b);
          for (const q of QUANTILES) {
            const exact = exactQuantile(sorted, q);
            const estimate = sketch.quantile(q);
            // Values of magnitude up to MIN_INDEXABLE count as zero: an absolute error of 1e-12 at most.
            if (Math.abs(exact) <= 1e-12) expect(Math.abs(estimate)).toBeLessThanOrEqual(1e-12);
            else expect(relativeError(estimate, exact)).toBeLessThanOrEqual(accuracy * (1 + 1e-9));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges exactly: merged quantiles equal those of one sketch fed everything', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { maxLength: 200 }),
        fc.array(fc.double({ min: -1e3, max: 1e6, noNaN: true }), { maxLength: 200 }),
        (left, right) => {
          const a = new SketchCounts(mappingFor(0.01));
          const b = new SketchCounts(mappingFor(0.01));
          const all = new SketchCounts(mappingFor(0.01));
          for (const v of left) {
            a.add(v);
            all.add(v);
          }
          for (const v of right) {
            b.add(v);
            all.add(v);
          }
          const viaData = sketchFromData(a.toData());
          viaData.merge(b.toData());
          a.merge(b);
          for (const merged of [a, viaData]) {
            const { sum, ...bins } = merged.toData();
            const { sum: expectedSum, ...expectedBins } = all.toData();
            expect(bins).toEqual(expectedBins);
            // Only the sum may differ, by floating-point addition order.
            expect(Math.abs(sum - expectedSum)).toBeLessThanOrEqual(
              1e-9 * Math.max(1, Math.abs(expectedSum)),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('serialises only non-empty bins, delta-encoded', () => {
    const sketch = new SketchCounts(mappingFor(0.01));
    for (const value of [1, 1, 10, 1000]) sketch.add(value);
    const data = sketch.toData();
    expect(data.positive.counts).toEqual([2, 1, 1]);
    const [first, ...deltas] = data.positive.indexes;
    expect(first).toBe(mappingFor(0.01).index(1));
    expect(deltas.every((delta) => delta > 0)).toBe(true);
    expect(first! + deltas[0]!).toBe(mappingFor(0.01).index(10));
    expect(sketchFromData(JSON.parse(JSON.stringify(data))).toData()).toEqual(data);
  });

  it('refuses to merge sketches of different accuracy', () => {
    const a = new SketchCounts(mappingFor(0.01));
    const b = new SketchCounts(mappingFor(0.02));
    b.add(1);
    expect(() => a.merge(b)).toThrow(MergeError);
    expect(() => a.merge(b.toData())).toThrow(/relative accuracy 0.01 and 0.02/);
  });

  it('summarises, with NaN statistics when empty', () => {
    const sketch = new SketchCounts(mappingFor(0.01));
    expect(Number.isNaN(summarizeCounts(sketch).p99)).toBe(true);
    expect(Number.isNaN(sketchDataQuantile(sketch.toData(), 0.5))).toBe(true);
    for (let i = 1; i <= 100; i++) sketch.add(i);
    const summary = summarizeCounts(sketch);
    expect(summary).toMatchObject({ count: 100, sum: 5050, min: 1, max: 100, mean: 50.5 });
    expect(relativeError(summary.p50, 50)).toBeLessThanOrEqual(0.01);
    expect(relativeError(summary.p99, 99)).toBeLessThanOrEqual(0.01);
  });

  it('rejects accuracies outside (0, 1)', () => {
    for (const bad of [0, 1, -0.1, Number.NaN]) expect(() => new LogMapping(bad)).toThrow(ConfigError);
  });
});

describe('BinStore', () => {
  it('collapses the lowest bins past maxBins, keeping high quantiles exact to the bin', () => {
    const sketch = new SketchCounts(mappingFor(0.01), 64);
    for (let i = 0; i < 10_000; i++) sketch.add(1e-6 * 1.05 ** i);
    expect(sketch.positive.collapsed).toBe(true);
    expect(sketch.positive.maxIndex - sketch.positive.minIndex + 1).toBeLessThanOrEqual(64);
    expect(sketch.positive.counts.length).toBeLessThanOrEqual(64);
    expect(sketch.count).toBe(10_000);
    expect(sketch.positive.total()).toBe(10_000);
    expect(relativeError(sketch.quantile(1), 1e-6 * 1.05 ** 9999)).toBeLessThanOrEqual(0.01);
  });

  it('widens from 32-bit to 64-bit counts instead of wrapping (regression: Uint32 overflow)', () => {
    const store = new BinStore(16);
    store.addCount(5, 0xffffffff);
    expect(store.counts).toBeInstanceOf(Uint32Array);
    store.add(5);
    expect(store.counts).toBeInstanceOf(Float64Array);
    expect(store.total()).toBe(0xffffffff + 1);
    store.add(5);
    store.addCount(6, 2 ** 40);
    expect(store.total()).toBe(0xffffffff + 2 + 2 ** 40);
  });

  it('grows in both directions and clears', () => {
    const store = new BinStore(1024);
    for (const index of [10, -50, 300, 10]) store.add(index);
    expect(store.total()).toBe(4);
    expect(store.minIndex).toBe(-50);
    expect(store.maxIndex).toBe(300);
    store.clear();
    expect(store.total()).toBe(0);
    store.add(7);
    expect(store.total()).toBe(1);
  });
});
