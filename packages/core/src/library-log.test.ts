import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { BaseCollector, type CollectorOptions } from './collector.js';
import { LogLimiter } from './log-limiter.js';
import { PeriodicTask } from './periodic-task.js';
import { MetricsRegistry } from './registry.js';
import { CaptureLogger } from './test-support/capture-logger.js';
import { MetricType } from './types.js';
import { MetricUnit } from './units.js';

/**
 * The logger says what the library dropped, throttled or sampled, and why; lines about events
 * that can happen on every call are rate-limited, so a hot path never logs per call.
 */

class ExampleCollector extends BaseCollector {
  constructor(options: CollectorOptions) {
    super('example', options);
  }
  record(name: string): void {
    this.recordSample({ name, value: 1, type: MetricType.GAUGE, unit: MetricUnit.COUNT });
  }
}

describe('what the library logs', () => {
  it('the first overflow of each metric, once, not every record', () => {
    const logger = new CaptureLogger();
    const registry = new MetricsRegistry({ logger, maxSeriesPerMetric: 2 });
    const counter = registry.counter({ name: 'users_total' });
    const gauge = registry.gauge({ name: 'sessions' });
    for (let i = 0; i < 1000; i++) {
      counter.add(1, { user: `u${i}` });
      gauge.set(i, { session: `s${i}` });
    }
    const handle = counter.bind({ user: 'late' });
    for (let i = 0; i < 1000; i++) handle.add();
    const lines = logger.matching('warn', /reached its limit of 2 label sets/);
    expect(lines.map((line) => line.fields?.metric)).toEqual(['users_total', 'sessions']);
    expect(lines[0]!.message).toContain('fw0_series_overflow_total');
  });

  it('sampling of a hot name, at most one line a minute per collector', () => {
    const logger = new CaptureLogger();
    const clock = new ManualClock();
    const registry = new MetricsRegistry({ clock });
    const collector = new ExampleCollector({ registry, logger, maxSamplesPerSecond: 10 });
    for (let i = 0; i < 10; i++) collector.record('calm');
    expect(logger.lines).toEqual([]);
    for (let i = 0; i < 10_000; i++) collector.record('hot');
    for (let i = 0; i < 10_000; i++) collector.record('hotter');
    let lines = logger.matching('debug', /samples a second of/);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toContain('"hot"');
    expect(lines[0]!.message).toContain('keeping 1 in 2');
    // Sampling keeps going each second; no new line until a minute has passed.
    for (let second = 0; second < 59; second++) {
      clock.advance(1);
      for (let i = 0; i < 100; i++) collector.record(`name${second}`);
    }
    expect(logger.matching('debug', /samples a second of/)).toHaveLength(1);
    clock.advance(1);
    for (let i = 0; i < 100; i++) collector.record('another');
    lines = logger.matching('debug', /samples a second of/);
    expect(lines).toHaveLength(2);
    // The second line says how many sampling starts it stands for (the held-back ones included).
    expect(lines[1]!.fields?.samplingStartsSinceLastLine).toBe(61);
  });

  it('names past the tracked ones sharing a budget, once', () => {
    const logger = new CaptureLogger();
    const registry = new MetricsRegistry({ clock: new ManualClock() });
    const collector = new ExampleCollector({ registry, logger, maxSamplesPerSecond: 1000 });
    for (let i = 0; i < 10_050; i++) collector.record(`n${i}`);
    const lines = logger.matching('warn', /share one sampling budget/);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toContain('"n10000"');
  });

  it('skipped ticks of a periodic task, rate-limited', async () => {
    const logger = new CaptureLogger();
    const registry = new MetricsRegistry();
    const task = new PeriodicTask({
      name: 'slow',
      intervalMs: 10,
      timeoutMs: 1000,
      registry,
      logger,
      run: () => new Promise((resolve) => setTimeout(resolve, 45)),
    });
    task.start();
    await new Promise((resolve) => setTimeout(resolve, 250));
    await task.stop();
    const overruns = registry.self.taskOverruns.get({ task: 'slow' }) ?? 0;
    expect(overruns).toBeGreaterThan(3);
    const lines = logger.matching('warn', /^task "slow" skipped \d+ tick/);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toContain('fw0_task_overruns_total');
  });
});

describe('LogLimiter', () => {
  it('lets the first event through, then one line per interval with the events held back', () => {
    const limiter = new LogLimiter(10);
    expect(limiter.add(1, 100)).toBe(1);
    expect(limiter.add(3, 101)).toBe(0);
    expect(limiter.add(1, 109.9)).toBe(0);
    expect(limiter.add(2, 110)).toBe(6);
    expect(limiter.add(1, 115)).toBe(0);
    expect(limiter.add(1, 500)).toBe(2);
  });
});
