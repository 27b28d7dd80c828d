/**
 * Every metric and label name @fw0/metrics-app exposes. Runtime-health names follow prom-client's
 * default metrics (`nodejs_*`) so existing dashboards work unchanged; names prom-client does not
 * have follow the same pattern.
 */

/** Suffixes appended to the exposed base name of a timed function or scope (see `toExposedName`). */
export const TimerSuffix = {
  /** Histogram of call durations, in seconds. Labels: outcome, plus the timer's tags. */
  DURATION: '_duration_seconds',
  /** Counter of calls. Labels: outcome, plus the timer's tags. */
  CALLS: '_calls_total',
  /** Histogram of the V8 heap-in-use change across a call, in bytes (may be negative); `trackMemory` only. */
  HEAP_DELTA: '_heap_delta_bytes',
  /** Histogram of the external-memory change across a call, in bytes (may be negative); `trackMemory` only. */
  EXTERNAL_DELTA: '_external_delta_bytes',
} as const;

/** Names of the runtime-health metrics (opt-in with `start()`). */
export const RuntimeMetricName = {
  /** Time a `setImmediate` callback waited at the end of each window, in seconds (prom-client). */
  EVENTLOOP_LAG: 'nodejs_eventloop_lag_seconds',
  /** Smallest event-loop delay seen in the last window, in seconds. */
  EVENTLOOP_LAG_MIN: 'nodejs_eventloop_lag_min_seconds',
  /** Largest event-loop delay seen in the last window, in seconds. */
  EVENTLOOP_LAG_MAX: 'nodejs_eventloop_lag_max_seconds',
  /** Mean event-loop delay of the last window, in seconds. */
  EVENTLOOP_LAG_MEAN: 'nodejs_eventloop_lag_mean_seconds',
  /** Standard deviation of the event-loop delay of the last window, in seconds. */
  EVENTLOOP_LAG_STDDEV: 'nodejs_eventloop_lag_stddev_seconds',
  /** Median event-loop delay of the last window, in seconds. */
  EVENTLOOP_LAG_P50: 'nodejs_eventloop_lag_p50_seconds',
  /** 90th percentile of the event-loop delay of the last window, in seconds. */
  EVENTLOOP_LAG_P90: 'nodejs_eventloop_lag_p90_seconds',
  /** 99th percentile of the event-loop delay of the last window, in seconds. */
  EVENTLOOP_LAG_P99: 'nodejs_eventloop_lag_p99_seconds',
  /** Fraction of the last window the event loop spent running code (0 to 1). */
  EVENTLOOP_UTILIZATION: 'nodejs_eventloop_utilization_ratio',
  /** Garbage-collection pauses, in seconds (prom-client). Labels: kind. */
  GC_DURATION: 'nodejs_gc_duration_seconds',
  /** Size of each V8 heap space, in bytes (prom-client). Labels: space. */
  HEAP_SPACE_SIZE_TOTAL: 'nodejs_heap_space_size_total_bytes',
  /** Bytes in use in each V8 heap space (prom-client). Labels: space. */
  HEAP_SPACE_SIZE_USED: 'nodejs_heap_space_size_used_bytes',
  /** Bytes still available in each V8 heap space (prom-client). Labels: space. */
  HEAP_SPACE_SIZE_AVAILABLE: 'nodejs_heap_space_size_available_bytes',
  /** Total V8 heap size, in bytes (prom-client). */
  HEAP_SIZE_TOTAL: 'nodejs_heap_size_total_bytes',
  /** V8 heap in use, in bytes (prom-client). */
  HEAP_SIZE_USED: 'nodejs_heap_size_used_bytes',
  /** Memory of array buffers and external strings, in bytes (prom-client). */
  EXTERNAL_MEMORY: 'nodejs_external_memory_bytes',
} as const;

/** Label names of the package. */
export const AppLabel = {
  /** How a timed call or scope ended: `success` or `error`. Reserved: timer tags may not use it. */
  OUTCOME: 'outcome',
  /** Kind of garbage collection: `minor`, `major`, `incremental`, `weakcb` (prom-client's values). */
  KIND: 'kind',
  /** V8 heap space, without the `_space` suffix: `new`, `old`, `code`, `large_object`... */
  SPACE: 'space',
} as const;

/** Values of the `outcome` label. */
export const Outcome = {
  /** The call returned, or its promise resolved. */
  SUCCESS: 'success',
  /** The call threw, its promise rejected, or the scope was marked with `fail()`. */
  ERROR: 'error',
} as const;

/** One of the {@link Outcome} values. */
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** Default name of the collector (the `collector` label of its self-metrics). */
export const DEFAULT_COLLECTOR_NAME = 'app';

/** Values of the `operation` label of `fw0_collector_errors_total` this package counts. */
export const FailureOperation = {
  /** A returned thenable's own `then` threw: it was handed back untimed. */
  SETTLE: 'settle',
  /** The class of a method decorated in standard mode could not be told: the call ran untimed. */
  RESOLVE_TIMER_NAME: 'resolve_timer_name',
  /** A resolved `Class.method` name could not be bound (invalid or conflicting): calls run untimed. */
  BIND_TIMER: 'bind_timer',
  /** Handling a garbage-collection entry failed. */
  GC_OBSERVE: 'gc_observe',
  /** Reading a runtime-health window failed. */
  RUNTIME_HEALTH: 'runtime_health',
} as const;
