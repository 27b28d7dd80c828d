import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DISK_DEVICE_EXCLUDE } from '../filters.js';
import { DiskMetric, DiskSample, FilesystemMetric, FilesystemSample, Operation } from '../names.js';
import { parseDiskstats } from '../parsers/diskstats.js';
import { failures, treeCollector } from '../test-support/collectors.js';
import { sampleKey, scrapeRegistry } from '../test-support/exposition.js';
import { createProcTree, type ProcTree, readFixture } from '../test-support/fixtures.js';
import { startNodeExporter } from '../test-support/node-exporter.js';

let tree: ProcTree;
afterEach(() => tree?.remove());

/** The block devices of an exposition, sorted. */
const devicesOf = (keys: Iterable<string>) =>
  [...keys]
    .filter((key) => key.startsWith(`${DiskMetric.READS_COMPLETED}{`))
    .map((key) => /device="([^"]*)"/.exec(key)![1]!)
    .sort();

describe('block devices', () => {
  it('exposes node_exporter counters in bytes and seconds, loop and zram devices left out', async () => {
    tree = createProcTree();
    tree.copy('diskstats', 'captured', 'proc', 'diskstats');
    tree.write('mounts', '');
    const { collector } = treeCollector(tree);
    await collector.collectDiskMetrics();
    const scraped = scrapeRegistry(collector.registry);
    const disks = parseDiskstats(readFixture('captured', 'proc', 'diskstats'));
    for (const disk of disks) {
      const key = (name: string) => sampleKey(name, { device: disk.device });
      if (/^(loop|z?ram)\d+$/.test(disk.device)) {
        expect(scraped.has(key(DiskMetric.READS_COMPLETED))).toBe(false);
        continue;
      }
      expect(scraped.get(key(DiskMetric.READS_COMPLETED))).toBe(disk.readsCompleted);
      expect(scraped.get(key(DiskMetric.READ_BYTES))).toBe(disk.sectorsRead * 512);
      expect(scraped.get(key(DiskMetric.WRITTEN_BYTES))).toBe(disk.sectorsWritten * 512);
      expect(scraped.get(key(DiskMetric.IO_TIME))).toBe(disk.ioTimeMs / 1000);
      expect(scraped.get(key(DiskMetric.WRITE_TIME))).toBe(disk.writeTimeMs / 1000);
      expect(scraped.get(key(DiskMetric.IO_NOW))).toBe(disk.ioInProgress);
    }
    await collector.close();
  });

  it('keeps counting across a 32-bit wrap-around; rates come from the same window', async () => {
    tree = createProcTree();
    tree.copy('diskstats', 'counter-wrap', 'diskstats-1');
    const { collector } = treeCollector(tree, { diskDeviceExclude: null });
    await collector.collectDiskMetrics();
    tree.copy('diskstats', 'counter-wrap', 'diskstats-2');
    const samples = await collector.collectDiskMetrics();
    const scraped = scrapeRegistry(collector.registry);
    const key = (name: string) => sampleKey(name, { device: 'sda' });
    expect(scraped.get(key(DiskMetric.READS_COMPLETED))).toBe(2 ** 32 - 6 + 10);
    expect(scraped.get(key(DiskMetric.READ_BYTES))).toBe((2 ** 32 - 96 + 192) * 512);
    const rate = (name: string) => samples.find((sample) => sample.name === name)!.value;
    // 192 sectors over 10 reads: 9,830.4 bytes a read, whatever the window.
    expect(rate(DiskSample.READ_RATE) / rate(DiskSample.READS_RATE)).toBeCloseTo((192 * 512) / 10, 8);
    for (const sample of samples) expect(sample.value).toBeGreaterThanOrEqual(0);
    expect(samples.find((sample) => sample.name === DiskSample.IO_UTILIZATION)!.value).toBeLessThanOrEqual(
      100,
    );
    await collector.close();
  });

  it("by default leaves out partitions, loop, ram, zram and floppy devices, as node_exporter's default does", async () => {
    tree = createProcTree();
    tree.copy('diskstats', 'many-devices', 'diskstats');
    tree.write('mounts', '');
    const { collector } = treeCollector(tree);
    await collector.collectDiskMetrics();
    const kept = devicesOf(scrapeRegistry(collector.registry).keys());
    // Whole disks, device-mapper and md volumes, optical drives stay; so do the partitions of
    // names the pattern does not know (mmcblk0p1), exactly as node_exporter keeps them.
    expect(kept).toEqual([
      'dm-0',
      'hda',
      'md0',
      'mmcblk0',
      'mmcblk0p1',
      'nvme0n1',
      'sda',
      'sr0',
      'vda',
      'xvda',
    ]);
    await collector.close();
  });

  it('keeps the devices node_exporter keeps, reading the same file (its 1.5 default kept zram)', async () => {
    tree = createProcTree();
    tree.copy('diskstats', 'many-devices', 'diskstats');
    tree.write('mounts', '');
    const { collector } = treeCollector(tree);
    await collector.collectDiskMetrics();
    const ours = devicesOf(scrapeRegistry(collector.registry).keys());
    await collector.close();
    const exporterDevices = async (diskDeviceExclude: string | null) => {
      const exporter = await startNodeExporter({
        procPath: tree.path,
        collectors: ['diskstats'],
        diskDeviceExclude,
      });
      try {
        return devicesOf((await exporter.scrape()).keys());
      } finally {
        await exporter.stop();
      }
    };
    // Its own default (Debian ships 1.5): ours, and zram0, which 1.8 added to the pattern.
    expect(await exporterDevices(null)).toEqual([...ours, 'zram0'].sort());
    // Our pattern, given to it: the same devices exactly.
    expect(await exporterDevices(DEFAULT_DISK_DEVICE_EXCLUDE.source)).toEqual(ours);
  }, 30_000);

  it('include and exclude patterns choose the devices', async () => {
    tree = createProcTree();
    tree.copy('diskstats', 'old-kernel', 'diskstats');
    const { collector } = treeCollector(tree, { diskDeviceInclude: /^sda/, diskDeviceExclude: null });
    await collector.collectDiskMetrics();
    const devices = [...scrapeRegistry(collector.registry).keys()]
      .filter((key) => key.startsWith(`${DiskMetric.READS_COMPLETED}{`))
      .sort();
    expect(devices).toEqual([
      sampleKey(DiskMetric.READS_COMPLETED, { device: 'sda' }),
      sampleKey(DiskMetric.READS_COMPLETED, { device: 'sda1' }),
    ]);
    await collector.close();
  });
});

describe('filesystems', () => {
  it('measures each mount with statfs, paths with blanks included, pseudo filesystems left out', async () => {
    tree = createProcTree();
    const spaced = join(tree.path, 'my disk');
    mkdirSync(spaced);
    const escaped = spaced.replaceAll(' ', '\\040');
    tree.write(
      'mounts',
      [
        '/dev/vda / ext4 rw,relatime 0 0',
        `/dev/fake1 ${escaped} ext4 ro,relatime 0 0`,
        'proc /proc proc rw 0 0',
        'overlay /var/lib/overlay overlay rw 0 0',
        '/dev/gone /nonexistent/fw0-system-test ext4 rw 0 0',
        '',
      ].join('\n'),
    );
    const { collector, logger } = treeCollector(tree);
    const samples = await collector.collectDiskMetrics();
    const scraped = scrapeRegistry(collector.registry);
    const labels = { device: '/dev/fake1', fstype: 'ext4', mountpoint: spaced };
    expect(scraped.get(sampleKey(FilesystemMetric.READONLY, labels))).toBe(1);
    expect(scraped.get(sampleKey(FilesystemMetric.SIZE, labels))).toBeGreaterThan(0);
    const root = { device: '/dev/vda', fstype: 'ext4', mountpoint: '/' };
    const size = scraped.get(sampleKey(FilesystemMetric.SIZE, root))!;
    const free = scraped.get(sampleKey(FilesystemMetric.FREE, root))!;
    const avail = scraped.get(sampleKey(FilesystemMetric.AVAIL, root))!;
    expect(free).toBeGreaterThanOrEqual(avail);
    const used = samples.find(
      (sample) => sample.name === FilesystemSample.USED && sample.tags.mountpoint === '/',
    )!;
    expect(used.value).toBeCloseTo((100 * (size - free)) / (size - free + avail), 8);
    expect(
      [...scraped.keys()].some((key) => key.includes('mountpoint="/proc"') || key.includes('overlay')),
    ).toBe(false);
    // The missing mount point: an error flag, a counted failure naming it, no stale sizes.
    const gone = { device: '/dev/gone', fstype: 'ext4', mountpoint: '/nonexistent/fw0-system-test' };
    expect(scraped.get(sampleKey(FilesystemMetric.DEVICE_ERROR, gone))).toBe(1);
    expect(scraped.has(sampleKey(FilesystemMetric.SIZE, gone))).toBe(false);
    expect(failures(collector, Operation.STATFS)).toBe(1);
    expect(logger.errors().some((error) => (error as NodeJS.ErrnoException).code === 'ENOENT')).toBe(true);
    expect(failures(collector, Operation.DISK_STATS)).toBe(1); // no diskstats in this tree
    await collector.close();
  });
});
