import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseExposition, toJsonExposition } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type StartedProcess, startProcess, waitFor } from '../../../test-support/processes.js';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { ClusterMetricName, FailureReason } from './names.js';
import { expectedJobs, referenceSnapshot, tsxImport } from './test-support/reference.js';
import { QUEUES, Workload } from './test-support/workload.js';

const primaryScript = fileURLToPath(new URL('./test-support/cluster-primary.ts', import.meta.url));

interface Primary {
  readonly process: StartedProcess;
  readonly base: string;
  readonly workers: { id: number; pid: number }[];
}

const started: Primary[] = [];

/** Starts the test primary (a child process that forks the cluster workers) and waits for READY. */
async function startPrimary(env: Record<string, string>): Promise<Primary> {
  const child = startProcess(process.execPath, ['--import', tsxImport(), primaryScript], {
    ...process.env,
    ...env,
  });
  let ready: { base: string; workers: { id: number; pid: number }[] } | undefined;
  try {
    await waitFor(
      'the cluster primary to be ready',
      () => {
        const line = child
          .output()
          .split('\n')
          .find((candidate) => candidate.startsWith('READY '));
        if (line !== undefined) ready = JSON.parse(line.slice('READY '.length));
        return ready !== undefined;
      },
      { timeoutMs: 30_000 },
    );
  } catch (error) {
    await child.stop();
    throw new Error(`${String(error)}\n${child.output()}`);
  }
  const primary = { process: child, ...ready! };
  started.push(primary);
  return primary;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the primary by its PID, then makes sure every worker it forked is gone (killing any left, by PID). */
async function stopPrimary(primary: Primary, extraPids: number[] = []): Promise<void> {
  await primary.process.stop();
  const pids = [...primary.workers.map((worker) => worker.pid), ...extraPids];
  try {
    await waitFor('the cluster workers to exit', () => pids.every((pid) => !isRunning(pid)), {
      timeoutMs: 10_000,
    });
  } finally {
    for (const pid of pids.filter(isRunning)) process.kill(pid, 'SIGKILL');
  }
}

const forkedPids: number[] = [];

afterEach(async () => {
  for (const primary of started.splice(0)) await stopPrimary(primary, forkedPids.splice(0));
});

async function scrape(primary: Primary, query = ''): Promise<string> {
  const response = await fetch(`${primary.base}/metrics${query}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Sample value from text exposition: the sum of samples named `name` whose labels include `labels`. */
function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const samples = parseExposition(text)
    .families.flatMap((family) => family.samples)
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
    );
  return samples.length === 0 ? undefined : samples.reduce((total, sample) => total + sample.value, 0);
}

interface AggregateReport {
  answered: string[];
  failures: { worker: string; reason: string }[];
  ms: number;
}

async function aggregate(primary: Primary): Promise<AggregateReport> {
  return (await (await fetch(`${primary.base}/control/aggregate`)).json()) as AggregateReport;
}

async function listeners(primary: Primary): Promise<unknown> {
  return (await fetch(`${primary.base}/control/listeners`)).json();
}

describe('node:cluster aggregation (real primary and workers)', () => {
  it('serves one /metrics whose counts equal the sum of the workers and that promtool accepts', async () => {
    const primary = await startPrimary({ FW0_WORKERS: '3', FW0_TIMEOUT_MS: '5000' });
    const indices = [0, 1, 2];
    const before = await listeners(primary);
    const text = await scrape(primary);
    const check = promtoolCheckMetrics(text);
    expect(check.findings).toEqual([]);
    expect(check.code).toBe(0);
    for (const queue of QUEUES) {
      expect(sampleValue(text, Workload.JOBS, { queue })).toBe(expectedJobs(indices, queue));
    }
    // Histogram buckets, counts and sums equal those of one registry fed every worker's values.
    const reference = referenceSnapshot(indices);
    const histogram = reference.families.find((family) => family.name === Workload.DURATION);
    if (histogram?.type !== 'histogram') throw new Error('reference histogram missing');
    for (const series of histogram.series) {
      const queue = series.labels.queue!;
      expect(sampleValue(text, `${Workload.DURATION}_count`, { queue })).toBe(series.count);
      const sum = sampleValue(text, `${Workload.DURATION}_sum`, { queue })!;
      expect(Math.abs(sum - series.sum)).toBeLessThanOrEqual(1e-9 * series.sum);
      let cumulative = 0;
      for (const [i, bound] of histogram.bounds.entries()) {
        cumulative += series.bucketCounts[i]!;
        expect(sampleValue(text, `${Workload.DURATION}_bucket`, { queue, le: String(bound) })).toBe(
          cumulative,
        );
      }
      expect(sampleValue(text, `${Workload.DURATION}_bucket`, { queue, le: '+Inf' })).toBe(series.count);
    }
    expect(sampleValue(text, ClusterMetricName.WORKERS, { state: 'answered' })).toBe(3);

    // Quantiles in JSON: from the merged sketches, equal to the single registry's.
    const json = JSON.parse(await scrape(primary, '?format=json')) as {
      metrics: {
        name: string;
        series: { labels: Record<string, string>; summary: Record<string, number> }[];
      }[];
    };
    const merged = json.metrics.find((family) => family.name === Workload.DURATION)!;
    const expected = toJsonExposition(reference).metrics.find((family) => family.name === Workload.DURATION)!;
    for (const series of merged.series) {
      const twin = expected.series.find((item) => item.labels.queue === series.labels.queue)!;
      for (const key of ['p50', 'p90', 'p99', 'p999'] as const) {
        expect(series.summary[key]).toBe(twin.summary![key]);
      }
    }
    // Each scrape added and removed its listeners on the worker objects.
    expect(await listeners(primary)).toEqual(before);
  }, 90_000);

  it('picks up workers that join and drops workers that leave', async () => {
    const primary = await startPrimary({ FW0_WORKERS: '2', FW0_TIMEOUT_MS: '5000' });
    const joined = (await (
      await fetch(`${primary.base}/control/fork?index=2&mode=normal`, { method: 'POST' })
    ).json()) as { id: number; pid: number };
    forkedPids.push(joined.pid);
    let text = await scrape(primary);
    for (const queue of QUEUES)
      expect(sampleValue(text, Workload.JOBS, { queue })).toBe(expectedJobs([0, 1, 2], queue));

    const first = primary.workers[0]!;
    const killed = await fetch(`${primary.base}/control/kill?id=${first.id}`, { method: 'POST' });
    expect(killed.status).toBe(200);
    text = await scrape(primary);
    for (const queue of QUEUES)
      expect(sampleValue(text, Workload.JOBS, { queue })).toBe(expectedJobs([1, 2], queue));
    expect(sampleValue(text, ClusterMetricName.WORKERS, { state: 'answered' })).toBe(2);
    expect(sampleValue(text, 'fw0_worker_collect_failures_total')).toBeUndefined();
  }, 90_000);

  it('reports blocked, exiting and silent workers; the scrape returns within the timeout', async () => {
    const timeoutMs = 1000;
    const primary = await startPrimary({
      FW0_WORKERS: '4',
      FW0_MODES: 'normal,block,exit,silent',
      FW0_TIMEOUT_MS: String(timeoutMs),
      FW0_BLOCK_MS: '8000',
    });
    const [healthy, blocked, exiting, silent] = primary.workers.map((worker) => String(worker.id));
    const startedAt = performance.now();
    const report = await aggregate(primary);
    // Tolerance: the 1 s timeout + 3 s of scheduling delay on a loaded machine; far below the
    // 8 s the blocked worker stays blocked.
    expect(performance.now() - startedAt).toBeLessThan(timeoutMs + 3000);
    expect(report.answered).toEqual([healthy]);
    expect(report.failures.sort((a, b) => Number(a.worker) - Number(b.worker))).toEqual([
      { worker: blocked, reason: FailureReason.TIMEOUT },
      { worker: exiting, reason: FailureReason.EXITED },
      { worker: silent, reason: FailureReason.TIMEOUT },
    ]);

    // The next scrape: the exited worker is gone, the blocked one still times out.
    const scrapeStarted = performance.now();
    const text = await scrape(primary);
    expect(performance.now() - scrapeStarted).toBeLessThan(timeoutMs + 3000);
    expect(promtoolCheckMetrics(text).code).toBe(0);
    for (const queue of QUEUES)
      expect(sampleValue(text, Workload.JOBS, { queue })).toBe(expectedJobs([0], queue));
    const failures = (labels: Record<string, string>) =>
      sampleValue(text, 'fw0_worker_collect_failures_total', labels);
    expect(failures({ worker: blocked!, reason: 'timeout' })).toBe(2);
    expect(failures({ worker: exiting!, reason: 'exited' })).toBe(1);
    expect(failures({ worker: silent!, reason: 'timeout' })).toBe(2);
    expect(sampleValue(text, ClusterMetricName.WORKERS, { state: 'answered' })).toBe(1);
    expect(sampleValue(text, ClusterMetricName.WORKERS, { state: 'failed' })).toBe(2);

    // Once unblocked, that worker counts again.
    await waitFor(
      'the blocked worker to answer again',
      async () => (await aggregate(primary)).answered.includes(blocked!),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const recovered = await scrape(primary);
    for (const queue of QUEUES) {
      expect(sampleValue(recovered, Workload.JOBS, { queue })).toBe(expectedJobs([0, 1], queue));
    }
  }, 90_000);
});
