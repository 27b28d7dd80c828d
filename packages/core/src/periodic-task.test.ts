import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { PeriodicTask } from './periodic-task.js';
import { MetricsRegistry } from './registry.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  it('runs at the interval without drift', async () => {
    const starts: number[] = [];
    const task = new PeriodicTask({
      name: 't',
      intervalMs: 40,
      run: () => void starts.push(performance.now()),
    });
    task.start();
    await sleep(430);
    await task.stop();
    expect(starts.length).toBeGreaterThanOrEqual(8);
    expect(starts.length).toBeLessThanOrEqual(12);
    // Ticks are due at origin + n * interval: the n-th run starts near n * 40 ms, however late others were.
    const origin = starts[0]!;
    for (const [n, start] of starts.entries()) expect(Math.abs(start - origin - n * 40)).toBeLessThan(35);
  });

  it('never overlaps runs and counts the skipped ticks', async () => {
    const registry = new MetricsRegistry();
    let active = 0;
    let maxActive = 0;
    const task = new PeriodicTask({
      name: 'slow',
      intervalMs: 10,
      timeoutMs: 1000,
      registry,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(45);
        active--;
      },
    });
    task.start();
    await sleep(200);
    await task.stop();
    expect(maxActive).toBe(1);
    expect(registry.self.taskOverruns.get({ task: 'slow' })).toBeGreaterThan(0);
    expect(registry.self.taskDuration.bind({ task: 'slow' }).count).toBe(task.runs);
  });

  it('stop() waits for the run in flight', async () => {
    let finished = false;
    const task = new PeriodicTask({
      name: 'inflight',
      intervalMs: 1000,
      run: async () => {
        await sleep(60);
        finished = true;
      },
    });
    task.start();
    await sleep(5);
    await task.stop();
    expect(finished).toBe(true);
    expect(task.running).toBe(false);
  });

  it('counts failures and timeouts, never throwing into the host', async () => {
    const registry = new MetricsRegistry();
    const errors: unknown[] = [];
    let calls = 0;
    const task = new PeriodicTask({
      name: 'flaky',
      intervalMs: 20,
      timeoutMs: 30,
      registry,
      onError: (error) => {
        errors.push(error);
        throw new Error('the callback throws too');
      },
      run: (signal) => {
        calls++;
        if (calls === 1) throw new Error('sync failure');
        if (calls === 2) return Promise.reject(new Error('async failure'));
        return new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    task.start();
    await sleep(250);
    await task.stop();
    expect(registry.self.taskErrors.get({ task: 'flaky', reason: 'error' })).toBe(2);
    expect(registry.self.taskErrors.get({ task: 'flaky', reason: 'timeout' })).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it('stop() does not wait past the timeout for work that ignores its signal', async () => {
    const task = new PeriodicTask({
      name: 'deaf',
      intervalMs: 1000,
      timeoutMs: 40,
      run: () => new Promise(() => {}),
    });
    task.start();
    const started = Date.now();
    await task.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('runNow() runs once outside the schedule and shares a run in flight', async () => {
    let calls = 0;
    const task = new PeriodicTask({
      name: 'manual',
      intervalMs: 1000,
      run: async () => {
        calls++;
        await sleep(20);
      },
    });
    await Promise.all([task.runNow(), task.runNow()]);
    expect(calls).toBe(1);
    await task.runNow();
    expect(calls).toBe(2);
  });

  it('never keeps the process alive (unref timer)', () => {
    const script = `
      import { PeriodicTask } from ${JSON.stringify(fileURLToPath(new URL('./periodic-task.ts', import.meta.url)))};
      new PeriodicTask({ name: 'bg', intervalMs: 10, run: () => {} }).start();
      console.log('started');
    `;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stdout.trim()).toBe('started');
    expect(result.status).toBe(0);
    expect(result.signal).toBeNull();
  });

  it('validates its options', () => {
    expect(() => new PeriodicTask({ name: 'x', intervalMs: 0, run: () => {} })).toThrow(ConfigError);
    expect(() => new PeriodicTask({ name: 'x', intervalMs: 10, timeoutMs: 1.5, run: () => {} })).toThrow(
      ConfigError,
    );
  });
});
