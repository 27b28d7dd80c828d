import type { MetricsRegistry } from '@fw0/metrics-core';
import { type WorkerMetricsOptions, WorkerMetricsResponder } from './worker-metrics-responder.js';

/**
 * Call in each worker (a `node:cluster` worker, a forked child or a worker thread): answers the
 * aggregator's snapshot requests with `registry.collect()`. Returns the responder; `stop()` it
 * when the worker is done. Throws `ConfigError` when there is no channel to a parent, or when
 * metrics are already exposed on it.
 */
export function exposeWorkerMetrics(
  registry: MetricsRegistry,
  options: WorkerMetricsOptions = {},
): WorkerMetricsResponder {
  return new WorkerMetricsResponder(registry, options);
}
