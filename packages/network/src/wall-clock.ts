import { performance } from 'node:perf_hooks';

/** How often the offset between the wall clock and `performance.now()` is read again, in milliseconds. */
const RESYNC_MS = 1000;

// Synced at the first call (nothing is read on import).
let offset = 0;
let syncedAt = Number.NEGATIVE_INFINITY;

/**
 * The wall-clock time (Unix epoch milliseconds) of a `performance.now()` reading, for the
 * timestamp of a sample whose end was already stamped: one clock read per request saved (a
 * clock read costs 0.1 to 0.2 µs on some virtual machines). The offset between the two clocks
 * is read again at least once a second, so a step of the system clock shows within a second,
 * as it would in `Date.now()`.
 */
export function epochMilliseconds(monotonicMs: number): number {
  // A reading from before the last sync (a measurement that ended just before) keeps the offset.
  if (monotonicMs - syncedAt > RESYNC_MS) {
    syncedAt = performance.now();
    offset = Date.now() - syncedAt;
  }
  return offset + monotonicMs;
}
