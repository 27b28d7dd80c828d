import {
  type Counter,
  type CounterSeries,
  type Histogram,
  type HistogramSeries,
  type Labels,
  type MetricsRegistry,
  MetricUnit,
  type NameSampler,
} from '@fw0/metrics-core';
import { AppLabel, Outcome, TimerSuffix } from './names.js';
import { PendingDurations } from './pending-durations.js';
import type { SampleSink } from './sample-sink.js';
import { type OutcomeSeries, TimerBinding } from './timer-binding.js';
import type { CanonicalTags } from './timer-tags.js';

/** `le` buckets of the memory-delta histograms, in bytes: shrinking and growing, 4 KiB to 256 MiB. */
export const MEMORY_DELTA_BUCKETS: readonly number[] = Object.freeze([
  -(2 ** 24),
  -(2 ** 20),
  -(2 ** 16),
  -(2 ** 12),
  0,
  2 ** 12,
  2 ** 16,
  2 ** 20,
  2 ** 24,
  2 ** 28,
]);

/** How a family's instruments are defined. */
export interface FamilyDefinition {
  /** The timer name as callers wrote it. */
  readonly name: string;
  /** Its exposed snake_case base (see `toExposedName`). */
  readonly exposedName: string;
  /** `le` buckets of the duration histogram, in seconds (default: core's seconds buckets). */
  readonly buckets: readonly number[] | undefined;
}

/**
 * Everything recorded under one timer name: the duration histogram and call counter in the
 * registry, its bindings by tag set, and its sampler (shared by every tag set of the name).
 */
export class TimerFamily {
  readonly name: string;
  readonly exposedName: string;
  readonly duration: Histogram;
  readonly calls: Counter;
  private memory: { heap: Histogram; external: Histogram } | undefined;
  private readonly bindings = new Map<string, TimerBinding>();
  /** Distinct call-counter series of this name (the overflow series counted once). */
  private readonly callSeries = new Set<CounterSeries>();
  /** Pending durations by duration series (at most the series limit plus the overflow series). */
  private readonly pending = new Map<HistogramSeries, PendingDurations>();

  /**
   * Defines (or finds) the instruments of `definition` in `registry`; a definition that conflicts
   * with an existing metric throws `MetricConflictError` and leaves the registry as it was.
   */
  constructor(
    private readonly registry: MetricsRegistry,
    definition: FamilyDefinition,
    private readonly sampler: NameSampler,
    private readonly sink: SampleSink,
  ) {
    this.name = definition.name;
    this.exposedName = definition.exposedName;
    [this.duration, this.calls] = definePair(
      registry,
      definition.exposedName + TimerSuffix.DURATION,
      (name) =>
        registry.histogram({
          name,
          help: `Duration of ${definition.name} calls, by outcome`,
          unit: MetricUnit.SECONDS,
          ...(definition.buckets === undefined ? {} : { buckets: definition.buckets }),
        }),
      () =>
        registry.counter({
          name: definition.exposedName + TimerSuffix.CALLS,
          help: `Calls of ${definition.name}, by outcome`,
        }),
    );
  }

  /** Calls recorded under this name so far, every tag set and outcome included. */
  get callCount(): number {
    let total = 0;
    for (const series of this.callSeries) total += series.value;
    return total;
  }

  /** The binding of `tags`, created on first use; with `trackMemory`, it records memory deltas too. */
  bind(tags: CanonicalTags, trackMemory: boolean): TimerBinding {
    let binding = this.bindings.get(tags.key);
    if (binding === undefined) {
      binding = new TimerBinding(
        this.name,
        tags.labels,
        this.series(tags.labels, Outcome.SUCCESS),
        this.series(tags.labels, Outcome.ERROR),
        this.sampler,
        this.sink,
      );
      // Past the series limit every new tag set lands in the overflow series: stop caching then.
      if (this.bindings.size < this.calls.maxSeries) this.bindings.set(tags.key, binding);
    }
    if (trackMemory && !binding.tracksMemory) this.enableMemory(binding, tags.labels);
    return binding;
  }

  /** Observes every pending duration of this name now. */
  flush(): void {
    for (const pending of this.pending.values()) pending.flush();
  }

  private series(tags: Labels, outcome: string): OutcomeSeries {
    const labels = { ...tags, [AppLabel.OUTCOME]: outcome };
    const calls = this.calls.bind(labels);
    this.callSeries.add(calls);
    const duration = this.duration.bind(labels);
    // One batch per series: bindings past the series limit share the overflow series and its batch.
    let pending = this.pending.get(duration);
    if (pending === undefined)
      this.pending.set(duration, (pending = new PendingDurations(duration, this.registry.clock)));
    return { duration, calls, pending };
  }

  private enableMemory(binding: TimerBinding, tags: Labels): void {
    if (this.memory === undefined) {
      const [heap, external] = definePair(
        this.registry,
        this.exposedName + TimerSuffix.HEAP_DELTA,
        (name) =>
          this.registry.histogram({
            name,
            help: `Change of the V8 heap in use across ${this.name} calls (approximate)`,
            unit: MetricUnit.BYTES,
            buckets: MEMORY_DELTA_BUCKETS,
          }),
        () =>
          this.registry.histogram({
            name: this.exposedName + TimerSuffix.EXTERNAL_DELTA,
            help: `Change of external memory across ${this.name} calls (approximate)`,
            unit: MetricUnit.BYTES,
            buckets: MEMORY_DELTA_BUCKETS,
          }),
      );
      this.memory = { heap, external };
    }
    const memory = this.memory;
    for (const outcome of [Outcome.SUCCESS, Outcome.ERROR]) {
      const labels = { ...tags, [AppLabel.OUTCOME]: outcome };
      binding.enableMemory(outcome, {
        heap: memory.heap.bind(labels),
        external: memory.external.bind(labels),
      });
    }
  }
}

/**
 * Defines two instruments that belong together. When the second conflicts with an existing
 * metric, the first is removed again if this call created it: a failed definition changes nothing.
 */
function definePair<A, B>(
  registry: MetricsRegistry,
  firstName: string,
  first: (name: string) => A,
  second: () => B,
): [A, B] {
  const existed = registry.getMetric(firstName) !== undefined;
  const a = first(firstName);
  try {
    return [a, second()];
  } catch (error) {
    if (!existed) registry.removeMetric(firstName);
    throw error;
  }
}
