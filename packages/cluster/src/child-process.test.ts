import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { getWorkerAggregator } from './get-worker-aggregator.js';
import { FailureReason } from './names.js';
import { expectMergedWorkload, tsxImport } from './test-support/reference.js';
import type { WorkerAggregator } from './worker-aggregator.js';

const workerScript = fileURLToPath(new URL('./test-support/workload-worker.ts', import.meta.url));
const children: ChildProcess[] = [];
const aggregators: WorkerAggregator[] = [];

/** Stops a child by its PID (SIGKILL after 5 s) and waits for its exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

afterEach(async () => {
  await Promise.all(aggregators.splice(0).map((aggregator) => aggregator.stop()));
  await Promise.all(children.splice(0).map(stopChild));
});

/** Forks the test worker as a plain child process (IPC channel, no cluster) and waits until it is ready. */
async function forkWorker(index: number, mode = 'normal'): Promise<ChildProcess> {
  const child = fork(workerScript, [], {
    execArgv: ['--import', tsxImport()],
    env: { ...process.env, FW0_INDEX: String(index), FW0_MODE: mode },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${index} not ready within 20 s`)), 20_000);
    child.on('message', function ready(message: { type?: string }) {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', ready);
      resolve();
    });
  });
  return child;
}

function aggregator(options: Parameters<typeof getWorkerAggregator>[0] = {}): WorkerAggregator {
  const created = getWorkerAggregator({ cluster: false, ...options });
  aggregators.push(created);
  return created;
}

describe('forked child processes', () => {
  it('merges the snapshots of children added by hand', async () => {
    const [first, second] = await Promise.all([forkWorker(0), forkWorker(1)]);
    const merged = aggregator();
    expect(merged.addWorker(first!)).toBe(`pid-${first!.pid}`);
    merged.addWorker(second!, { name: 'second' });
    const result = await merged.aggregate();
    expect(result.failures).toEqual([]);
    expect([...result.answered].sort()).toEqual([`pid-${first!.pid}`, 'second'].sort());
    expectMergedWorkload(result.snapshot, [0, 1]);
  }, 60_000);

  it('reports a child that dies mid-request, then drops it', async () => {
    const child = await forkWorker(0, 'exit');
    const merged = aggregator({ timeoutMs: 20_000 });
    const name = merged.addWorker(child);
    const result = await merged.aggregate();
    expect(result.failures.map(({ worker, reason }) => ({ worker, reason }))).toEqual([
      { worker: name, reason: FailureReason.EXITED },
    ]);
    await waitFor('the dead child to be dropped', () => merged.workers.length === 0, { timeoutMs: 5000 });
  }, 60_000);

  it('refuses a child without an IPC channel', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    children.push(child);
    expect(() => aggregator().addWorker(child)).toThrow(ConfigError);
    expect(() => aggregator().addWorker(child)).toThrow(/no open IPC channel/);
  });
});
