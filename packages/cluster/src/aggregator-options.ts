import {
  assertIntegerOption,
  ConfigError,
  describeValue,
  isMetricsRegistry,
  type Logger,
  type MetricsRegistry,
  validateLabelName,
} from '@fw0/metrics-core';
import { DEFAULT_AGGREGATOR_NAME } from './names.js';

/** Options of {@link WorkerAggregator} and `getWorkerAggregator()`. */
export interface WorkerAggregatorOptions {
  /** Name of the aggregator: the `collector` label of its self-metrics (default `workers`). */
  readonly name?: string;
  /**
   * The registry of this process itself (the cluster primary or the main thread), merged with
   * the workers' (default: none). Instruments defined on `aggregator.registry` are merged too.
   */
  readonly local?: MetricsRegistry;
  /**
   * How long a collection waits for the workers' answers, in milliseconds (default 2,000;
   * 1 to 600,000). A worker that has not answered by then is reported and left out; the
   * collection never waits longer. It also bounds the refresh of local collectors.
   */
  readonly timeoutMs?: number;
  /** Ask every live `node:cluster` worker of this primary at each collection (default true). */
  readonly cluster?: boolean;
  /**
   * Per-worker view: when set (e.g. `'worker'`), each worker's series keep apart, labelled
   * with this label and the worker's name, instead of being merged (default: merged).
   */
  readonly workerLabel?: string;
  /** Where the aggregator says what it did (default: the local registry's logger, else `NODE_DEBUG=fw0`). */
  readonly logger?: Logger;
  /** Most answer samples kept between two `getCollectedMetrics()` calls (default 10,000). */
  readonly bufferSize?: number;
  /** Answer samples per second kept before sampling starts (default 100; `false` keeps all). */
  readonly maxSamplesPerSecond?: number | false;
}

/** Options with defaults applied, validated. */
export interface ResolvedAggregatorOptions {
  readonly name: string;
  readonly local: MetricsRegistry | undefined;
  readonly timeoutMs: number;
  readonly cluster: boolean;
  readonly workerLabel: string | undefined;
  readonly logger: Logger | undefined;
  readonly bufferSize: number | undefined;
  readonly maxSamplesPerSecond: number | false | undefined;
}

/** Default of {@link WorkerAggregatorOptions.timeoutMs}: 2,000 milliseconds. */
export const DEFAULT_TIMEOUT_MS = 2000;

/** Labels a worker label would collide with in the exposition. */
const RESERVED_WORKER_LABELS = ['le', 'quantile', 'fw0_overflow'];

/** Checks every option (throwing a typed error that names the bad value) and applies defaults. */
export function resolveAggregatorOptions(options: WorkerAggregatorOptions): ResolvedAggregatorOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid aggregator options ${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  const name = options.name ?? DEFAULT_AGGREGATOR_NAME;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(`Invalid option name=${describeValue(name)}: expected a non-empty string`, {
      subject: 'name',
      value: name,
    });
  }
  if (options.local !== undefined && !isMetricsRegistry(options.local)) {
    throw new ConfigError(
      `Invalid option local=${describeValue(options.local)}: expected a MetricsRegistry`,
      {
        subject: 'local',
        value: options.local,
      },
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  assertIntegerOption('timeoutMs', timeoutMs, 1, 600_000);
  const cluster = options.cluster ?? true;
  if (typeof cluster !== 'boolean') {
    throw new ConfigError(`Invalid option cluster=${describeValue(cluster)}: expected true or false`, {
      subject: 'cluster',
      value: cluster,
    });
  }
  if (options.workerLabel !== undefined) {
    if (typeof options.workerLabel !== 'string') {
      throw new ConfigError(
        `Invalid option workerLabel=${describeValue(options.workerLabel)}: expected a string`,
        {
          subject: 'workerLabel',
          value: options.workerLabel,
        },
      );
    }
    validateLabelName('(workerLabel option)', options.workerLabel, RESERVED_WORKER_LABELS);
  }
  return {
    name,
    local: options.local,
    timeoutMs,
    cluster,
    workerLabel: options.workerLabel,
    logger: options.logger ?? options.local?.logger,
    bufferSize: options.bufferSize,
    maxSamplesPerSecond: options.maxSamplesPerSecond,
  };
}
