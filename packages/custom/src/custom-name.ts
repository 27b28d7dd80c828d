import { InvalidNameError, validateMetricName } from '@fw0/metrics-core';
import { RESERVED_PREFIX } from './names.js';

/**
 * Checks a custom metric name: the Prometheus grammar (core's rule), and not the `fw0_` prefix
 * of fw0's self-metrics. Throws {@link InvalidNameError} naming it.
 */
export function validateCustomName(name: unknown): asserts name is string {
  validateMetricName(name);
  if (name.startsWith(RESERVED_PREFIX)) {
    throw new InvalidNameError(
      `Invalid metric name "${name}": the "${RESERVED_PREFIX}" prefix is reserved for fw0's own metrics`,
      { subject: name, value: name },
    );
  }
}
