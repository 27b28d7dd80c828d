import type { MessagePort } from 'node:worker_threads';
import {
  ClosedError,
  ConfigError,
  describeValue,
  isMetricsRegistry,
  type Logger,
  type MetricsRegistry,
  safeLog,
} from '@fw0/metrics-core';
import { DEFAULT_RESPONDER_NAME, REPLY_OPERATION } from './names.js';
import { assertLoggerOption, assertOptionsObject } from './option-checks.js';
import { type CollectRequest, isCollectRequest, PROTOCOL, type Reply } from './protocol.js';
import { type ResponderChannel, responderChannel } from './responder-channel.js';

/** Options of `exposeWorkerMetrics()`. */
export interface WorkerMetricsOptions {
  /**
   * The port to answer on (the other end goes to `aggregator.addWorker(port)`); default: the
   * worker thread's `parentPort`, or the IPC channel of a cluster worker or forked child.
   */
  readonly port?: MessagePort;
  /** The `collector` label of the responder's failures in `fw0_collector_errors_total` (default `worker_metrics`). */
  readonly name?: string;
  /** Where the responder says what went wrong (default: the registry's logger). */
  readonly logger?: Logger;
}

/** Share of the aggregator's wait the worker gives its own collectors, so that it answers in time. */
const COLLECT_SHARE = 0.8;

/** Channels that already have a responder: one per channel, or the aggregator would hear two answers. */
const active = new WeakMap<object, WorkerMetricsResponder>();

/**
 * The worker side: answers the aggregator's snapshot requests with `registry.collect()` over
 * the channel the worker shares with its parent. Messages of the application pass untouched.
 * While it listens, the channel stays referenced (as with any message listener); {@link stop}
 * removes its listener.
 */
export class WorkerMetricsResponder {
  /** The registry whose snapshots are sent. */
  readonly registry: MetricsRegistry;
  /** The `collector` label of its failures. */
  readonly name: string;
  private readonly channel: ResponderChannel;
  private readonly logger: Logger;
  private readonly listener = (message: unknown) => {
    if (isCollectRequest(message)) void this.answer(message);
  };
  private answeredCount = 0;
  private stopped = false;

  constructor(registry: MetricsRegistry, options: WorkerMetricsOptions = {}) {
    if (!isMetricsRegistry(registry)) {
      throw new ConfigError(`Invalid registry ${describeValue(registry)}: expected a MetricsRegistry`, {
        subject: 'registry',
        value: registry,
      });
    }
    assertOptionsObject('exposeWorkerMetrics', options);
    const name = options.name ?? DEFAULT_RESPONDER_NAME;
    // The name is the `collector` label of the responder's failures: valid Unicode, or counting
    // a failure would throw (out of a message listener, as an unhandled rejection).
    if (typeof name !== 'string' || name === '' || !name.isWellFormed()) {
      throw new ConfigError(
        `Invalid option name=${describeValue(name)}: expected a non-empty string of valid Unicode`,
        { subject: 'name', value: name },
      );
    }
    assertLoggerOption(options.logger);
    const channel = responderChannel(options.port);
    if (active.has(channel.key)) {
      throw new ConfigError(
        'Metrics are already exposed on this channel: stop() that responder first (one registry per channel; merge registries in the worker if you have several)',
        { subject: 'port' },
      );
    }
    this.registry = registry;
    this.name = name;
    this.channel = channel;
    this.logger = options.logger ?? registry.logger;
    active.set(channel.key, this);
    channel.listen(this.listener);
  }

  /** Requests answered so far (with a snapshot or an error). */
  get requestsAnswered(): number {
    return this.answeredCount;
  }

  /** True until {@link stop}. */
  get listening(): boolean {
    return !this.stopped;
  }

  /** Stops answering and removes the listener; requests being answered are not replied to. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.channel.unlisten(this.listener);
    if (active.get(this.channel.key) === this) active.delete(this.channel.key);
  }

  private async answer(request: CollectRequest): Promise<void> {
    let reply: Reply;
    try {
      const snapshot = await this.registry.collect({
        sketches: request.sketches !== false,
        timeoutMs: this.collectBudget(request.timeoutMs),
      });
      reply = {
        protocol: PROTOCOL,
        kind: 'snapshot',
        id: request.id,
        snapshot: this.channel.snapshotAsText ? JSON.stringify(snapshot) : snapshot,
      };
    } catch (error) {
      this.fail('collect', error);
      reply = {
        protocol: PROTOCOL,
        kind: 'error',
        id: request.id,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    if (this.stopped) {
      safeLog(this.logger, 'debug', `responder "${this.name}": stopped; request ${request.id} not answered`, {
        error: new ClosedError('responder stopped', { subject: this.name }),
      });
      return;
    }
    this.answeredCount++;
    this.channel.reply(reply, (error) => this.fail(REPLY_OPERATION, error));
  }

  /** Milliseconds the worker's own collectors get: a share of the aggregator's wait, at most the registry's. */
  private collectBudget(timeoutMs: unknown): number {
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) return this.registry.collectTimeoutMs;
    return Math.max(1, Math.min(this.registry.collectTimeoutMs, Math.floor(timeoutMs * COLLECT_SHARE)));
  }

  private fail(operation: string, error: unknown): void {
    this.registry.self.collectorErrors.add(1, { collector: this.name, operation });
    safeLog(this.logger, 'error', `responder "${this.name}": ${operation} failed`, { error });
  }
}
