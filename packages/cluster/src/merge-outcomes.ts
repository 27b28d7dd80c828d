import { MergeError, type MetricsSnapshot } from '@fw0/metrics-core';
import type { WorkerOutcome } from './ask-worker.js';
import { mergeParts, type SnapshotPart } from './merge-parts.js';
import { FailureReason } from './names.js';
import { labelSnapshot } from './worker-label.js';

/** A worker whose snapshot is missing from a collection, and why. */
export interface WorkerFailure {
  /** The worker's name. */
  readonly worker: string;
  /** Why its snapshot is missing. */
  readonly reason: FailureReason;
  /** What went wrong (a `TimeoutError` for a timeout, a `MergeError` for a conflict...). */
  readonly error: unknown;
}

/** A collection in detail: the merged snapshot, who answered and who did not. */
export interface AggregateResult {
  /** Every answer merged with this process's own metrics. */
  readonly snapshot: MetricsSnapshot;
  /** Names of the workers whose snapshot is merged in. */
  readonly answered: readonly string[];
  /** Workers asked whose snapshot is missing. */
  readonly failures: readonly WorkerFailure[];
}

/**
 * Merges the workers' answers with this process's snapshot (`local`, first) and the families
 * the aggregator's own registry defines (`own`, series left out: they are added later), so that a
 * worker whose metric clashes with one of them is the one left out: each worker's series labelled
 * `workerLabel="<name>"` when a label is given. Says who answered and who is missing, including
 * workers whose snapshot could not merge. Records nothing. Families without series are dropped.
 */
export function mergeOutcomes(
  outcomes: readonly WorkerOutcome[],
  local: MetricsSnapshot | undefined,
  workerLabel: string | undefined,
  own: MetricsSnapshot = EMPTY,
): AggregateResult {
  const parts: SnapshotPart[] = [];
  if (local !== undefined) parts.push({ worker: undefined, snapshot: local });
  if (own.families.length > 0) parts.push({ worker: undefined, snapshot: withoutSeries(own) });
  const failures: WorkerFailure[] = [];
  const answered = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.kind === 'missing') {
      // 'closed': the aggregator itself stopped waiting; not the worker's failure.
      if (outcome.reason !== 'closed')
        failures.push({ worker: outcome.worker, reason: outcome.reason, error: outcome.error });
      continue;
    }
    answered.add(outcome.worker);
    const snapshot =
      workerLabel === undefined
        ? outcome.snapshot
        : labelSnapshot(outcome.snapshot, workerLabel, outcome.worker);
    parts.push({ worker: outcome.worker, snapshot });
  }
  const merged = mergeParts(parts, (worker, error) => {
    answered.delete(worker);
    const reason = error instanceof MergeError ? FailureReason.MERGE_CONFLICT : FailureReason.INVALID_REPLY;
    failures.push({ worker, reason, error });
  });
  const families = merged.families.filter((family) => family.series.length > 0);
  const snapshot = families.length === merged.families.length ? merged : { ...merged, families };
  return { snapshot, answered: [...answered], failures };
}

const EMPTY: MetricsSnapshot = Object.freeze({ timestamp: 0, families: Object.freeze([]) });

/** The families of `snapshot` with no series: what a family is, without its values. */
function withoutSeries(snapshot: MetricsSnapshot): MetricsSnapshot {
  return { timestamp: 0, families: snapshot.families.map((family) => ({ ...family, series: [] })) };
}
