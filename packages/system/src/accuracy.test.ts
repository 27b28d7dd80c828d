import { MetricsRegistry, parseExposition, serializePrometheus } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DiskMetric,
  FilesystemMetric,
  MEMINFO_FIELDS,
  meminfoMetricName,
  NETWORK_COUNTERS,
} from './names.js';
import { SystemMetricsCollector } from './system-collector.js';
import { labelSetsOf, type SampleIndex, sampleKey, scrapeRegistry } from './test-support/exposition.js';
import { type NodeExporter, startNodeExporter } from './test-support/node-exporter.js';
import { type Psutil, type PsutilSnapshot, startPsutil } from './test-support/psutil.js';

/**
 * Tolerances. Counters only go up, so a reading of ours taken between two readings of a peer
 * must lie between them (plus a rounding margin for values converted to seconds). Memory and
 * free space also move down, and other processes on this machine (other test files, builds)
 * allocate and write all the time: between the two bracketing reads, about 0.1 s apart, we
 * allow them to move 64 MiB beyond the bracket.
 */
const MOVING_BYTES = 64 * 2 ** 20;
const ROUNDING = 1e-9;

function expectBetween(
  what: string,
  ours: number | undefined,
  first: number,
  second: number,
  slack: number,
): void {
  expect(ours, `${what}: ours is missing`).toBeTypeOf('number');
  const low = Math.min(first, second) - slack;
  const high = Math.max(first, second) + slack;
  expect(ours! >= low && ours! <= high, `${what}: ours ${ours} outside [${low}, ${high}]`).toBe(true);
}

/** Rounding margin for a counter value (relative: large counters carry more absolute error). */
const rounding = (value: number) => Math.max(ROUNDING, Math.abs(value) * ROUNDING);

describe('the same figures as psutil and node_exporter, read at the same moment', () => {
  let collector: SystemMetricsCollector;
  let psutil: Psutil;
  let nodeExporter: NodeExporter;
  let ours: SampleIndex;
  let psutilBefore: PsutilSnapshot;
  let psutilAfter: PsutilSnapshot;
  let exporterBefore: SampleIndex;
  let exporterAfter: SampleIndex;

  beforeAll(async () => {
    collector = new SystemMetricsCollector({ registry: new MetricsRegistry(), inventory: false });
    await collector.collectAllSystemMetrics();
    const mountpoints = labelSetsOf(scrapeRegistry(collector.registry), FilesystemMetric.SIZE).map(
      (labels) => labels.mountpoint!,
    );
    [psutil, nodeExporter] = await Promise.all([startPsutil(mountpoints), startNodeExporter()]);
    // Peer, ours, peer: each of our readings is bracketed by two of each peer's.
    exporterBefore = await nodeExporter.scrape();
    psutilBefore = await psutil.snapshot();
    await collector.collectAllSystemMetrics();
    ours = scrapeRegistry(collector.registry);
    psutilAfter = await psutil.snapshot();
    exporterAfter = await nodeExporter.scrape();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([psutil?.stop(), nodeExporter?.stop(), collector?.close()]);
  });

  it('memory equals psutil (total exact; available, free, buffers, cached within the bracket)', () => {
    const get = (field: string) => ours.get(sampleKey(meminfoMetricName(field as 'MemTotal')));
    expect(get('MemTotal')).toBe(psutilBefore.memory.total);
    const pairs: [string, (snapshot: PsutilSnapshot) => number, number | undefined][] = [
      ['available', (snapshot) => snapshot.memory.available, get('MemAvailable')],
      ['free', (snapshot) => snapshot.memory.free, get('MemFree')],
      ['buffers', (snapshot) => snapshot.memory.buffers, get('Buffers')],
      // psutil's "cached" is Cached + SReclaimable (as free(1) shows it).
      ['cached', (snapshot) => snapshot.memory.cached, get('Cached')! + get('SReclaimable')!],
      ['swap total', (snapshot) => snapshot.swap.total, get('SwapTotal')],
      ['swap free', (snapshot) => snapshot.swap.free, get('SwapFree')],
    ];
    for (const [what, read, value] of pairs)
      expectBetween(what, value, read(psutilBefore), read(psutilAfter), MOVING_BYTES);
    const pageSize = 4096; // psutil counts swap traffic in 4 KiB pages whatever the page size
    expectBetween(
      'swap in',
      ours.get(sampleKey('node_vmstat_pswpin'))! * pageSize,
      psutilBefore.swap.sin,
      psutilAfter.swap.sin,
      0,
    );
    expectBetween(
      'swap out',
      ours.get(sampleKey('node_vmstat_pswpout'))! * pageSize,
      psutilBefore.swap.sout,
      psutilAfter.swap.sout,
      0,
    );
  });

  it('filesystems equal psutil.disk_usage (size exact; free space within the bracket)', () => {
    const filesystems = labelSetsOf(ours, FilesystemMetric.SIZE);
    expect(filesystems.length).toBeGreaterThan(0);
    for (const labels of filesystems) {
      const before = psutilBefore.filesystems[labels.mountpoint!]!;
      const after = psutilAfter.filesystems[labels.mountpoint!]!;
      const size = ours.get(sampleKey(FilesystemMetric.SIZE, labels))!;
      const free = ours.get(sampleKey(FilesystemMetric.FREE, labels))!;
      expect(size, labels.mountpoint).toBe(before.total);
      // psutil: free = f_bavail * f_frsize (what users can have), used = (f_blocks - f_bfree) * f_frsize.
      expectBetween(
        `${labels.mountpoint} avail`,
        ours.get(sampleKey(FilesystemMetric.AVAIL, labels)),
        before.free,
        after.free,
        MOVING_BYTES,
      );
      expectBetween(`${labels.mountpoint} used`, size - free, before.used, after.used, MOVING_BYTES);
    }
  });

  it('cumulative disk counters lie between two psutil readings', () => {
    const devices = labelSetsOf(ours, DiskMetric.READS_COMPLETED).map((labels) => labels.device!);
    const compared = devices.filter((device) => psutilBefore.disks[device] !== undefined);
    expect(compared.length).toBeGreaterThan(0);
    for (const device of compared) {
      const value = (name: string) => ours.get(sampleKey(name, { device }))!;
      const fields: [string, number, keyof PsutilSnapshot['disks'][string]][] = [
        ['reads', value(DiskMetric.READS_COMPLETED), 'read_count'],
        ['writes', value(DiskMetric.WRITES_COMPLETED), 'write_count'],
        ['read bytes', value(DiskMetric.READ_BYTES), 'read_bytes'],
        ['written bytes', value(DiskMetric.WRITTEN_BYTES), 'write_bytes'],
        ['busy ms', value(DiskMetric.IO_TIME) * 1000, 'busy_time'],
      ];
      for (const [what, mine, field] of fields) {
        const first = psutilBefore.disks[device]![field];
        const second = psutilAfter.disks[device]![field];
        expectBetween(`${device} ${what}`, mine, first, second, rounding(mine));
      }
    }
  });

  it('cumulative interface counters lie between two psutil readings', () => {
    const devices = labelSetsOf(ours, NETWORK_COUNTERS[0]).map((labels) => labels.device!);
    const compared = devices.filter((device) => psutilBefore.networks[device] !== undefined);
    expect(compared.length).toBeGreaterThan(0);
    const fields: [number, keyof PsutilSnapshot['networks'][string]][] = [
      [0, 'bytes_recv'],
      [1, 'packets_recv'],
      [2, 'errin'],
      [3, 'dropin'],
      [8, 'bytes_sent'],
      [9, 'packets_sent'],
      [10, 'errout'],
      [11, 'dropout'],
    ];
    for (const device of compared) {
      for (const [column, field] of fields) {
        const mine = ours.get(sampleKey(NETWORK_COUNTERS[column]!, { device }));
        expectBetween(
          `${device} ${field}`,
          mine,
          psutilBefore.networks[device]![field],
          psutilAfter.networks[device]![field],
          0,
        );
      }
    }
  });

  it("every node_* series we expose is node_exporter's: same name, same labels, same value", () => {
    const nodeKeys = [...ours.keys()].filter((key) => key.startsWith('node_'));
    expect(nodeKeys.length).toBeGreaterThan(50);
    for (const key of nodeKeys) {
      const first = exporterBefore.get(key);
      const second = exporterAfter.get(key);
      expect(first, `node_exporter has no ${key}`).toBeTypeOf('number');
      const mine = ours.get(key)!;
      const moving = key.startsWith('node_memory_') || /^node_filesystem_(free|avail)_bytes/.test(key);
      expectBetween(key, mine, first!, second!, moving ? MOVING_BYTES : rounding(mine));
    }
  });

  it("every node_* family has node_exporter's type (its untyped vmstat fields are our gauges)", async () => {
    const typesOf = (text: string) =>
      new Map(parseExposition(text).families.map((family) => [family.name, family.type] as const));
    const theirs = typesOf(await nodeExporter.scrapeText());
    const mine = typesOf(serializePrometheus(collector.registry.snapshot()));
    const compared = [...mine].filter(([name]) => name.startsWith('node_'));
    expect(compared.length).toBeGreaterThan(40);
    for (const [name, type] of compared) {
      expect(theirs.get(name), name).toBe(name.startsWith('node_vmstat_') ? 'untyped' : type);
    }
  });

  it('and node_exporter has no series of those families that we lack', () => {
    const families = new Set(
      [...ours.keys()].filter((key) => key.startsWith('node_')).map((key) => key.split('{')[0]!),
    );
    const memory = new Set(MEMINFO_FIELDS.map((field) => meminfoMetricName(field)));
    for (const key of exporterAfter.keys()) {
      const family = key.split('{')[0]!;
      // node_exporter exposes every meminfo line; we expose the listed fields only.
      if (!families.has(family) || (family.startsWith('node_memory_') && !memory.has(family))) continue;
      expect(ours.has(key), `we lack ${key}`).toBe(true);
    }
  });
});
