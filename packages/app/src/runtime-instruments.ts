import {
  type Gauge,
  type GaugeSeries,
  type Histogram,
  type HistogramSeries,
  type MetricsRegistry,
  MetricUnit,
} from '@fw0/metrics-core';
import type { EventLoopReading } from './event-loop-window.js';
import { GC_KINDS, type GcKind } from './gc-observer.js';
import type { HeapReading } from './heap-statistics.js';
import { AppLabel, RuntimeMetricName } from './names.js';

/** prom-client's buckets of `nodejs_gc_duration_seconds`, in seconds. */
export const GC_DURATION_BUCKETS: readonly number[] = Object.freeze([0.001, 0.01, 0.1, 1, 2, 5]);

/**
 * Defines the runtime-health instruments in `registry`. When one of them conflicts with a metric
 * already there (`MetricConflictError`), those this call defined are removed again before the
 * error is rethrown: a failed start leaves the registry as it was.
 */
export function defineRuntimeInstruments(registry: MetricsRegistry): RuntimeInstruments {
  const names = Object.values(RuntimeMetricName);
  const existing = new Set(names.filter((name) => registry.getMetric(name) !== undefined));
  try {
    return new RuntimeInstruments(registry);
  } catch (error) {
    for (const name of names) if (!existing.has(name)) registry.removeMetric(name);
    throw error;
  }
}

/**
 * The runtime-health instruments in a registry, defined when runtime health first starts (a
 * collector that never starts it exposes none of them), with bound series for the hot updates.
 */
export class RuntimeInstruments {
  readonly lag: GaugeSeries;
  private readonly delay: Record<'min' | 'max' | 'mean' | 'stddev' | 'p50' | 'p90' | 'p99', GaugeSeries>;
  readonly utilization: GaugeSeries;
  readonly gcDuration: Histogram;
  private readonly gcByKind: Record<GcKind, HistogramSeries>;
  private readonly spaceTotal: Gauge;
  private readonly spaceUsed: Gauge;
  private readonly spaceAvailable: Gauge;
  private readonly heapTotal: GaugeSeries;
  private readonly heapUsed: GaugeSeries;
  private readonly external: GaugeSeries;

  constructor(registry: MetricsRegistry) {
    const seconds = (name: string, help: string) =>
      registry.gauge({ name, help, unit: MetricUnit.SECONDS, aggregation: 'max' }).bind();
    const bytes = (name: string, help: string) => registry.gauge({ name, help, unit: MetricUnit.BYTES });
    this.lag = seconds(RuntimeMetricName.EVENTLOOP_LAG, 'Lag of event loop in seconds.');
    this.delay = {
      min: seconds(RuntimeMetricName.EVENTLOOP_LAG_MIN, 'The minimum recorded event loop delay.'),
      max: seconds(RuntimeMetricName.EVENTLOOP_LAG_MAX, 'The maximum recorded event loop delay.'),
      mean: seconds(RuntimeMetricName.EVENTLOOP_LAG_MEAN, 'The mean of the recorded event loop delays.'),
      stddev: seconds(
        RuntimeMetricName.EVENTLOOP_LAG_STDDEV,
        'The standard deviation of the recorded event loop delays.',
      ),
      p50: seconds(
        RuntimeMetricName.EVENTLOOP_LAG_P50,
        'The 50th percentile of the recorded event loop delays.',
      ),
      p90: seconds(
        RuntimeMetricName.EVENTLOOP_LAG_P90,
        'The 90th percentile of the recorded event loop delays.',
      ),
      p99: seconds(
        RuntimeMetricName.EVENTLOOP_LAG_P99,
        'The 99th percentile of the recorded event loop delays.',
      ),
    };
    this.utilization = registry
      .gauge({
        name: RuntimeMetricName.EVENTLOOP_UTILIZATION,
        help: 'Fraction of the last window the event loop was busy running code.',
        unit: MetricUnit.RATIO,
        aggregation: 'max',
      })
      .bind();
    this.gcDuration = registry.histogram({
      name: RuntimeMetricName.GC_DURATION,
      help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      unit: MetricUnit.SECONDS,
      buckets: GC_DURATION_BUCKETS,
    });
    const gcByKind = {} as Record<GcKind, HistogramSeries>;
    for (const kind of GC_KINDS) gcByKind[kind] = this.gcDuration.bind({ [AppLabel.KIND]: kind });
    this.gcByKind = gcByKind;
    this.spaceTotal = bytes(
      RuntimeMetricName.HEAP_SPACE_SIZE_TOTAL,
      'Process heap space size total from Node.js in bytes.',
    );
    this.spaceUsed = bytes(
      RuntimeMetricName.HEAP_SPACE_SIZE_USED,
      'Process heap space size used from Node.js in bytes.',
    );
    this.spaceAvailable = bytes(
      RuntimeMetricName.HEAP_SPACE_SIZE_AVAILABLE,
      'Process heap space size available from Node.js in bytes.',
    );
    this.heapTotal = bytes(
      RuntimeMetricName.HEAP_SIZE_TOTAL,
      'Process heap size from Node.js in bytes.',
    ).bind();
    this.heapUsed = bytes(
      RuntimeMetricName.HEAP_SIZE_USED,
      'Process heap size used from Node.js in bytes.',
    ).bind();
    this.external = bytes(RuntimeMetricName.EXTERNAL_MEMORY, 'Node.js external memory size in bytes.').bind();
  }

  /** Records one garbage-collection pause of `kind`, in seconds. */
  observeGc(kind: GcKind, seconds: number): void {
    this.gcByKind[kind].observe(seconds);
  }

  /** Sets the event-loop gauges from a window's reading. */
  setEventLoop(lagSeconds: number, reading: EventLoopReading): void {
    this.lag.set(lagSeconds);
    this.utilization.set(reading.utilization);
    const delay = reading.delay;
    if (delay === undefined) return;
    this.delay.min.set(delay.minSeconds);
    this.delay.max.set(delay.maxSeconds);
    this.delay.mean.set(delay.meanSeconds);
    this.delay.stddev.set(delay.stddevSeconds);
    this.delay.p50.set(delay.p50Seconds);
    this.delay.p90.set(delay.p90Seconds);
    this.delay.p99.set(delay.p99Seconds);
  }

  /** Sets the heap gauges. */
  setHeap(heap: HeapReading): void {
    this.heapTotal.set(heap.totalBytes);
    this.heapUsed.set(heap.usedBytes);
    this.external.set(heap.externalBytes);
    for (const space of heap.spaces) {
      const labels = { [AppLabel.SPACE]: space.space };
      this.spaceTotal.set(space.totalBytes, labels);
      this.spaceUsed.set(space.usedBytes, labels);
      this.spaceAvailable.set(space.availableBytes, labels);
    }
  }
}
