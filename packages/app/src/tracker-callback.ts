import { observeSettlement, thenOf } from './thenable.js';
import type { TrackerScope } from './tracker-scope.js';

/**
 * Runs `callback` inside `scope` and ends the scope with the callback's outcome: `success` when
 * it returns (or its promise resolves), `error` when it throws (or its promise rejects). Returns
 * what the callback returns; for a promise, `promise.then(...)` settling with the same value or
 * reason, for another thenable a native promise that settles the same way (see
 * `observeSettlement`). Errors are rethrown unchanged.
 */
export function runInScope<T>(scope: TrackerScope, callback: (scope: TrackerScope) => T): T {
  let result: T;
  try {
    result = callback(scope);
  } catch (error) {
    endFailed(scope, error);
    throw error;
  }
  const then = thenOf(result);
  if (then === undefined) {
    scope.end();
    return result;
  }
  return observeSettlement(result as object, then, {
    fulfilled: () => scope.end(),
    rejected: (reason) => endFailed(scope, reason),
    // The outcome cannot be known: the scope ends now, and the result goes back untouched.
    thenThrew: () => scope.end(),
  }) as T;
}

function endFailed(scope: TrackerScope, error: unknown): void {
  if (!scope.ended) scope.fail(error);
  scope.end();
}
