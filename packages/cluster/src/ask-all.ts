import { TimeoutError } from '@fw0/metrics-core';
import { askWorker, type PendingAnswer, type WorkerOutcome } from './ask-worker.js';
import { FailureReason } from './names.js';
import type { CollectRequest } from './protocol.js';
import type { WorkerLink } from './worker-link.js';

/** One request sent to every worker of a collection. */
export interface CollectRound {
  /** The requests waiting for an answer (to give up on them when the aggregator stops). */
  readonly pending: readonly PendingAnswer[];
  /** Every worker's outcome, within `timeoutMs`; never rejects. */
  readonly outcomes: Promise<WorkerOutcome[]>;
}

/**
 * Sends `request` to every link and gives up on those that have not answered after `timeoutMs`
 * milliseconds: one timer for the whole round (unref'd, cleared once all have settled).
 */
export function askAll(
  links: readonly WorkerLink[],
  request: CollectRequest,
  timeoutMs: number,
): CollectRound {
  const pending = links.map((link) => askWorker(link, request));
  if (pending.length === 0) return { pending, outcomes: Promise.resolve([]) };
  const timer = setTimeout(() => {
    for (const [i, answer] of pending.entries()) {
      const worker = links[i]!.name;
      answer.giveUp(
        FailureReason.TIMEOUT,
        new TimeoutError(`worker "${worker}" did not answer within ${timeoutMs} ms`, {
          subject: worker,
          value: timeoutMs,
        }),
      );
    }
  }, timeoutMs);
  timer.unref();
  const outcomes = Promise.all(pending.map((answer) => answer.outcome)).finally(() => clearTimeout(timer));
  return { pending, outcomes };
}
