import type { Unit } from '@fw0/metrics-core';
import { COUNTER_SUFFIX, UNIT_SUFFIXES } from './names.js';

/** Kinds of instrument the collector defines. */
export type InstrumentKind = 'counter' | 'gauge' | 'histogram';

/**
 * The base unit a metric name announces by its suffix (`checkout_latency_seconds` is in
 * seconds, `payload_bytes` in bytes, `hit_ratio` a ratio), or undefined for plain counts and
 * custom units. A counter's `_total` is looked through (`cpu_seconds_total` is in seconds).
 */
export function inferUnit(kind: InstrumentKind, name: string): Unit | undefined {
  const stem =
    kind === 'counter' && name.endsWith(COUNTER_SUFFIX) ? name.slice(0, -COUNTER_SUFFIX.length) : name;
  for (const [suffix, unit] of UNIT_SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length > suffix.length) return unit;
  }
  return undefined;
}
