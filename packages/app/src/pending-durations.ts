import type { CoarseClock, HistogramSeries } from '@fw0/metrics-core';

/** Durations held before a batch is observed: 64 doubles, half a kilobyte per series. */
export const PENDING_CAPACITY = 64;

/**
 * Durations of successful calls waiting to go into one histogram series, in seconds. Writing a
 * double into a typed array is a store, where calling the histogram from the timed call costs a
 * call V8 rarely inlines there, with the duration boxed as a heap number. A batch is observed
 * when it holds {@link PENDING_CAPACITY} durations, when a call comes in a later second than the
 * batch's oldest, and on every `flush()`, which `registry.collect()` triggers through the
 * collector's `refresh()`. Call counters are never batched.
 */
export class PendingDurations {
  /** The durations, in seconds; `count` of them are pending. */
  readonly values = new Float64Array(PENDING_CAPACITY);
  count = 0;
  /** Coarse-clock second of the oldest pending duration. */
  since = 0;

  constructor(
    /** The series the durations go into. */
    readonly series: HistogramSeries,
    /** The registry's coarse clock. */
    readonly clock: CoarseClock,
  ) {}

  /** Observes every pending duration now. */
  flush(): void {
    const count = this.count;
    this.count = 0;
    const values = this.values;
    const series = this.series;
    for (let i = 0; i < count; i++) series.observe(values[i]!);
  }
}
