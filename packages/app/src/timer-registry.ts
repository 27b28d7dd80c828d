import { MetricConflictError, type MetricsRegistry, type NameSampler } from '@fw0/metrics-core';
import { toExposedName } from './metric-name.js';
import type { SampleSink } from './sample-sink.js';
import type { TimerBinding } from './timer-binding.js';
import { TimerFamily } from './timer-family.js';
import type { CanonicalTags } from './timer-tags.js';

/** What every timer family of a collector shares. */
export interface TimerRegistryOptions {
  /** `le` buckets of the duration histograms, in seconds (undefined: core's seconds buckets). */
  readonly durationBuckets: readonly number[] | undefined;
}

/**
 * The timer names of one collector: a family per name, defined on first use, and the exposed
 * names they took, so two timer names that would share metrics are refused.
 */
export class TimerRegistry {
  private readonly families = new Map<string, TimerFamily>();
  /** Exposed base name -> timer name. */
  private readonly exposedOwners = new Map<string, string>();

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly sink: SampleSink,
    private readonly options: TimerRegistryOptions,
    /** The collector's sampler of a timer name (core's `BaseCollector.samplerFor`). */
    private readonly samplerFor: (name: string) => NameSampler,
  ) {}

  /**
   * The binding of `name` with `tags`. Throws `InvalidNameError` for a bad name and
   * `MetricConflictError` when its exposed name is taken, defining nothing.
   */
  bind(name: string, tags: CanonicalTags, trackMemory: boolean): TimerBinding {
    return this.family(name).bind(tags, trackMemory);
  }

  /** The family of a timer name, if it was used, its pending durations observed. */
  get(name: string): TimerFamily | undefined {
    const family = this.families.get(name);
    family?.flush();
    return family;
  }

  /** Observes every pending duration of every timer now. */
  flush(): void {
    for (const family of this.families.values()) family.flush();
  }

  /** Calls per timer name, in the order the names were first used. */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, family] of this.families) counts[name] = family.callCount;
    return counts;
  }

  private family(name: string): TimerFamily {
    const existing = this.families.get(name);
    if (existing !== undefined) return existing;
    const exposedName = toExposedName(name);
    const owner = this.exposedOwners.get(exposedName);
    if (owner !== undefined) {
      throw new MetricConflictError(
        `Timer names "${owner}" and "${name}" both map to the exposed name "${exposedName}"; rename one of them`,
        { subject: exposedName, value: name },
      );
    }
    const family = new TimerFamily(
      this.registry,
      { name, exposedName, buckets: this.options.durationBuckets },
      this.samplerFor(name),
      this.sink,
    );
    this.families.set(name, family);
    this.exposedOwners.set(exposedName, name);
    return family;
  }
}
