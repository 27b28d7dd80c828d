/**
 * Every name this package shows to the outside world: its self-metrics, their label names and
 * label values, the default collector name and the default worker label.
 */

/** Default name of the aggregator: the `collector` label of its self-metrics. */
export const DEFAULT_AGGREGATOR_NAME = 'workers';

/** Self-metrics of the aggregator (in `aggregator.registry`, so every merged scrape shows them). */
export const ClusterMetricName = {
  /** Workers asked for a snapshot whose answer is missing from a collection. Labels: worker, reason. */
  WORKER_COLLECT_FAILURES: 'fw0_worker_collect_failures_total',
  /** Workers asked in the last collection, by outcome. Labels: state. */
  WORKERS: 'fw0_workers',
  /** How long each worker took to answer a snapshot request, in seconds. No labels. */
  WORKER_COLLECT_DURATION: 'fw0_worker_collect_duration_seconds',
} as const;

/** Label names of the self-metrics. */
export const ClusterLabel = {
  /** The worker's name: the cluster worker id, `thread-<threadId>`, `pid-<pid>` or the name given. */
  WORKER: 'worker',
  /** Why a worker's snapshot is missing: one of {@link FailureReason}. */
  REASON: 'reason',
  /** Outcome of the last collection for a worker: one of {@link WorkerState}. */
  STATE: 'state',
} as const;

/** Why a worker's snapshot is missing from a collection (the `reason` label). */
export const FailureReason = {
  /** It did not answer within the timeout (blocked event loop, not exposing metrics). */
  TIMEOUT: 'timeout',
  /** It exited or disconnected before answering. */
  EXITED: 'exited',
  /** The request could not be sent (channel closed). */
  SEND_FAILED: 'send_failed',
  /** It answered with an error (its registry failed to collect). */
  WORKER_ERROR: 'worker_error',
  /** It answered with something that is not a snapshot. */
  INVALID_REPLY: 'invalid_reply',
  /** Its snapshot cannot merge with the others (same name, another type or other buckets). */
  MERGE_CONFLICT: 'merge_conflict',
} as const;

/** One of the {@link FailureReason} values. */
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** Outcome of the last collection for a worker (the `state` label of `fw0_workers`). */
export const WorkerState = {
  /** Its snapshot is part of the merged result. */
  ANSWERED: 'answered',
  /** It was asked and its snapshot is missing (see `fw0_worker_collect_failures_total`). */
  FAILED: 'failed',
} as const;

/** One of the {@link WorkerState} values. */
export type WorkerState = (typeof WorkerState)[keyof typeof WorkerState];

/** Name of the sample recorded for every worker answer (value in seconds, tag `worker`). */
export const WORKER_ANSWER_SAMPLE = 'worker_collect_duration_seconds';

/** Operation named in `fw0_collector_errors_total` when a worker's snapshot is missing. */
export const COLLECT_WORKER_OPERATION = 'collect_worker';

/** Operation named in `fw0_collector_errors_total` when a worker could not send its answer. */
export const REPLY_OPERATION = 'reply';

/** Default `collector` label of a worker's responder in its own self-metrics. */
export const DEFAULT_RESPONDER_NAME = 'worker_metrics';
