/**
 * The messages the aggregator and the workers exchange over the channel they already share
 * (cluster IPC, a worker thread's port). Every message carries `protocol: PROTOCOL`, a tag no
 * application message has, and a request id unique to one aggregator, so neither side mistakes
 * the other's messages, nor the application's, for its own; the application's own listeners may
 * see these messages and should ignore what they do not know.
 */
import type { MetricsSnapshot } from '@fw0/metrics-core';

/** The tag of every message of this package (version 1 of the protocol). */
export const PROTOCOL = 'fw0.metrics.cluster/1';

/** Asks a worker for a snapshot of its registry. */
export interface CollectRequest {
  readonly protocol: typeof PROTOCOL;
  readonly kind: 'collect';
  /** Unique per request: `<aggregator id>:<sequence>`. */
  readonly id: string;
  /** Include histogram sketches (needed for merged quantiles; text exposition does without). */
  readonly sketches: boolean;
  /** How long the aggregator waits for the answer, in milliseconds. */
  readonly timeoutMs: number;
}

/** A worker's answer: its snapshot. */
export interface SnapshotReply {
  readonly protocol: typeof PROTOCOL;
  readonly kind: 'snapshot';
  readonly id: string;
  /**
   * The snapshot, or its JSON text. Over ports (worker threads) workers send text: one string
   * is about twice as cheap to transfer as the object graph. Over process IPC they send the
   * object, which Node serialises as JSON itself. JSON keeps every number of a snapshot exactly.
   */
  readonly snapshot: MetricsSnapshot | string;
}

/** A worker's answer when its registry could not be collected. */
export interface ErrorReply {
  readonly protocol: typeof PROTOCOL;
  readonly kind: 'error';
  readonly id: string;
  /** What went wrong, as the worker saw it. */
  readonly message: string;
}

/** Either answer of a worker. */
export type Reply = SnapshotReply | ErrorReply;

function isTagged(message: unknown): message is { protocol: string; kind: unknown; id: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { protocol?: unknown }).protocol === PROTOCOL
  );
}

/** True when `message` is a snapshot request of this protocol. */
export function isCollectRequest(message: unknown): message is CollectRequest {
  return isTagged(message) && message.kind === 'collect' && typeof message.id === 'string';
}

/** True when `message` answers the request `id` (a snapshot or an error). */
export function isReplyTo(message: unknown, id: string): message is Reply {
  return isTagged(message) && message.id === id && (message.kind === 'snapshot' || message.kind === 'error');
}
