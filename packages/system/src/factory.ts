import { ConfigError, describeValue } from '@fw0/metrics-core';
import type { SystemCollectorOptions } from './options.js';
import { SystemMetricsCollector } from './system-collector.js';

/**
 * Creates a system metrics collector, as the seed's `get_system_collector(collection_interval)`.
 * Throws ConfigError for a bad interval or option (nothing is created or started then).
 *
 * @param collectionInterval SECONDS between two runs of continuous collection (default 1; 0.05
 *   to 86,400). When given, it wins over an `options.collectionInterval`.
 * @param options Everything else (registry, filters, source...); see {@link SystemCollectorOptions}.
 */
export function getSystemCollector(
  collectionInterval?: number,
  options: Omit<SystemCollectorOptions, 'collectionInterval'> = {},
): SystemMetricsCollector {
  // Checked here too: spreading `null` or a string into the options below would hide it.
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`Invalid options ${describeValue(options)}: expected an object`, {
      subject: 'options',
      value: options,
    });
  }
  return new SystemMetricsCollector(
    collectionInterval === undefined ? options : { ...options, collectionInterval },
  );
}
