import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CPU_MODES, CpuSample, Operation } from '../names.js';
import { parseProcStat } from '../parsers/proc-stat.js';
import { failures, treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree, readFixture } from '../test-support/fixtures.js';

let tree: ProcTree;
afterEach(() => tree?.remove());

/** A /proc/stat whose CPUs each advance by `busy` and `idle` ticks from `text`. */
function advance(text: string, perCore: (cpu: string) => { busy: number; idle: number }): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^cpu(\d*) +(.*)$/.exec(line);
      if (match === null) return line;
      const values = match[2]!.split(' ').map(Number);
      if (match[1] === '') return line; // the total is rebuilt below
      const { busy, idle } = perCore(match[1]!);
      values[0]! += busy;
      values[3]! += idle;
      return `cpu${match[1]} ${values.join(' ')}`;
    })
    .join('\n');
}

function withTotal(text: string): string {
  const stat = parseProcStat(text);
  const columns = [
    'user',
    'nice',
    'system',
    'idle',
    'iowait',
    'irq',
    'softirq',
    'steal',
    'guest',
    'guestNice',
  ] as const;
  const total = columns.map((column) => stat.cores.reduce((sum, core) => sum + core.ticks[column], 0));
  return text.replace(/^cpu .*$/m, `cpu  ${total.join(' ')}`);
}

describe('CPU utilisation', () => {
  it('the first call reports the window it waited for, not 0% and not the since-boot average', async () => {
    tree = createProcTree();
    tree.copy('stat', 'guest', 'stat-1');
    tree.copy('loadavg', 'captured', 'proc', 'loadavg');
    const { collector } = treeCollector(tree, { minRateWindowMs: 1500 });
    const call = collector.collectCpuMetrics();
    // The baseline is read at once; the second reading comes 1.5 s later.
    await sleep(500);
    tree.copy('stat', 'guest', 'stat-2');
    const samples = await call;
    const overall = samples.find((sample) => sample.name === CpuSample.UTILIZATION)!;
    const before = parseProcStat(readFixture('guest', 'stat-1')).total;
    const after = parseProcStat(readFixture('guest', 'stat-2')).total;
    const delta = (mode: (typeof CPU_MODES)[number]) => after[mode] - before[mode];
    const window = CPU_MODES.reduce((sum, mode) => sum + delta(mode), 0);
    expect(overall.value).toBeCloseTo((100 * (window - delta('idle') - delta('iowait'))) / window, 10);
    const sinceBoot = CPU_MODES.reduce((sum, mode) => sum + after[mode], 0);
    expect(overall.value).not.toBeCloseTo((100 * (sinceBoot - after.idle - after.iowait)) / sinceBoot, 0);
    expect(overall.unit).toBe('percent');
    await collector.close();
  });

  it('does not count guest time twice: it is already in user and nice', async () => {
    tree = createProcTree();
    tree.copy('stat', 'guest', 'stat-1');
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    tree.copy('stat', 'guest', 'stat-2');
    const samples = await collector.collectCpuMetrics();
    // user +80 (80 of them guest), nice +10 (10 guest_nice), system +10, idle +100: 100 busy of 200.
    expect(samples.find((sample) => sample.name === CpuSample.UTILIZATION)!.value).toBeCloseTo(50, 10);
    const shares = samples.filter((sample) => sample.name === CpuSample.MODE_UTILIZATION);
    expect(shares.map((sample) => sample.tags.mode)).toEqual([...CPU_MODES]);
    expect(shares.reduce((sum, sample) => sum + sample.value, 0)).toBeCloseTo(100, 10);
    const scraped = scrapeRegistry(collector.registry);
    expect(scraped.get(sampleKey('node_cpu_seconds_total', { cpu: '0', mode: 'user' }))).toBe(10.8);
    expect(scraped.get(sampleKey('node_cpu_guest_seconds_total', { cpu: '0', mode: 'user' }))).toBe(8.8);
    expect(scraped.get(sampleKey('node_cpu_guest_seconds_total', { cpu: '0', mode: 'nice' }))).toBe(0.7);
    await collector.close();
  });

  it('reports no utilisation rather than 0% when no tick passed between two readings', async () => {
    tree = createProcTree();
    tree.copy('stat', 'guest', 'stat-1');
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    const samples = await collector.collectCpuMetrics();
    expect(samples.filter((sample) => sample.name.startsWith('system_cpu'))).toEqual([]);
    await collector.close();
  });

  it('regression: an iowait reading lower than the last one never lowers node_cpu_seconds_total', async () => {
    tree = createProcTree();
    tree.copy('stat', 'iowait-dip', 'stat-1');
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    const iowait = () =>
      scrapeRegistry(collector.registry).get(
        sampleKey('node_cpu_seconds_total', { cpu: '0', mode: 'iowait' }),
      );
    expect(iowait()).toBe(5);
    tree.copy('stat', 'iowait-dip', 'stat-2');
    const dip = await collector.collectCpuMetrics();
    expect(iowait()).toBe(5);
    for (const sample of dip) expect(sample.value).toBeGreaterThanOrEqual(0);
    tree.copy('stat', 'iowait-dip', 'stat-3');
    await collector.collectCpuMetrics();
    expect(iowait()).toBe(5.2);
    await collector.close();
  });

  it('follows 126 online CPUs of 128 and forgets one that goes offline', async () => {
    tree = createProcTree();
    const first = readFixture('many-cpus', 'stat');
    tree.write('stat', first);
    const { collector } = treeCollector(tree);
    await collector.collectCpuMetrics();
    const load = (cpu: string) => ({ busy: Number(cpu) % 101, idle: 100 - (Number(cpu) % 101) });
    const second = withTotal(advance(first, load));
    tree.write('stat', second);
    const samples = await collector.collectCpuMetrics();
    const cores = samples.filter((sample) => sample.name === CpuSample.CORE_UTILIZATION);
    expect(cores).toHaveLength(126);
    for (const sample of cores) expect(sample.value).toBeCloseTo(load(sample.tags.cpu!).busy, 10);
    const scraped = scrapeRegistry(collector.registry);
    expect([...scraped.keys()].filter((key) => key.startsWith('node_cpu_seconds_total{'))).toHaveLength(
      126 * 8,
    );
    // cpu3 goes offline.
    tree.write('stat', withTotal(second.replace(/^cpu3 .*\n/m, '')));
    await collector.collectCpuMetrics();
    const after = scrapeRegistry(collector.registry);
    expect(after.has(sampleKey('node_cpu_seconds_total', { cpu: '3', mode: 'idle' }))).toBe(false);
    expect(after.has(sampleKey('system_cpu_core_utilization_ratio', { cpu: '3' }))).toBe(false);
    expect(after.has(sampleKey('node_cpu_seconds_total', { cpu: '4', mode: 'idle' }))).toBe(true);
    expect(failures(collector, Operation.LOAD)).toBe(3); // no loadavg in this tree: counted, not thrown
    await collector.close();
  });
});
