import { type Labels, MetricType, MetricUnit, type PerformanceMetric } from '@fw0/metrics-core';
import type { HttpOutcome } from './http-measurement.js';
import { NetworkMetricName } from './names.js';
import type { HttpProbeContext, TcpProbeContext } from './options.js';
import type { TargetRecorder } from './target-recorder.js';
import type { TcpTarget } from './targets.js';
import type { TcpOutcome } from './tcp-prober.js';
import { epochMilliseconds } from './wall-clock.js';

/*
 * The samples are built here as finished PerformanceMetric objects (the fields and order of
 * core's createPerformanceMetric), not as an init object that core copies: one object fewer on
 * a path that runs for every request. `rate` is the sampler's answer: 0 (left out of the
 * buffer) and 1 add no `sampleRate`.
 */

/** The sample of a successful HTTP measurement: its total duration in seconds, with the details as context. */
export function httpSample(recorder: TargetRecorder, outcome: HttpOutcome, rate: number): PerformanceMetric {
  const context: HttpProbeContext = {
    url: outcome.url,
    statusCode: outcome.statusCode,
    phases: outcome.phases,
    bodyBytes: outcome.bodyBytes,
    contentLength: outcome.contentLength,
    connectionReused: outcome.connectionReused,
    redirects: outcome.redirects,
    tls: outcome.tls,
  };
  return sample(outcome.durationSeconds, outcome.endedAt, recorder.tags, context, rate);
}

/** The sample of a successful TCP measurement: connect latency (DNS included) in seconds. */
export function tcpSample(
  target: TcpTarget,
  tags: Labels,
  outcome: TcpOutcome,
  rate: number,
): PerformanceMetric {
  const context: TcpProbeContext = {
    host: target.host,
    port: target.port,
    address: outcome.address,
    phases: { resolve: outcome.resolveSeconds, connect: outcome.connectSeconds },
  };
  return sample(outcome.durationSeconds, outcome.endedAt, tags, context, rate);
}

function sample(
  seconds: number,
  endedAt: number,
  tags: Labels,
  context: Readonly<Record<string, unknown>>,
  rate: number,
): PerformanceMetric {
  const made: { -readonly [K in keyof PerformanceMetric]: PerformanceMetric[K] } = {
    name: NetworkMetricName.PROBE_DURATION,
    value: seconds,
    type: MetricType.TIMER,
    unit: MetricUnit.SECONDS,
    // When the measurement ended (its end was stamped already: no clock read here).
    timestamp: epochMilliseconds(endedAt),
    tags,
    context,
  };
  if (rate > 0 && rate < 1) made.sampleRate = rate;
  return made;
}
