import { MergeError } from './errors.js';
import { exposedSampleNames } from './exposed-names.js';
import { canonicalKey } from './instruments/series-index.js';
import { type SketchCounts, sketchFromData } from './sketch/log-sketch.js';
import type {
  FamilySnapshot,
  GaugeAggregation,
  HistogramFamilySnapshot,
  HistogramSeriesSnapshot,
  MetricsSnapshot,
  NumberSeriesSnapshot,
} from './snapshot.js';
import type { Labels } from './types.js';

interface NumberAccumulator {
  labels: Labels;
  value: number;
}

interface HistogramAccumulator {
  labels: Labels;
  count: number;
  sum: number;
  bucketCounts: number[];
  /** Some part saw an observation below zero. */
  negative: boolean;
  sketch: SketchCounts | undefined;
  window: SketchCounts | undefined;
  /** False once a part came without sketches: the merged series then carries none. */
  sketchesComplete: boolean;
}

type Accumulator = {
  family: FamilySnapshot;
  numbers: Map<string, NumberAccumulator>;
  histograms: Map<string, HistogramAccumulator>;
};

/**
 * Merges snapshots of several registries (workers, threads, instances) into one. Exact for
 * counters (summed) and histograms (bucket counts, sums and counts summed; sketches merged bin
 * by bin, so merged quantiles are as accurate as one process's, never averaged percentiles).
 * Gauges combine by their family's aggregation (`sum`, `min`, `max`, `last`).
 *
 * Throws {@link MergeError} when the same name has different types, histogram buckets or
 * sketch accuracies in different snapshots, or when two families would expose the same sample
 * name (a gauge `jobs_total` in one snapshot, a counter `jobs` in another).
 */
export function mergeSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  const families = new Map<string, Accumulator>();
  /** Sample name -> the family exposing it, to refuse collisions across snapshots. */
  const exposed = new Map<string, string>();
  let timestamp = 0;
  for (const snapshot of snapshots) {
    timestamp = Math.max(timestamp, snapshot.timestamp);
    for (const family of snapshot.families) {
      let accumulator = families.get(family.name);
      if (accumulator === undefined) {
        for (const sample of exposedSampleNames(family.type, family.name)) {
          const owner = exposed.get(sample);
          if (owner !== undefined) {
            throw new MergeError(
              `Cannot merge metric "${family.name}": it would expose "${sample}", as metric "${owner}" does`,
              {
                subject: family.name,
                value: sample,
              },
            );
          }
        }
        for (const sample of exposedSampleNames(family.type, family.name)) exposed.set(sample, family.name);
        accumulator = { family, numbers: new Map(), histograms: new Map() };
        families.set(family.name, accumulator);
      } else {
        checkCompatible(accumulator.family, family);
      }
      if (family.type === 'histogram') mergeHistogramSeries(accumulator, family);
      else
        mergeNumberSeries(accumulator, family.series, family.type === 'gauge' ? family.aggregation : 'sum');
    }
  }
  const merged: FamilySnapshot[] = [];
  for (const { family, numbers, histograms } of families.values()) {
    if (family.type === 'histogram') {
      const series: HistogramSeriesSnapshot[] = [];
      for (const item of histograms.values()) {
        const base = {
          labels: item.labels,
          count: item.count,
          sum: item.sum,
          bucketCounts: item.bucketCounts,
          ...(item.negative ? ({ negative: true } as const) : {}),
        };
        series.push(
          item.sketchesComplete && item.sketch && item.window
            ? { ...base, sketch: item.sketch.toData(), window: item.window.toData() }
            : base,
        );
      }
      merged.push({ ...family, series });
    } else {
      const series: NumberSeriesSnapshot[] = [...numbers.values()].map(({ labels, value }) => ({
        labels,
        value,
      }));
      merged.push({ ...family, series });
    }
  }
  return { timestamp, families: merged };
}

function checkCompatible(first: FamilySnapshot, next: FamilySnapshot): void {
  if (first.type !== next.type) {
    throw new MergeError(
      `Cannot merge metric "${first.name}": it is a ${first.type} in one snapshot and a ${next.type} in another`,
      {
        subject: first.name,
        value: { first: first.type, next: next.type },
      },
    );
  }
  if (first.type === 'histogram') {
    const other = next as HistogramFamilySnapshot;
    const sameBounds =
      first.bounds.length === other.bounds.length &&
      first.bounds.every((bound, i) => bound === other.bounds[i]);
    if (!sameBounds) {
      throw new MergeError(`Cannot merge histogram "${first.name}": its buckets differ between snapshots`, {
        subject: first.name,
        value: { first: first.bounds, next: other.bounds },
      });
    }
    if (first.relativeAccuracy !== other.relativeAccuracy) {
      throw new MergeError(
        `Cannot merge histogram "${first.name}": relative accuracy ${first.relativeAccuracy} vs ${other.relativeAccuracy}`,
        {
          subject: first.name,
          value: { first: first.relativeAccuracy, next: other.relativeAccuracy },
        },
      );
    }
  }
}

function mergeNumberSeries(
  accumulator: Accumulator,
  series: readonly NumberSeriesSnapshot[],
  aggregation: GaugeAggregation,
): void {
  for (const item of series) {
    const key = canonicalKey(item.labels);
    const existing = accumulator.numbers.get(key);
    if (existing === undefined) {
      accumulator.numbers.set(key, { labels: item.labels, value: item.value });
      continue;
    }
    switch (aggregation) {
      case 'sum':
        existing.value += item.value;
        break;
      case 'min':
        existing.value = Math.min(existing.value, item.value);
        break;
      case 'max':
        existing.value = Math.max(existing.value, item.value);
        break;
      case 'last':
        existing.value = item.value;
        break;
    }
  }
}

function mergeHistogramSeries(accumulator: Accumulator, family: HistogramFamilySnapshot): void {
  for (const item of family.series) {
    const key = canonicalKey(item.labels);
    let existing = accumulator.histograms.get(key);
    if (existing === undefined) {
      existing = {
        labels: item.labels,
        count: 0,
        sum: 0,
        bucketCounts: new Array(item.bucketCounts.length).fill(0),
        negative: false,
        sketch: undefined,
        window: undefined,
        sketchesComplete: true,
      };
      accumulator.histograms.set(key, existing);
    }
    existing.count += item.count;
    existing.sum += item.sum;
    if (item.negative === true) existing.negative = true;
    for (let i = 0; i < item.bucketCounts.length; i++) existing.bucketCounts[i]! += item.bucketCounts[i]!;
    if (item.sketch === undefined || item.window === undefined) {
      existing.sketchesComplete = false;
      continue;
    }
    if (existing.sketch === undefined) existing.sketch = sketchFromData(item.sketch);
    else existing.sketch.merge(item.sketch);
    if (existing.window === undefined) existing.window = sketchFromData(item.window);
    else existing.window.merge(item.window);
  }
}
