import { describe, expect, it } from 'vitest';
import { lognormalSamples } from '../../../test-support/random.js';
import { MergeError } from './errors.js';
import { mergeSnapshots } from './merge.js';
import { MetricsRegistry } from './registry.js';
import { sketchFromData } from './sketch/log-sketch.js';
import type { GaugeFamilySnapshot, HistogramFamilySnapshot } from './snapshot.js';

describe('mergeSnapshots', () => {
  it('sums counters and merges histograms exactly across registries', () => {
    const workers = [new MetricsRegistry(), new MetricsRegistry(), new MetricsRegistry()];
    const single = new MetricsRegistry();
    const samples = lognormalSamples(30_000, -3, 1);
    workers.forEach((registry, worker) => {
      const counter = registry.counter({ name: 'requests_total' });
      const histogram = registry.histogram({ name: 'latency_seconds', unit: 'seconds' });
      for (let i = worker; i < samples.length; i += workers.length) {
        counter.add(1, { route: i % 2 ? '/a' : '/b' });
        histogram.observe(samples[i]!, { route: i % 2 ? '/a' : '/b' });
      }
    });
    const singleCounter = single.counter({ name: 'requests_total' });
    const singleHistogram = single.histogram({ name: 'latency_seconds', unit: 'seconds' });
    samples.forEach((value, i) => {
      singleCounter.add(1, { route: i % 2 ? '/a' : '/b' });
      singleHistogram.observe(value, { route: i % 2 ? '/a' : '/b' });
    });
    // Through JSON, as snapshots travel between processes.
    const merged = mergeSnapshots(workers.map((registry) => JSON.parse(JSON.stringify(registry.snapshot()))));
    const expected = single.snapshot();
    expect(merged.families[0]).toEqual(expected.families[0]);
    const mergedHistogram = merged.families[1] as HistogramFamilySnapshot;
    const expectedHistogram = expected.families[1] as HistogramFamilySnapshot;
    for (const [i, series] of mergedHistogram.series.entries()) {
      const reference = expectedHistogram.series[i]!;
      expect(series.labels).toEqual(reference.labels);
      expect(series.count).toBe(reference.count);
      expect(series.bucketCounts).toEqual(reference.bucketCounts);
      expect(series.sum).toBeCloseTo(reference.sum, 9);
      const mergedSketch = sketchFromData(series.sketch!);
      const referenceSketch = sketchFromData(reference.sketch!);
      for (const q of [0.5, 0.9, 0.99, 0.999])
        expect(mergedSketch.quantile(q)).toBe(referenceSketch.quantile(q));
    }
  });

  it('combines gauges by their aggregation', () => {
    const make = (value: number) => {
      const registry = new MetricsRegistry();
      registry.gauge({ name: 'memory_bytes', unit: 'bytes' }).set(value);
      registry.gauge({ name: 'peak', aggregation: 'max' }).set(value);
      registry.gauge({ name: 'floor', aggregation: 'min' }).set(value);
      registry.gauge({ name: 'latest', aggregation: 'last' }).set(value);
      return registry.snapshot();
    };
    const merged = mergeSnapshots([make(3), make(10), make(5)]);
    const value = (name: string) =>
      (merged.families.find((f) => f.name === name) as GaugeFamilySnapshot).series[0]!.value;
    expect(value('memory_bytes')).toBe(18);
    expect(value('peak')).toBe(10);
    expect(value('floor')).toBe(3);
    expect(value('latest')).toBe(5);
  });

  it('refuses to merge different types or buckets', () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.counter({ name: 'x' }).add();
    b.gauge({ name: 'x' }).set(1);
    expect(() => mergeSnapshots([a.snapshot(), b.snapshot()])).toThrow(MergeError);
    const c = new MetricsRegistry();
    const d = new MetricsRegistry();
    c.histogram({ name: 'h', buckets: [1] }).observe(1);
    d.histogram({ name: 'h', buckets: [2] }).observe(1);
    expect(() => mergeSnapshots([c.snapshot(), d.snapshot()])).toThrow(/buckets differ/);
  });

  it('refuses families that expose the same sample name from different snapshots', () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.counter({ name: 'jobs' }).add();
    b.gauge({ name: 'jobs_total' }).set(1);
    expect(() => mergeSnapshots([a.snapshot(), b.snapshot()])).toThrow(
      /would expose "jobs_total", as metric "jobs" does/,
    );
    const c = new MetricsRegistry();
    c.histogram({ name: 'wait' }).observe(1);
    const d = new MetricsRegistry();
    d.counter({ name: 'wait_count' }).add();
    expect(() => mergeSnapshots([c.snapshot(), d.snapshot()])).toThrow(MergeError);
  });

  it('drops sketches when a part came without them, keeping exact buckets', () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.histogram({ name: 'h' }).observe(1);
    b.histogram({ name: 'h' }).observe(2);
    const merged = mergeSnapshots([a.snapshot(), b.snapshot({ sketches: false })]);
    const series = (merged.families[0] as HistogramFamilySnapshot).series[0]!;
    expect(series.count).toBe(2);
    expect(series.sketch).toBeUndefined();
  });
});
