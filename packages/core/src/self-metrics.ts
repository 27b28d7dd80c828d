/**
 * Names of the metrics fw0 metrics keeps about itself, all with the `fw0_` prefix, and the
 * lazily created instruments behind them (a registry nobody uses exposes none of them).
 */
import type { Counter } from './instruments/counter.js';
import type { Gauge } from './instruments/gauge.js';
import type { Histogram } from './instruments/histogram.js';
import type { MetricsRegistry } from './registry.js';

export const SelfMetricName = {
  /** Records sent to a metric's overflow series because it reached its series limit. Labels: metric. */
  SERIES_OVERFLOW: 'fw0_series_overflow_total',
  /** Failures a collector caught instead of throwing. Labels: collector, operation. */
  COLLECTOR_ERRORS: 'fw0_collector_errors_total',
  /** Collector refreshes that did not finish within the registry's collect timeout. Labels: collector. */
  COLLECTOR_TIMEOUTS: 'fw0_collector_timeouts_total',
  /** How long the last refresh of each collector took, in seconds. Labels: collector. */
  COLLECTOR_DURATION: 'fw0_collector_refresh_duration_seconds',
  /** Samples lost from a collector's buffer (oldest first, when full). Labels: collector, reason. */
  SAMPLES_DROPPED: 'fw0_samples_dropped_total',
  /** Samples not kept in the buffer by sampling of high-frequency names (aggregates still count them). Labels: collector. */
  SAMPLES_SAMPLED_OUT: 'fw0_samples_sampled_out_total',
  /** Duration of each run of a periodic task, in seconds. Labels: task. */
  TASK_DURATION: 'fw0_task_duration_seconds',
  /** Runs of a periodic task that failed or timed out. Labels: task, reason. */
  TASK_ERRORS: 'fw0_task_errors_total',
  /** Ticks of a periodic task skipped because the previous run was still going. Labels: task. */
  TASK_OVERRUNS: 'fw0_task_overruns_total',
  /** Duration of each scrape served by the metrics handler, in seconds. Labels: format. */
  SCRAPE_DURATION: 'fw0_scrape_duration_seconds',
  /** Scrape requests answered by the metrics handler. Labels: code. */
  SCRAPES: 'fw0_scrapes_total',
} as const;

const SELF_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** The registry's self-metrics, created on first use. */
export class SelfMetrics {
  private cache = new Map<string, Counter | Gauge | Histogram>();

  constructor(private readonly registry: MetricsRegistry) {}

  get seriesOverflow(): Counter {
    return this.counter(
      SelfMetricName.SERIES_OVERFLOW,
      'Records sent to an overflow series because the metric reached its series limit',
    );
  }
  get collectorErrors(): Counter {
    return this.counter(
      SelfMetricName.COLLECTOR_ERRORS,
      'Failures caught by fw0 collectors instead of being thrown',
    );
  }
  get collectorTimeouts(): Counter {
    return this.counter(
      SelfMetricName.COLLECTOR_TIMEOUTS,
      'Collector refreshes that exceeded the collect timeout',
    );
  }
  get collectorDuration(): Gauge {
    return this.gauge(
      SelfMetricName.COLLECTOR_DURATION,
      'Duration of the last refresh of each collector',
      'seconds',
    );
  }
  get samplesDropped(): Counter {
    return this.counter(
      SelfMetricName.SAMPLES_DROPPED,
      'Samples lost from a full collector buffer (oldest first)',
    );
  }
  get samplesSampledOut(): Counter {
    return this.counter(
      SelfMetricName.SAMPLES_SAMPLED_OUT,
      'Samples not kept by sampling of high-frequency names; aggregates count them',
    );
  }
  get taskDuration(): Histogram {
    return this.histogram(SelfMetricName.TASK_DURATION, 'Duration of each run of a periodic task');
  }
  get taskErrors(): Counter {
    return this.counter(SelfMetricName.TASK_ERRORS, 'Runs of a periodic task that failed or timed out');
  }
  get taskOverruns(): Counter {
    return this.counter(
      SelfMetricName.TASK_OVERRUNS,
      'Ticks of a periodic task skipped because the previous run was still going',
    );
  }
  get scrapeDuration(): Histogram {
    return this.histogram(
      SelfMetricName.SCRAPE_DURATION,
      'Duration of scrapes served by the fw0 metrics handler',
    );
  }
  get scrapes(): Counter {
    return this.counter(
      SelfMetricName.SCRAPES,
      'Scrape requests answered by the fw0 metrics handler, by HTTP status code',
    );
  }

  private counter(name: string, help: string): Counter {
    let metric = this.cache.get(name);
    if (metric === undefined) this.cache.set(name, (metric = this.registry.counter({ name, help })));
    return metric as Counter;
  }

  private gauge(name: string, help: string, unit: 'seconds'): Gauge {
    let metric = this.cache.get(name);
    if (metric === undefined)
      this.cache.set(name, (metric = this.registry.gauge({ name, help, unit, aggregation: 'max' })));
    return metric as Gauge;
  }

  private histogram(name: string, help: string): Histogram {
    let metric = this.cache.get(name);
    if (metric === undefined) {
      metric = this.registry.histogram({ name, help, unit: 'seconds', buckets: SELF_BUCKETS });
      this.cache.set(name, metric);
    }
    return metric as Histogram;
  }
}
