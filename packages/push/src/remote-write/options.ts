import {
  assertIntegerOption,
  ConfigError,
  describeValue,
  isMetricsRegistry,
  type Logger,
  type MetricsRegistry,
} from '@fw0/metrics-core';
import { type ResolvedRetry, type RetryOptions, resolveRetry } from '../backoff.js';
import { type TlsOptions, validateTls } from '../http/agent.js';
import { DEFAULT_REMOTE_WRITE_NAME, REMOTE_WRITE_HEADERS } from '../names.js';
import { BODY_FRAMING_HEADERS, parseHttpUrl, validateHeaders, validateLabelOption } from '../validation.js';

/** Options of a {@link RemoteWriteExporter}. */
export interface RemoteWriteOptions {
  /** The remote-write endpoint, e.g. `http://127.0.0.1:9090/api/v1/write`; user:password in the URL become basic auth. */
  readonly url: string;
  /** The registry whose snapshot is pushed (its collectors are refreshed before each push). */
  readonly registry: MetricsRegistry;
  /** Name of this exporter: the `exporter` label of its self-metrics and its collector name (default `remote_write`). */
  readonly name?: string;
  /** Time between two snapshots, in milliseconds (default 15,000). */
  readonly intervalMs?: number;
  /** Longest one HTTP request may take, in milliseconds (default 10,000). */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. `{ Authorization: 'Bearer ...' }` (the protocol headers cannot be overridden). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The queue bound: most samples waiting while the remote is slow or down (default 100,000;
   * one sample is one series at one time). Past it the oldest are dropped and counted in
   * `fw0_push_dropped_samples_total{reason="queue_full"}`. At least `maxSamplesPerRequest`.
   */
  readonly maxQueueSamples?: number;
  /** Most samples in one request (default 5,000); a larger snapshot goes in several requests, in order. */
  readonly maxSamplesPerRequest?: number;
  /** Backoff between attempts after a retryable failure (5xx, 429, network error, timeout). */
  readonly retry?: RetryOptions;
  /** Labels added to every series that does not have a label of the same name (e.g. `{ instance, region }`). */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Time between two sends of metric metadata (type, help, unit), in milliseconds (default 60,000; 0: never). */
  readonly metadataIntervalMs?: number;
  /** How long `stop()` may spend pushing what is queued, in milliseconds (default 5,000). */
  readonly flushTimeoutMs?: number;
  /** TLS settings for an `https://` URL: a private CA, a client certificate (mutual TLS)... */
  readonly tls?: TlsOptions;
  /** Where the exporter says what failed or was dropped (default: the registry's logger). */
  readonly logger?: Logger;
}

/** Options with defaults applied, all checked. */
export interface ResolvedRemoteWriteOptions {
  readonly url: URL;
  readonly registry: MetricsRegistry;
  readonly name: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxQueueSamples: number;
  readonly maxSamplesPerRequest: number;
  readonly retry: ResolvedRetry;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly metadataIntervalMs: number;
  readonly flushTimeoutMs: number;
  readonly tls: TlsOptions | undefined;
  readonly logger: Logger | undefined;
}

/** Checks every option at once; throws a typed error naming the first bad value, creating nothing. */
export function resolveRemoteWriteOptions(options: RemoteWriteOptions): ResolvedRemoteWriteOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`Invalid remote-write options ${describeValue(options)}: expected an object`, {
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
  const name = options.name ?? DEFAULT_REMOTE_WRITE_NAME;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(`Invalid option name=${describeValue(name)}: expected a non-empty string`, {
      subject: 'name',
      value: name,
    });
  }
  const intervalMs = options.intervalMs ?? 15_000;
  assertIntegerOption('intervalMs', intervalMs, 10, 86_400_000);
  const timeoutMs = options.timeoutMs ?? 10_000;
  assertIntegerOption('timeoutMs', timeoutMs, 1, 600_000);
  const maxSamplesPerRequest = options.maxSamplesPerRequest ?? 5000;
  assertIntegerOption('maxSamplesPerRequest', maxSamplesPerRequest, 1, 1_000_000);
  const maxQueueSamples = options.maxQueueSamples ?? Math.max(100_000, maxSamplesPerRequest);
  assertIntegerOption('maxQueueSamples', maxQueueSamples, maxSamplesPerRequest, 100_000_000);
  const metadataIntervalMs = options.metadataIntervalMs ?? 60_000;
  assertIntegerOption('metadataIntervalMs', metadataIntervalMs, 0, 86_400_000);
  const flushTimeoutMs = options.flushTimeoutMs ?? 5000;
  assertIntegerOption('flushTimeoutMs', flushTimeoutMs, 1, 600_000);
  return {
    url,
    registry: options.registry,
    name,
    intervalMs,
    timeoutMs,
    headers: validateHeaders('headers', options.headers, [
      ...Object.keys(REMOTE_WRITE_HEADERS),
      ...BODY_FRAMING_HEADERS,
    ]),
    maxQueueSamples,
    maxSamplesPerRequest,
    retry: resolveRetry('retry', options.retry),
    externalLabels: validateLabelOption('externalLabels', options.externalLabels),
    metadataIntervalMs,
    flushTimeoutMs,
    tls: validateTls(url, options.tls),
    logger: options.logger,
  };
}
