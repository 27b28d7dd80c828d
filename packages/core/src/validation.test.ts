import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidLabelError, InvalidNameError, InvalidValueError } from './errors.js';
import {
  assertFinite,
  assertIntegerOption,
  assertNonNegative,
  normalizeLabelValue,
  validateLabelName,
  validateMetricName,
} from './validation.js';

describe('validation', () => {
  it('accepts Prometheus metric names and rejects the rest, naming the bad name', () => {
    for (const good of ['a', 'http_requests_total', 'job:rate5m', '_x', 'A1'])
      expect(() => validateMetricName(good)).not.toThrow();
    for (const bad of ['', '1abc', 'a-b', 'a.b', 'a b', 'é', '__reserved', 'x'.repeat(201), 7, undefined]) {
      expect(() => validateMetricName(bad), String(bad)).toThrow(InvalidNameError);
    }
    expect(() => validateMetricName('orders.completed')).toThrow(/"orders.completed"/);
  });

  it('checks label names, reserved ones included', () => {
    expect(() => validateLabelName('m', 'route')).not.toThrow();
    for (const bad of ['', '1a', 'a:b', 'a-b', '__name__'])
      expect(() => validateLabelName('m', bad)).toThrow(InvalidLabelError);
    expect(() => validateLabelName('h', 'le', ['le'])).toThrow(/reserved on metric "h"/);
  });

  it('normalises label values and refuses lone surrogates and objects', () => {
    expect(normalizeLabelValue('m', 'l', 'x')).toBe('x');
    expect(normalizeLabelValue('m', 'l', 42)).toBe('42');
    expect(normalizeLabelValue('m', 'l', true)).toBe('true');
    expect(normalizeLabelValue('m', 'l', '')).toBe('');
    expect(normalizeLabelValue('m', 'l', 'héllo "wörld"\n\\')).toBe('héllo "wörld"\n\\');
    expect(() => normalizeLabelValue('m', 'l', '\ud800')).toThrow(InvalidLabelError);
    expect(() => normalizeLabelValue('m', 'l', { a: 1 })).toThrow(/label values must be strings/);
  });

  it('rejects NaN, infinities and negative increments', () => {
    expect(() => assertFinite('m', 1.5)).not.toThrow();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', undefined]) {
      expect(() => assertFinite('m', bad)).toThrow(InvalidValueError);
    }
    expect(() => assertNonNegative('m', -0.5)).toThrow(/must not be negative/);
    expect(() => assertNonNegative('m', 0)).not.toThrow();
  });

  it('checks integer options', () => {
    expect(() => assertIntegerOption('size', 10, 1, 100)).not.toThrow();
    for (const bad of [0, 101, 1.5, Number.NaN, '10'])
      expect(() => assertIntegerOption('size', bad, 1, 100)).toThrow(ConfigError);
  });
});
