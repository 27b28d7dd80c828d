import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactQuantile, lognormalSamples } from '../../../../test-support/random.js';
import { ManualClock } from '../clock.js';
import { ConfigError, InvalidLabelError, InvalidValueError } from '../errors.js';
import { MetricsRegistry } from '../registry.js';
import { BYTES_BUCKETS, SECONDS_BUCKETS } from '../sketch/buckets.js';

describe('Histogram', () => {
  it('counts observations into le buckets, with count and sum', () => {
    const histogram = new MetricsRegistry().histogram({
      name: 'latency_seconds',
      unit: 'seconds',
      buckets: [0.1, 0.5, 1],
    });
    for (const value of [0.05, 0.1, 0.2, 0.5, 0.7, 3]) histogram.observe(value, { route: '/' });
    const series = histogram.bind({ route: '/' });
    expect(Array.from(series.bucketCounts)).toEqual([2, 2, 1, 1]);
    expect(series.count).toBe(6);
    expect(series.sum).toBeCloseTo(4.55, 12);
  });

  it('counts every value into its exact le bucket: on, just beside and far from each bound', () => {
    // The fast path maps a value's log-bin to its bucket through a table; bins that hold a bound,
    // and values outside the table, take the exact comparison. Values right at a bound's
    // neighbouring doubles are where a table built on rounded bin edges would go wrong.
    const bounds = [0.005, 0.01, 0.025, 0.1, 0.3, 1, 2.5, 10];
    const beside = (value: number, direction: 1 | -1) => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value);
      view.setBigUint64(0, view.getBigUint64(0) + BigInt(direction));
      return view.getFloat64(0);
    };
    const near = fc
      .tuple(fc.constantFrom(...bounds), fc.constantFrom(-1, 0, 1) as fc.Arbitrary<-1 | 0 | 1>)
      .map(([bound, step]) => (step === 0 ? bound : beside(bound, step)));
    const anywhere = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    const tiny = fc.double({ min: 1e-300, max: 1e-9, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.oneof(near, anywhere, tiny, fc.constant(0)), { maxLength: 200 }), (values) => {
        const histogram = new MetricsRegistry().histogram({ name: 'exact_buckets', buckets: bounds });
        for (const value of values) histogram.observe(value);
        const expected = new Array<number>(bounds.length + 1).fill(0);
        for (const value of values) {
          const bucket = bounds.findIndex((bound) => value <= bound);
          expected[bucket === -1 ? bounds.length : bucket]!++;
        }
        expect(Array.from(histogram.bind().bucketCounts)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('picks default buckets by unit', () => {
    const registry = new MetricsRegistry();
    expect(registry.histogram({ name: 'a_seconds', unit: 'seconds' }).bounds).toEqual(SECONDS_BUCKETS);
    expect(registry.histogram({ name: 'b_bytes', unit: 'bytes' }).bounds).toEqual(BYTES_BUCKETS);
    expect(registry.histogram({ name: 'c_ratio', unit: 'ratio' }).bounds.at(-1)).toBe(1);
  });

  it('validates buckets, accuracy and window', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.histogram({ name: 'h1', buckets: [] })).toThrow(ConfigError);
    expect(() => registry.histogram({ name: 'h2', buckets: [1, 1] })).toThrow(/not above the previous one/);
    expect(() => registry.histogram({ name: 'h3', buckets: [1, Number.NaN] })).toThrow(ConfigError);
    expect(() => registry.histogram({ name: 'h4', relativeAccuracy: 2 })).toThrow(ConfigError);
    expect(() => registry.histogram({ name: 'h5', windowSeconds: 60, windowSlices: 7 })).toThrow(/multiple/);
    expect(registry.histogram({ name: 'h6', buckets: [1, 2, Number.POSITIVE_INFINITY] }).bounds).toEqual([
      1, 2,
    ]);
    expect(registry.getMetric('h1')).toBeUndefined();
  });

  it('rejects non-finite observations and the le label, changing nothing', () => {
    const histogram = new MetricsRegistry().histogram({ name: 'h' });
    histogram.observe(1);
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      null as unknown as number,
    ]) {
      expect(() => histogram.observe(bad)).toThrow(InvalidValueError);
      expect(() => histogram.bind().observe(bad)).toThrow(InvalidValueError);
      expect(() => histogram.observe(bad, { other: 'x' })).toThrow(InvalidValueError);
    }
    expect(() => histogram.observe(1, { le: '1' })).toThrow(InvalidLabelError);
    expect(histogram.bind().count).toBe(1);
    expect(histogram.seriesCount).toBe(1);
  });

  it('answers quantiles within 1% of the exact ones', () => {
    const histogram = new MetricsRegistry().histogram({ name: 'h_seconds', unit: 'seconds' });
    const samples = lognormalSamples(100_000, Math.log(0.02), 1, 3);
    for (const value of samples) histogram.observe(value);
    const sorted = samples.slice().sort();
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(histogram.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    const summary = histogram.summary()!;
    expect(summary.cumulative.count).toBe(100_000);
    expect(summary.window.count).toBe(100_000);
    expect(Number.isNaN(histogram.quantile(0.5, { missing: 'x' }))).toBe(true);
  });

  it('keeps a sliding window that forgets old slices', () => {
    const clock = new ManualClock();
    const histogram = new MetricsRegistry({ clock }).histogram({
      name: 'h',
      windowSeconds: 60,
      windowSlices: 3,
    });
    const series = histogram.bind();
    for (let i = 0; i < 100; i++) series.observe(1000);
    clock.advance(20);
    for (let i = 0; i < 100; i++) series.observe(1);
    expect(series.summary().window.count).toBe(200);
    clock.advance(40); // the slice holding the 1000s is now 60 s old
    expect(series.summary().window.count).toBe(100);
    expect(series.windowQuantile(0.99)).toBeCloseTo(1, 1);
    expect(series.summary().cumulative.count).toBe(200);
    expect(series.quantile(0.99)).toBeGreaterThan(900);
    clock.advance(60);
    expect(series.summary().window.count).toBe(0);
    series.observe(5);
    expect(series.summary().window.count).toBe(1);
  });

  it('window min never exceeds max, nor quantiles leave [min, max] (regression: one-bin window)', () => {
    const clock = new ManualClock();
    const histogram = new MetricsRegistry({ clock }).histogram({ name: 'h' });
    const series = histogram.bind();
    series.observe(0.12);
    const one = series.summary().window;
    expect(one).toMatchObject({ count: 1, min: 0.12, max: 0.12, p50: 0.12, p99: 0.12 });
    for (const value of [5, 5, 5, 7200, 0.01]) series.observe(value);
    clock.advance(60);
    for (const value of [5, 5, 5]) series.observe(value);
    const window = series.summary().window;
    expect(window.count).toBe(3);
    expect(window.min).toBeLessThanOrEqual(window.max);
    for (const q of [window.p50, window.p90, window.p99]) {
      expect(q).toBeGreaterThanOrEqual(window.min);
      expect(q).toBeLessThanOrEqual(window.max);
      expect(Math.abs(q - 5) / 5).toBeLessThanOrEqual(0.01);
    }
  });

  it('can run without a window', () => {
    const histogram = new MetricsRegistry().histogram({ name: 'h', windowSeconds: 0 });
    histogram.observe(3);
    expect(histogram.summary()!.window.count).toBe(0);
    expect(histogram.summary()!.cumulative.count).toBe(1);
  });

  it('handles negative and zero observations', () => {
    const histogram = new MetricsRegistry().histogram({ name: 'delta', buckets: [-1, 0, 1] });
    for (const value of [-5, -0.5, 0, 0, 2]) histogram.observe(value);
    const series = histogram.bind();
    expect(Array.from(series.bucketCounts)).toEqual([1, 3, 0, 1]);
    expect(series.quantile(0)).toBe(-5);
    expect(series.quantile(0.5)).toBe(0);
    expect(series.quantile(1)).toBe(2);
  });

  it('merges a removed handle into a recreated series, window included', () => {
    const histogram = new MetricsRegistry().histogram({ name: 'h' });
    const stale = histogram.bind({ a: '1' });
    histogram.remove({ a: '1' });
    histogram.observe(2, { a: '1' });
    stale.observe(4);
    const live = histogram.bind({ a: '1' });
    expect(live.count).toBe(2);
    expect(live.sum).toBe(6);
    expect(live.summary().window.count).toBe(2);
    expect(stale.count).toBe(0);
  });
});
