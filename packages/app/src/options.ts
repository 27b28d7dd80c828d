import {
  assertIntegerOption,
  type CollectorOptions,
  ConfigError,
  describeValue,
  type LabelsInput,
} from '@fw0/metrics-core';
import { DEFAULT_COLLECTOR_NAME } from './names.js';
import type { RuntimeHealthOptions } from './runtime-health.js';

/** Options of {@link getApplicationCollector} and the `ApplicationMetricsCollector` constructor. */
export interface ApplicationCollectorOptions extends CollectorOptions {
  /** Name of the collector: the `collector` label of its self-metrics (default `app`). */
  readonly name?: string;
  /**
   * Record heap and external memory deltas for every timer and tracker (default false; a timer's
   * own `trackMemory` option wins). Costs about 1 µs per call; the figures are approximate.
   */
  readonly trackMemory?: boolean;
  /** `le` buckets of every `<name>_duration_seconds` histogram, in seconds (default: core's seconds buckets). */
  readonly durationBuckets?: readonly number[];
  /** Runtime health (event loop, GC, heap), measured only between `start()` and `stop()`. */
  readonly runtime?: RuntimeHealthOptions;
}

/** Options of one timer (`performanceTimer(options)`, `timed(fn, options)`). */
export interface TimerOptions {
  /**
   * Timer name, in the seed's style (`UserService.getUser`, `checkout`); default `Class.method`
   * for a decorated method and the function's own name for a wrapped function. Exposed in
   * snake_case (see `toExposedName`); `getCallCounts()` is keyed by this name.
   */
  readonly name?: string;
  /** Tags: label names and values added to every series of this timer (`outcome` is reserved). */
  readonly tags?: LabelsInput;
  /** Record heap and external memory deltas per call (default: the collector's `trackMemory`). */
  readonly trackMemory?: boolean;
}

/** Collector options once checked, with defaults applied. */
export interface ResolvedOptions {
  readonly name: string;
  readonly trackMemory: boolean;
  /** Samples per timer name per second before sampling starts; Infinity keeps every sample. */
  readonly maxSamplesPerSecond: number;
  readonly durationBuckets: readonly number[] | undefined;
}

/**
 * Checks the collector's own options (the base collector checks the rest) before anything is
 * registered, so a bad option throws `ConfigError` and leaves the registry untouched.
 */
export function resolveOptions(options: ApplicationCollectorOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid options ${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  // `undefined` means "not given"; anything else, `null` included, must be a valid value.
  const name = options.name === undefined ? DEFAULT_COLLECTOR_NAME : options.name;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(`Invalid option name=${describeValue(name)}: expected a non-empty string`, {
      value: name,
    });
  }
  const trackMemory = options.trackMemory === undefined ? false : options.trackMemory;
  assertBoolean('trackMemory', trackMemory);
  const perSecond = options.maxSamplesPerSecond === undefined ? 100 : options.maxSamplesPerSecond;
  if (perSecond !== false) assertIntegerOption(`${name}: maxSamplesPerSecond`, perSecond, 1, 10_000_000);
  if (options.bufferSize !== undefined)
    assertIntegerOption(`${name}: bufferSize`, options.bufferSize, 1, 10_000_000);
  const buckets = options.durationBuckets;
  if (buckets !== undefined) assertBuckets(buckets);
  return {
    name,
    trackMemory,
    maxSamplesPerSecond: perSecond === false ? Number.POSITIVE_INFINITY : perSecond,
    durationBuckets: buckets === undefined ? undefined : Object.freeze([...buckets]),
  };
}

/** Reads `performanceTimer(metricName?, tags?)` or `performanceTimer(options)` into timer options. */
export function timerOptionsOf(
  nameOrOptions: string | TimerOptions | undefined,
  tags: LabelsInput | undefined,
): TimerOptions {
  if (nameOrOptions === undefined || typeof nameOrOptions === 'string') {
    return {
      ...(nameOrOptions === undefined ? {} : { name: nameOrOptions }),
      ...(tags === undefined ? {} : { tags }),
    };
  }
  if (typeof nameOrOptions !== 'object' || nameOrOptions === null) {
    throw new ConfigError(
      `Invalid timer name ${describeValue(nameOrOptions)}: expected a string or an options object`,
      { value: nameOrOptions },
    );
  }
  if (tags !== undefined) {
    throw new ConfigError('performanceTimer(options, tags): put the tags in options.tags', { value: tags });
  }
  if (nameOrOptions.trackMemory !== undefined) assertBoolean('trackMemory', nameOrOptions.trackMemory);
  return nameOrOptions;
}

function assertBoolean(option: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`Invalid option ${option}=${describeValue(value)}: expected a boolean`, {
      subject: option,
      value,
    });
  }
}

/** Core's rule for `le` bounds: finite, strictly increasing, at least one; `+Inf` may end the list. */
function assertBuckets(buckets: readonly number[]): void {
  const bounds =
    Array.isArray(buckets) && buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : buckets;
  const valid =
    Array.isArray(bounds) &&
    bounds.length > 0 &&
    bounds.every(
      (bound, i) =>
        typeof bound === 'number' && Number.isFinite(bound) && (i === 0 || bound > bounds[i - 1]!),
    );
  if (!valid) {
    throw new ConfigError(
      `Invalid option durationBuckets=${describeValue(buckets)}: expected finite numbers of seconds in increasing order (+Inf may end the list)`,
      { subject: 'durationBuckets', value: buckets },
    );
  }
}
