/**
 * The known workload each test worker records, so that a test can compute what the merged
 * metrics must be: worker `index` records `eventCount(index)` jobs, alternating between two
 * queues, each with a deterministic, lognormally distributed duration.
 */
import type { MetricsRegistry } from '@fw0/metrics-core';
import { lognormalSamples } from '../../../../test-support/random.js';

/** Queues the jobs alternate between (the `queue` label). */
export const QUEUES = ['alpha', 'beta'] as const;

/** Jobs worker `index` records: 200, 300, 400... */
export function eventCount(index: number): number {
  return 200 + 100 * index;
}

/** The durations (seconds) worker `index` observes, in order; job `i` goes to `QUEUES[i % 2]`. */
export function jobDurations(index: number): number[] {
  // Lognormal around 20 ms, spread over three decades.
  return Array.from(lognormalSamples(eventCount(index), -4, 1.2, 1000 + index));
}

/** Names of the workload's metrics. */
export const Workload = {
  JOBS: 'jobs_total',
  DURATION: 'job_duration_seconds',
  QUEUE_DEPTH: 'queue_depth',
  PEAK: 'peak_jobs',
} as const;

/** Records worker `index`'s workload into `registry` (also used to build the single-registry reference). */
export function recordWorkload(registry: MetricsRegistry, index: number): void {
  const jobs = registry.counter({ name: Workload.JOBS, help: 'Jobs done.' });
  const duration = registry.histogram({
    name: Workload.DURATION,
    help: 'Job duration.',
    unit: 'seconds',
  });
  for (const [i, seconds] of jobDurations(index).entries()) {
    const queue = QUEUES[i % 2]!;
    jobs.add(1, { queue });
    duration.observe(seconds, { queue });
  }
  registry.gauge({ name: Workload.QUEUE_DEPTH, help: 'Jobs waiting.' }).add(index + 1);
  registry
    .gauge({ name: Workload.PEAK, help: 'Most jobs at once.', aggregation: 'max' })
    .set(10 * (index + 1));
}
