import { type Labels, MetricType, MetricUnit, type PerformanceMetricInit } from '@fw0/metrics-core';
import type { HttpOutcome } from './http-measurement.js';
import { NetworkMetricName } from './names.js';
import type { HttpProbeContext, TcpProbeContext } from './options.js';
import type { TcpTarget } from './targets.js';
import type { TcpOutcome } from './tcp-prober.js';

/** The sample of a successful HTTP measurement: its total duration in seconds, with the details as context. */
export function httpSample(url: string, tags: Labels, outcome: HttpOutcome): PerformanceMetricInit {
  const context: HttpProbeContext = {
    url,
    statusCode: outcome.statusCode,
    phases: outcome.phases,
    bodyBytes: outcome.bodyBytes,
    contentLength: outcome.contentLength,
    connectionReused: outcome.connectionReused,
    redirects: outcome.redirects,
    tls: outcome.tls,
  };
  return {
    name: NetworkMetricName.PROBE_DURATION,
    value: outcome.durationSeconds,
    type: MetricType.TIMER,
    unit: MetricUnit.SECONDS,
    tags,
    context,
  };
}

/** The sample of a successful TCP measurement: connect latency (DNS included) in seconds. */
export function tcpSample(target: TcpTarget, tags: Labels, outcome: TcpOutcome): PerformanceMetricInit {
  const context: TcpProbeContext = {
    host: target.host,
    port: target.port,
    address: outcome.address,
    phases: { resolve: outcome.resolveSeconds, connect: outcome.connectSeconds },
  };
  return {
    name: NetworkMetricName.PROBE_DURATION,
    value: outcome.durationSeconds,
    type: MetricType.TIMER,
    unit: MetricUnit.SECONDS,
    tags,
    context,
  };
}
