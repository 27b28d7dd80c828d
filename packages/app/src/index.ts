/**
 * @fw0/metrics-app: function timing (method decorators in both TypeScript decorator modes,
 * function wrappers, `using` scopes), call counts, memory per call and Node.js runtime health.
 */

export { ApplicationMetricsCollector, getApplicationCollector } from './collector.js';
export type { EventLoopDelayStats, EventLoopReading } from './event-loop-window.js';
export { GC_KINDS, type GcKind } from './gc-observer.js';
export type { HeapReading, HeapSpaceReading } from './heap-statistics.js';
export type { MemoryDelta, MemoryReading } from './memory.js';
export { memberName, toExposedName } from './metric-name.js';
export {
  AppLabel,
  DEFAULT_COLLECTOR_NAME,
  FailureOperation,
  Outcome,
  RuntimeMetricName,
  TimerSuffix,
} from './names.js';
export type { ApplicationCollectorOptions, TimerOptions } from './options.js';
export type { RuntimeHealthOptions, RuntimeHealthReading } from './runtime-health.js';
export type { TimerDecorator } from './timer-decorator.js';
export { TrackerScope } from './tracker-scope.js';
