import type { Agent as HttpAgent } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  assertIntegerOption,
  BaseCollector,
  ClosedError,
  ConfigError,
  describeValue,
  PeriodicTask,
  safeLog,
} from '@fw0/metrics-core';
import { createAgent } from '../http/agent.js';
import { REMOTE_WRITE_HEADERS, USER_AGENT } from '../names.js';
import { selfMetricsOf } from '../push-metrics.js';
import { redactUrl } from '../validation.js';
import { holdProcess, wait } from '../wait.js';
import {
  type RemoteWriteOptions,
  type ResolvedRemoteWriteOptions,
  resolveRemoteWriteOptions,
} from './options.js';
import { RemoteWriteSender } from './sender.js';
import { SeriesEncoder } from './series-encoder.js';

/**
 * How much longer than its timeout a `flush()` or `stop()` holds the process alive. Its last
 * wake-up (a backoff wait, a request's timer: unref'd, as all background work) is due at its
 * deadline; a hold that ended exactly then could fire first and let the process exit with the
 * call never settled (an awaited flush or stop abandoned, the rest of a shutdown skipped). The
 * hold is released as soon as the call settles, so the margin costs nothing otherwise.
 */
const SETTLE_MARGIN_MS = 1000;

/** Options of {@link RemoteWriteExporter.flush} and {@link RemoteWriteExporter.stop}. */
export interface FlushOptions {
  /** Longest the call may take, in milliseconds (default: the exporter's `flushTimeoutMs`). */
  readonly timeoutMs?: number;
}

/**
 * Pushes a registry's snapshot to a Prometheus remote-write 1.0 endpoint (Prometheus with
 * `--web.enable-remote-write-receiver`, VictoriaMetrics, Mimir, Thanos receive...) every
 * `intervalMs`, in the background.
 *
 * - Each snapshot becomes one sample per series, named as the text exposition names it, in a
 *   bounded queue (`maxQueueSamples`; past it the oldest are dropped and counted), sent oldest
 *   first, `maxSamplesPerRequest` at a time, as snappy-compressed protobuf.
 * - 5xx, 429, network errors and timeouts are retried with exponential backoff and jitter
 *   (`Retry-After` honoured) while the queue keeps filling; other statuses drop the request's
 *   samples, counted and logged with the start of the response body.
 * - Nothing is thrown into the host and nothing keeps the process alive: timers and sockets are
 *   unref'd. `stop()` pushes a last snapshot and what is queued, within `flushTimeoutMs`.
 *
 * It is a collector of its own health: registered in the registry under `name`, failures in
 * `fw0_collector_errors_total{collector=name}`, and the `fw0_push_*` self-metrics. It records no
 * samples (`getCollectedMetrics()` returns none).
 */
export class RemoteWriteExporter extends BaseCollector {
  /** The endpoint, without credentials. */
  readonly url: string;
  /** Time between two snapshots, in milliseconds. */
  readonly intervalMs: number;
  /** The queue bound, in samples. */
  readonly maxQueueSamples: number;
  private readonly options: ResolvedRemoteWriteOptions;
  private readonly encoder: SeriesEncoder;
  private readonly sender: RemoteWriteSender;
  private readonly task: PeriodicTask;
  private readonly agent: HttpAgent;
  private metadataAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private stopping: Promise<void> | undefined;

  constructor(options: RemoteWriteOptions) {
    const resolved = resolveRemoteWriteOptions(options);
    if (resolved.registry.collectors.some((collector) => collector.name === resolved.name)) {
      throw new ConfigError(
        `A collector named "${resolved.name}" is already registered in this registry: give this exporter another name`,
        { subject: 'name', value: resolved.name },
      );
    }
    // The base class checks the name and logger before it binds anything; the self-metrics are
    // defined after it, so that a refused exporter leaves no series behind.
    super(resolved.name, {
      registry: resolved.registry,
      maxSamplesPerSecond: false,
      ...(resolved.logger === undefined ? {} : { logger: resolved.logger }),
    });
    const metrics = selfMetricsOf(this, { queue: true });
    this.options = resolved;
    this.url = redactUrl(resolved.url);
    this.intervalMs = resolved.intervalMs;
    this.maxQueueSamples = resolved.maxQueueSamples;
    this.encoder = new SeriesEncoder(resolved.externalLabels);
    this.agent = createAgent(resolved.url, resolved.tls, true);
    this.sender = new RemoteWriteSender({
      name: resolved.name,
      url: this.url,
      options: resolved,
      metrics,
      agent: this.agent,
      headers: { 'User-Agent': USER_AGENT, ...resolved.headers, ...REMOTE_WRITE_HEADERS },
      logger: this.logger,
      recordFailure: (operation, error) => this.recordFailure(operation, error),
    });
    this.task = new PeriodicTask({
      name: resolved.name,
      intervalMs: resolved.intervalMs,
      registry: resolved.registry,
      logger: this.logger,
      run: () => this.tick(),
      onError: (error) => this.recordFailure('collect', error),
    });
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.task.running;
  }

  /** Samples waiting in the queue (not counting a request in flight). */
  get queuedSamples(): number {
    return this.sender.queuedSamples;
  }

  /** Starts pushing: a snapshot now, then every `intervalMs`. Throws ClosedError after `stop()`. */
  start(): void {
    if (this.closed) throw this.closedError();
    this.task.start();
  }

  /** Brings the queue gauges up to date before a snapshot. */
  refresh(): void {
    this.sender.updateGauges();
  }

  /**
   * Takes a snapshot now and pushes it with everything queued, trying at once even during a
   * backoff. Resolves true when the queue is empty (sent, or refused and counted), false when
   * `timeoutMs` passed first (what is left stays queued). Never rejects for remote failures;
   * throws ClosedError after `stop()`.
   */
  async flush(options: FlushOptions = {}): Promise<boolean> {
    if (this.closed) throw this.closedError();
    const timeoutMs = this.timeoutOf('flush', options);
    const deadline = performance.now() + timeoutMs;
    const hold = holdProcess(timeoutMs + SETTLE_MARGIN_MS);
    try {
      await this.collectAndEnqueue(deadline);
      this.sender.retryNow();
      return await this.sender.flushUntil(deadline);
    } finally {
      hold.release();
      this.sender.kick();
    }
  }

  /**
   * Stops the schedule, pushes a last snapshot and what is queued, and resolves within
   * `timeoutMs` (default `flushTimeoutMs`) even if the remote hangs: a request still in flight
   * then is aborted and what is left is counted as dropped (`reason="shutdown"`). Never rejects;
   * calling it again returns the same promise.
   */
  stop(options: FlushOptions = {}): Promise<void> {
    const timeoutMs = this.timeoutOf('stop', options);
    this.stopping ??= this.shutdownWithin(timeoutMs);
    return this.stopping;
  }

  /** The `timeoutMs` of flush() or stop() options (default `flushTimeoutMs`); ConfigError if bad. */
  private timeoutOf(call: 'flush' | 'stop', options: FlushOptions): number {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(`Invalid ${call}() options ${describeValue(options)}: expected an object`, {
        subject: call,
        value: options,
      });
    }
    const timeoutMs = options.timeoutMs ?? this.options.flushTimeoutMs;
    assertIntegerOption(`${call} timeoutMs`, timeoutMs, 1, 600_000);
    return timeoutMs;
  }

  private async shutdownWithin(timeoutMs: number): Promise<void> {
    this.closed = true;
    const deadline = performance.now() + timeoutMs;
    // The caller awaits the shutdown: hold the process until it is done (or timed out).
    const hold = holdProcess(timeoutMs + SETTLE_MARGIN_MS);
    try {
      await Promise.race([this.task.stop(), wait(timeoutMs)]);
      this.sender.retryNow();
      await this.collectAndEnqueue(deadline);
      await this.sender.flushUntil(deadline);
      const left = await this.sender.close(this.closedError());
      if (left > 0) {
        safeLog(
          this.logger,
          'warn',
          `remote-write "${this.name}": ${left} samples not delivered before stop()`,
          {
            url: this.url,
            timeoutMs,
          },
        );
      }
    } catch (error) {
      this.recordFailure('stop', error);
    } finally {
      hold.release();
      this.agent.destroy();
      this.registry.unregister(this);
    }
  }

  /** One tick of the schedule: snapshot, queue, send in the background. */
  private async tick(): Promise<void> {
    await this.collectAndEnqueue(Number.POSITIVE_INFINITY);
    this.sender.kick();
  }

  /** Takes a snapshot (within `deadline`, `performance.now()` ms) and queues its samples. */
  private async collectAndEnqueue(deadline: number): Promise<void> {
    try {
      const remaining = Math.floor(deadline - performance.now());
      const snapshot = await this.registry.collect(
        remaining < this.registry.collectTimeoutMs
          ? { sketches: false, timeoutMs: Math.max(1, remaining) }
          : { sketches: false },
      );
      const interval = this.options.metadataIntervalMs;
      let metadata: Uint8Array | undefined;
      if (interval > 0 && snapshot.timestamp - this.metadataAt >= interval) {
        metadata = this.encoder.encodeMetadata(snapshot);
        this.metadataAt = snapshot.timestamp;
      }
      this.sender.enqueue(this.encoder.encode(snapshot), metadata);
    } catch (error) {
      this.recordFailure('collect', error);
    }
  }

  private closedError(): InstanceType<typeof ClosedError> {
    return new ClosedError(`remote-write exporter "${this.name}" was stopped`, { subject: this.name });
  }
}

/** Creates a {@link RemoteWriteExporter} (not started: call `start()`). */
export function getRemoteWriteExporter(options: RemoteWriteOptions): RemoteWriteExporter {
  return new RemoteWriteExporter(options);
}
