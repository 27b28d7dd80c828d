import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLoadavg } from '../parsers/loadavg.js';
import { parseMeminfo } from '../parsers/meminfo.js';
import { failures, treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree, readFixture } from '../test-support/fixtures.js';

let tree: ProcTree;
afterEach(() => tree?.remove());

/** Host-wide gauges the collector binds when it is built, before anything was read. */
const HOST_GAUGES = [
  'node_load1',
  'node_load5',
  'node_load15',
  'system_cpu_utilization_ratio',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_SwapTotal_bytes',
  'system_memory_used_bytes',
  'system_memory_utilization_ratio',
  'system_swap_used_bytes',
  'system_swap_utilization_ratio',
  'node_vmstat_pswpin',
  'node_vmstat_pswpout',
  'system_swap_in_bytes_per_second',
  'system_swap_out_bytes_per_second',
];

describe('figures that could not be read', () => {
  it('regression: are left out of the exposition, not shown as 0, until their source is read', async () => {
    tree = createProcTree();
    // stat, loadavg, meminfo and vmstat unreadable (directories): every read of them fails.
    for (const file of ['stat', 'loadavg', 'meminfo', 'vmstat']) mkdirSync(join(tree.path, file));
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    await collector.collectMemoryMetrics();
    expect(failures(collector, 'read_cpu_times')).toBe(1);
    expect(failures(collector, 'read_load')).toBe(1);
    expect(failures(collector, 'read_memory')).toBe(1);
    expect(failures(collector, 'read_swap_activity')).toBe(1);
    const scraped = scrapeRegistry(collector.registry);
    for (const name of HOST_GAUGES) expect(scraped.has(sampleKey(name)), name).toBe(false);
    expect(scraped.has(sampleKey('system_cpu_mode_utilization_ratio', { mode: 'user' }))).toBe(false);
    await collector.close();
  });

  it('regression: no utilisation series before two readings a tick apart', async () => {
    tree = createProcTree();
    tree.copy('stat', 'guest', 'stat-1');
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    await collector.collectCpuMetrics();
    const scraped = scrapeRegistry(collector.registry);
    expect(scraped.has(sampleKey('node_cpu_seconds_total', { cpu: '0', mode: 'user' }))).toBe(true);
    expect(scraped.has(sampleKey('system_cpu_utilization_ratio'))).toBe(false);
    tree.copy('stat', 'guest', 'stat-2');
    await collector.collectCpuMetrics();
    expect(scrapeRegistry(collector.registry).has(sampleKey('system_cpu_utilization_ratio'))).toBe(true);
    await collector.close();
  });

  it('appear with the values read once the source can be read again', async () => {
    tree = createProcTree();
    mkdirSync(join(tree.path, 'loadavg'));
    mkdirSync(join(tree.path, 'meminfo'));
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    await collector.collectMemoryMetrics();
    expect(scrapeRegistry(collector.registry).has(sampleKey('node_load1'))).toBe(false);
    for (const file of ['loadavg', 'meminfo']) rmSync(join(tree.path, file), { recursive: true });
    tree.copy('loadavg', 'captured', 'proc', 'loadavg');
    tree.copy('meminfo', 'captured', 'proc', 'meminfo');
    await collector.collectCpuMetrics();
    await collector.collectMemoryMetrics();
    const scraped = scrapeRegistry(collector.registry);
    const load = parseLoadavg(readFixture('captured', 'proc', 'loadavg'));
    expect(scraped.get(sampleKey('node_load1'))).toBe(load.load1);
    const meminfo = parseMeminfo(readFixture('captured', 'proc', 'meminfo'));
    expect(scraped.get(sampleKey('node_memory_MemTotal_bytes'))).toBe(meminfo.get('MemTotal'));
    await collector.close();
  });
});
