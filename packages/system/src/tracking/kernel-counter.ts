import type { CounterSeries } from '@fw0/metrics-core';

const U32 = 2 ** 32;

/**
 * How a kernel counter may go down:
 * - `wrap`: it wraps around (a 32-bit counter of an old driver or a 32-bit kernel) or restarts
 *   (an interface or device re-created);
 * - `monotonic`: it never truly goes down, but may read a little lower than before for a moment
 *   (per-CPU idle and iowait on some kernels): such a dip is ignored.
 */
export type CounterBehaviour = 'wrap' | 'monotonic';

/**
 * Follows one cumulative kernel counter through successive raw readings and keeps a registry
 * counter equal to it, in base units (`raw * multiplier / divisor`: ticks / 100 = seconds,
 * sectors * 512 = bytes).
 *
 * The registry counter only goes up. While the kernel counter does too, the two are equal. A
 * 32-bit wrap (the new reading is lower, the old one fits 32 bits, and the wrapped distance is
 * under 2^31) counts the distance across the wrap; any other decrease is a restart: what the
 * restarted counter shows is added and no delta is reported for that interval. The exposed
 * total then runs ahead of the kernel's by what it had counted before, as Prometheus expects of
 * a counter; a negative rate never appears.
 */
export class KernelCounter {
  /** Last raw reading (the highest, for `monotonic`); NaN before the first. */
  private last = Number.NaN;
  /** Raw total since the first reading, wraps and restarts included. */
  private total = 0;

  constructor(
    private readonly series: CounterSeries | undefined,
    private readonly behaviour: CounterBehaviour,
    private readonly multiplier = 1,
    private readonly divisor = 1,
  ) {}

  /**
   * Takes a raw reading; returns the raw increase since the previous one, or NaN when there is
   * none to give (the first reading, a restart). Updates the registry counter.
   */
  update(raw: number): number {
    const last = this.last;
    // Most counters of a host do not move in a second (errors, drops, idle devices): nothing to do.
    if (raw === last) return 0;
    let delta: number;
    if (Number.isNaN(last)) {
      this.total = raw;
      this.last = raw;
      delta = Number.NaN;
    } else if (raw >= last) {
      delta = raw - last;
      this.total += delta;
      this.last = raw;
    } else if (this.behaviour === 'monotonic') {
      delta = 0;
    } else if (last < U32 && raw + U32 - last < U32 / 2) {
      delta = raw + U32 - last;
      this.total += delta;
      this.last = raw;
    } else {
      this.total += raw;
      this.last = raw;
      delta = Number.NaN;
    }
    const series = this.series;
    if (series !== undefined) {
      const increase = (this.total * this.multiplier) / this.divisor - series.value;
      if (increase > 0) series.add(increase);
    }
    return delta;
  }

  /** The total in base units, as the registry counter shows it. */
  get value(): number {
    return (this.total * this.multiplier) / this.divisor;
  }
}
