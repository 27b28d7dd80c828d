/**
 * @fw0/metrics-cluster: one set of metrics for many processes and threads. Workers
 * (`node:cluster` workers, forked children, `worker_threads`) expose their registry with
 * `exposeWorkerMetrics`; the primary or main thread serves `getWorkerAggregator().registry`,
 * whose snapshot merges them exactly (counters summed, histograms merged from buckets and
 * sketches, gauges by their aggregation), with a timeout per collection and failure reporting.
 */

export { AggregatedRegistry, type MergedSource } from './aggregated-registry.js';
export { DEFAULT_TIMEOUT_MS, type WorkerAggregatorOptions } from './aggregator-options.js';
export { exposeWorkerMetrics } from './expose-worker-metrics.js';
export { getWorkerAggregator } from './get-worker-aggregator.js';
export type { AggregateResult, WorkerFailure } from './merge-outcomes.js';
export {
  ClusterLabel,
  ClusterMetricName,
  COLLECT_WORKER_OPERATION,
  DEFAULT_AGGREGATOR_NAME,
  DEFAULT_RESPONDER_NAME,
  FailureReason,
  REPLY_OPERATION,
  WORKER_ANSWER_SAMPLE,
  WorkerState,
} from './names.js';
export {
  type CollectRequest,
  type ErrorReply,
  isCollectRequest,
  isReplyTo,
  PROTOCOL,
  type Reply,
  type SnapshotReply,
} from './protocol.js';
export { WorkerAggregator } from './worker-aggregator.js';
export { labelSnapshot, withWorkerLabel } from './worker-label.js';
export { type WorkerMetricsOptions, WorkerMetricsResponder } from './worker-metrics-responder.js';
export type { AddWorkerOptions, WorkerTarget } from './worker-target.js';
