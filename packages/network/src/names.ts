/**
 * Every metric and label name of @fw0/metrics-network, and the values of its enumerated labels.
 * Names follow Prometheus' blackbox_exporter where it has one (`probe_success`,
 * `probe_http_duration_seconds{phase}`...), with a `target` label added because one process
 * probes many targets.
 */

/** Names of the metrics this package records. */
export const NetworkMetricName = {
  /** Gauge, 1 if the last probe of the target succeeded, else 0. Labels: kind, target. */
  PROBE_SUCCESS: 'probe_success',
  /** Gauge, duration of the last probe, in seconds (failed ones too). Labels: kind, target. */
  PROBE_DURATION: 'probe_duration_seconds',
  /** Gauge, DNS lookup time of the last probe, in seconds (0 for an IP address). Labels: kind, target. */
  PROBE_DNS_LOOKUP: 'probe_dns_lookup_time_seconds',
  /** Counter, probes attempted. Labels: kind, target. */
  PROBE_ATTEMPTS: 'probe_attempts_total',
  /** Counter, probes that succeeded. Labels: kind, target. */
  PROBE_SUCCESSES: 'probe_successes_total',
  /** Counter, probes that failed, by reason. Labels: kind, target, reason. */
  PROBE_FAILURES: 'probe_failures_total',
  /** Gauge, successes divided by attempts since the collector started, 0 to 1. Labels: kind, target. */
  PROBE_SUCCESS_RATIO: 'probe_success_ratio',
  /** Histogram, duration of successful probes, in seconds. Labels: kind, target. */
  PROBE_LATENCY: 'probe_latency_seconds',
  /**
   * Histogram, duration of each phase of successful probes, in seconds; a phase that did not
   * happen (no lookup, connect or TLS on a reused connection) is not observed. Labels: kind,
   * target, phase.
   */
  PROBE_PHASE_DURATION: 'probe_phase_duration_seconds',
  /** Gauge, duration of each phase of the last HTTP probe, in seconds. Labels: target, phase. */
  HTTP_DURATION: 'probe_http_duration_seconds',
  /** Gauge, status code of the last HTTP response (0 if none came). Labels: target. */
  HTTP_STATUS_CODE: 'probe_http_status_code',
  /** Gauge, the Content-Length header of the last response in bytes, -1 when absent. Labels: target. */
  HTTP_CONTENT_LENGTH: 'probe_http_content_length',
  /** Gauge, body bytes received in the last response (no decompression is done). Labels: target. */
  HTTP_BODY_LENGTH: 'probe_http_uncompressed_body_length',
  /** Gauge, redirects followed by the last probe. Labels: target. */
  HTTP_REDIRECTS: 'probe_http_redirects',
  /** Gauge, 1 if the last probe's final request used TLS. Labels: target. */
  HTTP_SSL: 'probe_http_ssl',
  /** Gauge, 1 if the last body did not match the expected pattern. Labels: target. */
  HTTP_FAILED_DUE_TO_REGEX: 'probe_failed_due_to_regex',
  /** Gauge, earliest `notAfter` of the server's certificate chain, in Unix seconds. Labels: target. */
  SSL_EARLIEST_CERT_EXPIRY: 'probe_ssl_earliest_cert_expiry',
  /** Histogram, throughput of each recorded transfer, in bytes per second. Labels: operation. */
  THROUGHPUT: 'network_throughput_bytes_per_second',
  /** Counter, bytes of recorded transfers. Labels: operation. */
  TRANSFER_BYTES: 'network_transfer_bytes_total',
  /** Counter, seconds spent in recorded transfers. Labels: operation. */
  TRANSFER_DURATION: 'network_transfer_duration_seconds_total',
  /** Gauge, open connections of an undici dispatcher (a Client's 0 or 1). Labels: name, origin. */
  POOL_CONNECTED: 'undici_pool_connected',
  /** Gauge, open connections without an active request (Pool and Agent only). Labels: name, origin. */
  POOL_FREE: 'undici_pool_free',
  /** Gauge, requests not yet sent (for a Pool, its queued requests included). Labels: name, origin. */
  POOL_PENDING: 'undici_pool_pending',
  /** Gauge, requests waiting for a connection (Pool and Agent only). Labels: name, origin. */
  POOL_QUEUED: 'undici_pool_queued',
  /** Gauge, requests sent and waiting for their response. Labels: name, origin. */
  POOL_RUNNING: 'undici_pool_running',
  /** Gauge, requests active, pending or queued. Labels: name, origin. */
  POOL_SIZE: 'undici_pool_size',
} as const;

/** Label names used by this package. */
export const NetworkLabel = {
  /** `http` or `tcp`. */
  KIND: 'kind',
  /** The probed URL (without credentials) or `host:port`, or the name the caller gave. */
  TARGET: 'target',
  /** One of {@link ProbePhase}. */
  PHASE: 'phase',
  /** One of {@link FailureReason}. */
  REASON: 'reason',
  /** What a throughput figure was measured on (`upload`, `s3_get`...). */
  OPERATION: 'operation',
  /** The name given to `observeDispatcher`. */
  NAME: 'name',
  /** The origin of an Agent's pool (`https://api.example.com`). */
  ORIGIN: 'origin',
} as const;

/** Kinds of probe. */
export type ProbeKind = 'http' | 'tcp';

/**
 * Phases of a probe, as blackbox_exporter names them. An HTTP probe has all five and they add up
 * to its duration; a TCP probe has `resolve` and `connect`.
 */
export const ProbePhase = {
  /** DNS lookup (for an IP address: until the connection attempt starts). */
  RESOLVE: 'resolve',
  /** TCP handshake. */
  CONNECT: 'connect',
  /** TLS handshake (0 for plain HTTP). */
  TLS: 'tls',
  /** From the connection being ready (or the start, on a reused one) to the first response byte. */
  PROCESSING: 'processing',
  /** From the first response byte to the end of the body. */
  TRANSFER: 'transfer',
} as const;

/** One of the {@link ProbePhase} values. */
export type ProbePhase = (typeof ProbePhase)[keyof typeof ProbePhase];

/** The HTTP phases in order; they partition the probe's duration. */
export const HTTP_PHASES: readonly ProbePhase[] = Object.freeze([
  ProbePhase.RESOLVE,
  ProbePhase.CONNECT,
  ProbePhase.TLS,
  ProbePhase.PROCESSING,
  ProbePhase.TRANSFER,
]);

/** The TCP phases in order; they partition the probe's duration. */
export const TCP_PHASES: readonly ProbePhase[] = Object.freeze([ProbePhase.RESOLVE, ProbePhase.CONNECT]);

/** Why a probe failed: the `reason` label of `probe_failures_total`. */
export const FailureReason = {
  /** The port refused the connection (ECONNREFUSED). */
  REFUSED: 'refused',
  /** The probe's time limit passed (or undici's connect timeout). */
  TIMEOUT: 'timeout',
  /** The name did not resolve (ENOTFOUND, EAI_AGAIN...). */
  DNS: 'dns',
  /** No route to the host or network (EHOSTUNREACH, ENETUNREACH...). */
  UNREACHABLE: 'unreachable',
  /** The TLS handshake failed or the certificate was not trusted. */
  TLS: 'tls',
  /** The connection was reset or closed before the response ended. */
  RESET: 'reset',
  /** The response body was larger than the probe's limit. */
  TOO_LARGE: 'too_large',
  /** The status code was not one the probe accepts (2xx by default). */
  STATUS_CODE: 'status_code',
  /** The body did not match the expected pattern. */
  REGEX: 'regex',
  /** Too many redirects, or a redirect to a scheme other than http/https. */
  REDIRECT: 'redirect',
  /** The caller's abort signal ended the probe. */
  ABORTED: 'aborted',
  /** Anything else (the error is logged and counted in `fw0_collector_errors_total`). */
  ERROR: 'error',
} as const;

/** One of the {@link FailureReason} values. */
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** Every failure reason, in a stable order. */
export const FAILURE_REASONS: readonly FailureReason[] = Object.freeze(Object.values(FailureReason));

/** Operations named in `fw0_collector_errors_total{operation}` for this collector. */
export const NetworkOperation = {
  TCP: 'measure_tcp_latency',
  HTTP: 'measure_http_request',
  POOL_STATS: 'observe_dispatcher',
  /** Writing the last probes' outcomes to the gauges when the collector closes. */
  PUBLISH_GAUGES: 'publish_gauges',
  /** Recording ended HTTP probes into the counters and histograms, after the caller went on. */
  RECORD: 'record_probes',
} as const;
