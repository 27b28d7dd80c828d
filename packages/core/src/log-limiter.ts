/**
 * Lets a repeated log line through at most once per interval, so that an event that can happen
 * on every call (a sampled-out sample, a skipped tick) never logs per call. The first event
 * passes at once; events within the interval after it are added up and told by the next line
 * that passes.
 */
export class LogLimiter {
  private nextAt = Number.NEGATIVE_INFINITY;
  private pending = 0;

  constructor(
    /** Shortest time between two lines, in seconds. */
    readonly intervalSeconds: number,
  ) {}

  /**
   * Adds `count` events that happened at `nowSeconds` (any monotonic clock, in seconds). Returns
   * the number of events the line to write now stands for (these and those held back since the
   * last line), or 0 when no line is due.
   */
  add(count: number, nowSeconds: number): number {
    this.pending += count;
    if (nowSeconds < this.nextAt) return 0;
    this.nextAt = nowSeconds + this.intervalSeconds;
    const events = this.pending;
    this.pending = 0;
    return events;
  }
}
