const ignore = () => undefined;

/**
 * Runs asynchronous work one piece at a time, in call order: two collections of the same area
 * (a manual call during continuous collection) never interleave their readings.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything queued before it; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.then(ignore, ignore);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(ignore);
  }
}
