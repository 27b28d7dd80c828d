import type { SystemCollectorOptions } from './options.js';
import { SystemMetricsCollector } from './system-collector.js';

/**
 * Creates a system metrics collector, as the seed's `get_system_collector(collection_interval)`.
 *
 * @param collectionInterval SECONDS between two runs of continuous collection (default 1).
 * @param options Everything else (registry, filters, source...); see {@link SystemCollectorOptions}.
 */
export function getSystemCollector(
  collectionInterval?: number,
  options: Omit<SystemCollectorOptions, 'collectionInterval'> = {},
): SystemMetricsCollector {
  return new SystemMetricsCollector(
    collectionInterval === undefined ? options : { ...options, collectionInterval },
  );
}
