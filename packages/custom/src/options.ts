import {
  assertIntegerOption,
  type CollectorOptions,
  ConfigError,
  describeValue,
  MetricsRegistry,
} from '@fw0/metrics-core';
import { DEFAULT_COLLECTOR_NAME } from './names.js';

/** Options of {@link CustomMetricsCollector} and `getCustomCollector()`. */
export interface CustomCollectorOptions extends CollectorOptions {
  /**
   * Name of the collector, unique within its registry (default `custom`): the `collector` label
   * of its self-metrics. Give two custom collectors in one registry two names.
   */
  readonly name?: string;
  /**
   * Most distinct label sets per metric this collector defines (default: the registry's
   * `maxSeriesPerMetric`, 2,000 unless set there). Past it, records go to one
   * `{fw0_overflow="true"}` series and `fw0_series_overflow_total{metric}` counts them.
   */
  readonly maxSeriesPerMetric?: number;
  /**
   * Most distinct metrics the collector defines (default 1,000). A call naming one more throws
   * ConfigError: metric names must not be built from data (put the data in tags or context).
   */
  readonly maxMetrics?: number;
  /** Longest business-metric context accepted, in UTF-16 code units of its JSON (default 4,096). */
  readonly maxContextLength?: number;
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  readonly name: string;
  readonly maxSeriesPerMetric: number | undefined;
  readonly maxMetrics: number;
  readonly maxContextLength: number;
}

/** Applies defaults and checks every option of this package; throws ConfigError before anything is created. */
export function resolveOptions(options: CustomCollectorOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid options ${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  // `null` is "not given" for every option, as `??` reads it in BaseCollector.
  if (options.registry != null && !(options.registry instanceof MetricsRegistry)) {
    throw new ConfigError(
      `Invalid option registry=${describeValue(options.registry)}: expected a MetricsRegistry from @fw0/metrics-core`,
      { subject: 'registry', value: options.registry },
    );
  }
  const logger: unknown = options.logger;
  if (logger != null && !isLogger(logger)) {
    throw new ConfigError(
      `Invalid option logger=${describeValue(logger)}: expected an object with debug, warn and error methods`,
      { subject: 'logger', value: logger },
    );
  }
  const name = options.name ?? DEFAULT_COLLECTOR_NAME;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new ConfigError(`Invalid option name=${describeValue(name)}: expected a non-empty string`, {
      subject: 'name',
      value: name,
    });
  }
  const maxMetrics = options.maxMetrics ?? 1000;
  assertIntegerOption('maxMetrics', maxMetrics, 1, 1_000_000);
  const maxContextLength = options.maxContextLength ?? 4096;
  assertIntegerOption('maxContextLength', maxContextLength, 2, 10_000_000);
  const maxSeriesPerMetric = options.maxSeriesPerMetric ?? undefined;
  if (maxSeriesPerMetric !== undefined)
    assertIntegerOption('maxSeriesPerMetric', maxSeriesPerMetric, 1, 10_000_000);
  return { name, maxSeriesPerMetric, maxMetrics, maxContextLength };
}

function isLogger(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.debug === 'function' &&
    typeof candidate.warn === 'function' &&
    typeof candidate.error === 'function'
  );
}
