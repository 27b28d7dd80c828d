import { SampleBuffer } from './collect/sample-buffer.js';
import { AdaptiveSampler, type NameSampler, type SamplingListener } from './collect/sampler.js';
import { ConfigError, describeValue } from './errors.js';
import type { Counter, CounterSeries } from './instruments/counter.js';
import { LogLimiter } from './log-limiter.js';
import { assertLogger, type Logger, safeLog } from './logger.js';
import { MetricsRegistry } from './registry.js';
import { createPerformanceMetric, type PerformanceMetric, type PerformanceMetricInit } from './types.js';
import { assertIntegerOption } from './validation.js';

/**
 * What every collector offers. A new collector package implements this (usually by extending
 * {@link BaseCollector}); nothing in core changes.
 */
export interface Collector {
  /** Unique within a registry; used as the `collector` label of self-metrics. */
  readonly name: string;
  /**
   * Brings observable instruments up to date just before a snapshot (read a pool's stats, a
   * gauge of queue length). Called by `registry.collect()`, within its timeout; a throw is
   * counted, never passed on.
   */
  refresh?(): void | Promise<void>;
  /** Every sample recorded since the last call, oldest first (the seed's drain semantics). */
  getCollectedMetrics(): PerformanceMetric[];
  /** Starts background work, if the collector has any. */
  start?(): void | Promise<void>;
  /** Stops background work and waits for the run in flight. */
  stop?(): void | Promise<void>;
}

/** Options every collector accepts. */
export interface CollectorOptions {
  /** Registry to record into (default: a new registry of the collector's own). */
  readonly registry?: MetricsRegistry;
  /** Most samples kept between two `getCollectedMetrics()` calls (default 10,000); the oldest go first. */
  readonly bufferSize?: number;
  /**
   * Samples per metric name per second kept in the buffer before sampling starts
   * (default 100); `false` keeps every sample. Aggregates in the registry always count every event.
   */
  readonly maxSamplesPerSecond?: number | false;
  /** Where the collector says what it did (default: the registry's logger). */
  readonly logger?: Logger;
}

/**
 * The base of collectors: registers itself in a registry, keeps a bounded, sampled buffer of
 * samples, and counts its own failures (`fw0_collector_errors_total`) instead of throwing them.
 *
 * The constructor registers the collector in its registry. Check your options before calling
 * `super()` (compute them in an argument expression or a static helper); if your constructor can
 * still fail afterwards (an instrument conflicting with an existing metric), call
 * `this.registry.unregister(this)` before rethrowing, so no half-built collector stays registered.
 */
export abstract class BaseCollector implements Collector {
  readonly registry: MetricsRegistry;
  protected readonly logger: Logger;
  /** `fw0_samples_sampled_out_total{collector}`: add to it for every event sampling left out. */
  protected readonly sampledOut: CounterSeries;
  private readonly buffer: SampleBuffer;
  private readonly sampler: AdaptiveSampler;
  private readonly errors: Counter;
  private droppedSinceLog = 0;

  constructor(
    readonly name: string,
    options: CollectorOptions = {},
  ) {
    checkCollectorOptions(name, options);
    const bufferSize = options.bufferSize ?? 10_000;
    assertIntegerOption(`${name}: bufferSize`, bufferSize, 1, 10_000_000);
    const maxPerSecond = options.maxSamplesPerSecond ?? 100;
    if (maxPerSecond !== false)
      assertIntegerOption(`${name}: maxSamplesPerSecond`, maxPerSecond, 1, 10_000_000);
    this.registry = options.registry ?? new MetricsRegistry(options.logger ? { logger: options.logger } : {});
    // Before any self-metric series is bound: a refused collector leaves nothing behind.
    if (this.registry.collectors.some((other) => other.name === name)) {
      throw new ConfigError(`A collector named "${name}" is already registered in this registry`, {
        subject: name,
        value: name,
      });
    }
    this.logger = options.logger ?? this.registry.logger;
    const dropped = this.registry.self.samplesDropped.bind({ collector: name, reason: 'buffer_full' });
    this.buffer = new SampleBuffer(bufferSize, () => {
      dropped.add();
      if (this.droppedSinceLog++ === 0) {
        safeLog(
          this.logger,
          'warn',
          `collector "${name}": sample buffer full (${bufferSize}); dropping the oldest samples`,
          {
            hint: 'call getCollectedMetrics() more often or raise bufferSize',
          },
        );
      }
    });
    this.sampler = new AdaptiveSampler(
      maxPerSecond === false ? Number.POSITIVE_INFINITY : maxPerSecond,
      this.registry.clock,
      10_000,
      samplingLog(name, maxPerSecond, this.logger, this.registry),
    );
    this.sampledOut = this.registry.self.samplesSampledOut.bind({ collector: name });
    this.errors = this.registry.self.collectorErrors;
    this.registry.register(this);
  }

  /** Every sample recorded since the last call, oldest first. */
  getCollectedMetrics(): PerformanceMetric[] {
    this.droppedSinceLog = 0;
    return this.buffer.drain();
  }

  /** Samples waiting in the buffer. */
  get bufferedSampleCount(): number {
    return this.buffer.size;
  }

  /**
   * Builds a sample and offers it to the buffer through the sampler. Returns the sample: with
   * its `sampleRate` when sampling kept it at a rate below 1.
   */
  protected recordSample(init: PerformanceMetricInit): PerformanceMetric {
    const rate = this.sampler.admit(init.name);
    if (rate === 0) {
      this.sampledOut.add();
      return createPerformanceMetric(init);
    }
    const sample = createPerformanceMetric(rate < 1 ? { ...init, sampleRate: rate } : init);
    this.buffer.push(sample);
    return sample;
  }

  /**
   * Puts a ready-made sample in the buffer, through the sampler. Returns the sample as kept
   * (with its `sampleRate` when sampling kept it at a rate below 1), or undefined when sampling
   * left it out (counted).
   */
  protected offerSample(sample: PerformanceMetric): PerformanceMetric | undefined {
    const rate = this.sampler.admit(sample.name);
    if (rate === 0) {
      this.sampledOut.add();
      return undefined;
    }
    const kept = rate < 1 ? { ...sample, sampleRate: (sample.sampleRate ?? 1) * rate } : sample;
    this.buffer.push(kept);
    return kept;
  }

  /**
   * The sampler of `name`, for hot paths that decide before building a sample: call `admit()`
   * per event; when it returns 0 add to {@link sampledOut}, else build the sample (with that
   * rate) and {@link pushSample} it. Keeps every event when sampling is off.
   */
  protected samplerFor(name: string): NameSampler {
    return this.sampler.forName(name);
  }

  /** Puts a sample that a sampler already admitted into the buffer (the oldest go when full). */
  protected pushSample(sample: PerformanceMetric): void {
    this.buffer.push(sample);
  }

  /**
   * Counts and logs a failure caught during `operation` (a read, a probe), never rethrowing it.
   * Background work must call this instead of letting an error escape.
   */
  protected recordFailure(operation: string, error: unknown): void {
    this.errors.add(1, { collector: this.name, operation });
    safeLog(this.logger, 'error', `collector "${this.name}": ${operation} failed`, { error });
  }
}

/** Seconds between two log lines about sampling of one collector. */
const SAMPLING_LOG_INTERVAL_SECONDS = 60;

/**
 * Says why samples are missing from a collector's buffer: a line when sampling of a name
 * starts, at most one a minute per collector (with how many more names started meanwhile).
 */
function samplingLog(
  collector: string,
  maxPerSecond: number | false,
  logger: Logger,
  registry: MetricsRegistry,
): SamplingListener {
  const limiter = new LogLimiter(SAMPLING_LOG_INTERVAL_SECONDS);
  return {
    samplingStarted(name, every, shared) {
      const starts = limiter.add(1, registry.clock.seconds);
      if (starts === 0) return;
      safeLog(
        logger,
        'debug',
        `collector "${collector}": more than ${String(maxPerSecond)} samples a second of "${name}"${shared ? ' (and the other names past the tracked ones)' : ''}; keeping 1 in ${every} in the buffer, each with its sample rate (aggregates count every event; fw0_samples_sampled_out_total counts the rest)`,
        { collector, name, every, samplingStartsSinceLastLine: starts },
      );
    },
    namesShared(name, maxNames) {
      safeLog(
        logger,
        'warn',
        `collector "${collector}": ${maxNames} sample names tracked; "${name}" and every later new name share one sampling budget`,
        { collector, name, maxNames },
      );
    },
  };
}

/**
 * Checks what every collector is given, before anything is created: a name that can be a label
 * value, an options object, a registry, a logger with the three methods.
 */
function checkCollectorOptions(name: unknown, options: unknown): void {
  if (typeof name !== 'string' || name === '' || !name.isWellFormed()) {
    throw new ConfigError(
      `Invalid collector name ${describeValue(name)}: expected a non-empty string of valid Unicode`,
      {
        subject: 'name',
        value: name,
      },
    );
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `Invalid options ${describeValue(options)} for collector "${name}": expected an object`,
      {
        subject: name,
        value: options,
      },
    );
  }
  const { registry, logger } = options as CollectorOptions;
  // null is "not given", as for every option.
  if (registry !== undefined && registry !== null && !(registry instanceof MetricsRegistry)) {
    throw new ConfigError(
      `Invalid registry ${describeValue(registry)} for collector "${name}": expected a MetricsRegistry`,
      {
        subject: name,
        value: registry,
      },
    );
  }
  assertLogger(`collector "${name}"`, logger);
}
