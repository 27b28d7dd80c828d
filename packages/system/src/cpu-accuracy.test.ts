import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsRegistry, type PerformanceMetric } from '@fw0/metrics-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test-support/binaries.js';
import { type StartedProcess, startProcess } from '../../../test-support/processes.js';
import { CpuSample } from './names.js';
import { SystemMetricsCollector } from './system-collector.js';
import { type Psutil, type PsutilCpu, startPsutil } from './test-support/psutil.js';

/**
 * The bound: within 2 percentage points of psutil, overall and per core. Both read
 * /proc/stat at nearly the same moments (a signal to psutil and our read are issued together);
 * over a 3 s window, a 2 pp gap would need the two reads to be 60 ms apart on a core that flips
 * between busy and idle.
 */
const TOLERANCE_PERCENTAGE_POINTS = 2;
const WINDOW_MS = 3000;

describe('CPU utilisation agrees with psutil while stress-ng loads one core', () => {
  let stress: StartedProcess;
  let psutil: Psutil;
  let collector: SystemMetricsCollector;
  let first: PerformanceMetric[];

  beforeAll(async () => {
    const binary = requireBinary('stress-ng', 'stress-ng');
    // Bounded by its own timeout too, should the test die before stopping it by PID.
    stress = startProcess(binary, ['--cpu', '1', '--cpu-load', '100', '--timeout', '60s', '--quiet']);
    psutil = await startPsutil([]);
    collector = new SystemMetricsCollector({
      registry: new MetricsRegistry(),
      inventory: false,
      minRateWindowMs: 500,
    });
    await sleep(300); // let stress-ng's worker start
    first = await collector.collectCpuMetrics();
  }, 30_000);

  afterAll(async () => {
    await Promise.all([stress?.stop(), psutil?.stop(), collector?.close()]);
  });

  it('the first call already shows the load (its own 0.5 s window), not 0%', () => {
    const overall = first.find((sample) => sample.name === CpuSample.UTILIZATION)!;
    // One core of availableParallelism() fully busy: at least that share, minus scheduling slack.
    expect(overall.value).toBeGreaterThan(100 / availableParallelism() - 10);
    const cores = first.filter((sample) => sample.name === CpuSample.CORE_UTILIZATION);
    expect(Math.max(...cores.map((sample) => sample.value))).toBeGreaterThan(80);
  });

  it(`overall and per core within ${TOLERANCE_PERCENTAGE_POINTS} points over the same ${WINDOW_MS / 1000} s`, async () => {
    const together = async (): Promise<[PsutilCpu, PerformanceMetric[]]> => {
      const ours = collector.collectCpuMetrics();
      return [await psutil.cpuPercent(), await ours];
    };
    // Our reads wait until minRateWindowMs has passed since the previous one: past that, they
    // go out at once, so both windows start together here.
    await sleep(600);
    await together();
    await sleep(WINDOW_MS);
    const [theirs, ours] = await together();
    const overall = ours.find((sample) => sample.name === CpuSample.UTILIZATION)!.value;
    expect(
      Math.abs(overall - theirs.overall),
      `ours ${overall}, psutil ${theirs.overall}`,
    ).toBeLessThanOrEqual(TOLERANCE_PERCENTAGE_POINTS);
    const cores = ours.filter((sample) => sample.name === CpuSample.CORE_UTILIZATION);
    expect(cores).toHaveLength(theirs.cores.length);
    for (const core of cores) {
      const expected = theirs.cores[Number(core.tags.cpu)]!;
      expect(
        Math.abs(core.value - expected),
        `cpu ${core.tags.cpu}: ours ${core.value}, psutil ${expected}`,
      ).toBeLessThanOrEqual(TOLERANCE_PERCENTAGE_POINTS);
    }
    // The load is there to be measured: stress-ng keeps one core busy.
    expect(Math.max(...theirs.cores)).toBeGreaterThan(80);
  });
});
