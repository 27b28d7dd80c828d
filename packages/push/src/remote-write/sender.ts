import type { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type Logger, safeLog } from '@fw0/metrics-core';
import { Backoff } from '../backoff.js';
import { type HttpOutcome, isRetryableStatus, PushRequestError, sendHttp } from '../http/send.js';
import type { PushMetrics, QueueMetrics } from '../push-metrics.js';
import { snappyCompress } from '../snappy/compress.js';
import { wait } from '../wait.js';
import type { ResolvedRemoteWriteOptions } from './options.js';
import { chunkBody, type QueueChunk, SampleQueue } from './sample-queue.js';
import type { EncodedBatch } from './series-encoder.js';

/** What a {@link RemoteWriteSender} needs from its exporter. */
export interface SenderContext {
  readonly name: string;
  /** The endpoint without credentials, for messages. */
  readonly url: string;
  readonly options: ResolvedRemoteWriteOptions;
  readonly metrics: PushMetrics;
  readonly agent: Agent;
  readonly headers: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** Counts and logs a failure (the collector's `recordFailure`). */
  recordFailure(operation: string, error: unknown): void;
}

/**
 * The queue and the sending side of a remote-write exporter: one request in flight at a time
 * (samples arrive oldest first), retries after a backoff, drops counted. Never throws.
 */
export class RemoteWriteSender {
  private readonly queue: SampleQueue;
  private readonly queueMetrics: QueueMetrics;
  private readonly backoff: Backoff;
  private readonly shutdown = new AbortController();
  /** The drain in progress, if any. */
  private sending: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** No request before this time (`performance.now()` milliseconds): the current backoff. */
  private nextAttemptAt = 0;
  /** Metadata entries to send with the next request, until one is accepted or refused. */
  private metadata: Uint8Array | undefined;
  private flushing = 0;
  private queueFullLogged = false;

  constructor(private readonly context: SenderContext) {
    this.queue = new SampleQueue(context.options.maxQueueSamples);
    if (context.metrics.queue === undefined) throw new Error('a remote-write sender needs queue metrics');
    this.queueMetrics = context.metrics.queue;
    this.backoff = new Backoff(context.options.retry);
  }

  /** Samples waiting (not counting a request in flight). */
  get queuedSamples(): number {
    return this.queue.size;
  }

  /** Encoded bytes waiting. */
  get queuedBytes(): number {
    return this.queue.bytes;
  }

  /** Queues a snapshot's samples (dropping the oldest past the bound) and metadata to send. */
  enqueue(batch: EncodedBatch, metadata: Uint8Array | undefined): void {
    const dropped = this.queue.push(batch);
    if (dropped > 0) this.dropOldest(dropped);
    if (metadata !== undefined) this.metadata = metadata;
    this.updateGauges();
  }

  /** Ends any backoff: the next send tries at once. */
  retryNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.nextAttemptAt = 0;
  }

  /** Starts sending in the background unless a send is going, the queue is empty or a backoff runs. */
  kick(): void {
    if (this.sending !== undefined || this.flushing > 0 || this.shutdown.signal.aborted) return;
    if (this.queue.size === 0) return;
    const waitMs = this.nextAttemptAt - performance.now();
    if (waitMs > 0) {
      if (this.retryTimer === undefined) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, waitMs);
        this.retryTimer.unref();
      }
      return;
    }
    void this.startDrain(Number.POSITIVE_INFINITY).then(() => this.kick());
  }

  /** Sends until the queue is empty or `deadline` (`performance.now()` ms), waiting out backoffs that end before it. */
  async flushUntil(deadline: number): Promise<boolean> {
    this.flushing++;
    try {
      for (;;) {
        const remaining = deadline - performance.now();
        if (remaining < 1) break;
        if (this.sending !== undefined) {
          await Promise.race([this.sending, wait(remaining)]);
          continue;
        }
        if (this.queue.size === 0) break;
        const waitMs = this.nextAttemptAt - performance.now();
        if (waitMs > 0) {
          if (waitMs >= remaining) break;
          await wait(waitMs);
          continue;
        }
        await this.startDrain(deadline);
      }
    } finally {
      this.flushing--;
    }
    return this.queue.size === 0 && this.sending === undefined;
  }

  /**
   * Aborts a request in flight and stops sending for good; what was left is counted as dropped
   * (`reason="shutdown"`). Returns how many samples that was.
   */
  async close(reason: Error): Promise<number> {
    this.retryNow();
    this.shutdown.abort(reason);
    await this.sending;
    const left = this.queue.clear();
    this.queueMetrics.dropped.shutdown.add(left);
    this.updateGauges();
    return left;
  }

  /** Sets the queue gauges. */
  updateGauges(): void {
    this.queueMetrics.samples.set(this.queue.size);
    this.queueMetrics.bytes.set(this.queue.bytes);
  }

  private startDrain(deadline: number): Promise<void> {
    const drain: Promise<void> = this.drain(deadline)
      .catch((error: unknown) => this.context.recordFailure('push', error))
      .finally(() => {
        if (this.sending === drain) this.sending = undefined;
      });
    this.sending = drain;
    return drain;
  }

  /** Sends from the queue, oldest first, until it is empty, a request must be retried, or `deadline`. */
  private async drain(deadline: number): Promise<void> {
    const { options } = this.context;
    while (this.queue.size > 0 && !this.shutdown.signal.aborted) {
      const remaining = deadline - performance.now();
      if (remaining < 1) return;
      const chunk = this.queue.take(options.maxSamplesPerRequest);
      this.updateGauges();
      const metadata = this.metadata;
      const body = snappyCompress(chunkBody(chunk, metadata));
      const outcome = await sendHttp({
        url: options.url,
        method: 'POST',
        headers: this.context.headers,
        body,
        timeoutMs: Math.min(options.timeoutMs, Math.ceil(remaining)),
        agent: this.context.agent,
        signal: this.shutdown.signal,
        background: true,
      });
      this.context.metrics.requestDuration.observe(outcome.durationSeconds);
      if (!this.settle(chunk, outcome, body.length, metadata)) return;
    }
  }

  /** Accounts for a request's outcome; false when sending must pause (retry later, or shutdown). */
  private settle(
    chunk: QueueChunk,
    outcome: HttpOutcome,
    bodyBytes: number,
    metadata: Uint8Array | undefined,
  ): boolean {
    const { metrics } = this.context;
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
      metrics.sentSamples.add(chunk.samples);
      metrics.sentBytes.add(bodyBytes);
      metrics.lastSuccess.set(Date.now() / 1000);
      this.backoff.reset();
      this.nextAttemptAt = 0;
      this.queueFullLogged = false;
      if (this.metadata === metadata) this.metadata = undefined;
      return true;
    }
    if (outcome.kind === 'aborted') {
      this.putBack(chunk);
      return false;
    }
    const error = new PushRequestError(
      `remote write of ${chunk.samples} samples to ${this.context.url}`,
      outcome,
    );
    metrics.failed(error.reason).add();
    this.context.recordFailure('push', error);
    if (outcome.kind === 'response' && !isRetryableStatus(outcome.status)) {
      // Not retried (the same body would be refused again): dropped, counted and logged.
      this.queueMetrics.dropped.rejected.add(chunk.samples);
      if (this.metadata === metadata) this.metadata = undefined;
      return true;
    }
    this.putBack(chunk);
    const waitMs = this.backoff.next(outcome.kind === 'response' ? outcome.retryAfterMs : undefined);
    this.nextAttemptAt = performance.now() + waitMs;
    return false;
  }

  private putBack(chunk: QueueChunk): void {
    const dropped = this.queue.putBack(chunk);
    if (dropped > 0) this.dropOldest(dropped);
    this.updateGauges();
  }

  private dropOldest(count: number): void {
    this.queueMetrics.dropped.queue_full.add(count);
    if (this.queueFullLogged) return;
    this.queueFullLogged = true;
    safeLog(
      this.context.logger,
      'warn',
      `remote-write "${this.context.name}": queue full (${this.queue.maxSamples} samples); dropping the oldest`,
      {
        url: this.context.url,
        hint: 'the remote is down or slow; raise maxQueueSamples to ride out longer outages',
      },
    );
  }
}
