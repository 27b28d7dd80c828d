import { MetricConflictError, type MetricsRegistry } from '@fw0/metrics-core';

/** What holds a registry's runtime health: the collector that started it. */
export interface RuntimeOwner {
  /** Name of the collector, for the error a second owner gets. */
  readonly collectorName: string;
}

/**
 * The table of owners lives on `globalThis` under a `Symbol.for` key, created on first use (never
 * on import), so that two copies of this package in one process (two versions in `node_modules`)
 * still see each other's claims on a registry they share.
 */
const OWNERS_KEY = Symbol.for('fw0.metrics.app.runtimeHealthOwners');

function owners(): WeakMap<MetricsRegistry, RuntimeOwner> {
  const holder = globalThis as { [OWNERS_KEY]?: WeakMap<MetricsRegistry, RuntimeOwner> };
  holder[OWNERS_KEY] ??= new WeakMap();
  return holder[OWNERS_KEY];
}

/**
 * Makes `owner` the one runtime health of `registry`. The `nodejs_*` metrics describe the
 * process, once: two owners would each observe every GC pause into the same histogram (counting
 * it twice) and each end its own event-loop window into the same gauges. So a second owner is
 * refused with `MetricConflictError`, as prom-client refuses `collectDefaultMetrics()` twice on
 * one registry; claiming again as the same owner does nothing.
 */
export function claimRuntimeHealth(registry: MetricsRegistry, owner: RuntimeOwner): void {
  const table = owners();
  const current = table.get(registry);
  if (current === undefined) {
    table.set(registry, owner);
    return;
  }
  if (current === owner) return;
  throw new MetricConflictError(
    `Collector "${owner.collectorName}" cannot start runtime health: collector "${current.collectorName}" already runs it on this registry, and the nodejs_* metrics have one owner per registry (stop it first, or read its runtime health)`,
    { subject: owner.collectorName, value: current.collectorName },
  );
}

/** Gives up `owner`'s claim on `registry`; does nothing when another owner holds it. */
export function releaseRuntimeHealth(registry: MetricsRegistry, owner: RuntimeOwner): void {
  const table = owners();
  if (table.get(registry) === owner) table.delete(registry);
}
