import type { Counter, Gauge, Histogram, MetricsRegistry } from '@fw0/metrics-core';
import { FAILURE_REASONS, HTTP_PHASES, NetworkMetricName as Name } from './names.js';

/** Upper bounds of the phase and latency buckets, in seconds: 0.5 ms (loopback) to 10 s. */
export const PROBE_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** The registry instruments every probe records into. */
export interface ProbeInstruments {
  readonly success: Gauge;
  readonly duration: Gauge;
  readonly dnsLookup: Gauge;
  readonly attempts: Counter;
  readonly successes: Counter;
  readonly failures: Counter;
  readonly successRatio: Gauge;
  readonly latency: Histogram;
  readonly phaseDuration: Histogram;
  readonly httpDuration: Gauge;
  readonly statusCode: Gauge;
  readonly contentLength: Gauge;
  readonly bodyLength: Gauge;
  readonly redirects: Gauge;
  readonly ssl: Gauge;
  readonly failedDueToRegex: Gauge;
  readonly certificateExpiry: Gauge;
}

/**
 * Defines (or finds) the probe instruments in `registry`. Each keeps at most `maxTargets` series
 * per label combination of a target (five phases, every failure reason).
 */
export function defineProbeInstruments(registry: MetricsRegistry, maxTargets: number): ProbeInstruments {
  const perTarget = { maxSeries: maxTargets };
  const perPhase = { maxSeries: maxTargets * HTTP_PHASES.length };
  const last = (name: string, help: string, unit?: 'seconds') =>
    registry.gauge({ name, help, aggregation: 'last', ...perTarget, ...(unit ? { unit } : {}) });
  return {
    success: last(Name.PROBE_SUCCESS, 'Whether the last probe of the target succeeded (1) or not (0)'),
    duration: last(Name.PROBE_DURATION, 'Duration of the last probe of the target', 'seconds'),
    dnsLookup: last(Name.PROBE_DNS_LOOKUP, 'DNS lookup time of the last probe of the target', 'seconds'),
    attempts: registry.counter({ name: Name.PROBE_ATTEMPTS, help: 'Probes attempted', ...perTarget }),
    successes: registry.counter({ name: Name.PROBE_SUCCESSES, help: 'Probes that succeeded', ...perTarget }),
    failures: registry.counter({
      name: Name.PROBE_FAILURES,
      help: 'Probes that failed, by reason',
      maxSeries: maxTargets * FAILURE_REASONS.length,
    }),
    successRatio: registry.gauge({
      name: Name.PROBE_SUCCESS_RATIO,
      help: 'Successful probes divided by attempted probes of the target',
      unit: 'ratio',
      aggregation: 'min',
      ...perTarget,
    }),
    latency: registry.histogram({
      name: Name.PROBE_LATENCY,
      help: 'Duration of successful probes',
      unit: 'seconds',
      buckets: PROBE_BUCKETS,
      ...perTarget,
    }),
    phaseDuration: registry.histogram({
      name: Name.PROBE_PHASE_DURATION,
      help: 'Duration of each phase of successful probes',
      unit: 'seconds',
      buckets: PROBE_BUCKETS,
      ...perPhase,
    }),
    httpDuration: registry.gauge({
      name: Name.HTTP_DURATION,
      help: 'Duration of each phase of the last HTTP probe of the target',
      unit: 'seconds',
      aggregation: 'last',
      ...perPhase,
    }),
    statusCode: last(Name.HTTP_STATUS_CODE, 'Status code of the last HTTP response (0 if none came)'),
    contentLength: last(
      Name.HTTP_CONTENT_LENGTH,
      'Content-Length of the last HTTP response in bytes (-1 if absent)',
    ),
    bodyLength: last(Name.HTTP_BODY_LENGTH, 'Body bytes received in the last HTTP response'),
    redirects: last(Name.HTTP_REDIRECTS, 'Redirects followed by the last HTTP probe'),
    ssl: last(Name.HTTP_SSL, 'Whether the final request of the last HTTP probe used TLS'),
    failedDueToRegex: last(
      Name.HTTP_FAILED_DUE_TO_REGEX,
      'Whether the last body did not match the expected pattern',
    ),
    certificateExpiry: last(
      Name.SSL_EARLIEST_CERT_EXPIRY,
      'Earliest notAfter of the certificate chain of the last TLS probe, in Unix seconds',
    ),
  };
}
