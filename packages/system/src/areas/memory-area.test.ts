import { afterEach, describe, expect, it } from 'vitest';
import { MEMINFO_FIELDS, MemoryMetric, MemorySample, meminfoMetricName, Operation } from '../names.js';
import { parseMeminfo } from '../parsers/meminfo.js';
import { failures, treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree, readFixture } from '../test-support/fixtures.js';

let tree: ProcTree;
afterEach(() => tree?.remove());

const vmstat = (pagesIn: number, pagesOut: number) =>
  `nr_free_pages 5\npswpin ${pagesIn}\npswpout ${pagesOut}\npgfault 9\n`;

describe('memory', () => {
  it('exposes the meminfo fields in bytes and used = MemTotal - MemAvailable', async () => {
    tree = createProcTree();
    tree.copy('meminfo', 'captured', 'proc', 'meminfo');
    tree.copy('swaps', 'captured', 'proc', 'swaps');
    tree.write('vmstat', vmstat(0, 0));
    const { collector } = treeCollector(tree);
    const samples = await collector.collectMemoryMetrics();
    const meminfo = parseMeminfo(readFixture('captured', 'proc', 'meminfo'));
    const scraped = scrapeRegistry(collector.registry);
    for (const field of MEMINFO_FIELDS) {
      expect(scraped.get(sampleKey(meminfoMetricName(field)))).toBe(meminfo.get(field));
    }
    const used = meminfo.get('MemTotal')! - meminfo.get('MemAvailable')!;
    expect(scraped.get(sampleKey(MemoryMetric.USED))).toBe(used);
    expect(scraped.get(sampleKey(MemoryMetric.UTILIZATION))).toBeCloseTo(used / meminfo.get('MemTotal')!, 12);
    const byName = new Map(samples.map((sample) => [sample.name, sample]));
    expect(byName.get(MemorySample.UTILIZATION)).toMatchObject({ unit: 'percent', type: 'gauge' });
    expect(byName.get(MemorySample.UTILIZATION)!.value).toBeCloseTo(
      (100 * used) / meminfo.get('MemTotal')!,
      10,
    );
    expect(byName.get('node_memory_MemTotal_bytes')).toMatchObject({
      unit: 'bytes',
      value: meminfo.get('MemTotal'),
    });
    // No swap on the captured machine: 0 used and 0%, not NaN.
    expect(byName.get(MemorySample.SWAP_UTILIZATION)!.value).toBe(0);
    await collector.close();
  });

  it('estimates available memory on kernels without MemAvailable, and says so', async () => {
    tree = createProcTree();
    tree.copy('meminfo', 'old-kernel', 'meminfo');
    const { collector } = treeCollector(tree);
    const samples = await collector.collectMemoryMetrics();
    const meminfo = parseMeminfo(readFixture('old-kernel', 'meminfo'));
    const estimate = meminfo.get('MemFree')! + meminfo.get('Buffers')! + meminfo.get('Cached')!;
    const available = samples.find((sample) => sample.name === 'node_memory_MemAvailable_bytes')!;
    expect(available.value).toBe(estimate);
    expect(available.context).toEqual({ availableEstimated: true });
    const used = samples.find((sample) => sample.name === MemorySample.USED)!;
    expect(used.value).toBe(meminfo.get('MemTotal')! - estimate);
    expect(failures(collector, 'read_swap_activity')).toBe(1); // this tree has no vmstat: counted
    await collector.close();
  });

  it('turns swapped pages into bytes per second with the kernel page size', async () => {
    tree = createProcTree();
    tree.write('meminfo', withSwap());
    tree.copy('self/smaps', 'captured', 'proc', 'self', 'smaps');
    tree.write('vmstat', vmstat(100, 1000));
    const { collector } = treeCollector(tree);
    await collector.collectMemoryMetrics();
    tree.write('vmstat', vmstat(356, 1512));
    const samples = await collector.collectMemoryMetrics();
    const rateIn = samples.find((sample) => sample.name === MemorySample.SWAP_IN_RATE)!;
    const rateOut = samples.find((sample) => sample.name === MemorySample.SWAP_OUT_RATE)!;
    // Same window for both: 512 pages out is twice 256 pages in.
    expect(rateIn.value).toBeGreaterThan(0);
    expect(rateOut.value / rateIn.value).toBeCloseTo(2, 10);
    expect(rateIn.unit).toBe('bytes_per_second');
    const scraped = scrapeRegistry(collector.registry);
    expect(scraped.get(sampleKey(MemoryMetric.SWAP_IN_PAGES))).toBe(356);
    expect(scraped.get(sampleKey(MemoryMetric.SWAP_OUT_PAGES))).toBe(1512);
    await collector.close();
  });

  it('without swap, reads /proc/vmstat once for its counters, then reports no traffic without reading it', async () => {
    tree = createProcTree();
    tree.copy('meminfo', 'captured', 'proc', 'meminfo'); // SwapTotal: 0 kB
    tree.write('vmstat', vmstat(7, 9));
    const { collector } = treeCollector(tree);
    await collector.collectMemoryMetrics();
    // From now on a read of /proc/vmstat would fail and be counted: none must happen.
    tree.write('vmstat', 'broken\n');
    for (let round = 0; round < 3; round++) {
      const samples = await collector.collectMemoryMetrics();
      const rates = samples.filter(
        (sample) => sample.name.startsWith('system_swap_') && sample.name.endsWith('_per_second'),
      );
      expect(rates.map((sample) => sample.value)).toEqual([0, 0]);
    }
    expect(failures(collector, Operation.SWAP_ACTIVITY)).toBe(0);
    const scraped = scrapeRegistry(collector.registry);
    expect(scraped.get(sampleKey(MemoryMetric.SWAP_IN_PAGES))).toBe(7);
    expect(scraped.get(sampleKey(MemoryMetric.SWAP_IN_RATE))).toBe(0);
    // Swap appears: the next collection reads /proc/vmstat again (and counts its failure).
    tree.write('meminfo', withSwap());
    await collector.collectMemoryMetrics();
    expect(failures(collector, Operation.SWAP_ACTIVITY)).toBe(1);
    await collector.close();
  });

  it('lists swap areas (paths with blanks), and forgets them when /proc/swaps is empty', async () => {
    tree = createProcTree();
    tree.write('meminfo', withSwap());
    tree.copy('swaps', 'spaces', 'swaps');
    const { collector } = treeCollector(tree);
    await collector.collectMemoryMetrics();
    const scraped = scrapeRegistry(collector.registry);
    expect(
      scraped.get(sampleKey(MemoryMetric.SWAP_DEVICE_SIZE, { device: '/swap file', type: 'file' })),
    ).toBe(1048572 * 1024);
    expect(
      scraped.get(sampleKey(MemoryMetric.SWAP_DEVICE_USED, { device: '/swap file', type: 'file' })),
    ).toBe(2048 * 1024);
    tree.copy('swaps', 'empty-swaps', 'swaps');
    await collector.collectMemoryMetrics();
    const after = [...scrapeRegistry(collector.registry).keys()];
    expect(after.filter((key) => key.startsWith('system_swap_device_'))).toEqual([]);
    expect(failures(collector, 'read_swap_devices')).toBe(0);
    // regression: an unreadable meminfo says nothing about swap: the swap areas stay as they were.
    tree.copy('swaps', 'spaces', 'swaps');
    await collector.collectMemoryMetrics();
    tree.copy('meminfo', 'malformed', 'meminfo');
    await collector.collectMemoryMetrics();
    expect(failures(collector, 'read_memory')).toBe(1);
    expect(
      scrapeRegistry(collector.registry).has(
        sampleKey(MemoryMetric.SWAP_DEVICE_SIZE, { device: '/swap file', type: 'file' }),
      ),
    ).toBe(true);
    tree.write('meminfo', withSwap());
    // Swap switched off: meminfo says so, /proc/swaps is no longer read (a missing file would count).
    tree.copy('swaps', 'spaces', 'swaps');
    await collector.collectMemoryMetrics();
    tree.copy('meminfo', 'captured', 'proc', 'meminfo');
    tree.write('swaps', 'not read');
    await collector.collectMemoryMetrics();
    const off = [...scrapeRegistry(collector.registry).keys()];
    expect(off.filter((key) => key.startsWith('system_swap_device_'))).toEqual([]);
    expect(failures(collector, 'read_swap_devices')).toBe(0);
    await collector.close();
  });
});

/** The captured meminfo with a swap area of 9 GiB. */
function withSwap(): string {
  return readFixture('captured', 'proc', 'meminfo')
    .replace(/^SwapTotal: .*$/m, 'SwapTotal:       9437176 kB')
    .replace(/^SwapFree: .*$/m, 'SwapFree:        9435128 kB');
}
