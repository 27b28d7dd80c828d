/**
 * Faults of the system collector's sources. Each scenario runs in its own child process
 * (system.child.ts) against a procfs tree in a temporary directory whose entries link to the real
 * /proc files, one of them replaced by a fault: a directory, a symlink loop (unreadable), a missing
 * file, garbage, or a named pipe nobody writes to (a read that hangs).
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../../test-support/processes.js';
import { exitProblems, readExposition, runScenario } from './support.js';
import type { SystemFault, SystemScenarioResult } from './system.child.js';

const child = fileURLToPath(new URL('./system.child.ts', import.meta.url));

/** What each read feeds: the family that shows it in the exposition and one sample per area. */
const READS = {
  read_cpu_times: { family: 'node_cpu_seconds_total', sample: 'system_cpu_utilization', perRun: 'one' },
  read_load: { family: 'node_load1', sample: 'node_load1', perRun: 'one' },
  read_memory: { family: 'node_memory_MemTotal_bytes', sample: 'node_memory_MemTotal_bytes', perRun: 'one' },
  read_disk_stats: {
    family: 'node_disk_reads_completed_total',
    sample: 'system_disk_read_bytes_per_second',
    perRun: 'some',
  },
  read_network: {
    family: 'node_network_receive_bytes_total',
    sample: 'system_network_receive_bytes_per_second',
    perRun: 'some',
  },
  read_filesystems: {
    family: 'node_filesystem_size_bytes',
    sample: 'node_filesystem_size_bytes',
    perRun: 'some',
  },
} as const;
type Read = keyof typeof READS;

const FAULTS: { file: string; fault: Exclude<SystemFault, 'fifo'>; operation: Read }[] = [
  { file: 'stat', fault: 'directory', operation: 'read_cpu_times' },
  { file: 'meminfo', fault: 'loop', operation: 'read_memory' },
  { file: 'diskstats', fault: 'directory', operation: 'read_disk_stats' },
  { file: 'net/dev', fault: 'missing', operation: 'read_network' },
  { file: 'loadavg', fault: 'garbage', operation: 'read_load' },
];

let directory: ReturnType<typeof temporaryDirectory> | undefined;
afterEach(() => {
  directory?.remove();
  directory = undefined;
});

describe('system collector with a broken procfs file', () => {
  for (const { file, fault, operation } of FAULTS) {
    it(`/proc/${file} as ${fault}: collects within the timeout, counts ${operation}, the other areas report, continuous collection keeps running`, async () => {
      directory = temporaryDirectory('fw0-faults-proc');
      const run = await runScenario<SystemScenarioResult>(child, [directory.path, file, fault]);
      expect(exitProblems(run)).toEqual([]);
      const result = run.result!;
      const timeoutMs = result.collectTimeoutMs;
      const healthy = (Object.keys(READS) as Read[]).filter((read) => read !== operation);
      const errors = { collector: 'system', operation };

      // The direct call and the scrape both resolve, well within the collect timeout.
      expect(result.direct!.ms).toBeLessThan(timeoutMs);
      expect(result.faultedCollect.ms).toBeLessThan(timeoutMs);
      const faulted = readExposition(result.faultedCollect.exposition);
      expect(faulted.value('fw0_collector_errors_total', errors)).toBe(2);
      expect(faulted.has('fw0_collector_timeouts_total')).toBe(false);
      expect(faulted.has(READS[operation].family)).toBe(false);
      for (const read of healthy) expect(faulted.has(READS[read].family), READS[read].family).toBe(true);

      // Continuous collection: every run fails that read once and reports the rest.
      const continuous = result.continuous!;
      const after = readExposition(continuous.exposition);
      const runs = after.value('fw0_task_duration_seconds_count', { task: 'system' }) ?? 0;
      expect(runs).toBeGreaterThanOrEqual(3);
      expect(after.value('fw0_collector_errors_total', errors)).toBe(2 + runs);
      expect(after.sum('fw0_task_errors_total', { task: 'system' })).toBe(0);
      expect(continuous.drainedByName[READS[operation].sample] ?? 0).toBe(0);
      for (const read of healthy) {
        const count = continuous.drainedByName[READS[read].sample] ?? 0;
        if (READS[read].perRun === 'one') expect(count, READS[read].sample).toBe(runs);
        else expect(count, READS[read].sample).toBeGreaterThanOrEqual(runs);
      }
      const otherFailures = after
        .samples('fw0_collector_errors_total', { collector: 'system' })
        .filter((sample) => sample.labels.operation !== operation && sample.labels.operation !== 'statfs');
      expect(otherFailures).toEqual([]);
      expect(continuous.stopMs).toBeLessThan(timeoutMs);

      // The file back: the next scrape reads it, and counts no new failure.
      const recovered = readExposition(result.recovered.exposition);
      expect(result.recovered.ms).toBeLessThan(timeoutMs);
      expect(recovered.has(READS[operation].family)).toBe(true);
      expect(recovered.value('fw0_collector_errors_total', errors)).toBe(2 + runs);
      expect(result.closeMs).toBeLessThan(timeoutMs);

      console.log(
        `[faults/system] /proc/${file} as ${fault}: collectAllSystemMetrics ${result.direct!.ms} ms, ` +
          `registry.collect ${result.faultedCollect.ms} ms (timeout ${timeoutMs} ms); ` +
          `${operation} errors ${2 + runs} (2 + ${runs} continuous runs in ${continuous.runForMs} ms, all other areas reported every run); ` +
          `stop ${continuous.stopMs} ms; after repair collect ${result.recovered.ms} ms; ` +
          `child exited ${run.exitAfterResultMs} ms after its result`,
      );
    });
  }

  it('/proc/net/dev as a pipe that never gives data: the scrape ends at the collect timeout, counted; the other areas report', async () => {
    directory = temporaryDirectory('fw0-faults-proc');
    const run = await runScenario<SystemScenarioResult>(child, [directory.path, 'net/dev', 'fifo']);
    expect(exitProblems(run)).toEqual([]);
    const result = run.result!;
    const timeoutMs = result.collectTimeoutMs;

    // Both scrapes wait for their timeout, and no longer (1 s of slack for a loaded machine).
    expect(result.faultedCollect.ms).toBeGreaterThanOrEqual(timeoutMs - 25);
    expect(result.faultedCollect.ms).toBeLessThan(timeoutMs + 1000);
    const second = result.secondHungCollect!;
    expect(second.ms).toBeGreaterThanOrEqual(second.timeoutMs - 25);
    expect(second.ms).toBeLessThan(second.timeoutMs + 1000);

    const faulted = readExposition(result.faultedCollect.exposition);
    expect(faulted.value('fw0_collector_timeouts_total', { collector: 'system' })).toBe(1);
    expect(faulted.has('node_network_receive_bytes_total')).toBe(false);
    for (const read of [
      'read_cpu_times',
      'read_load',
      'read_memory',
      'read_disk_stats',
      'read_filesystems',
    ] as const)
      expect(faulted.has(READS[read].family), READS[read].family).toBe(true);

    // Released, the hung read fails (counted once); with the file back the network area reports.
    expect(result.releaseMs!).toBeLessThan(5000);
    const recovered = readExposition(result.recovered.exposition);
    expect(recovered.value('fw0_collector_timeouts_total', { collector: 'system' })).toBe(2);
    expect(
      recovered.value('fw0_collector_errors_total', { collector: 'system', operation: 'read_network' }),
    ).toBe(1);
    expect(recovered.has('node_network_receive_bytes_total')).toBe(true);
    expect(result.recovered.ms).toBeLessThan(timeoutMs);

    console.log(
      `[faults/system] /proc/net/dev as a pipe without writer: registry.collect ${result.faultedCollect.ms} ms ` +
        `(timeout ${timeoutMs} ms), again ${second.ms} ms (timeout ${second.timeoutMs} ms); ` +
        `timeouts counted 2; the hung read failed ${result.releaseMs} ms after release (read_network errors 1); ` +
        `after repair collect ${result.recovered.ms} ms; child exited ${run.exitAfterResultMs} ms after its result`,
    );
  });
});
