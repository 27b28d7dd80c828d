import { MetricUnit, UnitError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { UnitCache } from './unit-cache.js';

describe('UnitCache', () => {
  it('normalises units, finds their base, and answers repeats with the same object', () => {
    const cache = new UnitCache();
    expect(cache.resolve('EUR')).toEqual({ unit: 'eur', base: 'eur' });
    expect(cache.resolve(MetricUnit.MILLISECONDS)).toEqual({ unit: 'milliseconds', base: 'seconds' });
    expect(cache.resolve(MetricUnit.PERCENT)).toEqual({ unit: 'percent', base: 'ratio' });
    expect(cache.resolve('count')).toEqual({ unit: 'count', base: 'count' });
    expect(cache.resolve('EUR')).toBe(cache.resolve('EUR'));
  });

  it('throws UnitError for what is not a unit, and remembers nothing of it', () => {
    const cache = new UnitCache(2);
    for (const bad of ['US$', '', 'a b', null, 3]) expect(() => cache.resolve(bad)).toThrow(UnitError);
    expect((cache as unknown as { known: Map<unknown, unknown> }).known.size).toBe(0);
  });

  it('stays within its capacity', () => {
    const cache = new UnitCache(4);
    for (let i = 0; i < 100; i++) expect(cache.resolve(`unit_${i}`).unit).toBe(`unit_${i}`);
    expect((cache as unknown as { known: Map<unknown, unknown> }).known.size).toBeLessThanOrEqual(4);
  });
});
