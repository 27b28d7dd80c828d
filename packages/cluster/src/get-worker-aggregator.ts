import type { WorkerAggregatorOptions } from './aggregator-options.js';
import { WorkerAggregator } from './worker-aggregator.js';

/**
 * Creates an aggregator for the cluster primary or the main thread (a new one on each call):
 * serve `aggregator.registry` to expose the merged metrics of every worker. Nothing runs in the
 * background: workers are asked only when the registry is collected (at each scrape).
 */
export function getWorkerAggregator(options: WorkerAggregatorOptions = {}): WorkerAggregator {
  return new WorkerAggregator(options);
}
