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

/** Ends a chain whose rejection is the caller's business, not ours. */
const ignore = (): void => {};

/**
 * Watches `thenable` settle and returns what to hand the caller instead:
 * - a promise (`instanceof Promise`, subclasses included): the promise itself, same object, same
 *   own properties, settling on the same turn. The observer is attached with `then` right away,
 *   so it is the promise's first reaction and runs before any the caller attaches later. The
 *   promise `then` derives from it never rejects (the observer does not throw), so nothing new
 *   can go unhandled; but attaching a rejection handler counts as handling the promise, so a
 *   rejection that nobody else handles is no longer reported by Node as unhandled (see the
 *   README, "Promises and thenables").
 * - another thenable: a native promise that settles as it does. Its `then` is called exactly
 *   once, now (calling it again for the caller could run a lazy query twice); a thenable that
 *   calls back more than once is observed once. The promise handed back is marked handled too,
 *   so the timer adds no unhandled rejection of its own.
 * If `then` throws, the thenable itself is returned, as an untimed call would have returned it.
 */
export function observeSettlement(thenable: object, then: ThenMethod, observer: SettlementObserver): unknown {
  if (thenable instanceof Promise) {
    try {
      Reflect.apply(then, thenable, [
        (value: unknown) => observer.fulfilled(value),
        (reason: unknown) => observer.rejected(reason),
      ]);
    } catch (error) {
      observer.thenThrew(error);
    }
    return thenable;
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
  promise.then(undefined, ignore);
  return promise;
}
