/**
 * Accuracy figures for docs/performance.md: our readings against psutil and node_exporter taken
 * at the same moment (peer, ours, peer), and CPU utilisation against psutil over the same window
 * while stress-ng keeps one core busy. The tests (src/accuracy.test.ts, src/cpu-accuracy.test.ts)
 * assert the bounds; this prints how close the figures actually are.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsRegistry } from '@fw0/metrics-core';
import { requireBinary } from '../../../test-support/binaries.js';
import { startProcess } from '../../../test-support/processes.js';
import { CpuSample, FilesystemMetric, MEMINFO_FIELDS, meminfoMetricName } from '../src/names.js';
import { SystemMetricsCollector } from '../src/system-collector.js';
import { labelSetsOf, type SampleIndex, sampleKey, scrapeRegistry } from '../src/test-support/exposition.js';
import { startNodeExporter } from '../src/test-support/node-exporter.js';
import { type PsutilSnapshot, startPsutil } from '../src/test-support/psutil.js';

/** How far `value` lies outside [first, second] (0 inside), in the value's unit. */
function outside(value: number, first: number, second: number): number {
  const low = Math.min(first, second);
  const high = Math.max(first, second);
  return value < low ? low - value : value > high ? value - high : 0;
}

interface Agreement {
  compared: number;
  inside: number;
  worst: number;
  worstWhat: string;
}

function agreement(rows: readonly [string, number, number, number][]): Agreement {
  const result: Agreement = { compared: 0, inside: 0, worst: 0, worstWhat: '-' };
  for (const [what, ours, first, second] of rows) {
    result.compared += 1;
    const distance = outside(ours, first, second);
    if (distance === 0) result.inside += 1;
    else if (distance > result.worst) {
      result.worst = distance;
      result.worstWhat = what;
    }
  }
  return result;
}

function print(title: string, figures: Agreement, unit: string): void {
  console.log(
    `  ${title.padEnd(52)} ${String(figures.inside).padStart(4)} of ${String(figures.compared).padEnd(4)} within the bracket;` +
      ` largest distance outside: ${figures.worst === 0 ? '0' : `${figures.worst.toFixed(0)} ${unit} (${figures.worstWhat})`}`,
  );
}

/** Memory, filesystems and node_* series against psutil and node_exporter. */
async function readingsAgainstPeers(): Promise<void> {
  const collector = new SystemMetricsCollector({ registry: new MetricsRegistry(), inventory: false });
  await collector.collectAllSystemMetrics();
  const mountpoints = labelSetsOf(scrapeRegistry(collector.registry), FilesystemMetric.SIZE).map(
    (labels) => labels.mountpoint!,
  );
  const [psutil, exporter] = await Promise.all([startPsutil(mountpoints), startNodeExporter()]);
  try {
    const exporterBefore = await exporter.scrape();
    const psutilBefore = await psutil.snapshot();
    await collector.collectAllSystemMetrics();
    const ours: SampleIndex = scrapeRegistry(collector.registry);
    const psutilAfter = await psutil.snapshot();
    const exporterAfter = await exporter.scrape();

    const meminfo = (field: string) =>
      ours.get(sampleKey(meminfoMetricName(field as 'MemTotal'))) ?? Number.NaN;
    const memoryRows: [string, (snapshot: PsutilSnapshot) => number, number][] = [
      ['total', (s) => s.memory.total, meminfo('MemTotal')],
      ['available', (s) => s.memory.available, meminfo('MemAvailable')],
      ['free', (s) => s.memory.free, meminfo('MemFree')],
      ['buffers', (s) => s.memory.buffers, meminfo('Buffers')],
      ['cached', (s) => s.memory.cached, meminfo('Cached') + meminfo('SReclaimable')],
      ['swap total', (s) => s.swap.total, meminfo('SwapTotal')],
      ['swap free', (s) => s.swap.free, meminfo('SwapFree')],
    ];
    const filesystemRows = labelSetsOf(ours, FilesystemMetric.SIZE).flatMap((labels) => {
      const mount = labels.mountpoint!;
      const size = ours.get(sampleKey(FilesystemMetric.SIZE, labels))!;
      const free = ours.get(sampleKey(FilesystemMetric.FREE, labels))!;
      const before = psutilBefore.filesystems[mount]!;
      const after = psutilAfter.filesystems[mount]!;
      return [
        [`${mount} size`, size, before.total, after.total],
        [`${mount} avail`, ours.get(sampleKey(FilesystemMetric.AVAIL, labels))!, before.free, after.free],
        [`${mount} used`, size - free, before.used, after.used],
      ] as [string, number, number, number][];
    });
    const nodeRows = [...ours.keys()]
      .filter((key) => key.startsWith('node_') && exporterBefore.has(key) && exporterAfter.has(key))
      .map((key) => [key, ours.get(key)!, exporterBefore.get(key)!, exporterAfter.get(key)!]) as [
      string,
      number,
      number,
      number,
    ][];
    const missing = [...ours.keys()].filter((key) => key.startsWith('node_') && !exporterBefore.has(key));

    console.log(
      `\nAccuracy: one reading of ours between two of each peer's (psutil ${psutil.version}, Debian's node_exporter), ${MEMINFO_FIELDS.length} meminfo fields exposed`,
    );
    print(
      'memory and swap vs psutil (bytes)',
      agreement(
        memoryRows.map(([what, read, value]) => [what, value, read(psutilBefore), read(psutilAfter)]),
      ),
      'bytes',
    );
    print('filesystems vs psutil.disk_usage (bytes)', agreement(filesystemRows), 'bytes');
    print('every node_* series vs node_exporter (same name and labels)', agreement(nodeRows), 'in its unit');
    console.log(`  node_* series of ours that node_exporter lacks: ${missing.length}`);
    console.log(
      '  (memory and free space move between the reads: a value outside the bracket means another process allocated or wrote between them)',
    );
  } finally {
    await Promise.all([psutil.stop(), exporter.stop(), collector.close()]);
  }
}

/** CPU utilisation over the same 3 s window as psutil, one core busy. */
async function cpuAgainstPsutil(): Promise<void> {
  const stress = startProcess(requireBinary('stress-ng', 'stress-ng'), [
    '--cpu',
    '1',
    '--cpu-load',
    '100',
    '--timeout',
    '30s',
    '--quiet',
  ]);
  const psutil = await startPsutil([]);
  const collector = new SystemMetricsCollector({
    registry: new MetricsRegistry(),
    inventory: false,
    minRateWindowMs: 500,
  });
  try {
    await sleep(600);
    const together = async () => {
      const ours = collector.collectCpuMetrics();
      return [await psutil.cpuPercent(), await ours] as const;
    };
    await together();
    await sleep(3000);
    const [theirs, ours] = await together();
    const overall = ours.find((sample) => sample.name === CpuSample.UTILIZATION)!.value;
    const gaps = ours
      .filter((sample) => sample.name === CpuSample.CORE_UTILIZATION)
      .map((sample) => Math.abs(sample.value - theirs.cores[Number(sample.tags.cpu)]!));
    console.log(
      `\nCPU utilisation vs psutil over the same 3 s window, stress-ng on one core: overall ours ${overall.toFixed(2)}% psutil ${theirs.overall.toFixed(2)}%` +
        ` (gap ${Math.abs(overall - theirs.overall).toFixed(2)} points); largest per-core gap ${Math.max(...gaps).toFixed(2)} points over ${gaps.length} cores`,
    );
  } finally {
    await Promise.all([stress.stop(), psutil.stop(), collector.close()]);
  }
}

export async function benchAccuracy(): Promise<void> {
  await readingsAgainstPeers();
  await cpuAgainstPsutil();
}
