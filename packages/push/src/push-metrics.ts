import type {
  Collector,
  CounterSeries,
  GaugeSeries,
  HistogramSeries,
  MetricsRegistry,
} from '@fw0/metrics-core';
import { DropReason, type FailureReason, PushLabel, PushMetricName } from './names.js';

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const FAILURE_REASONS: readonly FailureReason[] = [
  'http_3xx',
  'http_4xx',
  'http_429',
  'http_5xx',
  'network',
  'timeout',
];

/** The self-metrics of an exporter's queue. */
export interface QueueMetrics {
  /** Samples given up, by reason. */
  readonly dropped: Readonly<Record<(typeof DropReason)[keyof typeof DropReason], CounterSeries>>;
  /** Samples waiting. */
  readonly samples: GaugeSeries;
  /** Encoded bytes waiting. */
  readonly bytes: GaugeSeries;
}

/** The self-metrics of one exporter or client, as bound handles (no lookup when recording). */
export class PushMetrics {
  readonly sentSamples: CounterSeries;
  readonly sentBytes: CounterSeries;
  /** Present for exporters with a queue (remote write), not for the Pushgateway client. */
  readonly queue: QueueMetrics | undefined;
  readonly lastSuccess: GaugeSeries;
  readonly requestDuration: HistogramSeries;
  private readonly failures: ReadonlyMap<FailureReason, CounterSeries>;

  /** Defines (or finds) the self-metrics in `registry`, bound to `exporter`. */
  constructor(registry: MetricsRegistry, exporter: string, options: { queue: boolean }) {
    const labels = { [PushLabel.EXPORTER]: exporter };
    this.sentSamples = registry
      .counter({ name: PushMetricName.SENT_SAMPLES, help: 'Samples the remote accepted' })
      .bind(labels);
    this.sentBytes = registry
      .counter({
        name: PushMetricName.SENT_BYTES,
        help: 'Compressed request bodies the remote accepted',
        unit: 'bytes',
      })
      .bind(labels);
    const failed = registry.counter({
      name: PushMetricName.FAILED_REQUESTS,
      help: 'Push requests that failed, by reason',
    });
    this.failures = new Map(
      FAILURE_REASONS.map((reason) => [reason, failed.bind({ ...labels, [PushLabel.REASON]: reason })]),
    );
    this.queue = options.queue ? queueMetrics(registry, labels) : undefined;
    this.lastSuccess = registry
      .gauge({
        name: PushMetricName.LAST_SUCCESS,
        help: 'When the remote last accepted a push, in seconds since the Unix epoch',
        unit: 'seconds',
        aggregation: 'max',
      })
      .bind(labels);
    this.requestDuration = registry
      .histogram({
        name: PushMetricName.REQUEST_DURATION,
        help: 'Duration of push requests',
        unit: 'seconds',
        buckets: DURATION_BUCKETS,
        windowSeconds: 0,
      })
      .bind(labels);
  }

  /** The counter of failed requests for `reason`. */
  failed(reason: FailureReason): CounterSeries {
    return this.failures.get(reason)!;
  }
}

/**
 * The self-metrics of a collector just registered (`collector.name` is the `exporter` label).
 * When they cannot be defined (a metric of the same name and another type in the registry), the
 * collector is unregistered before the error goes on: a refused exporter stays nowhere.
 */
export function selfMetricsOf(
  collector: Collector & { readonly registry: MetricsRegistry },
  options: { queue: boolean },
): PushMetrics {
  try {
    return new PushMetrics(collector.registry, collector.name, options);
  } catch (error) {
    collector.registry.unregister(collector);
    throw error;
  }
}

function queueMetrics(registry: MetricsRegistry, labels: Readonly<Record<string, string>>): QueueMetrics {
  const dropped = registry.counter({
    name: PushMetricName.DROPPED_SAMPLES,
    help: 'Samples given up: queue full (oldest first), rejected by the remote, or left at shutdown',
  });
  return {
    dropped: {
      queue_full: dropped.bind({ ...labels, [PushLabel.REASON]: DropReason.QUEUE_FULL }),
      rejected: dropped.bind({ ...labels, [PushLabel.REASON]: DropReason.REJECTED }),
      shutdown: dropped.bind({ ...labels, [PushLabel.REASON]: DropReason.SHUTDOWN }),
    },
    samples: registry
      .gauge({ name: PushMetricName.QUEUE_SAMPLES, help: 'Samples waiting to be pushed' })
      .bind(labels),
    bytes: registry
      .gauge({
        name: PushMetricName.QUEUE_BYTES,
        help: 'Encoded size of the samples waiting to be pushed',
        unit: 'bytes',
      })
      .bind(labels),
  };
}
