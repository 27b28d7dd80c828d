import type { MetricsSnapshot } from '@fw0/metrics-core';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNumberSeries(series: unknown): boolean {
  return isObject(series) && isObject(series.labels) && typeof series.value === 'number';
}

function isHistogramSeries(series: unknown, buckets: number): boolean {
  if (!isObject(series) || !isObject(series.labels)) return false;
  if (typeof series.count !== 'number' || typeof series.sum !== 'number') return false;
  const counts = series.bucketCounts;
  if (!Array.isArray(counts) || counts.length !== buckets) return false;
  for (const count of counts) if (typeof count !== 'number') return false;
  return (
    (series.sketch === undefined || isObject(series.sketch)) &&
    (series.window === undefined || isObject(series.window))
  );
}

/**
 * True when `value` has the shape of a snapshot as a worker sends it: a timestamp, and families
 * with a name, a known type and series whose numbers are numbers (so that a malformed answer,
 * from another version or a bug, is reported instead of corrupting the sums). Sketch contents
 * are checked when they are merged.
 */
export function isSnapshotShape(value: unknown): value is MetricsSnapshot {
  if (!isObject(value) || typeof value.timestamp !== 'number' || !Array.isArray(value.families)) return false;
  for (const family of value.families as unknown[]) {
    if (!isObject(family) || typeof family.name !== 'string' || !Array.isArray(family.series)) return false;
    const series = family.series as unknown[];
    if (family.type === 'histogram') {
      if (!Array.isArray(family.bounds) || typeof family.relativeAccuracy !== 'number') return false;
      const buckets = family.bounds.length + 1;
      for (const item of series) if (!isHistogramSeries(item, buckets)) return false;
    } else if (family.type === 'counter' || family.type === 'gauge') {
      for (const item of series) if (!isNumberSeries(item)) return false;
    } else {
      return false;
    }
  }
  return true;
}
