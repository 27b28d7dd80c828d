import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../../../../test-support/processes.js';

const child = fileURLToPath(new URL('../test-support/allocation-child.ts', import.meta.url));

interface AllocationReport {
  readonly mode: string;
  readonly operations: number;
  /** Young-generation collections (scavenges) that started during the measured loop. */
  readonly scavenges: number;
  readonly collections: number;
  readonly total: number;
}

/** Runs the allocation child in `mode` in its own process (no test runner in the heap) and reads its report. */
async function measure(mode: 'bound' | 'labelled'): Promise<AllocationReport> {
  const started = startProcess(process.execPath, ['--expose-gc', '--import', 'tsx', child, mode]);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`allocation child (${mode}) still running after 90 s`)),
        90_000,
      );
      started.child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(exitCode, started.output()).toBe(0);
    const line = started
      .output()
      .split('\n')
      .find((text) => text.startsWith('{"mode"'));
    expect(line, started.output()).toBeDefined();
    return JSON.parse(line!) as AllocationReport;
  } finally {
    await started.stop();
  }
}

describe('bound handles do no allocation per call', () => {
  it('5,000,000 rounds of counter add, gauge set and add, histogram observe: no scavenge', async () => {
    const report = await measure('bound');
    // 20,000,000 records: had each allocated even one 12-byte heap number, the young generation
    // (a few MiB) would have been collected dozens of times.
    expect(report.total).toBe(7_000_000);
    expect(report.scavenges).toBe(0);
  }, 120_000);

  it('control: the same loop with a fresh labels object per call does collect, so the probe can fail', async () => {
    const report = await measure('labelled');
    expect(report.total).toBe(7_000_000);
    expect(report.scavenges).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
