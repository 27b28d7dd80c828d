import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  type FamilySnapshot,
  type HistogramFamilySnapshot,
  type Labels,
  MetricsRegistry,
  type MetricsSnapshot,
  type NumberSeriesSnapshot,
  sketchFromData,
} from '@fw0/metrics-core';
import { expect } from 'vitest';
import { eventCount, QUEUES, recordWorkload, Workload } from './workload.js';

/** One registry fed the workloads of every worker in `indices`: what the merge must equal. */
export function referenceSnapshot(indices: readonly number[]): MetricsSnapshot {
  const registry = new MetricsRegistry();
  for (const index of indices) recordWorkload(registry, index);
  return registry.snapshot();
}

/** Jobs of `queue` recorded by the workers in `indices`, computed from the workload's definition. */
export function expectedJobs(indices: readonly number[], queue: (typeof QUEUES)[number]): number {
  const offset = QUEUES.indexOf(queue);
  return indices.reduce((total, index) => total + Math.floor((eventCount(index) + 1 - offset) / 2), 0);
}

/** The family `name` of a snapshot (fails the test when it is missing). */
export function familyOf<T extends FamilySnapshot['type']>(
  snapshot: MetricsSnapshot,
  name: string,
  type: T,
): Extract<FamilySnapshot, { type: T }> {
  const family = snapshot.families.find((candidate) => candidate.name === name);
  expect(family, `family ${name}`).toBeDefined();
  expect(family!.type).toBe(type);
  return family as Extract<FamilySnapshot, { type: T }>;
}

/** The value of the series of `family` whose labels include `labels` (undefined when none). */
export function seriesValue(
  snapshot: MetricsSnapshot,
  name: string,
  labels: Labels = {},
): number | undefined {
  const family = snapshot.families.find((candidate) => candidate.name === name);
  if (family === undefined || family.type === 'histogram') return undefined;
  const matches = family.series.filter((series: NumberSeriesSnapshot) =>
    Object.entries(labels).every(([label, value]) => series.labels[label] === value),
  );
  return matches.length === 0 ? undefined : matches.reduce((total, series) => total + series.value, 0);
}

/**
 * Asserts that the workload's metrics in `merged` equal those of one registry fed every
 * worker's values: job counts, histogram counts and buckets exactly; sums within 1e-9 relative
 * (float additions in another order); quantiles exactly when both carry sketches.
 */
export function expectMergedWorkload(merged: MetricsSnapshot, indices: readonly number[]): void {
  const reference = referenceSnapshot(indices);
  for (const queue of QUEUES) {
    expect(seriesValue(merged, 'jobs', { queue })).toBe(expectedJobs(indices, queue));
  }
  const mergedHistogram = familyOf(merged, Workload.DURATION, 'histogram');
  const referenceHistogram = familyOf(reference, Workload.DURATION, 'histogram') as HistogramFamilySnapshot;
  expect(mergedHistogram.series.length).toBe(referenceHistogram.series.length);
  for (const expected of referenceHistogram.series) {
    const actual = mergedHistogram.series.find((series) => series.labels.queue === expected.labels.queue);
    expect(actual, `series queue=${expected.labels.queue}`).toBeDefined();
    expect(actual!.count).toBe(expected.count);
    expect(actual!.bucketCounts).toEqual(expected.bucketCounts);
    expect(Math.abs(actual!.sum - expected.sum)).toBeLessThanOrEqual(1e-9 * expected.sum);
    if (actual!.sketch !== undefined) {
      const mergedSketch = sketchFromData(actual!.sketch);
      const referenceSketch = sketchFromData(expected.sketch!);
      for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
        expect(mergedSketch.quantile(q)).toBe(referenceSketch.quantile(q));
      }
    }
  }
}

/** `--import` argument that runs TypeScript with tsx in a child process (and its cluster workers). */
export function tsxImport(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
