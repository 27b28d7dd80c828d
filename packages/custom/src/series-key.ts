import { type Labels, renderLabels } from '@fw0/metrics-core';

/**
 * The key of one series in `getCounterValues()` / `getGaugeValues()`: the metric name alone for
 * the series without labels, else the name followed by its label set as exposition writes it,
 * names sorted and values escaped (`orders{region="eu",tier="gold"}`).
 */
export function seriesKey(name: string, labels: Labels): string {
  const rendered = renderLabels(labels);
  return rendered === '' ? name : `${name}{${rendered}}`;
}
