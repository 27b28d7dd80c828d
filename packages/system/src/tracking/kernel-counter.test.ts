import { MetricsRegistry } from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelCounter } from './kernel-counter.js';

function tracked(behaviour: 'wrap' | 'monotonic', multiplier = 1, divisor = 1) {
  const series = new MetricsRegistry().counter({ name: 'tracked_total' }).bind();
  return { series, counter: new KernelCounter(series, behaviour, multiplier, divisor) };
}

describe('KernelCounter', () => {
  it('mirrors a growing kernel counter and gives the deltas, none on the first reading', () => {
    const { series, counter } = tracked('wrap');
    expect(counter.update(1000)).toBeNaN();
    expect(series.value).toBe(1000);
    expect(counter.update(1500)).toBe(500);
    expect(counter.update(1500)).toBe(0);
    expect(series.value).toBe(1500);
  });

  it('counts across a 32-bit wrap-around', () => {
    const { series, counter } = tracked('wrap');
    counter.update(2 ** 32 - 100);
    expect(counter.update(50)).toBe(150);
    expect(series.value).toBe(2 ** 32 + 50);
  });

  it('treats any other decrease as a restart: no delta, the counter keeps going up', () => {
    const { series, counter } = tracked('wrap');
    counter.update(500_000);
    expect(counter.update(1000)).toBeNaN();
    expect(series.value).toBe(501_000);
    expect(counter.update(1600)).toBe(600);
    expect(series.value).toBe(501_600);
    // A 64-bit counter that goes down is a restart, not a 32-bit wrap.
    const big = tracked('wrap');
    big.counter.update(5_000_000_000);
    expect(big.counter.update(10)).toBeNaN();
  });

  it('ignores a momentary dip of a monotonic counter and resumes once it passes its high mark', () => {
    const { series, counter } = tracked('monotonic', 1, 100);
    counter.update(500);
    expect(counter.update(498)).toBe(0);
    expect(series.value).toBe(5);
    expect(counter.update(520)).toBe(20);
    expect(series.value).toBe(5.2);
  });

  it('scales to base units exactly as a division (ticks / 100, sectors * 512)', () => {
    const seconds = tracked('monotonic', 1, 100);
    for (const ticks of [1, 33, 1234, 98765, 123456789]) {
      seconds.counter.update(ticks);
      expect(seconds.series.value).toBe(ticks / 100);
    }
    const bytes = tracked('wrap', 512);
    bytes.counter.update(7);
    expect(bytes.series.value).toBe(3584);
  });

  it('never lowers the registry counter and never reports a negative delta (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'wrap' | 'monotonic'>('wrap', 'monotonic'),
        fc.array(fc.oneof(fc.nat(2 ** 32 - 1), fc.nat(2 ** 40)), { minLength: 1, maxLength: 50 }),
        (behaviour, readings) => {
          const { series, counter } = tracked(behaviour);
          let previous = 0;
          for (const raw of readings) {
            const delta = counter.update(raw);
            expect(Number.isNaN(delta) || delta >= 0).toBe(true);
            expect(series.value).toBeGreaterThanOrEqual(previous);
            previous = series.value;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equals the kernel counter whenever the readings never go down (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 50 }), (steps) => {
        const { series, counter } = tracked('wrap');
        let raw = 0;
        for (const step of steps) {
          raw += step;
          counter.update(raw);
        }
        expect(series.value).toBe(raw);
      }),
      { numRuns: 200 },
    );
  });
});
