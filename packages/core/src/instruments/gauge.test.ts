import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../errors.js';
import { MetricsRegistry } from '../registry.js';

describe('Gauge', () => {
  it('sets and adds per label set, including negative deltas', () => {
    const gauge = new MetricsRegistry().gauge({ name: 'queue_length' });
    gauge.set(10, { queue: 'a' });
    gauge.add(-3, { queue: 'a' });
    gauge.add(2.5);
    expect(gauge.get({ queue: 'a' })).toBe(7);
    expect(gauge.get()).toBe(2.5);
    const handle = gauge.bind({ queue: 'b' });
    handle.set(-4);
    handle.add();
    expect(gauge.get({ queue: 'b' })).toBe(-3);
  });

  it('rejects non-finite values, changing nothing', () => {
    const gauge = new MetricsRegistry().gauge({ name: 'temperature_celsius', unit: 'celsius' });
    gauge.set(21);
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      undefined as unknown as number,
    ]) {
      expect(() => gauge.set(bad)).toThrow(InvalidValueError);
      expect(() => gauge.add(bad)).toThrow(InvalidValueError);
      expect(() => gauge.bind().set(bad)).toThrow(InvalidValueError);
      expect(() => gauge.set(bad, { room: 'new' })).toThrow(InvalidValueError);
    }
    expect(gauge.get()).toBe(21);
    expect(gauge.seriesCount).toBe(1);
  });

  it('re-attaches a removed handle with its latest value', () => {
    const gauge = new MetricsRegistry().gauge({ name: 'g' });
    const handle = gauge.bind({ a: '1' });
    handle.set(5);
    gauge.remove({ a: '1' });
    expect(gauge.get({ a: '1' })).toBeUndefined();
    handle.set(6);
    expect(gauge.get({ a: '1' })).toBe(6);
  });
});
