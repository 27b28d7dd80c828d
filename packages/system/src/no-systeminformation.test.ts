import { MetricsRegistry } from '@fw0/metrics-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { SystemMetricsCollector } from './system-collector.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Counts every call of a systeminformation function, whoever makes it: the collector reaches
 * the module through `loadSystemInformation()`, which returns this same object (the CommonJS
 * exports), so spies on its functions see every call the package makes.
 */
async function countSystemInformationCalls(): Promise<Map<string, number>> {
  const module = (await import('systeminformation')) as { default?: Record<string, unknown> };
  const si = (module.default ?? module) as Record<string, unknown>;
  const calls = new Map<string, number>();
  for (const [name, value] of Object.entries(si)) {
    if (typeof value !== 'function') continue;
    const original = value as (...args: unknown[]) => unknown;
    vi.spyOn(si as Record<string, (...args: unknown[]) => unknown>, name).mockImplementation(function (
      this: unknown,
      ...args: unknown[]
    ) {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return original.apply(this, args);
    });
  }
  expect(calls.size).toBe(0);
  expect(Object.keys(si).filter((name) => typeof si[name] === 'function').length).toBeGreaterThan(40);
  return calls;
}

describe('systeminformation stays out of the per-interval path', () => {
  it('collections on Linux (procfs) never call it, manual or continuous', async () => {
    const calls = await countSystemInformationCalls();
    const collector = new SystemMetricsCollector({
      registry: new MetricsRegistry(),
      collectionInterval: 0.05,
      minRateWindowMs: 10,
      inventory: false,
    });
    expect(collector.sourceKind).toBe('procfs');
    for (let round = 0; round < 3; round++) await collector.collectAllSystemMetrics();
    collector.startContinuousCollection();
    const runs = () =>
      collector.registry.self.taskDuration.summary({ task: 'system' })?.cumulative.count ?? 0;
    await waitFor('five runs of continuous collection', () => runs() >= 5, { timeoutMs: 10_000 });
    await collector.stopContinuousCollection();
    expect(collector.getCollectedMetrics().length).toBeGreaterThan(100);
    expect(Object.fromEntries(calls)).toEqual({});
    await collector.close();
  });

  it('the inventory calls it once, at start, and never again', async () => {
    const calls = await countSystemInformationCalls();
    const collector = new SystemMetricsCollector({
      registry: new MetricsRegistry(),
      collectionInterval: 0.05,
      minRateWindowMs: 10,
    });
    collector.startContinuousCollection();
    expect(await collector.getHostInfo()).toBeDefined();
    const afterInventory = Object.fromEntries(calls);
    expect(Object.keys(afterInventory).sort()).toEqual(['cpu', 'mem', 'osInfo']);
    const runs = () =>
      collector.registry.self.taskDuration.summary({ task: 'system' })?.cumulative.count ?? 0;
    const seen = runs();
    await waitFor('five more runs', () => runs() >= seen + 5, { timeoutMs: 10_000 });
    await collector.getHostInfo();
    await collector.stopContinuousCollection();
    expect(Object.fromEntries(calls)).toEqual(afterInventory);
    await collector.close();
  });
});
