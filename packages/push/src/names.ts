/**
 * Every metric and label name of @fw0/metrics-push: self-metrics of the exporters, in the
 * registry they push (so they travel with the data), with the `fw0_` prefix.
 */

/** Self-metric names. The `exporter` label is the exporter's or client's `name`. */
export const PushMetricName = {
  /** Samples the remote accepted (2xx). Counter. Labels: exporter. */
  SENT_SAMPLES: 'fw0_push_sent_samples_total',
  /** Compressed request bodies the remote accepted, in bytes. Counter. Labels: exporter. */
  SENT_BYTES: 'fw0_push_sent_bytes_total',
  /**
   * Samples given up: `queue_full` (oldest dropped past the queue bound), `rejected` (the remote
   * answered a non-retryable status), `shutdown` (still queued when `stop()` ran out of time).
   * Counter. Labels: exporter, reason.
   */
  DROPPED_SAMPLES: 'fw0_push_dropped_samples_total',
  /**
   * Requests that failed, by reason: `http_429`, `http_4xx`, `http_5xx` (and `http_3xx`),
   * `network`, `timeout`. Counter. Labels: exporter, reason.
   */
  FAILED_REQUESTS: 'fw0_push_failed_requests_total',
  /** Samples waiting in the queue (not counting a request in flight). Gauge. Labels: exporter. */
  QUEUE_SAMPLES: 'fw0_push_queue_samples',
  /** Encoded size of the samples waiting in the queue, in bytes. Gauge. Labels: exporter. */
  QUEUE_BYTES: 'fw0_push_queue_bytes',
  /** When the remote last accepted a request: seconds since the Unix epoch. Gauge. Labels: exporter. */
  LAST_SUCCESS: 'fw0_push_last_success_timestamp_seconds',
  /** Duration of each request until its response (or failure), in seconds. Histogram. Labels: exporter. */
  REQUEST_DURATION: 'fw0_push_request_duration_seconds',
} as const;

/** Label names of the self-metrics. */
export const PushLabel = {
  EXPORTER: 'exporter',
  REASON: 'reason',
} as const;

/** Values of the `reason` label of {@link PushMetricName.DROPPED_SAMPLES}. */
export const DropReason = {
  QUEUE_FULL: 'queue_full',
  REJECTED: 'rejected',
  SHUTDOWN: 'shutdown',
} as const;

/** Values of the `reason` label of {@link PushMetricName.FAILED_REQUESTS}. */
export type FailureReason = 'http_3xx' | 'http_4xx' | 'http_429' | 'http_5xx' | 'network' | 'timeout';

/** Default `name` (the `exporter` label) of a remote-write exporter. */
export const DEFAULT_REMOTE_WRITE_NAME = 'remote_write';
/** Default `name` (the `exporter` label) of a Pushgateway client. */
export const DEFAULT_PUSHGATEWAY_NAME = 'pushgateway';

/** Headers of every remote-write 1.0 request (set by the exporter; options cannot override them). */
export const REMOTE_WRITE_HEADERS = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
} as const;

/** The `User-Agent` of every request. */
export const USER_AGENT = 'fw0-metrics-push/0.1';
