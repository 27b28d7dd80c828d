import type { MetricsRegistry } from '@fw0/metrics-core';
import { seriesKey } from './series-key.js';

/**
 * Current value of every series of the counters or gauges named in `displayNames` (family name
 * -> the name to show), keyed as {@link seriesKey} says, the overflow series included
 * (`orders{fw0_overflow="true"}`). Reads a snapshot of the registry: the one public view that
 * includes overflow series.
 */
export function seriesValues(
  registry: MetricsRegistry,
  type: 'counter' | 'gauge',
  displayNames: ReadonlyMap<string, string>,
): Record<string, number> {
  const values: Record<string, number> = {};
  if (displayNames.size === 0) return values;
  for (const family of registry.snapshot({ sketches: false }).families) {
    if (family.type !== type) continue;
    const displayName = displayNames.get(family.name);
    if (displayName === undefined) continue;
    for (const series of family.series) values[seriesKey(displayName, series.labels)] = series.value;
  }
  return values;
}
