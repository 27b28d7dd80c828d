import {
  type FamilySnapshot,
  type HistogramFamilySnapshot,
  type MetricsSnapshot,
  mappingFor,
  SketchCounts,
} from '@fw0/metrics-core';
import type { DashboardFrame } from './frame-types.js';

/** Families of a snapshot by name. */
type Families = ReadonlyMap<string, FamilySnapshot>;

function value(
  families: Families,
  name: string,
  match: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): number | null {
  const family = families.get(name);
  if (family === undefined || family.type === 'histogram') return null;
  const series = family.series.find((item) => match(item.labels));
  return series === undefined ? null : series.value;
}

function sum(
  families: Families,
  name: string,
  match: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): number | null {
  const family = families.get(name);
  if (family === undefined || family.type === 'histogram') return null;
  let total = 0;
  let found = false;
  for (const series of family.series) {
    if (!match(series.labels)) continue;
    total += series.value;
    found = true;
  }
  return found ? total : null;
}

const percent = (ratio: number | null) => (ratio === null ? null : ratio * 100);

/** Timers: `<name>_duration_seconds` histograms that have a `<name>_calls_total` counter beside them. */
function timers(families: Families): DashboardFrame['timers'] {
  const out: { name: string; p50: number; p99: number; count: number }[] = [];
  for (const family of families.values()) {
    if (family.type !== 'histogram' || !family.name.endsWith('_duration_seconds')) continue;
    const base = family.name.slice(0, -'_duration_seconds'.length);
    if (families.get(`${base}_calls`)?.type !== 'counter') continue;
    const window = mergeWindows(family);
    const count = family.series.reduce((total, series) => total + series.count, 0);
    if (count === 0) continue;
    out.push({ name: base, p50: window.quantile(0.5), p99: window.quantile(0.99), count });
  }
  return out.sort((a, b) => b.count - a.count);
}

/** The sliding windows of every series of a histogram family, merged (all labels together). */
function mergeWindows(family: HistogramFamilySnapshot): SketchCounts {
  const merged = new SketchCounts(mappingFor(family.relativeAccuracy));
  for (const series of family.series) if (series.window) merged.merge(series.window);
  return merged;
}

const PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'];

function probes(families: Families): DashboardFrame['probes'] {
  const success = families.get('probe_success');
  if (success === undefined || success.type === 'histogram') return [];
  return success.series.map((series) => {
    const target = series.labels.target ?? '';
    const kind = series.labels.kind === 'tcp' ? 'tcp' : 'http';
    const ofTarget = (labels: Readonly<Record<string, string>>) => labels.target === target;
    const phases: Record<string, number> = {};
    for (const phase of PHASES) {
      const seconds = value(
        families,
        'probe_http_duration_seconds',
        (labels) => labels.target === target && labels.phase === phase,
      );
      if (seconds !== null) phases[phase] = seconds;
    }
    return {
      target,
      kind,
      success: series.value === 1,
      successRatio: value(families, 'probe_success_ratio', ofTarget) ?? 0,
      durationSeconds: value(families, 'probe_duration_seconds', ofTarget),
      phases,
    };
  });
}

/** Business metrics: the shop's counters (with a rate) and revenue (the sum of its histogram). */
function business(
  families: Families,
  previous: DashboardFrame | undefined,
  seconds: number,
): DashboardFrame['business'] {
  const items: { name: string; unit: string; value: number }[] = [];
  for (const family of families.values()) {
    if (!family.name.startsWith('shop_')) continue;
    // Timers' own call counters and durations belong to the timer panel.
    if (
      family.name.endsWith('_calls') &&
      families.has(`${family.name.slice(0, -'_calls'.length)}_duration_seconds`)
    )
      continue;
    if (family.type === 'counter')
      items.push({ name: family.name, unit: 'count', value: sum(families, family.name) ?? 0 });
    else if (family.type === 'histogram' && family.unit !== undefined && family.unit !== 'seconds') {
      items.push({
        name: `${family.name} total`,
        unit: family.unit,
        value: family.series.reduce((total, series) => total + series.sum, 0),
      });
    }
  }
  return items.map((item) => {
    const before = previous?.business.find((other) => other.name === item.name);
    const rate =
      before !== undefined && seconds > 0 ? Math.max(0, (item.value - before.value) / seconds) : null;
    return { ...item, rate };
  });
}

/** Prefix of the pool-stat gauges of observed undici dispatchers (labels `name`, `origin`). */
const POOL_PREFIX = 'undici_pool_';

/** Gauges worth watching live: the shop's, each dispatcher's pool stats, the heap. */
function gauges(families: Families): DashboardFrame['gauges'] {
  const items: { name: string; unit: 'count' | 'bytes' | 'ratio'; value: number }[] = [];
  for (const family of families.values()) {
    if (family.type !== 'gauge') continue;
    if (family.name.startsWith('shop_'))
      items.push({ name: family.name, unit: 'count', value: sum(families, family.name) ?? 0 });
    else if (family.name.startsWith(POOL_PREFIX)) {
      const names = [...new Set(family.series.map((series) => series.labels.name ?? ''))].sort();
      for (const name of names) {
        const value = sum(families, family.name, (labels) => (labels.name ?? '') === name) ?? 0;
        items.push({ name: `${family.name}{name=${JSON.stringify(name)}}`, unit: 'count', value });
      }
    }
  }
  const heap = value(families, 'nodejs_heap_size_used_bytes');
  if (heap !== null) items.push({ name: 'nodejs_heap_size_used_bytes', unit: 'bytes', value: heap });
  const utilization = value(families, 'nodejs_eventloop_utilization_ratio');
  if (utilization !== null)
    items.push({ name: 'nodejs_eventloop_utilization_ratio', unit: 'ratio', value: utilization });
  return items;
}

/** Builds one dashboard frame from a snapshot (taken with sketches); `previous` gives rates. */
export function buildFrame(snapshot: MetricsSnapshot, previous: DashboardFrame | undefined): DashboardFrame {
  const families: Families = new Map(snapshot.families.map((family) => [family.name, family]));
  const cores = families.get('system_cpu_core_utilization_ratio');
  const coreValues =
    cores === undefined || cores.type === 'histogram'
      ? []
      : [...cores.series]
          .sort((a, b) => Number(a.labels.cpu) - Number(b.labels.cpu))
          .map((series) => series.value * 100);
  const seconds = previous === undefined ? 0 : (snapshot.timestamp - previous.t) / 1000;
  return {
    t: snapshot.timestamp,
    cpu: { overall: percent(value(families, 'system_cpu_utilization_ratio')), cores: coreValues },
    memory: {
      usedBytes: value(families, 'system_memory_used_bytes'),
      availableBytes: value(families, 'node_memory_MemAvailable_bytes'),
      totalBytes: value(families, 'node_memory_MemTotal_bytes'),
      swapUsedBytes: value(families, 'system_swap_used_bytes'),
    },
    disk: {
      readBytesPerSecond: sum(families, 'system_disk_read_bytes_per_second'),
      writeBytesPerSecond: sum(families, 'system_disk_written_bytes_per_second'),
    },
    network: {
      receiveBytesPerSecond: sum(families, 'system_network_receive_bytes_per_second'),
      transmitBytesPerSecond: sum(families, 'system_network_transmit_bytes_per_second'),
    },
    timers: timers(families),
    probes: probes(families),
    business: business(families, previous, seconds),
    gauges: gauges(families),
    runtime: {
      eventLoopP99Seconds: value(families, 'nodejs_eventloop_lag_p99_seconds'),
      utilization: value(families, 'nodejs_eventloop_utilization_ratio'),
      heapUsedBytes: value(families, 'nodejs_heap_size_used_bytes'),
    },
  };
}
