import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SampleList } from './recorder.js';

/** Handed every failure of a read, with the read's operation name (the collector counts and logs it). */
export type FailureHandler = (operation: string, error: unknown) => void;

/**
 * A read whose rates need a previous reading at least `minRateWindowMs` old, built once per
 * collector (no closure per collection). `run` takes a baseline first if there is none, waits
 * for what is left of the window, then reads and updates. A failure goes to `fail` and gives no
 * samples; `run` never rejects.
 */
export class RateRead<T> {
  /** performance.now() of the last reading, in milliseconds (NaN before the first). */
  private lastReadAt = Number.NaN;

  constructor(
    private readonly operation: string,
    /** Shortest window a rate is computed over, in milliseconds. */
    private readonly minRateWindowMs: number,
    private readonly read: () => Promise<T>,
    /** Gets the reading and its time (performance.now(), milliseconds). */
    private readonly update: (reading: T, at: number, samples: SampleList) => void,
    private readonly fail: FailureHandler,
  ) {}

  /** True once a reading succeeded. */
  get hasReading(): boolean {
    return !Number.isNaN(this.lastReadAt);
  }

  /** Reads and updates; samples go to `samples` (and to the buffer, through the update). */
  async run(samples?: SampleList): Promise<void> {
    try {
      if (Number.isNaN(this.lastReadAt)) {
        const baseline = await this.read();
        this.lastReadAt = performance.now();
        this.update(baseline, this.lastReadAt, undefined);
      }
      const wait = this.lastReadAt + this.minRateWindowMs - performance.now();
      if (wait > 0) await sleep(wait);
      const reading = await this.read();
      this.lastReadAt = performance.now();
      this.update(reading, this.lastReadAt, samples);
    } catch (error) {
      this.fail(this.operation, error);
    }
  }
}
