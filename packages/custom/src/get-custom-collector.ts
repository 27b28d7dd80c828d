import { CustomMetricsCollector } from './custom-collector.js';
import type { CustomCollectorOptions } from './options.js';

/**
 * Creates a custom metrics collector (the seed's `get_custom_collector()`): a new one on each
 * call, recording into `options.registry` or a registry of its own. Nothing starts in the
 * background: there is nothing to stop.
 */
export function getCustomCollector(options: CustomCollectorOptions = {}): CustomMetricsCollector {
  return new CustomMetricsCollector(options);
}
