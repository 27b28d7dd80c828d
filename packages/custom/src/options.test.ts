import { ConfigError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveOptions({})).toEqual({
      name: 'custom',
      maxSeriesPerMetric: undefined,
      maxMetrics: 1000,
      maxContextLength: 4096,
    });
  });

  it('keeps valid values and names the option of an invalid one', () => {
    expect(
      resolveOptions({ name: 'shop', maxSeriesPerMetric: 50, maxMetrics: 10, maxContextLength: 100 }),
    ).toEqual({
      name: 'shop',
      maxSeriesPerMetric: 50,
      maxMetrics: 10,
      maxContextLength: 100,
    });
    expect(() => resolveOptions({ maxMetrics: 2.5 })).toThrow(/maxMetrics=2.5/);
    expect(() => resolveOptions({ maxSeriesPerMetric: 0 })).toThrow(/maxSeriesPerMetric=0/);
    expect(() => resolveOptions({ name: '  ' })).toThrow(ConfigError);
    expect(() => resolveOptions(null as never)).toThrow(ConfigError);
  });
});
