/** A `then` method, whatever its signature. */
type ThenMethod = Function;

/**
 * The `then` method of a thenable (a promise or any object with a callable `then`), or undefined
 * for anything else, including an object whose `then` getter throws: such an object is treated as
 * a plain value, as it is not one `await` could settle either.
 */
export function thenOf(value: unknown): ThenMethod | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    const then = (value as { then?: unknown }).then;
    return typeof then === 'function' ? then : undefined;
  } catch {
    return undefined;
  }
}

/** Told how a thenable settled. Its methods must not throw. */
export interface SettlementObserver {
  fulfilled(value: unknown): void;
  rejected(reason: unknown): void;
  /** The thenable's own `then` threw when called: it was handed back untouched. */
  thenThrew(error: unknown): void;
}

/**
 * Watches `thenable` settle and returns what to hand the caller instead. The timer never changes
 * whether a rejection is reported as unhandled: what the caller gets rejects exactly when the
 * thenable does, and is left for the caller to handle (or not).
 * - a promise (`instanceof Promise`, subclasses included): `promise.then(...)` with the observer,
 *   a promise of its species (a subclass's `then` returns the subclass) that fulfils or rejects
 *   with the same value or reason, one microtask turn after the promise itself. The observer is
 *   the promise's reaction, attached now, so the call is recorded when the promise settles,
 *   before any continuation the caller attaches to what it gets. The promise itself is handled
 *   by that reaction; its rejection passes to the derived promise, which Node reports as
 *   unhandled if the caller leaves it so, with the same reason. It is a new object: the
 *   promise's own properties (an `abort` set on the instance) are not on it (see the README,
 *   "Promises and thenables").
 * - another thenable: a native promise that settles as it does. Its `then` is called exactly
 *   once, now (calling it again for the caller could run a lazy query twice); a thenable that
 *   calls back more than once is observed once. A rejection left unhandled is reported as for
 *   an awaited thenable.
 * If `then` throws, the thenable itself is returned, as an untimed call would have returned it.
 */
export function observeSettlement(thenable: object, then: ThenMethod, observer: SettlementObserver): unknown {
  if (thenable instanceof Promise) {
    try {
      return Reflect.apply(then, thenable, [
        (value: unknown) => {
          observer.fulfilled(value);
          return value;
        },
        (reason: unknown) => {
          observer.rejected(reason);
          throw reason;
        },
      ]);
    } catch (error) {
      observer.thenThrew(error);
      return thenable;
    }
  }
  let settled = false;
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<unknown>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  try {
    Reflect.apply(then, thenable, [
      (value: unknown) => {
        if (settled) return;
        settled = true;
        observer.fulfilled(value);
        resolve(value);
      },
      (reason: unknown) => {
        if (settled) return;
        settled = true;
        observer.rejected(reason);
        reject(reason);
      },
    ]);
  } catch (error) {
    if (!settled) {
      observer.thenThrew(error);
      return thenable;
    }
  }
  return promise;
}
