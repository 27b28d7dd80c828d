import {
  assertIntegerOption,
  ConfigError,
  describeValue,
  isMetricsRegistry,
  type LabelsInput,
  type Logger,
  type MetricsRegistry,
  normalizeLabelValue,
} from '@fw0/metrics-core';
import { type ResolvedRetry, type RetryOptions, resolveRetry } from '../backoff.js';
import { type TlsOptions, validateTls } from '../http/agent.js';
import { DEFAULT_PUSHGATEWAY_NAME } from '../names.js';
import { BODY_FRAMING_HEADERS, parseHttpUrl, validateHeaders, validateLabelOption } from '../validation.js';

/** Options of a {@link PushgatewayClient}. */
export interface PushgatewayOptions {
  /** Base URL of the Pushgateway, e.g. `http://127.0.0.1:9091` (a path prefix is kept). */
  readonly url: string;
  /** The registry whose snapshot is pushed. */
  readonly registry: MetricsRegistry;
  /** The `job` of the grouping key (non-empty). */
  readonly job: string;
  /** Further grouping labels (e.g. `{ instance: 'batch-7' }`); a call may add or override some. */
  readonly groupingLabels?: LabelsInput;
  /** Longest one request may take, in milliseconds (default 10,000). */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. `{ Authorization: 'Bearer ...' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Attempts per call for retryable failures (5xx, 429, network errors, timeouts), with backoff
   * between them (default 1: no retry).
   */
  readonly attempts?: number;
  /** Backoff between attempts, when `attempts` > 1. */
  readonly retry?: RetryOptions;
  /** Name of this client: the `exporter` label of its self-metrics and its collector name (default `pushgateway`). */
  readonly name?: string;
  /** TLS settings for an `https://` URL: a private CA, a client certificate (mutual TLS)... */
  readonly tls?: TlsOptions;
  /** Where the client says what failed (default: the registry's logger). */
  readonly logger?: Logger;
}

/** Options with defaults applied, all checked. */
export interface ResolvedPushgatewayOptions {
  readonly url: URL;
  readonly registry: MetricsRegistry;
  readonly job: string;
  readonly groupingLabels: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly attempts: number;
  readonly retry: ResolvedRetry;
  readonly name: string;
  readonly tls: TlsOptions | undefined;
  readonly logger: Logger | undefined;
}

/** Checks a job name: a non-empty, well-formed string. */
export function validateJob(job: unknown): string {
  if (typeof job !== 'string' || job === '') {
    throw new ConfigError(`Invalid job ${describeValue(job)}: the Pushgateway needs a non-empty job name`, {
      subject: 'job',
      value: job,
    });
  }
  return normalizeLabelValue('pushgateway', 'job', job);
}

/** Grouping labels: valid label names other than `job` (given separately), string values. */
export function validateGroupingLabels(labels: unknown): Record<string, string> {
  return validateLabelOption('groupingLabels', labels, ['job']);
}

/** Checks every option at once; throws a typed error naming the first bad value. */
export function resolvePushgatewayOptions(options: PushgatewayOptions): ResolvedPushgatewayOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid Pushgateway options ${describeValue(options)}: expected an object`, {
      value: options,
    });
  }
  const url = parseHttpUrl('url', options.url);
  if (!isMetricsRegistry(options.registry)) {
    throw new ConfigError(
      `Invalid option registry=${describeValue(options.registry)}: expected a MetricsRegistry`,
      {
        subject: 'registry',
        value: options.registry,
      },
    );
  }
  const name = options.name ?? DEFAULT_PUSHGATEWAY_NAME;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(`Invalid option name=${describeValue(name)}: expected a non-empty string`, {
      subject: 'name',
      value: name,
    });
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  assertIntegerOption('timeoutMs', timeoutMs, 1, 600_000);
  const attempts = options.attempts ?? 1;
  assertIntegerOption('attempts', attempts, 1, 100);
  return {
    url,
    registry: options.registry,
    job: validateJob(options.job),
    groupingLabels: validateGroupingLabels(options.groupingLabels),
    timeoutMs,
    headers: validateHeaders('headers', options.headers, ['Content-Type', ...BODY_FRAMING_HEADERS]),
    attempts,
    retry: resolveRetry('retry', options.retry),
    name,
    tls: validateTls(url, options.tls),
    logger: options.logger,
  };
}
