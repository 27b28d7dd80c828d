/** One second of the dashboard: what the page draws. Durations in seconds, sizes in bytes. */
export interface DashboardFrame {
  /** Milliseconds since the Unix epoch. */
  readonly t: number;
  /** Percent busy: overall and per core (null until two readings exist). */
  readonly cpu: { readonly overall: number | null; readonly cores: readonly (number | null)[] };
  readonly memory: {
    readonly usedBytes: number | null;
    readonly availableBytes: number | null;
    readonly totalBytes: number | null;
    readonly swapUsedBytes: number | null;
  };
  readonly disk: { readonly readBytesPerSecond: number | null; readonly writeBytesPerSecond: number | null };
  readonly network: {
    readonly receiveBytesPerSecond: number | null;
    readonly transmitBytesPerSecond: number | null;
  };
  /** Timers by name with window quantiles (seconds) and call counts. */
  readonly timers: readonly {
    readonly name: string;
    readonly p50: number;
    readonly p99: number;
    readonly count: number;
  }[];
  /** Probes with their last result; phases in seconds. */
  readonly probes: readonly {
    readonly target: string;
    readonly kind: 'http' | 'tcp';
    readonly success: boolean;
    /** Successes / attempts so far, 0 to 1. */
    readonly successRatio: number;
    readonly durationSeconds: number | null;
    readonly phases: Readonly<Record<string, number>>;
  }[];
  /**
   * Business counters and amounts (the sum of a business histogram): total so far and the rate
   * per second since the previous frame.
   */
  readonly business: readonly {
    readonly name: string;
    readonly unit: string;
    readonly value: number;
    readonly rate: number | null;
  }[];
  /**
   * Gauges, current values: the shop's own, the pool stats of each observed undici dispatcher
   * (`undici_pool_connected{name="shop-api"}`, summed over origins) and the heap. `unit` is
   * `count`, `bytes` or `ratio`.
   */
  readonly gauges: readonly {
    readonly name: string;
    readonly unit: 'count' | 'bytes' | 'ratio';
    readonly value: number;
  }[];
  readonly runtime: {
    readonly eventLoopP99Seconds: number | null;
    readonly utilization: number | null;
    readonly heapUsedBytes: number | null;
  };
}
