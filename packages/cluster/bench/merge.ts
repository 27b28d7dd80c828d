import { encodePrometheus, type MetricsSnapshot } from '@fw0/metrics-core';
import promClient from 'prom-client';
import { nsPerOp, printComparison, type Targets } from '../../../bench-support/harness.js';
import { mergeParts, type SnapshotPart } from '../src/merge-parts.js';
import { fw0Worker, LABEL_SETS, recordProm, WORKERS } from './workload.js';

/** As a snapshot arrives from another process: through JSON (what cluster IPC does). */
function arrived<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The aggregation step alone, in one process: N workers' snapshots as they arrive, merged and
 * encoded as Prometheus text. prom-client: `AggregatorRegistry.aggregate()` of the workers'
 * `getMetricsAsJSON()` then `metrics()`, exactly what its `clusterMetrics()` does once the
 * answers are in.
 */
export async function benchMerge(targets: Targets): Promise<void> {
  const text: SnapshotPart[] = [];
  const withSketches: SnapshotPart[] = [];
  const promParts: promClient.MetricObjectWithValues<promClient.MetricValue<string>>[][] = [];
  for (let index = 0; index < WORKERS; index++) {
    const registry = fw0Worker(index);
    text.push({ worker: String(index), snapshot: arrived(registry.snapshot({ sketches: false })) });
    withSketches.push({ worker: String(index), snapshot: arrived(registry.snapshot()) });
    const promRegistry = new promClient.Registry();
    recordProm(promRegistry, index);
    promParts.push(arrived(await promRegistry.getMetricsAsJSON()));
  }
  const reject = (worker: string) => {
    throw new Error(`worker ${worker} rejected`);
  };
  const merged = mergeParts(text, reject);
  checkSameTotals(merged, await promClient.AggregatorRegistry.aggregate(promParts).metrics());

  const ours = await nsPerOp(() => encodePrometheus(mergeParts(text, reject)), { minCpuTimeMs: 2000 });
  const oursSketches = await nsPerOp(() => mergeParts(withSketches, reject), { minCpuTimeMs: 2000 });
  const prom = await nsPerOp(
    async () => Buffer.from(await promClient.AggregatorRegistry.aggregate(promParts).metrics()),
    { minCpuTimeMs: 2000 },
  );
  const ms = (ns: number) => ns / 1e6;
  const series = `${WORKERS} workers x ${2 * LABEL_SETS} series`;
  printComparison(`Aggregation of ${series} in one process: milliseconds per scrape`, 'ms', [
    { name: 'merge + Prometheus text', ours: ms(ours), anchors: { 'prom-client aggregate()': ms(prom) } },
    { name: 'merge with quantile sketches (JSON scrape)', ours: ms(oursSketches), anchors: {} },
  ]);
  targets.check(
    `merge + encode of ${series} >= 3x faster than prom-client AggregatorRegistry.aggregate() + metrics()`,
    prom / ours >= 3,
    `${ms(ours).toFixed(2)} ms vs ${ms(prom).toFixed(2)} ms = ${(prom / ours).toFixed(2)}x`,
  );
  // Core's sketches travel dense (one count per bin between the lowest and highest value), so
  // this is dominated by core's sketch merge; the bound keeps a JSON scrape far inside a
  // Prometheus scrape timeout (10 s by default).
  targets.check(
    `exact merge of ${series} with sketches < 100 ms`,
    ms(oursSketches) < 100,
    `${ms(oursSketches).toFixed(2)} ms`,
  );
}

/** Both sides must have produced the same totals, or the comparison means nothing. */
function checkSameTotals(merged: MetricsSnapshot, promText: string): void {
  const requests = merged.families.find((family) => family.name === 'bench_requests');
  const ours =
    requests?.type === 'counter' ? requests.series.reduce((sum, series) => sum + series.value, 0) : NaN;
  let theirs = 0;
  for (const line of promText.split('\n')) {
    if (line.startsWith('bench_requests_total{')) theirs += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  if (ours !== theirs)
    throw new Error(`workloads differ: fw0 counted ${ours} requests, prom-client ${theirs}`);
}
