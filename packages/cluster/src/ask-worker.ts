import { performance } from 'node:perf_hooks';
import { ClosedError, type MetricsSnapshot } from '@fw0/metrics-core';
import { FailureReason } from './names.js';
import { type CollectRequest, isReplyTo } from './protocol.js';
import { isSnapshotShape } from './snapshot-shape.js';
import type { WorkerLink } from './worker-link.js';

/** Why an answer is missing: a {@link FailureReason}, or `closed` when the aggregator stopped waiting. */
export type MissingReason = FailureReason | 'closed';

/** What one worker gave for one request. */
export type WorkerOutcome =
  | {
      readonly kind: 'answered';
      readonly worker: string;
      readonly snapshot: MetricsSnapshot;
      /** Time from sending the request to the answer, in seconds. */
      readonly seconds: number;
    }
  | {
      readonly kind: 'missing';
      readonly worker: string;
      readonly reason: MissingReason;
      readonly error: unknown;
    };

/** A request on its way: its outcome, and a way to give up waiting. */
export interface PendingAnswer {
  /** Settles exactly once and never rejects. */
  readonly outcome: Promise<WorkerOutcome>;
  /** Stops waiting: the outcome becomes `missing` for `reason`, unless the answer came first. */
  giveUp(reason: MissingReason, error: unknown): void;
}

/** The snapshot of an answer (parsed when it came as JSON text), or undefined when it is not one. */
function decodeSnapshot(value: unknown): MetricsSnapshot | undefined {
  let snapshot = value;
  if (typeof value === 'string') {
    try {
      snapshot = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return isSnapshotShape(snapshot) ? snapshot : undefined;
}

/**
 * Sends `request` to the worker behind `link` and listens for its answer, for the worker going
 * away and for a failed send; listeners are removed as soon as the outcome is known, so a late
 * answer finds nobody waiting and is ignored.
 */
export function askWorker(link: WorkerLink, request: CollectRequest): PendingAnswer {
  const started = performance.now();
  let settled = false;
  let stopListening = () => {};
  let resolve!: (outcome: WorkerOutcome) => void;
  const outcome = new Promise<WorkerOutcome>((done) => {
    resolve = done;
  });
  const finish = (result: WorkerOutcome) => {
    if (settled) return;
    settled = true;
    stopListening();
    resolve(result);
  };
  const missing = (reason: MissingReason, error: unknown) =>
    finish({ kind: 'missing', worker: link.name, reason, error });

  stopListening = link.listen(
    (message) => {
      if (!isReplyTo(message, request.id)) return;
      if (message.kind === 'error') {
        missing(
          FailureReason.WORKER_ERROR,
          new Error(`worker "${link.name}" failed: ${String(message.message)}`),
        );
        return;
      }
      const snapshot = decodeSnapshot(message.snapshot);
      if (snapshot === undefined) {
        missing(
          FailureReason.INVALID_REPLY,
          new Error(`worker "${link.name}" answered with no valid snapshot`),
        );
        return;
      }
      finish({
        kind: 'answered',
        worker: link.name,
        snapshot,
        seconds: (performance.now() - started) / 1000,
      });
    },
    () =>
      missing(
        FailureReason.EXITED,
        new ClosedError(`worker "${link.name}" exited or disconnected before answering`, {
          subject: link.name,
        }),
      ),
  );
  link.send(request, (error) => missing(FailureReason.SEND_FAILED, error));
  return { outcome, giveUp: missing };
}
