import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README examples', () => {
  it('cluster: the primary serves the sums of two real cluster workers', () => {
    const run = runReadmeExample(packageDir, 'cluster');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Worker 1 does 10 jobs, worker 2 does 20.
    expect(run.stdout.trim().split('\n')).toEqual([
      `jobs_total ${10 + 20}`,
      `job_duration_seconds_count ${10 + 20}`,
      'fw0_workers{state="answered"} 2',
      'fw0_workers{state="failed"} 0',
    ]);
  }, 90_000);

  it('threads: three threads and the main thread merge, quantiles from merged sketches', () => {
    const run = runReadmeExample(packageDir, 'threads');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [jobs, count, quantiles] = run.stdout.trim().split('\n');
    expect(jobs).toBe(`jobs_total ${1 + 3 * 2}`);
    expect(count).toBe(`task_duration_seconds_count ${3 * 4}`);
    // Twelve values (0.011, 0.012, 0.013, 0.1 three times): nearest-rank p50 is the 6th, 0.012,
    // within the sketch's 1%; the max is exact.
    const match = /^p50=(\d\.\d{3}) max=(.+)$/.exec(quantiles!);
    expect(match).not.toBeNull();
    expect(Math.abs(Number(match![1]) - 0.012)).toBeLessThanOrEqual(0.00013);
    expect(Number(match![2])).toBe(0.1);
  }, 90_000);

  it('failures: a silent worker is reported and the collection ends within the timeout', () => {
    const run = runReadmeExample(packageDir, 'failures');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'answered: a; missing: b (timeout)',
      'within the timeout: true',
      'jobs_total{worker="a"} 4',
      'fw0_worker_collect_failures_total{reason="timeout",worker="b"} 1',
    ]);
  }, 90_000);
});
