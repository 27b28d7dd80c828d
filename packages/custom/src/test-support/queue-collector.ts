import { BaseCollector, type CollectorOptions, type Gauge } from '@fw0/metrics-core';

/**
 * Another collector of the same registry, as a different package would write one: it refreshes
 * an observable gauge (`work_queue_depth`) from a live source just before each snapshot.
 */
export class QueueCollector extends BaseCollector {
  private readonly depth: Gauge;

  constructor(
    private readonly source: () => number,
    options: CollectorOptions = {},
  ) {
    super('queue', options);
    this.depth = this.registry.gauge({ name: 'work_queue_depth', help: 'Jobs waiting in the work queue' });
  }

  /** Reads the source into the gauge (called by `registry.collect()`). */
  refresh(): void {
    this.depth.set(this.source());
  }
}
