import { performance } from 'node:perf_hooks';
import si from 'systeminformation';
import { median } from '../../../bench-support/stats.js';
import { SystemMetricsCollector } from '../src/index.js';
import type { Workload } from './windows.js';

/** A workload that also times its snapshots. */
export interface TimedWorkload extends Workload {
  /** Median wall time of one snapshot since the last `start()`, in milliseconds. */
  medianSnapshotMs(): number;
  /** Snapshots taken since the last `start()`. */
  snapshots(): number;
}

/** Our continuous collection at 1 Hz (the real thing: startContinuousCollection). */
export function oursAtOneHertz(): TimedWorkload & { readonly collector: SystemMetricsCollector } {
  // Its own registry (timer-free clock: core's process-wide clock timer is measured apart).
  // Inventory is read once at the first start, before any measured window (see index.ts).
  const collector = new SystemMetricsCollector({ collectionInterval: 1 });
  const registry = collector.registry;
  // Each run's duration is in the task's self-metric (fw0_task_duration_seconds, 1% accurate quantiles).
  const duration = registry.self.taskDuration;
  const summary = () => duration.summary({ task: collector.name })?.cumulative;
  return {
    collector,
    medianSnapshotMs: () => (summary()?.p50 ?? Number.NaN) * 1000,
    snapshots: () => summary()?.count ?? 0,
    start() {
      duration.reset();
      collector.startContinuousCollection();
    },
    async stop() {
      await collector.stopContinuousCollection();
      collector.getCollectedMetrics();
    },
  };
}

/**
 * The systeminformation calls our collection replaces (currentLoad, mem, fsSize, disksIO,
 * networkStats of every interface), together once a second, as a user of systeminformation
 * would write the loop.
 */
export function systeminformationAtOneHertz(): TimedWorkload {
  const snapshotMs: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;
  const snapshot = async () => {
    const started = performance.now();
    await Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.disksIO(), si.networkStats('*')]);
    snapshotMs.push(performance.now() - started);
  };
  const tick = () => {
    if (inflight === undefined) inflight = snapshot().finally(() => (inflight = undefined));
  };
  return {
    medianSnapshotMs: () => median(snapshotMs),
    snapshots: () => snapshotMs.length,
    start() {
      snapshotMs.length = 0;
      tick();
      timer = setInterval(tick, 1000);
    },
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}
