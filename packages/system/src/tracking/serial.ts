/**
 * Runs asynchronous work one piece at a time, in call order: two collections of the same area
 * (a manual call during continuous collection) never interleave their readings. When nothing is
 * queued, work starts at once (no extra promise turn: the usual case, once a second).
 */
export class Serial {
  private tail: Promise<unknown> | undefined;
  private queued = 0;
  private readonly finished = () => {
    if (--this.queued === 0) this.tail = undefined;
  };

  /** Runs `work` after everything queued before it; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail === undefined ? work() : this.tail.then(work);
    this.queued++;
    this.tail = result.then(this.finished, this.finished);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail === undefined ? Promise.resolve() : this.tail.then(() => undefined);
  }
}
