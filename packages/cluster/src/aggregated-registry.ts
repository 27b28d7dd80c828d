import {
  type CollectOptions,
  MetricsRegistry,
  type MetricsSnapshot,
  type RegistryOptions,
} from '@fw0/metrics-core';

/** What an {@link AggregatedRegistry} asks for the merged snapshot. */
export interface MergedSource {
  collect(options?: CollectOptions): Promise<MetricsSnapshot>;
}

/**
 * The registry of a {@link WorkerAggregator} (`aggregator.registry`): give it to anything that
 * reads a registry (core's `createMetricsHandler` and `startMetricsServer`, push exporters).
 * Its `collect()` returns the merged snapshot: every worker's, the local registry's and its own
 * instruments (the aggregator's self-metrics, the handler's scrape metrics, and whatever you
 * define on it). Its `snapshot()` is synchronous, so it can only hold its own instruments: it
 * never includes the workers.
 */
export class AggregatedRegistry extends MetricsRegistry {
  private source: MergedSource | undefined;

  /** @internal Created by the aggregator, which then attaches itself. */
  constructor(options: RegistryOptions) {
    super(options);
  }

  /** @internal */
  attach(source: MergedSource): void {
    this.source = source;
  }

  /**
   * The merged snapshot: asks every worker (within the aggregator's timeout, or
   * `options.timeoutMs` in milliseconds), refreshes the local collectors and merges.
   */
  override collect(options: CollectOptions = {}): Promise<MetricsSnapshot> {
    if (this.source === undefined) return super.collect(options);
    return this.source.collect(options);
  }

  /** Refreshes this registry's own collectors and snapshots its own instruments (no workers, no local). */
  collectOwn(options: CollectOptions = {}): Promise<MetricsSnapshot> {
    return super.collect(options);
  }

  /** True when a collector registered here has something to refresh before a snapshot. */
  get hasRefreshingCollectors(): boolean {
    return this.collectors.some((collector) => collector.refresh !== undefined);
  }
}
