import { type FamilySnapshot, type MetricsSnapshot, mergeSnapshots } from '@fw0/metrics-core';

/** One snapshot to merge, and the worker it came from (undefined: this process's own). */
export interface SnapshotPart {
  readonly worker: string | undefined;
  readonly snapshot: MetricsSnapshot;
}

const EMPTY: MetricsSnapshot = Object.freeze({ timestamp: 0, families: Object.freeze([]) });

/**
 * Merges every part with core's `mergeSnapshots` (counters summed, histograms merged exactly,
 * gauges by their aggregation). When that fails (a worker's metric has another type, other
 * buckets, a name that collides with another metric's samples, or its answer is malformed), the
 * parts are merged one by one to find the workers to blame: each is left out and handed to
 * `onRejected`; the rest still merge. A part of this process itself that cannot merge is a
 * configuration error: it is thrown.
 */
export function mergeParts(
  parts: readonly SnapshotPart[],
  onRejected: (worker: string, error: unknown) => void,
): MetricsSnapshot {
  try {
    return mergeSnapshots(parts.map((part) => part.snapshot));
  } catch {
    // Slow path, only when something is wrong: isolate the culprits.
  }
  let merged = EMPTY;
  for (const part of parts) {
    try {
      merged = mergeSnapshots([merged, part.snapshot]);
    } catch (error) {
      if (part.worker === undefined) throw error;
      onRejected(part.worker, error);
    }
  }
  return merged;
}

/**
 * `base` with the families of `extra` added: appended when `base` has no family of that name,
 * merged into it otherwise. Cheap when the names differ (nothing of `base` is copied).
 */
export function addFamilies(base: MetricsSnapshot, extra: MetricsSnapshot): MetricsSnapshot {
  if (extra.families.length === 0) return base;
  const positions = new Map<string, number>();
  for (const [i, family] of base.families.entries()) positions.set(family.name, i);
  const families: FamilySnapshot[] = [...base.families];
  for (const family of extra.families) {
    const at = positions.get(family.name);
    if (at === undefined) {
      positions.set(family.name, families.length);
      families.push(family);
    } else {
      families[at] = mergeSnapshots([
        { timestamp: 0, families: [families[at]!] },
        { timestamp: 0, families: [family] },
      ]).families[0]!;
    }
  }
  return { timestamp: Math.max(base.timestamp, extra.timestamp), families };
}
