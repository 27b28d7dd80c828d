import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { ConfigError, ErrorCode, InvalidLabelError, MetricsRegistry } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from './aggregator-options.js';
import { exposeWorkerMetrics } from './expose-worker-metrics.js';
import { getWorkerAggregator } from './get-worker-aggregator.js';
import { DEFAULT_AGGREGATOR_NAME } from './names.js';
import { tsxImport } from './test-support/reference.js';
import { WorkerAggregator } from './worker-aggregator.js';
import type { WorkerTarget } from './worker-target.js';

type Options = Parameters<typeof getWorkerAggregator>[0];

describe('aggregator options', () => {
  it('has documented defaults and nothing runs until a collection', () => {
    const aggregator = getWorkerAggregator();
    expect(aggregator).toBeInstanceOf(WorkerAggregator);
    expect(aggregator.name).toBe(DEFAULT_AGGREGATOR_NAME);
    expect(aggregator.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(aggregator.workerLabel).toBeUndefined();
    expect(aggregator.local).toBeUndefined();
    expect(aggregator.registry.collectTimeoutMs).toBe(DEFAULT_TIMEOUT_MS);
  });

  it.each([
    [{ timeoutMs: 0 }, /timeoutMs=0/],
    [{ timeoutMs: 1.5 }, /timeoutMs=1\.5/],
    [{ timeoutMs: 600_001 }, /timeoutMs=600001/],
    [{ timeoutMs: '100' }, /timeoutMs="100"/],
    [{ name: '' }, /name=""/],
    [{ local: {} }, /local=\{\}/],
    [{ cluster: 'yes' }, /cluster="yes"/],
    [{ workerLabel: 3 }, /workerLabel=3/],
  ])('rejects %j with a ConfigError naming the value', (options, message) => {
    expect(() => getWorkerAggregator(options as unknown as Options)).toThrow(ConfigError);
    expect(() => getWorkerAggregator(options as unknown as Options)).toThrow(message);
  });

  it.each(['bad-label', '__worker', 'le', 'quantile', 'fw0_overflow'])(
    'rejects the worker label %j with an InvalidLabelError',
    (workerLabel) => {
      expect(() => getWorkerAggregator({ workerLabel })).toThrow(InvalidLabelError);
      expect(() => getWorkerAggregator({ workerLabel })).toThrow(workerLabel);
    },
  );

  it('uses the local registry logger unless given one', async () => {
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), warn() {}, error() {} };
    const local = new MetricsRegistry({ logger });
    const aggregator = getWorkerAggregator({ local, cluster: false });
    const { port1, port2 } = new MessageChannel();
    aggregator.addWorker(port1, { name: 'logged' });
    expect(lines).toContain('aggregator "workers": added worker "logged"');
    port1.close();
    port2.close();
    await aggregator.stop();
  });
});

describe('collection options', () => {
  it('rejects a per-collection timeout that is not a whole number of milliseconds', async () => {
    const aggregator = getWorkerAggregator({ cluster: false });
    await expect(aggregator.aggregate({ timeoutMs: 0 })).rejects.toThrow(/timeoutMs=0/);
    await expect(aggregator.registry.collect({ timeoutMs: Number.NaN })).rejects.toBeInstanceOf(ConfigError);
    await aggregator.stop();
  });
});

describe('addWorker', () => {
  it.each([
    [{}, /Cannot add \{\} as a worker/],
    ['worker', /Cannot add "worker" as a worker/],
    [null, /Cannot add null as a worker/],
  ])('rejects %j with a ConfigError', (target, message) => {
    const aggregator = getWorkerAggregator({ cluster: false });
    expect(() => aggregator.addWorker(target as unknown as WorkerTarget)).toThrow(ConfigError);
    expect(() => aggregator.addWorker(target as unknown as WorkerTarget)).toThrow(message);
    expect(aggregator.workers).toEqual([]);
  });

  it('rejects an empty name and a name already taken; the same target twice keeps its name', async () => {
    const aggregator = getWorkerAggregator({ cluster: false });
    const { port1, port2 } = new MessageChannel();
    const { port1: other } = new MessageChannel();
    try {
      expect(() => aggregator.addWorker(port1, { name: '' })).toThrow(/Invalid worker name ""/);
      expect(aggregator.addWorker(port1, { name: 'one' })).toBe('one');
      expect(aggregator.addWorker(port1, { name: 'ignored' })).toBe('one');
      expect(() => aggregator.addWorker(other, { name: 'one' })).toThrow(ConfigError);
      expect(aggregator.workers).toEqual(['one']);
      expect(aggregator.removeWorker(port1)).toBe(true);
      expect(aggregator.removeWorker(port1)).toBe(false);
    } finally {
      port1.close();
      port2.close();
      other.close();
      await aggregator.stop();
    }
  });

  it('rejects a worker thread that has already exited', async () => {
    const worker = new Worker('', { eval: true });
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(() => getWorkerAggregator({ cluster: false }).addWorker(worker)).toThrow(/already exited/);
  });
});

describe('exposeWorkerMetrics options', () => {
  it('rejects something that is not a registry, or a port that is not one', () => {
    expect(() => exposeWorkerMetrics({} as MetricsRegistry, { port: new MessageChannel().port1 })).toThrow(
      /Invalid registry \{\}/,
    );
    expect(() => exposeWorkerMetrics(new MetricsRegistry(), { port: 'port' as never })).toThrow(
      /Invalid option port="port"/,
    );
    expect(() =>
      exposeWorkerMetrics(new MetricsRegistry(), { port: new MessageChannel().port1, name: '' }),
    ).toThrow(/Invalid option name=""/);
  });

  it('says so when the process has no channel to a parent (not a worker)', () => {
    const script = fileURLToPath(new URL('./test-support/no-channel.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', tsxImport(), script], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(
      new RegExp(`^${ErrorCode.INVALID_CONFIG} .*has no channel to answer on`),
    );
  });
});
