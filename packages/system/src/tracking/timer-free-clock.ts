import { performance } from 'node:perf_hooks';
import type { CoarseClock } from '@fw0/metrics-core';

/**
 * A coarse clock without a timer: each read computes whole seconds from performance.now().
 * The registry a collector creates for itself uses it, so that a process whose only fw0 user is
 * this collector does not also run core's process-wide clock timer (a wake-up a second,
 * measurable next to a collection that wakes once a second). Reads are rare here: histogram
 * windows of the task's self-metrics, once per run.
 */
export const timerFreeClock: CoarseClock = {
  get seconds() {
    return Math.floor(performance.now() / 1000);
  },
};
