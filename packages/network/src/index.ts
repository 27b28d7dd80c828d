/**
 * @fw0/metrics-network: TCP connect latency, HTTP phase timing on undici, throughput, undici
 * pool stats and scheduled probes, recorded into an fw0 metrics registry.
 */

export { DEFAULT_MAX_BODY_BYTES } from './http-options.js';
export {
  FAILURE_REASONS,
  FailureReason,
  HTTP_PHASES,
  NetworkLabel,
  NetworkMetricName,
  NetworkOperation,
  type ProbeKind,
  ProbePhase,
  TCP_PHASES,
} from './names.js';
export { getNetworkCollector, NetworkMetricsCollector } from './network-collector.js';
export type {
  HttpProbeContext,
  HttpProbeOptions,
  HttpProbeTarget,
  NetworkCollectorOptions,
  ProbeTarget,
  TargetSuccessRate,
  TcpProbeContext,
  TcpProbeOptions,
  TcpProbeTarget,
} from './options.js';
export type { DispatcherStats, ObservableDispatcher } from './pool-observer.js';
export { PROBE_BUCKETS } from './probe-instruments.js';
export {
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_TCP_TIMEOUT_MS,
} from './probe-scheduler.js';
export { ThroughputRecorder } from './throughput.js';
