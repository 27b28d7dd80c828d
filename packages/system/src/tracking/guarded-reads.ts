import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PerformanceMetric } from '@fw0/metrics-core';

/** The reads that rates are computed from, each with its own clock. */
export type RateSource = 'cpu' | 'swap' | 'disk' | 'network';

/**
 * Runs the collector's reads so that each fails alone and rates always cover a real window.
 * A failure is handed to `fail` (the collector counts and logs it) and gives no samples.
 */
export class GuardedReads {
  /** performance.now() of the last reading of each rate source (NaN before the first). */
  private readonly lastReadAt: Record<RateSource, number> = {
    cpu: Number.NaN,
    swap: Number.NaN,
    disk: Number.NaN,
    network: Number.NaN,
  };

  constructor(
    /** Shortest window a rate is computed over, in milliseconds. */
    private readonly minRateWindowMs: number,
    private readonly fail: (operation: string, error: unknown) => void,
  ) {}

  /** Runs one read and its update; a failure is handed to `fail` under `operation`. */
  async attempt(operation: string, work: () => Promise<PerformanceMetric[]>): Promise<PerformanceMetric[]> {
    try {
      return await work();
    } catch (error) {
      this.fail(operation, error);
      return [];
    }
  }

  /**
   * A read whose rates need a previous reading at least `minRateWindowMs` old: takes a baseline
   * first if there is none, waits for what is left of the window, then reads and updates.
   * `update` gets the reading and its time (performance.now(), milliseconds).
   */
  withRate<T>(
    operation: string,
    source: RateSource,
    read: () => Promise<T>,
    update: (reading: T, at: number) => PerformanceMetric[],
  ): Promise<PerformanceMetric[]> {
    return this.attempt(operation, async () => {
      if (Number.isNaN(this.lastReadAt[source])) {
        const baseline = await read();
        this.lastReadAt[source] = performance.now();
        update(baseline, this.lastReadAt[source]);
      }
      const wait = this.lastReadAt[source] + this.minRateWindowMs - performance.now();
      if (wait > 0) await sleep(wait);
      const reading = await read();
      this.lastReadAt[source] = performance.now();
      return update(reading, this.lastReadAt[source]);
    });
  }
}
