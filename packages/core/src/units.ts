import { UnitError } from './errors.js';

/**
 * Units a measurement can carry. Samples (`PerformanceMetric`) keep the unit they were recorded
 * in; exposition always converts to the Prometheus base unit of the dimension (seconds, bytes,
 * ratio, count) and names the metric after it (`_seconds`, `_bytes`, `_ratio`).
 */
export const MetricUnit = {
  NANOSECONDS: 'nanoseconds',
  MICROSECONDS: 'microseconds',
  MILLISECONDS: 'milliseconds',
  SECONDS: 'seconds',
  MINUTES: 'minutes',
  HOURS: 'hours',
  BYTES: 'bytes',
  /** 1,000 bytes. */
  KILOBYTES: 'kilobytes',
  /** 1,000,000 bytes. */
  MEGABYTES: 'megabytes',
  /** 10^9 bytes. */
  GIGABYTES: 'gigabytes',
  /** 1,024 bytes. */
  KIBIBYTES: 'kibibytes',
  /** 1,048,576 bytes. */
  MEBIBYTES: 'mebibytes',
  /** 2^30 bytes. */
  GIBIBYTES: 'gibibytes',
  /** A fraction, 0 to 1 for most quantities. */
  RATIO: 'ratio',
  /** Hundredths: 50 percent is the ratio 0.5. */
  PERCENT: 'percent',
  /** A dimensionless count of things. */
  COUNT: 'count',
  /** Events per second. */
  PER_SECOND: 'per_second',
  /** Requests per second (an event rate). */
  REQUESTS_PER_SECOND: 'requests_per_second',
  BYTES_PER_SECOND: 'bytes_per_second',
  /** Bits per second: 1/8 of a byte per second. */
  BITS_PER_SECOND: 'bits_per_second',
  CELSIUS: 'celsius',
} as const;

/** One of the built-in {@link MetricUnit} values. */
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * A unit: one of {@link MetricUnit}, or a custom unit such as a currency (`'eur'`, `'usd'`) or a
 * domain unit (`'orders'`): lowercase letters, digits and `_`, starting with a letter.
 */
export type Unit = MetricUnit | (string & {});

/** What a unit measures; values convert only within one dimension. */
export type UnitDimension =
  | 'time'
  | 'size'
  | 'ratio'
  | 'count'
  | 'event_rate'
  | 'data_rate'
  | 'temperature'
  | 'custom';

interface UnitInfo {
  readonly dimension: UnitDimension;
  /** Multiply a value in this unit by `factor` to get the base unit. */
  readonly factor: number;
  readonly base: MetricUnit;
}

const UNITS: Readonly<Record<MetricUnit, UnitInfo>> = {
  nanoseconds: { dimension: 'time', factor: 1e-9, base: 'seconds' },
  microseconds: { dimension: 'time', factor: 1e-6, base: 'seconds' },
  milliseconds: { dimension: 'time', factor: 1e-3, base: 'seconds' },
  seconds: { dimension: 'time', factor: 1, base: 'seconds' },
  minutes: { dimension: 'time', factor: 60, base: 'seconds' },
  hours: { dimension: 'time', factor: 3600, base: 'seconds' },
  bytes: { dimension: 'size', factor: 1, base: 'bytes' },
  kilobytes: { dimension: 'size', factor: 1e3, base: 'bytes' },
  megabytes: { dimension: 'size', factor: 1e6, base: 'bytes' },
  gigabytes: { dimension: 'size', factor: 1e9, base: 'bytes' },
  kibibytes: { dimension: 'size', factor: 1024, base: 'bytes' },
  mebibytes: { dimension: 'size', factor: 1024 ** 2, base: 'bytes' },
  gibibytes: { dimension: 'size', factor: 1024 ** 3, base: 'bytes' },
  ratio: { dimension: 'ratio', factor: 1, base: 'ratio' },
  percent: { dimension: 'ratio', factor: 0.01, base: 'ratio' },
  count: { dimension: 'count', factor: 1, base: 'count' },
  per_second: { dimension: 'event_rate', factor: 1, base: 'per_second' },
  requests_per_second: { dimension: 'event_rate', factor: 1, base: 'per_second' },
  bytes_per_second: { dimension: 'data_rate', factor: 1, base: 'bytes_per_second' },
  bits_per_second: { dimension: 'data_rate', factor: 1 / 8, base: 'bytes_per_second' },
  celsius: { dimension: 'temperature', factor: 1, base: 'celsius' },
};

const CUSTOM_UNIT = /^[a-z][a-z0-9_]*$/;

/** True for the built-in units of {@link MetricUnit}. */
export function isMetricUnit(unit: unknown): unit is MetricUnit {
  return typeof unit === 'string' && Object.hasOwn(UNITS, unit);
}

/**
 * Checks a unit and returns it normalised (custom units lower-cased). Throws {@link UnitError}
 * for anything that cannot be a unit (empty, spaces, symbols, not a string).
 */
export function normalizeUnit(unit: unknown): Unit {
  if (isMetricUnit(unit)) return unit;
  if (typeof unit === 'string') {
    const lower = unit.toLowerCase();
    if (isMetricUnit(lower)) return lower;
    if (CUSTOM_UNIT.test(lower) && !lower.endsWith('_') && !lower.includes('__')) return lower;
  }
  throw new UnitError(
    `Invalid unit ${JSON.stringify(unit)}: use a MetricUnit value or a custom unit of lowercase letters, digits and "_" (e.g. "eur")`,
    { value: unit },
  );
}

/** What the unit measures. Custom units are their own dimension. */
export function unitDimension(unit: Unit): UnitDimension {
  return isMetricUnit(unit) ? UNITS[unit].dimension : 'custom';
}

/** The Prometheus base unit of `unit` (seconds for milliseconds, ratio for percent...). */
export function baseUnitOf(unit: Unit): Unit {
  if (isMetricUnit(unit)) return UNITS[unit].base;
  // Normalised first: 'MILLISECONDS' is milliseconds, whose base is seconds (not 'milliseconds').
  const normalized = normalizeUnit(unit);
  return isMetricUnit(normalized) ? UNITS[normalized].base : normalized;
}

/** Converts `value` from `from` to the base unit of its dimension (e.g. 250 ms to 0.25 s). */
export function toBaseUnit(value: number, from: Unit): number {
  return isMetricUnit(from) ? value * UNITS[from].factor : value;
}

/**
 * Converts `value` from one unit to another of the same dimension.
 * Throws {@link UnitError} when the dimensions differ (seconds to bytes) or a custom unit differs.
 */
export function convertValue(value: number, from: Unit, to: Unit): number {
  if (from === to) return value;
  if (!isMetricUnit(from) || !isMetricUnit(to) || UNITS[from].dimension !== UNITS[to].dimension) {
    throw new UnitError(`Cannot convert from ${from} to ${to}: the units measure different things`, {
      value: { from, to },
    });
  }
  return (value * UNITS[from].factor) / UNITS[to].factor;
}

/**
 * The suffix an exposed metric name carries for values in `unit` once converted to its base
 * unit: `_seconds`, `_bytes`, `_ratio`, `_bytes_per_second`, `_eur`; empty for plain counts.
 */
export function unitSuffix(unit: Unit): string {
  const base = baseUnitOf(unit);
  return base === 'count' ? '' : `_${base}`;
}

/**
 * The exposed name of a metric recorded in `unit`: `base` with the unit suffix appended unless
 * it is already there (`checkout_latency` + milliseconds gives `checkout_latency_seconds`).
 */
export function nameWithUnit(base: string, unit: Unit): string {
  const suffix = unitSuffix(unit);
  return suffix === '' || base.endsWith(suffix) ? base : base + suffix;
}
