import type { Gauge, GaugeSeries, LabelsInput } from '@fw0/metrics-core';

/**
 * A bound handle on a gauge series that stays out of the exposition until its first `set()`.
 * Host-wide gauges are bound when the collector is built, before anything was read: bound the
 * ordinary way they would be exposed as 0 until then, and for good if their source cannot be read
 * (a scrape would say the host has 0 bytes of memory, a load of 0, 0% CPU busy). node_exporter
 * leaves a figure it could not read out; so do we.
 */
export function bindUnset(gauge: Gauge, labels?: LabelsInput): GaugeSeries {
  const before = gauge.seriesCount;
  const series = gauge.bind(labels);
  // Only a series this call created: one that exists already (another collector on the same
  // registry set it) keeps its value.
  if (gauge.seriesCount > before) gauge.remove(labels);
  return series;
}
