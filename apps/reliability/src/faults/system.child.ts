/**
 * Host for the system-collector fault tests (system.test.ts), run in a child process:
 * `node --import tsx system.child.ts <procDir> <file> <fault>`.
 *
 * It builds a procfs tree in `procDir` whose entries link to the real /proc files (so the healthy
 * areas keep reading live figures), replaces `file` (relative to /proc) by the fault, and runs a
 * SystemMetricsCollector pointed at it (`procPath`):
 * - `directory`, `loop` (a symlink to itself: unreadable, ELOOP; permissions do not stop root),
 *   `missing`, `garbage`: a direct `collectAllSystemMetrics()`, a `registry.collect()`, 1.2 s of
 *   continuous collection every 100 ms, then the file is put back and the registry collected again;
 * - `fifo` (a named pipe without a writer: opening it hangs): two `registry.collect()` calls that
 *   must end at their timeout, then the pipe is released, put back, and collected again.
 * Prints the timings, the samples per area and the expositions as JSON.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  type Counter,
  MetricsRegistry,
  type PerformanceMetric,
  serializePrometheus,
} from '@fw0/metrics-core';
import { SystemMetricsCollector } from '@fw0/metrics-system';
import { hostScenario, pollUntil, sleep, timed } from './support.js';

export type SystemFault = 'directory' | 'loop' | 'missing' | 'garbage' | 'fifo';

/** What the scenario reports. */
export interface SystemScenarioResult {
  readonly collectTimeoutMs: number;
  /** The direct `collectAllSystemMetrics()` (not for `fifo`). */
  readonly direct?: { ms: number; areas: AreaCounts };
  /** The first `registry.collect()` with the fault. */
  readonly faultedCollect: { ms: number; exposition: string };
  /** `fifo` only: a second collect with a 500 ms timeout while the first refresh still hangs. */
  readonly secondHungCollect?: { ms: number; timeoutMs: number };
  /** Continuous collection (not for `fifo`). */
  readonly continuous?: {
    runForMs: number;
    stopMs: number;
    drainedByName: Record<string, number>;
    exposition: string;
  };
  /** `fifo` only: how long the hung refresh took to fail once the pipe was released. */
  readonly releaseMs?: number;
  /** After the file was put back. */
  readonly recovered: { ms: number; exposition: string };
  readonly closeMs: number;
}

/** Samples per area, by name. */
export type AreaCounts = Record<'cpu' | 'memory' | 'disk' | 'network', number>;

const ENTRIES = ['stat', 'loadavg', 'meminfo', 'vmstat', 'swaps', 'diskstats', 'mounts', 'net/dev'];
const COLLECT_TIMEOUT_MS = 2000;

function areaOf(name: string): keyof AreaCounts | undefined {
  if (name.startsWith('system_cpu_') || name.startsWith('node_load')) return 'cpu';
  if (name.startsWith('node_memory_') || name.startsWith('system_memory_') || name.startsWith('system_swap_'))
    return 'memory';
  if (
    name.startsWith('node_filesystem_') ||
    name.startsWith('system_filesystem_') ||
    name.startsWith('system_disk_')
  )
    return 'disk';
  if (name.startsWith('system_network_')) return 'network';
  return undefined;
}

function countAreas(samples: readonly PerformanceMetric[]): AreaCounts {
  const counts: AreaCounts = { cpu: 0, memory: 0, disk: 0, network: 0 };
  for (const sample of samples) {
    const area = areaOf(sample.name);
    if (area !== undefined) counts[area]++;
  }
  return counts;
}

function countByName(samples: readonly PerformanceMetric[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of samples) counts[sample.name] = (counts[sample.name] ?? 0) + 1;
  return counts;
}

function linkProcTree(procDir: string): void {
  mkdirSync(join(procDir, 'net'), { recursive: true });
  for (const entry of ENTRIES) symlinkSync(join('/proc', entry), join(procDir, entry));
  symlinkSync('/proc/self', join(procDir, 'self'));
}

function applyFault(path: string, fault: SystemFault): void {
  rmSync(path, { recursive: true, force: true });
  switch (fault) {
    case 'directory':
      mkdirSync(path);
      break;
    case 'loop':
      symlinkSync(path, path);
      break;
    case 'missing':
      break;
    case 'garbage':
      writeFileSync(path, 'this is not what the kernel writes\n\u0000\u0001 12 x y\n');
      break;
    case 'fifo':
      execFileSync('mkfifo', [path]);
      break;
  }
}

function restore(path: string, file: string, fault: SystemFault): void {
  if (fault === 'garbage') {
    // In place, as the kernel regenerates a /proc file: a file that opened and read fine keeps its
    // descriptor (only a failed read closes it), so the collector reads on from the same inode.
    writeFileSync(path, readFileSync(join('/proc', file)));
    return;
  }
  rmSync(path, { recursive: true, force: true });
  symlinkSync(join('/proc', file), path);
}

const [procDir, file, fault] = process.argv.slice(2) as [string, string, SystemFault];

hostScenario(async (): Promise<SystemScenarioResult> => {
  linkProcTree(procDir);
  const faulted = join(procDir, file);
  applyFault(faulted, fault);
  const registry = new MetricsRegistry({ collectTimeoutMs: COLLECT_TIMEOUT_MS });
  const system = new SystemMetricsCollector({
    registry,
    procPath: procDir,
    inventory: false,
    collectionInterval: 0.1,
    minRateWindowMs: 100,
  });

  // A turn of the event loop after the synchronous set-up, so that timers start from a fresh clock.
  await sleep(20);

  if (fault === 'fifo') {
    const hung = await timed(() => registry.collect());
    const second = await timed(() => registry.collect({ timeoutMs: 500 }));
    // Release the reader blocked in open(): a writer opens the pipe and closes it at once.
    const released = performance.now();
    closeSync(openSync(faulted, constants.O_WRONLY | constants.O_NONBLOCK));
    const counter = () =>
      (registry.getMetric('fw0_collector_errors_total') as Counter | undefined)?.get({
        collector: 'system',
        operation: 'read_network',
      }) ?? 0;
    await pollUntil(() => counter() > 0, 100, 50);
    const releaseMs = Math.round(performance.now() - released);
    restore(faulted, file, fault);
    const recovered = await timed(() => registry.collect());
    const closed = await timed(() => system.close());
    return {
      collectTimeoutMs: COLLECT_TIMEOUT_MS,
      faultedCollect: { ms: hung.ms, exposition: serializePrometheus(hung.value) },
      secondHungCollect: { ms: second.ms, timeoutMs: 500 },
      releaseMs,
      recovered: { ms: recovered.ms, exposition: serializePrometheus(recovered.value) },
      closeMs: closed.ms,
    };
  }

  const direct = await timed(() => system.collectAllSystemMetrics());
  const first = await timed(() => registry.collect());
  system.getCollectedMetrics();

  const runForMs = 1200;
  system.startContinuousCollection();
  await sleep(runForMs);
  const stopped = await timed(() => system.stopContinuousCollection());
  const drained = system.getCollectedMetrics();
  const afterContinuous = serializePrometheus(registry.snapshot());

  restore(faulted, file, fault);
  const recovered = await timed(() => registry.collect());
  const closed = await timed(() => system.close());
  return {
    collectTimeoutMs: COLLECT_TIMEOUT_MS,
    direct: { ms: direct.ms, areas: countAreas(direct.value) },
    faultedCollect: { ms: first.ms, exposition: serializePrometheus(first.value) },
    continuous: {
      runForMs,
      stopMs: stopped.ms,
      drainedByName: countByName(drained),
      exposition: afterContinuous,
    },
    recovered: { ms: recovered.ms, exposition: serializePrometheus(recovered.value) },
    closeMs: closed.ms,
  };
});
