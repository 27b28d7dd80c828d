import type { Counter, GaugeSeries, HistogramSeries, MetricsRegistry } from '@fw0/metrics-core';
import { ClusterLabel, ClusterMetricName, WorkerState } from './names.js';

/** Upper bounds of the answer-time buckets, in seconds: 1 ms to 10 s. */
const ANSWER_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The aggregator's self-metrics, created in its registry when it is constructed. */
export class AggregatorMetrics {
  /** `fw0_worker_collect_failures_total{worker,reason}`. */
  readonly failures: Counter;
  /** `fw0_workers{state="answered"}`. */
  readonly answered: GaugeSeries;
  /** `fw0_workers{state="failed"}`. */
  readonly failed: GaugeSeries;
  /** `fw0_worker_collect_duration_seconds`. */
  readonly answerSeconds: HistogramSeries;

  constructor(registry: MetricsRegistry) {
    this.failures = registry.counter({
      name: ClusterMetricName.WORKER_COLLECT_FAILURES,
      help: 'Workers whose snapshot is missing from a collection, by worker and reason',
    });
    const workers = registry.gauge({
      name: ClusterMetricName.WORKERS,
      help: 'Workers asked in the last collection, by outcome',
      aggregation: 'sum',
    });
    this.answered = workers.bind({ [ClusterLabel.STATE]: WorkerState.ANSWERED });
    this.failed = workers.bind({ [ClusterLabel.STATE]: WorkerState.FAILED });
    this.answerSeconds = registry
      .histogram({
        name: ClusterMetricName.WORKER_COLLECT_DURATION,
        help: 'Time each worker took to answer a snapshot request',
        unit: 'seconds',
        buckets: ANSWER_BUCKETS,
        windowSeconds: 0,
      })
      .bind();
  }
}
