import {
  type Histogram,
  ManualClock,
  MetricConflictError,
  MetricsRegistry,
  serializePrometheus,
  silentLogger,
} from '@fw0/metrics-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exposeGc } from '../../../test-support/memory.js';
import { waitFor } from '../../../test-support/processes.js';
import { ApplicationMetricsCollector } from './collector.js';
import { sleep } from './test-support/app-collector.js';
import { GcEntryCounter } from './test-support/gc.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sharedRegistry(): MetricsRegistry {
  return new MetricsRegistry({ clock: new ManualClock(), logger: silentLogger });
}

function collector(registry: MetricsRegistry, name: string, Class = ApplicationMetricsCollector) {
  const app = new Class({ registry, name });
  cleanups.push(() => app.stop());
  return app;
}

function gcEntries(): GcEntryCounter {
  const counter = new GcEntryCounter();
  cleanups.push(() => counter.stop());
  return counter;
}

/** Runs one full GC and waits until the reference observer saw one more major pause. */
async function forceMajorGc(entries: GcEntryCounter): Promise<void> {
  const before = entries.counts.major;
  exposeGc()();
  await waitFor('a major GC entry', () => entries.counts.major > before, {
    timeoutMs: 10_000,
    intervalMs: 5,
  });
}

const majorCount = (registry: MetricsRegistry) =>
  (registry.getMetric('nodejs_gc_duration_seconds') as Histogram).bind({ kind: 'major' }).count;

describe('runtime health has one owner per registry', () => {
  it('refuses a second collector on the same registry (regression: each GC pause counted twice)', async () => {
    const registry = sharedRegistry();
    const first = collector(registry, 'app');
    const second = collector(registry, 'worker');
    const entries = gcEntries();
    first.start();
    const exposition = serializePrometheus(registry.snapshot());
    let refused: unknown;
    try {
      second.start();
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MetricConflictError);
    expect((refused as Error).message).toContain('collector "app" already runs it');
    expect(second.running).toBe(false);
    expect(serializePrometheus(registry.snapshot())).toBe(exposition);

    await forceMajorGc(entries);
    await forceMajorGc(entries);
    // Read at a macrotask boundary: both observers have seen the same entries.
    expect(majorCount(registry)).toBe(entries.counts.major);
    expect(entries.counts.major).toBeGreaterThanOrEqual(2);
  });

  it('passes to another collector once the owner stops; a refused one releases nothing', async () => {
    const registry = sharedRegistry();
    const first = collector(registry, 'app');
    const second = collector(registry, 'worker');
    const third = collector(registry, 'jobs');
    first.start();
    expect(() => second.start()).toThrow(MetricConflictError);
    await second.stop(); // never started: must not release the owner's claim
    expect(() => third.start()).toThrow(MetricConflictError);
    await first.stop();
    second.start();
    expect(second.running).toBe(true);
    expect(() => first.start()).toThrow(/collector "worker" already runs it/);

    const entries = gcEntries();
    await forceMajorGc(entries);
    expect(majorCount(registry)).toBe(entries.counts.major);
    // The window ends at scrapes of the owner only: a collect() sets the gauges once.
    const snapshot = await registry.collect();
    expect(snapshot.families.filter((family) => family.name === 'nodejs_eventloop_lag_seconds')).toHaveLength(
      1,
    );
  });

  it('lets collectors of different registries run side by side', async () => {
    const one = collector(sharedRegistry(), 'app');
    const other = collector(sharedRegistry(), 'app');
    one.start();
    other.start();
    expect([one.running, other.running]).toEqual([true, true]);
  });

  it('sees a claim made by another copy of this package (two versions in node_modules)', async () => {
    vi.resetModules();
    const copy = (await import('./collector.js')) as typeof import('./collector.js');
    expect(copy.ApplicationMetricsCollector).not.toBe(ApplicationMetricsCollector);
    const registry = sharedRegistry();
    const mine = collector(registry, 'app');
    const theirs = collector(registry, 'other', copy.ApplicationMetricsCollector);
    theirs.start();
    expect(() => mine.start()).toThrow(MetricConflictError);
    await theirs.stop();
    mine.start();
    expect(mine.running).toBe(true);
  });

  it('leaves the registry as it was when a nodejs_* name is taken by another metric', async () => {
    const registry = sharedRegistry();
    registry.counter({ name: 'nodejs_heap_size_used_bytes', help: 'not a gauge' });
    const app = collector(registry, 'app');
    const names = () => registry.getMetrics().map((metric) => metric.name);
    const before = names();
    expect(() => app.start()).toThrow(MetricConflictError);
    expect(names()).toEqual(before);
    expect(app.running).toBe(false);
    // The failed start did not keep the claim: a collector on the same registry may try again.
    registry.removeMetric('nodejs_heap_size_used_bytes');
    const next = collector(registry, 'next');
    next.start();
    expect(next.running).toBe(true);
    await sleep(1);
  });
});
