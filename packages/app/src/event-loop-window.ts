import {
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  performance,
} from 'node:perf_hooks';

/**
 * Event-loop delay over one window, in seconds, the monitor's resolution subtracted (an idle loop
 * reads about 0); absent when the window held no delay sample.
 */
export interface EventLoopDelayStats {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly meanSeconds: number;
  readonly stddevSeconds: number;
  readonly p50Seconds: number;
  readonly p90Seconds: number;
  readonly p99Seconds: number;
}

/** What one window of the event loop looked like. */
export interface EventLoopReading {
  /** Delay percentiles of the window (undefined if it was shorter than the monitor's resolution). */
  readonly delay: EventLoopDelayStats | undefined;
  /** Fraction of the window the loop spent running code rather than waiting, 0 to 1. */
  readonly utilization: number;
}

const NS_PER_SECOND = 1e9;

/**
 * Event-loop delay (`monitorEventLoopDelay`) and utilization (`performance.eventLoopUtilization`)
 * over windows: each `read()` reports what happened since the previous one (or since `enable()`)
 * and starts a new window, so percentiles describe recent behaviour, not the whole process life.
 */
export class EventLoopWindow {
  private histogram: IntervalHistogram | undefined;
  private lastUtilization: EventLoopUtilization | undefined;

  constructor(
    /** Sampling resolution of the delay monitor, in milliseconds. */
    readonly resolutionMs: number,
  ) {}

  /** True between `enable()` and `disable()`. */
  get enabled(): boolean {
    return this.histogram !== undefined;
  }

  /** Starts monitoring (Node's delay timer does not keep the process alive). */
  enable(): void {
    if (this.histogram !== undefined) return;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    this.lastUtilization = performance.eventLoopUtilization();
  }

  /** Stops monitoring and releases the monitor's timer. */
  disable(): void {
    this.histogram?.disable();
    this.histogram = undefined;
    this.lastUtilization = undefined;
  }

  /** Reports the window that ends now and starts the next one. Undefined when disabled. */
  read(): EventLoopReading | undefined {
    const histogram = this.histogram;
    if (histogram === undefined || this.lastUtilization === undefined) return undefined;
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, this.lastUtilization).utilization;
    this.lastUtilization = now;
    // Each value the monitor records is the time between two ticks of its own timer: the
    // resolution plus the delay. Subtracting the resolution (never below 0) gives the delay
    // itself, so an idle loop reads about 0 ms, not about `resolutionMs`. prom-client reports
    // the raw figures; Elastic's APM agent subtracts, as we do.
    const resolution = this.resolutionMs * 1e6;
    const lag = (nanoseconds: number) => Math.max(0, nanoseconds - resolution) / NS_PER_SECOND;
    const delay =
      histogram.count === 0
        ? undefined
        : {
            minSeconds: lag(histogram.min),
            maxSeconds: lag(histogram.max),
            meanSeconds: lag(histogram.mean),
            stddevSeconds: histogram.stddev / NS_PER_SECOND,
            p50Seconds: lag(histogram.percentile(50)),
            p90Seconds: lag(histogram.percentile(90)),
            p99Seconds: lag(histogram.percentile(99)),
          };
    histogram.reset();
    return { delay, utilization: Number.isFinite(utilization) ? utilization : 0 };
  }
}

/**
 * How long a `setImmediate` callback waits right now, in seconds: prom-client's
 * `nodejs_eventloop_lag_seconds`, a point measurement at the end of a window.
 */
export function measureEventLoopLag(): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => setImmediate(() => resolve((performance.now() - start) / 1000)));
}
