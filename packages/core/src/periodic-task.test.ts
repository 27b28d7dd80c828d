import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { PeriodicTask } from './periodic-task.js';
import { MetricsRegistry } from './registry.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INTERVAL_MS = 80;
/** Each run keeps the thread busy this long, as a real collection does. */
const RUN_MS = 20;
const RUNS = 20;
/** How early a timer may fire, in milliseconds. */
const EARLY_MS = 5;

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spin: the run takes real time on the event loop.
  }
}

/** Waits until `starts` holds `count` runs (bounded: 20 s). */
async function waitForRuns(starts: readonly number[], count: number): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (starts.length < count && performance.now() < deadline) await sleep(INTERVAL_MS);
  expect(starts.length).toBeGreaterThanOrEqual(count);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * What is wrong with run start times for a schedule of `origin + n * INTERVAL_MS`, or nothing.
 * A run's lateness is measured from the tick it belongs to (a loaded machine may skip ticks). Timers
 * fire late, sometimes by much on a loaded machine, so single runs may be late; what a drifting
 * schedule cannot hide is lateness that grows from the first runs to the last.
 */
function driftFindings(starts: readonly number[], origin: number): string[] {
  const findings: string[] = [];
  // The tick a run belongs to is the last one due at its start; a timer may fire a little early
  // (Node schedules from the event loop's cached time), hence the allowance.
  const ticks = starts.map((start) => Math.floor((start - origin + EARLY_MS) / INTERVAL_MS));
  const lateness = starts.map((start, i) => start - origin - ticks[i]! * INTERVAL_MS);
  const shown = lateness.map((late) => late.toFixed(1)).join(' ');
  const typical = median(lateness);
  if (typical > 10) findings.push(`median lateness ${typical.toFixed(1)} ms: ${shown}`);
  const group = 6;
  const growth = median(lateness.slice(-group)) - median(lateness.slice(0, group));
  if (Math.abs(growth) > 5) {
    findings.push(
      `lateness grew by ${growth.toFixed(1)} ms from the first ${group} runs to the last: ${shown}`,
    );
  }
  return findings;
}

describe('PeriodicTask', () => {
  it('runs at the interval without drift, even when each run takes real time', async () => {
    const task = (starts: number[]) =>
      new PeriodicTask({
        name: 'steady',
        intervalMs: INTERVAL_MS,
        run: () => {
          starts.push(performance.now());
          busyWait(RUN_MS);
        },
      });
    const starts: number[] = [];
    const origin = performance.now();
    const steady = task(starts);
    steady.start();
    await waitForRuns(starts, RUNS);
    await steady.stop();
    expect(driftFindings(starts.slice(0, RUNS), origin)).toEqual([]);
  });

  it('the drift check fails for a chained setTimeout that drifts 1 ms per tick (control)', async () => {
    // What the check must catch: each tick scheduled from the previous one, 1 ms late each time
    // (the lateness of a real timer under load), so the n-th run is n ms late.
    const starts: number[] = [];
    const origin = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      starts.push(performance.now());
      timer = setTimeout(tick, INTERVAL_MS + 1);
      busyWait(RUN_MS);
    };
    tick();
    await waitForRuns(starts, RUNS);
    clearTimeout(timer);
    expect(driftFindings(starts.slice(0, RUNS), origin)).toContainEqual(
      expect.stringMatching(/^lateness grew/),
    );
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
