import { MAX_NAME_LENGTH, type MetricsSnapshot } from '@fw0/metrics-core';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'last']);

/**
 * Label names already found valid: a scrape sees the same few names in every series, so each is
 * checked by the grammar once (bounded, so that a worker inventing names cannot grow it forever).
 */
const validLabelNames = new Set<string>();
const MAX_REMEMBERED_NAMES = 10_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isLabelName(name: string): boolean {
  if (validLabelNames.has(name)) return true;
  if (!LABEL_NAME.test(name) || name.startsWith('__') || name.length > MAX_NAME_LENGTH) return false;
  if (validLabelNames.size >= MAX_REMEMBERED_NAMES) validLabelNames.clear();
  validLabelNames.add(name);
  return true;
}

/** Labels as a registry makes them: valid names (`le` not on a histogram), well-formed text values. */
function isLabels(labels: unknown, histogram: boolean): boolean {
  if (!isObject(labels) || Array.isArray(labels)) return false;
  for (const name in labels) {
    const value = labels[name];
    if (typeof value !== 'string' || !isLabelName(name) || (histogram && name === 'le')) return false;
    if (!value.isWellFormed()) return false;
  }
  return true;
}

function isNumberSeries(series: unknown): boolean {
  return isObject(series) && isLabels(series.labels, false) && typeof series.value === 'number';
}

function isHistogramSeries(series: unknown, buckets: number): boolean {
  if (!isObject(series) || !isLabels(series.labels, true)) return false;
  if (typeof series.count !== 'number' || typeof series.sum !== 'number') return false;
  const counts = series.bucketCounts;
  if (!Array.isArray(counts) || counts.length !== buckets) return false;
  for (const count of counts) if (typeof count !== 'number') return false;
  return (
    (series.sketch === undefined || isObject(series.sketch)) &&
    (series.window === undefined || isObject(series.window))
  );
}

/** Upper bounds as a histogram has them: at least one, finite, strictly increasing. */
function isBounds(bounds: unknown): boolean {
  if (!Array.isArray(bounds) || bounds.length === 0) return false;
  for (let i = 0; i < bounds.length; i++) {
    const bound: unknown = bounds[i];
    if (typeof bound !== 'number' || !Number.isFinite(bound) || (i > 0 && !(bound > bounds[i - 1])))
      return false;
  }
  return true;
}

function isFamilyHead(family: Record<string, unknown>): boolean {
  const { name, help, unit } = family;
  return (
    typeof name === 'string' &&
    METRIC_NAME.test(name) &&
    !name.startsWith('__') &&
    name.length <= MAX_NAME_LENGTH &&
    typeof help === 'string' &&
    (unit === undefined || typeof unit === 'string') &&
    Array.isArray(family.series)
  );
}

/**
 * True when `value` has the shape of a snapshot as a worker's registry makes it: a timestamp,
 * and families with a metric name, help text, a known type (a known aggregation for gauges;
 * increasing finite bounds and an accuracy between 0 and 1 for histograms), series whose labels
 * are valid label names with text values and whose numbers are numbers. So a malformed answer
 * (another version, a bug) is reported instead of corrupting the sums or breaking the
 * exposition of every scrape. Sketch contents are checked when they are merged.
 */
export function isSnapshotShape(value: unknown): value is MetricsSnapshot {
  if (!isObject(value) || typeof value.timestamp !== 'number' || !Array.isArray(value.families)) return false;
  for (const family of value.families as unknown[]) {
    if (!isObject(family) || !isFamilyHead(family)) return false;
    const series = family.series as unknown[];
    if (family.type === 'histogram') {
      const accuracy = family.relativeAccuracy;
      if (!isBounds(family.bounds) || typeof accuracy !== 'number' || !(accuracy > 0 && accuracy < 1))
        return false;
      const buckets = (family.bounds as unknown[]).length + 1;
      for (const item of series) if (!isHistogramSeries(item, buckets)) return false;
    } else if (
      family.type === 'counter' ||
      (family.type === 'gauge' && AGGREGATIONS.has(family.aggregation as string))
    ) {
      for (const item of series) if (!isNumberSeries(item)) return false;
    } else {
      return false;
    }
  }
  return true;
}
