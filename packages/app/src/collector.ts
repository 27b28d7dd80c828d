import {
  BaseCollector,
  ConfigError,
  createPerformanceMetric,
  describeValue,
  type Histogram,
  type HistogramSummary,
  type LabelsInput,
  type PerformanceMetric,
  type PerformanceMetricInit,
} from '@fw0/metrics-core';
import { validateCustomMetric } from './custom-metric.js';
import { toExposedName } from './metric-name.js';
import { AppLabel, Outcome } from './names.js';
import {
  type ApplicationCollectorOptions,
  resolveOptions,
  type TimerOptions,
  timerOptionsOf,
} from './options.js';
import { RuntimeHealth, type RuntimeHealthReading, resolveRuntimeOptions } from './runtime-health.js';
import type { SampleSink } from './sample-sink.js';
import {
  createTimerDecorator,
  type TimerDecorator,
  type TimerFactory,
  type TimerSpec,
  wrapFunction,
} from './timer-decorator.js';
import { TimerRegistry } from './timer-registry.js';
import { canonicalTags } from './timer-tags.js';
import { runInScope } from './tracker-callback.js';
import { TrackerScope } from './tracker-scope.js';

/**
 * Application-level metrics, the seed's `ApplicationMetricsCollector`: function timing (method
 * decorators in both TypeScript decorator modes, function wrappers), scoped timers (`using`),
 * call counts, optional memory deltas per call, custom samples, and opt-in runtime health.
 *
 * Every timer name feeds a histogram `<name>_duration_seconds` and a counter `<name>_calls_total`
 * (both labelled `outcome` plus the timer's tags, the name mapped to snake_case by
 * `toExposedName`); calls go to the sample buffer through a per-name sampler.
 */
export class ApplicationMetricsCollector extends BaseCollector {
  /** Whether timers record memory deltas unless they say otherwise. */
  readonly trackMemory: boolean;
  private readonly timers: TimerRegistry;
  private readonly sink: SampleSink;
  private readonly factory: TimerFactory;
  private readonly runtime: RuntimeHealth;

  constructor(options: ApplicationCollectorOptions = {}) {
    // Check every option before the base class registers this collector in the registry.
    const settings = resolveOptions(options);
    const runtimeOptions = resolveRuntimeOptions(options.runtime);
    super(settings.name, options);
    this.trackMemory = settings.trackMemory;
    this.sink = {
      push: (sample) => this.pushSample(sample),
      sampledOut: this.sampledOut,
      fail: (operation, error) => this.recordFailure(operation, error),
      warn: (message) => {
        try {
          this.logger.warn(message);
        } catch {
          // A logger that throws must not break the caller's class definition.
        }
      },
    };
    this.timers = new TimerRegistry(this.registry, this.sink, settings, (name) => this.samplerFor(name));
    this.factory = {
      bindTimer: (name, tags, trackMemory) => this.timers.bind(name, tags, trackMemory),
      reportFailure: this.sink.fail,
      warn: this.sink.warn,
    };
    this.runtime = new RuntimeHealth(
      {
        registry: this.registry,
        collectorName: this.name,
        recordSample: (init) => void this.offerCustom(createPerformanceMetric(init)),
        reportFailure: this.sink.fail,
      },
      runtimeOptions,
    );
  }

  /**
   * A timer for methods and functions (the seed's `performance_timer`). Use it as a method
   * decorator, `@app.performanceTimer()`, under standard TypeScript 5 decorators or
   * `experimentalDecorators` (detected at run time), or call it on a function:
   * `app.performanceTimer('name')(fn)`. The default name is `Class.method` (the declaring class)
   * or the function's name. Tags are checked now: bad ones throw `InvalidLabelError`.
   */
  performanceTimer(metricName?: string | TimerOptions, tags?: LabelsInput): TimerDecorator {
    const options = timerOptionsOf(metricName, tags);
    return createTimerDecorator(this.factory, this.timerSpec(options));
  }

  /**
   * Returns `fn` timed: same type, `this`, arguments, result, thrown errors, `name` and `length`.
   * A returned promise (or thenable) is timed until it settles. Generator functions are returned
   * untimed. The timer name is `options.name`, else `fn.name` (an anonymous function needs one).
   */
  timed<F extends (...args: never[]) => unknown>(fn: F, options: TimerOptions | string = {}): F {
    if (typeof fn !== 'function') {
      throw new ConfigError(`timed(fn): expected a function, got ${describeValue(fn)}`, { value: fn });
    }
    const resolved = timerOptionsOf(options, undefined);
    return wrapFunction(this.factory, this.timerSpec(resolved), fn);
  }

  /** A scoped timer (the seed's `performance_tracker`): end it with `using`, `await using` or `end()`. */
  performanceTracker(metricName: string, tags?: LabelsInput): TrackerScope;
  /** Runs `callback` in a scope and records its outcome (success, or error when it throws or rejects). */
  performanceTracker<T>(metricName: string, callback: (scope: TrackerScope) => T): T;
  /** Runs `callback` in a scope with `tags` and records its outcome. */
  performanceTracker<T>(
    metricName: string,
    tags: LabelsInput | undefined,
    callback: (scope: TrackerScope) => T,
  ): T;
  performanceTracker<T>(
    metricName: string,
    tagsOrCallback?: LabelsInput | ((scope: TrackerScope) => T),
    callback?: (scope: TrackerScope) => T,
  ): TrackerScope | T {
    // A name that is not a string is refused before it is shown in any message.
    if (typeof metricName !== 'string') toExposedName(metricName);
    const tags = typeof tagsOrCallback === 'function' ? undefined : tagsOrCallback;
    const run = typeof tagsOrCallback === 'function' ? tagsOrCallback : callback;
    if (run !== undefined && typeof run !== 'function') {
      throw new ConfigError(
        `performanceTracker: the callback must be a function, got ${describeValue(run)}`,
        {
          subject: metricName,
          value: run,
        },
      );
    }
    const canonical = canonicalTags(metricName, tags);
    const binding = this.timers.bind(metricName, canonical, this.trackMemory);
    const scope = new TrackerScope(binding, this.trackMemory);
    return run === undefined ? scope : runInScope(scope, run);
  }

  /**
   * Stores a custom application sample in the buffer (through the sampler). Returns the sample as
   * stored (tags canonicalised, timestamp filled in). Bad fields throw a typed error at once.
   */
  recordCustomMetric(metric: PerformanceMetricInit): PerformanceMetric {
    return this.offerCustom(validateCustomMetric(metric));
  }

  /**
   * Calls per timer name (every tag set and outcome), keyed by the name as written, in the order
   * the names were first used: the seed's "function names mapped to call counts". A call counts
   * once it has finished (returned, thrown, or its promise settled), as a tracker does once it has
   * ended; a pending async call or an open scope counts 0 until then. So the counts are exactly
   * the sums of the exposed `<name>_calls_total` series, and a call that never finishes (a promise
   * that never settles) is never counted.
   */
  getCallCounts(): Record<string, number> {
    return this.timers.callCounts();
  }

  /** The `<name>_duration_seconds` histogram of a timer name, if it was used. */
  getDurationHistogram(metricName: string): Histogram | undefined {
    return this.timers.get(metricName)?.duration;
  }

  /**
   * Count, sum, min, max, mean and p50/p90/p95/p99/p99.9 (in seconds) of a timer's calls with
   * `tags` and `outcome` (default success), cumulative and over the histogram's sliding window.
   */
  getDurationSummary(
    metricName: string,
    tags?: LabelsInput,
    outcome: Outcome = Outcome.SUCCESS,
  ): HistogramSummary | undefined {
    return this.timers.get(metricName)?.duration.summary({ ...tags, [AppLabel.OUTCOME]: outcome });
  }

  /** Starts runtime health: event-loop delay and utilization, GC pauses, heap spaces. */
  start(): void {
    this.runtime.start();
  }

  /** Stops runtime health and releases its monitor, observer and timer. */
  async stop(): Promise<void> {
    await this.runtime.stop();
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.runtime.running;
  }

  /**
   * Called by `registry.collect()` before each snapshot: observes the timers' pending durations
   * (see the README, "Batched durations") and ends the runtime-health window when scrapes drive it.
   */
  async refresh(): Promise<void> {
    this.timers.flush();
    await this.runtime.refresh();
  }

  /** Ends the runtime-health window now and returns it (undefined when not started). */
  collectRuntimeHealth(): Promise<RuntimeHealthReading | undefined> {
    return this.runtime.collectWindow();
  }

  private timerSpec(options: TimerOptions): TimerSpec {
    if (options.name !== undefined) toExposedName(options.name);
    return {
      name: options.name,
      tags: canonicalTags(options.name ?? 'performanceTimer', options.tags),
      trackMemory: options.trackMemory ?? this.trackMemory,
    };
  }

  private offerCustom(sample: PerformanceMetric): PerformanceMetric {
    return this.offerSample(sample) ?? sample;
  }
}

/** Creates an application metrics collector (the seed's `get_application_collector`). */
export function getApplicationCollector(
  options: ApplicationCollectorOptions = {},
): ApplicationMetricsCollector {
  return new ApplicationMetricsCollector(options);
}
