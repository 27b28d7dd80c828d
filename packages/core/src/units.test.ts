import { describe, expect, it } from 'vitest';
import { UnitError } from './errors.js';
import {
  baseUnitOf,
  convertValue,
  MetricUnit,
  nameWithUnit,
  normalizeUnit,
  toBaseUnit,
  unitDimension,
  unitSuffix,
} from './units.js';

describe('units', () => {
  it('converts within a dimension', () => {
    expect(convertValue(250, MetricUnit.MILLISECONDS, MetricUnit.SECONDS)).toBeCloseTo(0.25, 12);
    expect(convertValue(2, MetricUnit.MINUTES, MetricUnit.MILLISECONDS)).toBe(120_000);
    expect(convertValue(3, MetricUnit.MEBIBYTES, MetricUnit.BYTES)).toBe(3 * 1024 * 1024);
    expect(convertValue(1, MetricUnit.MEGABYTES, MetricUnit.KILOBYTES)).toBe(1000);
    expect(convertValue(42, MetricUnit.PERCENT, MetricUnit.RATIO)).toBeCloseTo(0.42, 12);
    expect(convertValue(800, MetricUnit.BITS_PER_SECOND, MetricUnit.BYTES_PER_SECOND)).toBe(100);
    expect(toBaseUnit(1500, MetricUnit.MICROSECONDS)).toBeCloseTo(0.0015, 12);
    expect(toBaseUnit(7, 'eur')).toBe(7);
  });

  it('refuses to convert across dimensions or custom units', () => {
    expect(() => convertValue(1, MetricUnit.SECONDS, MetricUnit.BYTES)).toThrow(UnitError);
    expect(() => convertValue(1, 'eur', 'usd')).toThrow(/different things/);
  });

  it('names base units and exposition suffixes', () => {
    expect(baseUnitOf(MetricUnit.MILLISECONDS)).toBe('seconds');
    expect(baseUnitOf(MetricUnit.PERCENT)).toBe('ratio');
    expect(unitSuffix(MetricUnit.MILLISECONDS)).toBe('_seconds');
    expect(unitSuffix(MetricUnit.COUNT)).toBe('');
    expect(unitSuffix('eur')).toBe('_eur');
    expect(nameWithUnit('checkout_latency', MetricUnit.MILLISECONDS)).toBe('checkout_latency_seconds');
    expect(nameWithUnit('payload_bytes', MetricUnit.KILOBYTES)).toBe('payload_bytes');
    expect(nameWithUnit('orders', MetricUnit.COUNT)).toBe('orders');
    expect(unitDimension('eur')).toBe('custom');
    expect(unitDimension(MetricUnit.HOURS)).toBe('time');
  });

  it('normalises custom units and rejects what cannot be a unit', () => {
    expect(normalizeUnit('EUR')).toBe('eur');
    expect(normalizeUnit('SECONDS')).toBe('seconds');
    for (const bad of ['', 'euro sign', '€', '1eur', 'eur_', 'a__b', 42, null]) {
      expect(() => normalizeUnit(bad), String(bad)).toThrow(UnitError);
    }
  });
});
