import { setTimeout as sleep } from 'node:timers/promises';
import { ClosedError, MetricsRegistry, ParseError } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { CpuSample, MemorySample, Operation } from './names.js';
import { SystemMetricsCollector } from './system-collector.js';
import { failures, treeCollector } from './test-support/collectors.js';
import { createProcTree, type ProcTree } from './test-support/fixtures.js';

let tree: ProcTree | undefined;
afterEach(() => {
  tree?.remove();
  tree = undefined;
});

/** A tree with every file the collector reads, captured on this machine. */
function fullTree(): ProcTree {
  const full = createProcTree();
  for (const file of [
    'stat',
    'loadavg',
    'meminfo',
    'vmstat',
    'swaps',
    'diskstats',
    'net/dev',
    'self/smaps',
  ]) {
    full.copy(file, 'captured', 'proc', ...file.split('/'));
  }
  full.write('mounts', '/dev/vda / ext4 rw 0 0\n');
  return full;
}

describe('SystemMetricsCollector: each source fails alone', () => {
  it('a missing file is a counted failure; the other sources still report; nothing is thrown', async () => {
    tree = createProcTree();
    tree.copy('meminfo', 'captured', 'proc', 'meminfo');
    const { collector, logger } = treeCollector(tree);
    const samples = await collector.collectAllSystemMetrics();
    expect(samples.some((sample) => sample.name === MemorySample.USED)).toBe(true);
    for (const operation of [
      Operation.CPU_TIMES,
      Operation.LOAD,
      Operation.SWAP_ACTIVITY,
      Operation.DISK_STATS,
      Operation.FILESYSTEMS,
      Operation.NETWORK,
    ]) {
      expect(failures(collector, operation), operation).toBe(1);
    }
    expect(failures(collector, Operation.MEMORY)).toBe(0);
    // meminfo says there is no swap: /proc/swaps is not read at all.
    expect(failures(collector, Operation.SWAP_DEVICES)).toBe(0);
    expect(logger.errors().every((error) => (error as NodeJS.ErrnoException).code === 'ENOENT')).toBe(true);
    await collector.close();
  });

  it('a parse error is counted with a ParseError naming the file and line', async () => {
    tree = fullTree();
    tree.copy('stat', 'malformed', 'stat');
    const { collector, logger } = treeCollector(tree);
    const samples = await collector.collectCpuMetrics();
    expect(samples.map((sample) => sample.name)).toEqual([
      CpuSample.LOAD1,
      CpuSample.LOAD5,
      CpuSample.LOAD15,
    ]);
    expect(failures(collector, Operation.CPU_TIMES)).toBe(1);
    const [error] = logger.errors();
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/stat line 1: column idle is not a number/);
    await collector.close();
  });

  it('continuous collection never throws into the host, even when every read fails', async () => {
    tree = createProcTree();
    const { collector } = treeCollector(tree, { collectionInterval: 0.05 });
    collector.startContinuousCollection();
    await waitFor('three failed rounds', () => failures(collector, Operation.NETWORK) >= 3, {
      timeoutMs: 10_000,
    });
    await collector.stopContinuousCollection();
    expect(collector.registry.self.taskErrors.get({ task: 'system', reason: 'error' }) ?? 0).toBe(0);
    expect(collector.getCollectedMetrics()).toEqual([]);
    await collector.close();
  });
});

describe('SystemMetricsCollector: continuous collection', () => {
  it('collects every interval into the buffer and stops for good', async () => {
    tree = fullTree();
    const { collector } = treeCollector(tree, { collectionInterval: 0.05 });
    collector.startContinuousCollection();
    collector.startContinuousCollection(); // a second start does nothing
    expect(collector.isCollecting).toBe(true);
    await waitFor('three runs', () => collector.bufferedSampleCount > 0 && runs(collector) >= 3, {
      timeoutMs: 10_000,
    });
    await collector.stopContinuousCollection();
    expect(collector.isCollecting).toBe(false);
    const drained = collector.getCollectedMetrics();
    expect(
      drained.filter((sample) => sample.name === 'node_memory_MemTotal_bytes').length,
    ).toBeGreaterThanOrEqual(3);
    const stoppedAt = runs(collector);
    await sleep(200);
    expect(runs(collector)).toBe(stoppedAt);
    expect(collector.getCollectedMetrics()).toEqual([]);
    await collector.close();
  });

  it('stopContinuousCollection waits for the run in flight', async () => {
    tree = fullTree();
    // The first run waits 300 ms between its two readings: stop comes in the middle of it.
    const { collector } = treeCollector(tree, { collectionInterval: 5, minRateWindowMs: 300 });
    collector.startContinuousCollection();
    await sleep(50);
    await collector.stopContinuousCollection();
    expect(runs(collector)).toBe(1);
    const names = collector.getCollectedMetrics().map((sample) => sample.name);
    expect(names).toContain('system_network_receive_bytes_per_second');
    await collector.close();
  });

  it('registry.collect() collects when continuous collection is off, not when it runs', async () => {
    tree = fullTree();
    const registry = new MetricsRegistry();
    const collector = new SystemMetricsCollector({
      registry,
      procPath: tree.path,
      inventory: false,
      minRateWindowMs: 1,
    });
    const snapshot = await registry.collect();
    const names = snapshot.families.map((family) => family.name);
    expect(names).toContain('node_cpu_seconds');
    expect(names).toContain('node_memory_MemTotal_bytes');
    expect(collector.getCollectedMetrics().length).toBeGreaterThan(0);
    collector.startContinuousCollection();
    await collector.stopContinuousCollection();
    collector.getCollectedMetrics();
    collector.startContinuousCollection();
    await registry.collect();
    await collector.stopContinuousCollection();
    expect(runs(collector)).toBe(2);
    await collector.close();
  });

  it('close releases the collector: later calls reject with ClosedError', async () => {
    tree = fullTree();
    const { collector } = treeCollector(tree);
    await collector.collectAllSystemMetrics();
    await collector.close();
    expect(collector.registry.collectors).not.toContain(collector);
    await expect(collector.collectCpuMetrics()).rejects.toBeInstanceOf(ClosedError);
    expect(() => collector.startContinuousCollection()).toThrow(ClosedError);
    await collector.close(); // twice is fine
  });
});

/** Finished runs of the collector's periodic task, from its duration self-metric. */
function runs(collector: SystemMetricsCollector): number {
  return collector.registry.self.taskDuration.summary({ task: collector.name })?.cumulative.count ?? 0;
}
