import type { FamilySnapshot, Labels, MetricsSnapshot } from '@fw0/metrics-core';

/**
 * The label set with `label="value"` added, keys sorted, frozen. A label of that name the worker
 * already had is kept as `exported_<label>`, prefixed again while that name is taken too
 * (`exported_exported_<label>`...): what Prometheus does with clashing target labels, so that
 * no label of the worker is lost.
 */
export function withWorkerLabel(labels: Labels, label: string, value: string): Labels {
  const entries: [string, string][] = [];
  for (const name in labels) {
    if (name !== label) entries.push([name, labels[name]!]);
  }
  if (Object.hasOwn(labels, label)) {
    let exported = `exported_${label}`;
    while (Object.hasOwn(labels, exported)) exported = `exported_${exported}`;
    entries.push([exported, labels[label]!]);
  }
  entries.push([label, value]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze(Object.fromEntries(entries));
}

/**
 * A copy of a worker's snapshot whose every series carries `label="value"`: the per-worker
 * view, where the series of different workers stay apart instead of being merged.
 */
export function labelSnapshot(snapshot: MetricsSnapshot, label: string, value: string): MetricsSnapshot {
  const families = snapshot.families.map((family): FamilySnapshot => {
    if (family.type === 'histogram') {
      return {
        ...family,
        series: family.series.map((series) => ({
          ...series,
          labels: withWorkerLabel(series.labels, label, value),
        })),
      };
    }
    return {
      ...family,
      series: family.series.map((series) => ({
        ...series,
        labels: withWorkerLabel(series.labels, label, value),
      })),
    };
  });
  return { timestamp: snapshot.timestamp, families };
}
