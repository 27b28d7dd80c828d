import type { HistogramSeries, LabelsInput, MetricsRegistry } from '@fw0/metrics-core';

/** The value of a counter or gauge series, or undefined when the metric or series does not exist. */
export function seriesValue(
  registry: MetricsRegistry,
  name: string,
  labels: LabelsInput,
): number | undefined {
  const metric = registry.getMetric(name);
  if (metric === undefined || metric.type === 'histogram') return undefined;
  return metric.get(labels);
}

/**
 * A histogram series (bound, so it exists afterwards), or throws when the metric is not a
 * histogram. The metric is read first (its label sets), as exposition would read it, so that its
 * read hooks have run: probes ended before the call are in it.
 */
export function histogramOf(registry: MetricsRegistry, name: string, labels: LabelsInput): HistogramSeries {
  const metric = registry.getMetric(name);
  if (metric?.type !== 'histogram') throw new Error(`${name} is not a histogram`);
  metric.labelSets();
  return metric.bind(labels);
}
