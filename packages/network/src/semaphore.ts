import { assertIntegerOption } from '@fw0/metrics-core';

/** Limits how many probes run at once; waiters are served first come, first served. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    assertIntegerOption('maxConcurrentProbes', limit, 1, 10_000);
  }

  /** Slots in use. */
  get inUse(): number {
    return this.active;
  }

  /**
   * Resolves true once a slot is taken (call {@link release} after), or false if `signal`
   * aborted first (no slot is taken then).
   */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = () => {
        signal.removeEventListener('abort', giveUp);
        this.active++;
        resolve(true);
      };
      const giveUp = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', giveUp, { once: true });
    });
  }

  /** Frees a slot, handing it to the first waiter. */
  release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
