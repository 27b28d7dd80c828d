import type { MetricsRegistry } from '@fw0/metrics-core';

/**
 * What a collector's construction adds to a registry, noted before it starts, so that a
 * construction that fails half-way (a metric name another part of the application took with
 * another type) leaves the registry as it found it: the metrics it defined are removed, and so
 * are the self-metric series BaseCollector bound for its name. Metrics and series that were there
 * before (shared with another system collector on the same registry) are left alone.
 */
export class RegistryRollback {
  private constructor(
    private readonly registry: MetricsRegistry,
    private readonly collector: string,
    private readonly metrics: ReadonlySet<string>,
    private readonly dropped: boolean,
    private readonly sampledOut: boolean,
  ) {}

  /** Notes the state of `registry` before a collector named `collector` is built in it. */
  static note(registry: MetricsRegistry, collector: string): RegistryRollback {
    return new RegistryRollback(
      registry,
      collector,
      new Set(registry.getMetrics().map((metric) => metric.name)),
      registry.self.samplesDropped.get(droppedLabels(collector)) !== undefined,
      registry.self.samplesSampledOut.get({ collector }) !== undefined,
    );
  }

  /** Removes what was added since {@link note}. */
  undo(): void {
    for (const metric of this.registry.getMetrics()) {
      if (!this.metrics.has(metric.name)) this.registry.removeMetric(metric.name);
    }
    if (!this.dropped) this.registry.self.samplesDropped.remove(droppedLabels(this.collector));
    if (!this.sampledOut) this.registry.self.samplesSampledOut.remove({ collector: this.collector });
  }
}

function droppedLabels(collector: string) {
  return { collector, reason: 'buffer_full' };
}
