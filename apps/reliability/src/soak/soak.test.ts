import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startProcess, waitFor } from '../../../../test-support/processes.js';
import { SOAK_BOUNDS } from './analysis.js';
import { formatSoakReport } from './report.js';
import type { SoakReport } from './soak.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

// The CI version of `pnpm soak`: the same script for 60 s (warm-up 12 s), memory every 2 s.
describe('soak: every collector in one busy process for 60 s', () => {
  it('ends with no error and no memory growth beyond the bounds', async () => {
    const soak = startProcess(process.execPath, [
      '--expose-gc',
      '--import',
      'tsx',
      main,
      '--seconds',
      '60',
      '--sample-every',
      '2',
      '--json',
    ]);
    let stdout = '';
    soak.child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    try {
      await waitFor('the soak to end', () => soak.child.exitCode !== null || soak.child.signalCode !== null, {
        timeoutMs: 120_000,
        intervalMs: 250,
      });
    } finally {
      await soak.stop();
    }
    const line = stdout
      .trim()
      .split('\n')
      .findLast((text) => text.startsWith('{'));
    expect(line, soak.output()).toBeDefined();
    const report = JSON.parse(line!) as SoakReport;
    console.log(formatSoakReport(report));
    expect(soak.child.exitCode, soak.output()).toBe(report.ok ? 0 : 1);

    // No error of any kind.
    expect(report.errors).toEqual({
      collectorErrors: 0,
      collectorTimeouts: 0,
      taskErrors: 0,
      probeFailures: 0,
      scrapeFailures: 0,
      seriesOverflows: 0,
      workloadErrors: 0,
      uncaughtExceptions: 0,
      unhandledRejections: 0,
    });
    expect(report.totalErrors).toBe(0);

    // It really ran: about a minute of scrapes, probes, timed calls and custom records.
    expect(report.seconds).toBeGreaterThanOrEqual(59);
    expect(report.work.scrapes).toBeGreaterThanOrEqual(54);
    expect(report.work.probeAttempts).toBeGreaterThanOrEqual(100);
    expect(report.work.probeSuccesses).toBe(report.work.probeAttempts);
    expect(report.work.timedCalls).toBeGreaterThan(50_000);
    expect(report.work.customRecords).toBeGreaterThan(100_000);
    expect(report.work.quoteRequests).toBeGreaterThan(500);
    expect(report.work.samplesDrained).toBeGreaterThan(0);
    // Label sets are bounded: the series count does not keep growing after the first scrape.
    expect(report.work.seriesLast).toBeGreaterThan(3000);
    expect(report.work.seriesLast - report.work.seriesFirst).toBeLessThan(200);

    // Memory: 60 s, warm-up 12 s, a sample every 2 s.
    expect(report.memory.warmupSeconds).toBe(12);
    expect(report.memory.samples).toBeGreaterThanOrEqual(20);
    expect(report.memory.heapUsed.growth).toBeLessThan(SOAK_BOUNDS.heapGrowthBytes);
    expect(report.memory.heapUsed.ratio).toBeLessThan(SOAK_BOUNDS.heapGrowthRatio);
    expect(report.memory.rss.growth).toBeLessThan(SOAK_BOUNDS.rssGrowthBytes);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  }, 150_000);

  it('refuses bad flags, and a node without --expose-gc, with exit code 2', () => {
    const run = (nodeArgs: string[], args: string[]) =>
      spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', main, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const short = run(['--expose-gc'], ['--seconds', '5']);
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('--seconds must be an integer from 20 to 86400 (got "5")');
    const sparse = run(['--expose-gc'], ['--seconds', '60', '--sample-every', '20']);
    expect(sparse.status).toBe(2);
    expect(sparse.stderr).toContain('at least 4 are needed');
    const unknown = run(['--expose-gc'], ['--minutes', '3']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--minutes'");
    const noGc = run([], ['--seconds', '20']);
    expect(noGc.status).toBe(2);
    expect(noGc.stderr).toContain('run node with --expose-gc');
  });
});
