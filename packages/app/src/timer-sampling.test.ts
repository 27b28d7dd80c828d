import type { Histogram } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { exposeGc } from '../../../test-support/memory.js';
import { samplesNamed, testCollector } from './test-support/app-collector.js';

describe('timer samples', () => {
  it('samples a hot name into the buffer; aggregates count every call', () => {
    const { app, registry, clock } = testCollector({ maxSamplesPerSecond: 10 });
    const hot = app.timed((value: number) => value + 1, { name: 'hot' });
    const cold = app.timed((value: number) => value - 1, { name: 'cold' });
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 1000; i++) hot(i);
      cold(second);
      clock.advance(1);
    }
    const samples = app.getCollectedMetrics();
    const kept = samplesNamed(samples, 'hot');
    const sampledOut = registry.self.samplesSampledOut.get({ collector: 'app' }) ?? 0;
    expect(kept.length + sampledOut).toBe(3000);
    expect(kept.length).toBeLessThan(200);
    const represented = kept.reduce((sum, sample) => sum + 1 / (sample.sampleRate ?? 1), 0);
    expect(Math.abs(represented - 3000) / 3000).toBeLessThan(0.1);
    expect(samplesNamed(samples, 'cold').map((sample) => sample.sampleRate)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(app.getDurationSummary('hot')!.cumulative.count).toBe(3000);
    expect(app.getCallCounts()).toEqual({ hot: 3000, cold: 3 });
    expect(app.getCollectedMetrics()).toEqual([]);
  });

  it('keeps every sample with maxSamplesPerSecond: false, dropping the oldest past bufferSize', () => {
    const { app, registry } = testCollector({ maxSamplesPerSecond: false, bufferSize: 100 });
    const work = app.timed((value: number) => value, { name: 'work' });
    for (let i = 0; i < 150; i++) work(i);
    expect(app.getCollectedMetrics()).toHaveLength(100);
    expect(registry.self.samplesDropped.get({ collector: 'app', reason: 'buffer_full' })).toBe(50);
    expect(registry.self.samplesSampledOut.get({ collector: 'app' })).toBe(0);
  });

  it('records approximate heap and external deltas with trackMemory', () => {
    const { app, registry } = testCollector({ maxSamplesPerSecond: false });
    const retained: unknown[] = [];
    const allocate = app.timed(
      (objects: number, bytes: number) => {
        const block = {
          rows: Array.from({ length: objects }, (_, i) => ({ i, label: `row ${i}` })),
          buffer: Buffer.alloc(bytes, 1),
        };
        retained.push(block);
        return block.rows.length;
      },
      { name: 'allocate', trackMemory: true },
    );
    exposeGc()(); // little garbage before the call, so a collection during it frees little
    expect(allocate(100_000, 8 * 2 ** 20)).toBe(100_000);
    const [sample] = app.getCollectedMetrics();
    const context = sample!.context as { heapDeltaBytes: number; externalDeltaBytes: number };
    // 100,000 retained objects with their strings take well over 2 MB of heap; the buffer is 8 MiB
    // external. Tolerance 5%: other external memory freed meanwhile counts too (the figure is approximate).
    expect(context.heapDeltaBytes).toBeGreaterThan(2e6);
    expect(context.externalDeltaBytes).toBeGreaterThanOrEqual(0.95 * 8 * 2 ** 20);
    const heap = registry.getMetric('allocate_heap_delta_bytes') as Histogram;
    const external = registry.getMetric('allocate_external_delta_bytes') as Histogram;
    expect(heap.summary({ outcome: 'success' })!.cumulative.sum).toBe(context.heapDeltaBytes);
    expect(external.summary({ outcome: 'success' })!.cumulative.sum).toBe(context.externalDeltaBytes);
    expect(app.getCallCounts()).toEqual({ allocate: 1 });
    expect(retained).toHaveLength(1);
  });

  it('records no memory for timers without trackMemory', () => {
    const { app, registry } = testCollector();
    app.timed(() => 1, { name: 'plain' })();
    expect(app.getCollectedMetrics()[0]!.context).toBeUndefined();
    expect(registry.getMetric('plain_heap_delta_bytes')).toBeUndefined();
  });
});
