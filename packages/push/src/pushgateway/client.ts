import type { Agent as HttpAgent } from 'node:http';
import {
  BaseCollector,
  ConfigError,
  encodePrometheus,
  type LabelsInput,
  PROMETHEUS_CONTENT_TYPE,
} from '@fw0/metrics-core';
import { Backoff } from '../backoff.js';
import { createAgent } from '../http/agent.js';
import { type HttpOutcome, isRetryableStatus, PushRequestError, sendHttp } from '../http/send.js';
import type { FailureReason } from '../names.js';
import { USER_AGENT } from '../names.js';
import { type PushMetrics, selfMetricsOf } from '../push-metrics.js';
import { SeriesEncoder } from '../remote-write/series-encoder.js';
import { redactUrl } from '../validation.js';
import { groupingPath } from './grouping-path.js';
import {
  type PushgatewayOptions,
  type ResolvedPushgatewayOptions,
  resolvePushgatewayOptions,
  validateGroupingLabels,
} from './options.js';

/** What a Pushgateway call does: `push` (PUT), `pushAdd` (POST) or `delete` (DELETE). */
export type PushgatewayOperation = 'push' | 'pushAdd' | 'delete';

/** The Pushgateway accepted the call. */
export interface PushSuccess {
  readonly ok: true;
  readonly operation: PushgatewayOperation;
  /** The HTTP status (2xx). */
  readonly status: number;
  /** Attempts made (1 unless retries were needed). */
  readonly attempts: number;
  /** Time of all attempts together, in seconds. */
  readonly durationSeconds: number;
}

/** The call failed: the failure result (never thrown), also counted and logged. */
export interface PushFailure {
  readonly ok: false;
  readonly operation: PushgatewayOperation;
  /** The HTTP status, if the Pushgateway answered. */
  readonly status: number | undefined;
  /** Why, as in `fw0_push_failed_requests_total{reason}`. */
  readonly reason: FailureReason;
  /** What went wrong, with the start of the response body if any. */
  readonly message: string;
  readonly error: PushRequestError;
  readonly attempts: number;
  /** Time of all attempts together, in seconds. */
  readonly durationSeconds: number;
}

/** The outcome of a Pushgateway call. */
export type PushResult = PushSuccess | PushFailure;

const METHODS = { push: 'PUT', pushAdd: 'POST', delete: 'DELETE' } as const;

/**
 * A Pushgateway client for batch jobs: pushes a registry's snapshot (Prometheus text 0.0.4) to
 * the group `/metrics/job/<job>/<label>/<value>...`.
 *
 * - `push()` (PUT) replaces every metric of the group; `pushAdd()` (POST) replaces only the
 *   metrics of the same names; `delete()` (DELETE) removes the group.
 * - Bad options and grouping labels throw typed errors at once. A failure of the call itself
 *   (non-2xx, network error, timeout) is never thrown: it resolves as `{ ok: false, ... }`,
 *   counted in `fw0_push_failed_requests_total` and `fw0_collector_errors_total`, and logged.
 */
export class PushgatewayClient extends BaseCollector {
  /** The Pushgateway base URL, without credentials. */
  readonly url: string;
  readonly job: string;
  private readonly options: ResolvedPushgatewayOptions;
  private readonly metrics: PushMetrics;
  private readonly agent: HttpAgent;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(options: PushgatewayOptions) {
    const resolved = resolvePushgatewayOptions(options);
    if (resolved.registry.collectors.some((collector) => collector.name === resolved.name)) {
      throw new ConfigError(
        `A collector named "${resolved.name}" is already registered in this registry: give this client another name`,
        { subject: 'name', value: resolved.name },
      );
    }
    // As the remote-write exporter: the base class checks first, the self-metrics come after.
    super(resolved.name, {
      registry: resolved.registry,
      maxSamplesPerSecond: false,
      ...(resolved.logger === undefined ? {} : { logger: resolved.logger }),
    });
    this.options = resolved;
    this.metrics = selfMetricsOf(this, { queue: false });
    this.url = redactUrl(resolved.url);
    this.job = resolved.job;
    this.headers = { 'User-Agent': USER_AGENT, ...resolved.headers };
    this.agent = createAgent(resolved.url, resolved.tls, false);
  }

  /** The URL of the group of `groupingLabels` (added to the client's own), without credentials. */
  groupUrl(groupingLabels?: LabelsInput): string {
    return redactUrl(this.groupTarget(groupingLabels));
  }

  /** PUT: replaces every metric of the group with the registry's snapshot. */
  push(groupingLabels?: LabelsInput): Promise<PushResult> {
    return this.call('push', this.groupTarget(groupingLabels));
  }

  /** POST: replaces the metrics of the group that have the same names as the snapshot's, keeps the others. */
  pushAdd(groupingLabels?: LabelsInput): Promise<PushResult> {
    return this.call('pushAdd', this.groupTarget(groupingLabels));
  }

  /** DELETE: removes every metric of the group. */
  delete(groupingLabels?: LabelsInput): Promise<PushResult> {
    return this.call('delete', this.groupTarget(groupingLabels));
  }

  /** Validates labels now (typed errors at once) and builds the group's URL. */
  private groupTarget(groupingLabels: LabelsInput | undefined): URL {
    const labels = { ...this.options.groupingLabels, ...validateGroupingLabels(groupingLabels) };
    const target = new URL(this.options.url.href);
    target.pathname = `${target.pathname.replace(/\/+$/, '')}${groupingPath(this.job, labels)}`;
    target.search = '';
    return target;
  }

  private async call(operation: PushgatewayOperation, target: URL): Promise<PushResult> {
    let body: Uint8Array | undefined;
    let samples = 0;
    const headers: Record<string, string> = { ...this.headers };
    if (operation !== 'delete') {
      const snapshot = await this.registry.collect({ sketches: false });
      body = encodePrometheus(snapshot);
      samples = SeriesEncoder.sampleCount(snapshot);
      headers['Content-Type'] = PROMETHEUS_CONTENT_TYPE;
    }
    const backoff = new Backoff(this.options.retry);
    let durationSeconds = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome: HttpOutcome = await sendHttp({
        url: target,
        method: METHODS[operation],
        headers,
        body,
        timeoutMs: this.options.timeoutMs,
        agent: this.agent,
      });
      durationSeconds += outcome.durationSeconds;
      this.metrics.requestDuration.observe(outcome.durationSeconds);
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        this.metrics.sentSamples.add(samples);
        this.metrics.sentBytes.add(body?.length ?? 0);
        this.metrics.lastSuccess.set(Date.now() / 1000);
        return { ok: true, operation, status: outcome.status, attempts: attempt, durationSeconds };
      }
      const error = new PushRequestError(`Pushgateway ${operation} to ${redactUrl(target)}`, outcome);
      this.metrics.failed(error.reason).add();
      const retryable = outcome.kind !== 'response' || isRetryableStatus(outcome.status);
      if (!retryable || attempt >= this.options.attempts) {
        this.recordFailure(operation, error);
        return {
          ok: false,
          operation,
          status: error.status,
          reason: error.reason,
          message: error.message,
          error,
          attempts: attempt,
          durationSeconds,
        };
      }
      const waitMs = backoff.next(outcome.kind === 'response' ? outcome.retryAfterMs : undefined);
      // The caller awaits this call: the wait keeps the process alive, unlike background work.
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** Creates a {@link PushgatewayClient} for `options.job`. */
export function getPushgatewayClient(options: PushgatewayOptions): PushgatewayClient {
  return new PushgatewayClient(options);
}
