import {
  assertIntegerOption,
  ConfigError,
  describeValue,
  type MetricsRegistry,
  MetricType,
  MetricUnit,
  type PerformanceMetricInit,
  PeriodicTask,
} from '@fw0/metrics-core';
import { type EventLoopReading, EventLoopWindow, measureEventLoopLag } from './event-loop-window.js';
import { type GcKind, GcObserver } from './gc-observer.js';
import { type HeapReading, readHeap } from './heap-statistics.js';
import { AppLabel, FailureOperation, RuntimeMetricName } from './names.js';
import { defineRuntimeInstruments, type RuntimeInstruments } from './runtime-instruments.js';
import { claimRuntimeHealth, type RuntimeOwner, releaseRuntimeHealth } from './runtime-owner.js';

/** Options of runtime health (`runtime` in the collector's options). */
export interface RuntimeHealthOptions {
  /** Sampling resolution of the event-loop delay monitor, in milliseconds (default 10, as prom-client). */
  readonly eventLoopResolutionMs?: number;
  /**
   * Length of a runtime-health window, in milliseconds. Without it (the default), a window ends
   * at each `registry.collect()` (each scrape), so the delay percentiles describe the time since
   * the previous scrape. With it, an unref'd background task ends a window every `intervalMs`
   * and also puts the window's samples in the buffer; scrapes read the last finished window.
   */
  readonly intervalMs?: number;
  /** Observe garbage-collection pauses (default true). */
  readonly gc?: boolean;
}

/** Runtime-health options once checked, with defaults applied. */
export interface ResolvedRuntimeOptions {
  readonly resolutionMs: number;
  readonly intervalMs: number | undefined;
  readonly gc: boolean;
}

/** Checks runtime-health options; throws `ConfigError` naming the bad one. */
export function resolveRuntimeOptions(options: RuntimeHealthOptions = {}): ResolvedRuntimeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid option runtime=${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  // `undefined` means "not given"; `null` is refused like any other value that is not an option.
  const resolutionMs = options.eventLoopResolutionMs === undefined ? 10 : options.eventLoopResolutionMs;
  assertIntegerOption('runtime.eventLoopResolutionMs', resolutionMs, 1, 10_000);
  const intervalMs = options.intervalMs;
  if (intervalMs !== undefined) assertIntegerOption('runtime.intervalMs', intervalMs, 10, 86_400_000);
  const gc = options.gc === undefined ? true : options.gc;
  if (typeof gc !== 'boolean') {
    throw new ConfigError(`Invalid option runtime.gc=${describeValue(gc)}: expected a boolean`, {
      value: gc,
    });
  }
  return { resolutionMs, intervalMs, gc };
}

/** One finished runtime-health window. */
export interface RuntimeHealthReading {
  /** `setImmediate` lag measured at the end of the window, in seconds. */
  readonly lagSeconds: number;
  readonly eventLoop: EventLoopReading;
  readonly heap: HeapReading;
}

/** What runtime health needs from its collector. */
export interface RuntimeHealthHost {
  readonly registry: MetricsRegistry;
  readonly collectorName: string;
  /** Offers a sample to the buffer through the collector's sampler. */
  recordSample(init: PerformanceMetricInit): void;
  /** Counts and logs a failure; never throws. */
  reportFailure(operation: string, error: unknown): void;
}

/**
 * Event-loop delay and utilization per window, GC pauses by kind and V8 heap spaces, opt-in:
 * nothing is measured, registered or scheduled before `start()`, and `stop()` releases the delay
 * monitor, the GC observer and the background task. One collector per registry runs it at a time.
 */
export class RuntimeHealth {
  readonly resolutionMs: number;
  readonly intervalMs: number | undefined;
  readonly observeGc: boolean;
  private readonly window: EventLoopWindow;
  private readonly gc: GcObserver;
  private instruments: RuntimeInstruments | undefined;
  private task: PeriodicTask | undefined;
  private active = false;
  private readonly owner: RuntimeOwner;

  constructor(
    private readonly host: RuntimeHealthHost,
    options: ResolvedRuntimeOptions,
  ) {
    this.resolutionMs = options.resolutionMs;
    this.intervalMs = options.intervalMs;
    this.observeGc = options.gc;
    this.owner = { collectorName: host.collectorName };
    this.window = new EventLoopWindow(this.resolutionMs);
    this.gc = new GcObserver(
      (kind, seconds) => this.onGc(kind, seconds),
      (error) => host.reportFailure(FailureOperation.GC_OBSERVE, error),
    );
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.active;
  }

  /**
   * Starts monitoring; calling it again while running does nothing. Throws `MetricConflictError`,
   * starting nothing, when another collector runs runtime health on the same registry (see
   * `claimRuntimeHealth`).
   */
  start(): void {
    if (this.active) return;
    claimRuntimeHealth(this.host.registry, this.owner);
    // Everything that may throw comes before anything is switched on.
    let task: PeriodicTask | undefined;
    try {
      this.instruments ??= defineRuntimeInstruments(this.host.registry);
      if (this.intervalMs !== undefined) {
        task = new PeriodicTask({
          name: `${this.host.collectorName}_runtime_health`,
          intervalMs: this.intervalMs,
          runOnStart: false,
          registry: this.host.registry,
          run: () => this.collectWindow(),
        });
      }
    } catch (error) {
      releaseRuntimeHealth(this.host.registry, this.owner);
      throw error;
    }
    this.active = true;
    this.window.enable();
    if (this.observeGc) this.gc.start();
    this.task = task;
    task?.start();
  }

  /** Stops monitoring and waits for a window being collected in the background. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    const task = this.task;
    this.task = undefined;
    this.gc.stop();
    this.window.disable();
    releaseRuntimeHealth(this.host.registry, this.owner);
    await task?.stop();
  }

  /** Ends a window when scrapes drive the windows (no `intervalMs`); otherwise does nothing. */
  async refresh(): Promise<void> {
    if (this.active && this.intervalMs === undefined) await this.collectWindow();
  }

  /**
   * Ends the current window now: updates the gauges, offers the window's samples and returns
   * the reading. Undefined when not running, or when reading failed (counted as
   * `fw0_collector_errors_total{operation="runtime_health"}`, never thrown).
   */
  async collectWindow(): Promise<RuntimeHealthReading | undefined> {
    const instruments = this.instruments;
    if (!this.active || instruments === undefined) return undefined;
    try {
      const lagSeconds = await measureEventLoopLag();
      // Stopped meanwhile: the registry may already have another owner, whose gauges these are.
      if (!this.active) return undefined;
      const eventLoop = this.window.read();
      if (eventLoop === undefined) return undefined;
      const heap = readHeap();
      instruments.setEventLoop(lagSeconds, eventLoop);
      instruments.setHeap(heap);
      this.offerSamples(lagSeconds, eventLoop, heap);
      return { lagSeconds, eventLoop, heap };
    } catch (error) {
      this.host.reportFailure(FailureOperation.RUNTIME_HEALTH, error);
      return undefined;
    }
  }

  private onGc(kind: GcKind, seconds: number): void {
    this.instruments?.observeGc(kind, seconds);
    this.host.recordSample({
      name: RuntimeMetricName.GC_DURATION,
      value: seconds,
      type: MetricType.TIMER,
      unit: MetricUnit.SECONDS,
      tags: { [AppLabel.KIND]: kind },
    });
  }

  private offerSamples(lagSeconds: number, eventLoop: EventLoopReading, heap: HeapReading): void {
    const gauge = (name: string, value: number, unit: MetricUnit) =>
      this.host.recordSample({ name, value, type: MetricType.GAUGE, unit });
    gauge(RuntimeMetricName.EVENTLOOP_LAG, lagSeconds, MetricUnit.SECONDS);
    gauge(RuntimeMetricName.EVENTLOOP_UTILIZATION, eventLoop.utilization, MetricUnit.RATIO);
    const delay = eventLoop.delay;
    if (delay !== undefined) {
      gauge(RuntimeMetricName.EVENTLOOP_LAG_P50, delay.p50Seconds, MetricUnit.SECONDS);
      gauge(RuntimeMetricName.EVENTLOOP_LAG_P90, delay.p90Seconds, MetricUnit.SECONDS);
      gauge(RuntimeMetricName.EVENTLOOP_LAG_P99, delay.p99Seconds, MetricUnit.SECONDS);
      gauge(RuntimeMetricName.EVENTLOOP_LAG_MAX, delay.maxSeconds, MetricUnit.SECONDS);
    }
    gauge(RuntimeMetricName.HEAP_SIZE_USED, heap.usedBytes, MetricUnit.BYTES);
  }
}
