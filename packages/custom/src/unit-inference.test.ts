import { MetricUnit } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { inferUnit } from './unit-inference.js';

describe('inferUnit', () => {
  it('reads the base unit from the name suffix, longest suffix first', () => {
    expect(inferUnit('histogram', 'checkout_latency_seconds')).toBe(MetricUnit.SECONDS);
    expect(inferUnit('gauge', 'heap_used_bytes')).toBe(MetricUnit.BYTES);
    expect(inferUnit('gauge', 'upload_bytes_per_second')).toBe(MetricUnit.BYTES_PER_SECOND);
    expect(inferUnit('gauge', 'requests_per_second')).toBe(MetricUnit.PER_SECOND);
    expect(inferUnit('gauge', 'cache_hit_ratio')).toBe(MetricUnit.RATIO);
    expect(inferUnit('gauge', 'cpu_temperature_celsius')).toBe(MetricUnit.CELSIUS);
  });

  it("looks through a counter's _total, and only a counter's", () => {
    expect(inferUnit('counter', 'cpu_seconds_total')).toBe(MetricUnit.SECONDS);
    expect(inferUnit('counter', 'sent_bytes')).toBe(MetricUnit.BYTES);
    expect(inferUnit('gauge', 'cpu_seconds_total')).toBeUndefined();
  });

  it('leaves plain counts, custom units and bare suffixes without a unit', () => {
    expect(inferUnit('counter', 'orders')).toBeUndefined();
    expect(inferUnit('histogram', 'basket_items')).toBeUndefined();
    expect(inferUnit('histogram', 'revenue_eur')).toBeUndefined();
    expect(inferUnit('histogram', 'latency_milliseconds')).toBeUndefined();
    expect(inferUnit('gauge', '_seconds')).toBeUndefined();
  });
});
