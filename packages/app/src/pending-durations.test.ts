import type { Histogram } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { PENDING_CAPACITY } from './pending-durations.js';
import { testCollector } from './test-support/app-collector.js';

describe('batched durations of successful calls', () => {
  it('are observed when a batch fills, when a second passes, and on registry.collect()', async () => {
    const { app, registry, clock } = testCollector();
    const work = app.timed((value: number) => value, { name: 'batched' });
    const histogram = registry.getMetric('batched_duration_seconds') as Histogram;
    const observed = () => histogram.bind({ outcome: 'success' }).count;

    for (let i = 0; i < PENDING_CAPACITY - 1; i++) work(i);
    // Calls count at once; their durations wait for the batch.
    expect(app.getCallCounts()).toEqual({ batched: PENDING_CAPACITY - 1 });
    expect(observed()).toBe(0);
    work(0);
    expect(observed()).toBe(PENDING_CAPACITY);

    work(1);
    clock.advance(1);
    work(2); // a call in a later second than the batch's oldest observes the batch
    expect(observed()).toBe(PENDING_CAPACITY + 2);

    work(3);
    const snapshot = await registry.collect();
    const family = snapshot.families.find((item) => item.name === 'batched_duration_seconds')!;
    const success = family.series.find((series) => series.labels.outcome === 'success')!;
    expect('count' in success && success.count).toBe(PENDING_CAPACITY + 3);
  });

  it('are observed before a summary or the histogram is handed out', () => {
    const { app } = testCollector();
    const work = app.timed(() => 1, { name: 'summarised' });
    work();
    work();
    expect(app.getDurationSummary('summarised')!.cumulative.count).toBe(2);
    work();
    expect(app.getDurationHistogram('summarised')!.bind({ outcome: 'success' }).count).toBe(3);
  });

  it('share one batch per series, so tag sets past the series limit stay exact', async () => {
    const { app, registry } = testCollector();
    const limited = registry.histogram({ name: 'capped_duration_seconds', unit: 'seconds', maxSeries: 2 });
    expect(limited.maxSeries).toBe(2);
    for (let user = 0; user < 5; user++) {
      const work = app.timed(() => user, { name: 'capped', tags: { user } });
      for (let i = 0; i < 10; i++) work();
    }
    const snapshot = await registry.collect();
    const family = snapshot.families.find((item) => item.name === 'capped_duration_seconds')!;
    const total = family.series.reduce((sum, series) => sum + ('count' in series ? series.count : 0), 0);
    expect(total).toBe(50);
    expect(app.getCallCounts()).toEqual({ capped: 50 });
  });

  it('leave errors unbatched', () => {
    const { app, registry } = testCollector();
    const fail = app.timed(
      () => {
        throw new Error('x');
      },
      { name: 'failing' },
    );
    expect(() => fail()).toThrow('x');
    const histogram = registry.getMetric('failing_duration_seconds') as Histogram;
    expect(histogram.bind({ outcome: 'error' }).count).toBe(1);
  });
});
