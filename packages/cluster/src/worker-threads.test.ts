import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import {
  ClosedError,
  MetricsRegistry,
  type PerformanceMetric,
  parseExposition,
  serializePrometheus,
  sketchFromData,
  TimeoutError,
} from '@fw0/metrics-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { getWorkerAggregator } from './get-worker-aggregator.js';
import { ClusterMetricName, FailureReason, WORKER_ANSWER_SAMPLE } from './names.js';
import {
  expectedJobs,
  expectMergedWorkload,
  familyOf,
  referenceSnapshot,
  seriesValue,
} from './test-support/reference.js';
import { nextMessage, ofType, startThread, stopThreads } from './test-support/threads.js';
import { QUEUES, Workload } from './test-support/workload.js';
import type { WorkerAggregator } from './worker-aggregator.js';

/** Threads started by one test, terminated after it. */
const extra: Worker[] = [];
const aggregators: WorkerAggregator[] = [];

function aggregatorFor(options: Parameters<typeof getWorkerAggregator>[0] = {}): WorkerAggregator {
  const aggregator = getWorkerAggregator({ cluster: false, ...options });
  aggregators.push(aggregator);
  return aggregator;
}

async function thread(settings: Parameters<typeof startThread>[0]): Promise<Worker> {
  const worker = await startThread(settings);
  extra.push(worker);
  return worker;
}

afterEach(async () => {
  await Promise.all(aggregators.splice(0).map((aggregator) => aggregator.stop()));
  await stopThreads(extra.splice(0));
});

describe('worker_threads aggregation', () => {
  const indices = [0, 1, 2];
  let workers: Worker[] = [];

  beforeAll(async () => {
    workers = await Promise.all(indices.map((index) => startThread({ index, mode: 'normal' })));
  });

  afterAll(async () => {
    await stopThreads(workers);
  });

  it('sums counters and merges histograms exactly: equal to one registry fed every value', async () => {
    const aggregator = aggregatorFor();
    for (const worker of workers) aggregator.addWorker(worker);
    const result = await aggregator.aggregate();
    expect(result.failures).toEqual([]);
    expect([...result.answered].sort()).toEqual(workers.map((worker) => `thread-${worker.threadId}`).sort());
    expectMergedWorkload(result.snapshot, indices);
    // Sketches came along (sketches: true by default), so the quantiles were compared too.
    const histogram = familyOf(result.snapshot, Workload.DURATION, 'histogram');
    expect(histogram.series.every((series) => series.sketch !== undefined)).toBe(true);
    // Gauges by their aggregation: queue_depth sums (1 + 2 + 3), peak_jobs takes the max.
    expect(seriesValue(result.snapshot, Workload.QUEUE_DEPTH)).toBe(
      indices.reduce((sum, i) => sum + i + 1, 0),
    );
    expect(seriesValue(result.snapshot, Workload.PEAK)).toBe(10 * (Math.max(...indices) + 1));
    expect(seriesValue(result.snapshot, ClusterMetricName.WORKERS, { state: 'answered' })).toBe(
      workers.length,
    );
    expect(seriesValue(result.snapshot, ClusterMetricName.WORKERS, { state: 'failed' })).toBe(0);
  });

  it('merges the local registry and instruments defined on aggregator.registry', async () => {
    const local = new MetricsRegistry();
    local.counter({ name: Workload.JOBS }).add(7, { queue: 'alpha' });
    const aggregator = aggregatorFor({ local });
    aggregator.registry.counter({ name: 'primary_restarts_total' }).add(2);
    // A collector registered on aggregator.registry is refreshed before each collection.
    const pool = aggregator.registry.gauge({ name: 'pool_idle' });
    let refreshes = 0;
    aggregator.registry.register({
      name: 'pool',
      getCollectedMetrics: () => [],
      refresh: () => pool.set(++refreshes),
    });
    for (const worker of workers) aggregator.addWorker(worker);
    const snapshot = await aggregator.registry.collect();
    expect(seriesValue(snapshot, 'jobs', { queue: 'alpha' })).toBe(expectedJobs(indices, 'alpha') + 7);
    expect(seriesValue(snapshot, 'primary_restarts')).toBe(2);
    expect(refreshes).toBe(1);
    expect(seriesValue(snapshot, 'pool_idle')).toBe(1);
  });

  it('serves merged metrics over HTTP that promtool accepts, with exact quantiles in JSON', async () => {
    const aggregator = aggregatorFor();
    for (const worker of workers) aggregator.addWorker(worker);
    const server = await aggregator.startServer({ port: 0 });
    try {
      const text = await (await fetch(server.url)).text();
      const check = promtoolCheckMetrics(text);
      expect(check.findings).toEqual([]);
      expect(check.code).toBe(0);
      const parsed = parseExposition(text);
      const jobs = parsed.families
        .flatMap((family) => family.samples)
        .filter((sample) => sample.name === Workload.JOBS);
      for (const queue of QUEUES) {
        const sample = jobs.find((candidate) => candidate.labels.queue === queue);
        expect(sample?.value).toBe(expectedJobs(indices, queue));
      }

      const json = (await (await fetch(`${server.url}?format=json`)).json()) as {
        metrics: {
          name: string;
          series: { labels: Record<string, string>; summary?: Record<string, number> }[];
        }[];
      };
      const reference = referenceSnapshot(indices);
      const referenceHistogram = familyOf(reference, Workload.DURATION, 'histogram');
      const served = json.metrics.find((family) => family.name === Workload.DURATION)!;
      for (const series of served.series) {
        const expected = referenceHistogram.series.find((item) => item.labels.queue === series.labels.queue)!;
        const sketch = sketchFromData(expected.sketch!);
        expect(series.summary?.p50).toBe(sketch.quantile(0.5));
        expect(series.summary?.p99).toBe(sketch.quantile(0.99));
      }
    } finally {
      await server.close();
    }
  });

  it('keeps workers apart with workerLabel; the per-worker series add up to the merged ones', async () => {
    const aggregator = aggregatorFor({ workerLabel: 'worker' });
    const names = workers.map((worker) => aggregator.addWorker(worker));
    const snapshot = await aggregator.registry.collect();
    for (const [i, name] of names.entries()) {
      for (const queue of QUEUES) {
        expect(seriesValue(snapshot, 'jobs', { queue, worker: name })).toBe(
          expectedJobs([indices[i]!], queue),
        );
      }
    }
    const histogram = familyOf(snapshot, Workload.DURATION, 'histogram');
    expect(histogram.series.length).toBe(workers.length * QUEUES.length);
    expect(new Set(histogram.series.map((series) => series.labels.worker))).toEqual(new Set(names));
    expect(promtoolCheckMetrics(serializePrometheus(snapshot)).code).toBe(0);
  });

  it('records a sample for every answer, with its time in seconds', async () => {
    const aggregator = aggregatorFor({ maxSamplesPerSecond: false });
    for (const worker of workers) aggregator.addWorker(worker);
    await aggregator.aggregate({ sketches: false });
    const samples: PerformanceMetric[] = aggregator.getCollectedMetrics();
    expect(samples.map((sample) => sample.name)).toEqual(workers.map(() => WORKER_ANSWER_SAMPLE));
    expect(new Set(samples.map((sample) => sample.tags.worker))).toEqual(new Set(aggregator.workers));
    for (const sample of samples) expect(sample.value).toBeGreaterThan(0);
    expect(aggregator.getCollectedMetrics()).toEqual([]);
  });

  it('leaves application messages alone and is not fooled by them', async () => {
    const aggregator = aggregatorFor();
    const worker = workers[0]!;
    aggregator.addWorker(worker);
    const pong = nextMessage(worker, ofType<{ type: 'pong'; seen: number }>('pong'));
    const pending = aggregator.aggregate();
    worker.postMessage({ type: 'ping' });
    const [result, answer] = await Promise.all([pending, pong]);
    expect(result.answered).toEqual([`thread-${worker.threadId}`]);
    expect(answer.type).toBe('pong');
    expectMergedWorkload(result.snapshot, [0]);
  });

  it('removes every listener it added on the worker objects', async () => {
    const baseline = workers.map((worker) => ['message', 'exit'].map((event) => worker.listenerCount(event)));
    const aggregator = aggregatorFor({ timeoutMs: 5000 });
    for (const worker of workers) aggregator.addWorker(worker);
    for (let i = 0; i < 5; i++) await aggregator.aggregate({ sketches: false });
    aggregator.removeWorker(workers[0]!);
    await aggregator.stop();
    const after = workers.map((worker) => ['message', 'exit'].map((event) => worker.listenerCount(event)));
    expect(after).toEqual(baseline);
  });
});

describe('worker_threads failures', () => {
  it('reports a thread that blocks its event loop; the collection returns within the timeout', async () => {
    const healthy = await thread({ index: 0, mode: 'normal' });
    const blocked = await thread({ index: 1, mode: 'block', blockMs: 6000 });
    const aggregator = aggregatorFor({ timeoutMs: 300 });
    aggregator.addWorker(healthy);
    const blockedName = aggregator.addWorker(blocked);
    const started = performance.now();
    const result = await aggregator.aggregate();
    const elapsed = performance.now() - started;
    // Tolerance: 300 ms timeout + up to 2.7 s of scheduling delay on a loaded machine, still
    // well below the 6 s the worker stays blocked.
    expect(elapsed).toBeLessThan(3000);
    expect(result.failures.map(({ worker, reason }) => ({ worker, reason }))).toEqual([
      { worker: blockedName, reason: FailureReason.TIMEOUT },
    ]);
    expect(result.failures[0]!.error).toBeInstanceOf(TimeoutError);
    expect(result.answered).toEqual([`thread-${healthy.threadId}`]);
    expectMergedWorkload(result.snapshot, [0]);
    expect(
      seriesValue(result.snapshot, 'fw0_worker_collect_failures', { worker: blockedName, reason: 'timeout' }),
    ).toBe(1);
    expect(seriesValue(result.snapshot, ClusterMetricName.WORKERS, { state: 'failed' })).toBe(1);
    // Once unblocked it answers again (its late answer to the first request is ignored).
    await waitFor(
      'the blocked thread to answer again',
      async () => (await aggregator.aggregate({ sketches: false })).answered.includes(blockedName),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const recovered = await aggregator.aggregate();
    expect(recovered.failures).toEqual([]);
    expectMergedWorkload(recovered.snapshot, [0, 1]);
  });

  it('reports a thread that exits mid-request at once, without waiting for the timeout', async () => {
    const exiting = await thread({ index: 0, mode: 'exit' });
    const aggregator = aggregatorFor({ timeoutMs: 15_000 });
    const name = aggregator.addWorker(exiting);
    const started = performance.now();
    const result = await aggregator.aggregate();
    // Tolerance: half the 15 s timeout; an exit is seen within milliseconds.
    expect(performance.now() - started).toBeLessThan(7500);
    expect(result.failures.map(({ worker, reason }) => ({ worker, reason }))).toEqual([
      { worker: name, reason: FailureReason.EXITED },
    ]);
    expect(result.failures[0]!.error).toBeInstanceOf(ClosedError);
    // It left: it is no longer asked.
    await waitFor('the exited thread to be dropped', () => aggregator.workers.length === 0, {
      timeoutMs: 5000,
    });
    const next = await aggregator.aggregate();
    expect(next.failures).toEqual([]);
    expect(seriesValue(next.snapshot, ClusterMetricName.WORKERS, { state: 'answered' })).toBe(0);
  });

  it('times out a thread that ignores requests', async () => {
    const silent = await thread({ index: 0, mode: 'silent' });
    const aggregator = aggregatorFor({ timeoutMs: 200 });
    const name = aggregator.addWorker(silent);
    const result = await aggregator.aggregate();
    expect(result.failures.map(({ worker, reason }) => ({ worker, reason }))).toEqual([
      { worker: name, reason: FailureReason.TIMEOUT },
    ]);
    expect(seriesValue(result.snapshot, 'jobs')).toBeUndefined();
  });

  it('reports a worker whose metrics conflict, and still merges the others', async () => {
    const healthy = await thread({ index: 0, mode: 'normal' });
    const conflicting = await thread({ index: 1, mode: 'conflict' });
    const aggregator = aggregatorFor();
    aggregator.addWorker(healthy);
    const name = aggregator.addWorker(conflicting);
    const result = await aggregator.aggregate();
    expect(result.failures.map(({ worker, reason }) => ({ worker, reason }))).toEqual([
      { worker: name, reason: FailureReason.MERGE_CONFLICT },
    ]);
    expect(result.answered).toEqual([`thread-${healthy.threadId}`]);
    expectMergedWorkload(result.snapshot, [0]);
  });

  it('reports a worker whose registry fails to collect (it answers with an error)', async () => {
    const failing = await thread({ index: 0, mode: 'failing' });
    const aggregator = aggregatorFor();
    const name = aggregator.addWorker(failing);
    const result = await aggregator.aggregate();
    expect(result.failures.map(({ worker, reason }) => ({ worker, reason }))).toEqual([
      { worker: name, reason: FailureReason.WORKER_ERROR },
    ]);
    expect(String((result.failures[0]!.error as Error).message)).toMatch(/stopped/);
  });

  it('picks up threads that join and drops threads that leave', async () => {
    const first = await thread({ index: 0, mode: 'normal' });
    const aggregator = aggregatorFor();
    aggregator.addWorker(first);
    expectMergedWorkload((await aggregator.aggregate()).snapshot, [0]);
    const second = await thread({ index: 1, mode: 'normal' });
    aggregator.addWorker(second);
    expectMergedWorkload((await aggregator.aggregate()).snapshot, [0, 1]);
    await first.terminate();
    await waitFor('the terminated thread to be dropped', () => aggregator.workers.length === 1, {
      timeoutMs: 5000,
    });
    const result = await aggregator.aggregate();
    expect(result.failures).toEqual([]);
    expectMergedWorkload(result.snapshot, [1]);
  });

  it('stop() ends a collection in flight at once; later collections throw ClosedError', async () => {
    const silent = await thread({ index: 0, mode: 'silent' });
    const aggregator = aggregatorFor({ timeoutMs: 20_000 });
    aggregator.addWorker(silent);
    const started = performance.now();
    const pending = aggregator.aggregate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await aggregator.stop();
    const result = await pending;
    // Tolerance: a quarter of the 20 s timeout; stop() settles it at once.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.failures).toEqual([]);
    expect(result.answered).toEqual([]);
    await expect(aggregator.aggregate()).rejects.toBeInstanceOf(ClosedError);
    expect(() => aggregator.addWorker(silent)).toThrow(ClosedError);
  });
});

describe('worker side', () => {
  it('stop() removes the responder listener so the thread can exit by itself', async () => {
    const worker = await thread({ index: 0, mode: 'normal' });
    const aggregator = aggregatorFor();
    aggregator.addWorker(worker);
    expect((await aggregator.aggregate({ sketches: false })).answered.length).toBe(1);
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const stopped = nextMessage(
      worker,
      ofType<{ type: 'stopped'; before: number; after: number }>('stopped'),
    );
    worker.postMessage({ type: 'stop-metrics' });
    const counts = await stopped;
    // The responder's listener and the application's own were the only ones; both are gone.
    expect(counts).toEqual({ type: 'stopped', before: 2, after: 0 });
    // Nothing else keeps the thread alive: it ends on its own (bounded by the test timeout).
    expect(await exited).toBe(0);
  });
});
