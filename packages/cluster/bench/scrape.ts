import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { encodePrometheus } from '@fw0/metrics-core';
import promClient from 'prom-client';
import { nsPerOp, printComparison, type Targets } from '../../../bench-support/harness.js';
import { getWorkerAggregator } from '../src/index.js';
import { LABEL_SETS, WORKERS } from './workload.js';

const threadEntry = new URL('../src/test-support/thread-entry.mjs', import.meta.url);

function ready(emitter: {
  once(event: 'message', listener: (message: unknown) => void): unknown;
}): Promise<void> {
  return new Promise((resolve) => emitter.once('message', () => resolve()));
}

/**
 * Whole scrapes: request to every worker, their snapshot, transfer, merge and Prometheus text.
 * Cluster: ours and prom-client's `clusterMetrics()` against the same worker processes, which
 * hold the same workload in both libraries. Threads: ours alone (prom-client has no
 * worker_threads aggregation).
 */
export async function benchScrape(targets: Targets): Promise<void> {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./cluster-worker.ts', import.meta.url)) });
  const workers = Array.from({ length: WORKERS }, (_, index) =>
    cluster.fork({ FW0_BENCH_INDEX: String(index) }),
  );
  const threads = Array.from(
    { length: WORKERS },
    (_, index) =>
      new Worker(threadEntry, {
        workerData: { index, entry: new URL('./thread-worker.ts', import.meta.url).href },
      }),
  );
  try {
    await Promise.all([...workers, ...threads].map(ready));
    const aggregator = getWorkerAggregator({ timeoutMs: 10_000 });
    const promAggregator = new promClient.AggregatorRegistry();
    const threadAggregator = getWorkerAggregator({ cluster: false, timeoutMs: 10_000 });
    for (const thread of threads) threadAggregator.addWorker(thread);

    const scrapeOurs = async () => encodePrometheus(await aggregator.collect({ sketches: false }));
    const scrapeProm = async () => Buffer.from(await promAggregator.clusterMetrics());
    const scrapeThreads = async () => encodePrometheus(await threadAggregator.collect({ sketches: false }));
    const check = await aggregator.aggregate({ sketches: false });
    if (check.answered.length !== WORKERS) throw new Error(`only ${check.answered.length} workers answered`);

    const ours = await nsPerOp(scrapeOurs, { minCpuTimeMs: 3000 });
    const prom = await nsPerOp(scrapeProm, { minCpuTimeMs: 3000 });
    const oursThreads = await nsPerOp(scrapeThreads, { minCpuTimeMs: 3000 });
    const oursThreadsSketches = await nsPerOp(async () => threadAggregator.collect(), { minCpuTimeMs: 3000 });
    const ms = (ns: number) => ns / 1e6;
    const series = `${WORKERS} workers x ${2 * LABEL_SETS} series`;
    printComparison(`Whole scrape of ${series} (IPC included): milliseconds per scrape`, 'ms', [
      {
        name: 'node:cluster, Prometheus text',
        ours: ms(ours),
        anchors: { 'prom-client clusterMetrics()': ms(prom) },
      },
      { name: 'worker_threads, Prometheus text', ours: ms(oursThreads), anchors: {} },
      { name: 'worker_threads, with sketches (JSON)', ours: ms(oursThreadsSketches), anchors: {} },
    ]);
    targets.check(
      `cluster scrape of ${series} >= 2x faster than prom-client clusterMetrics()`,
      prom / ours >= 2,
      `${ms(ours).toFixed(2)} ms vs ${ms(prom).toFixed(2)} ms = ${(prom / ours).toFixed(2)}x`,
    );
    await aggregator.stop();
    await threadAggregator.stop();
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
    const exits = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    for (const worker of workers) worker.process.kill('SIGKILL');
    await Promise.all(exits);
  }
}
