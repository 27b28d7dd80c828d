import {
  InvalidLabelError,
  InvalidNameError,
  type Logger,
  MetricConflictError,
  MetricsRegistry,
  silentLogger,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { ApplicationMetricsCollector } from './collector.js';
import { testCollector } from './test-support/app-collector.js';
import { GarbageWatch } from './test-support/gc.js';

describe('timers under faults', () => {
  it('does not keep a never-settling promise alive (regression: pending calls must not leak)', async () => {
    const { app } = testCollector();
    const garbage = new GarbageWatch();
    const hang = app.timed(() => garbage.watch(new Promise<never>(() => {})), { name: 'hang' });
    (() => {
      for (let i = 0; i < 1000; i++) hang();
    })();
    // Every promise the function returned is garbage, with the timer's reaction on it and the
    // derived promise the caller got and dropped.
    expect(await garbage.allCollected()).toBe(true);
    expect(garbage.collected).toBe(1000);
    // Nothing was recorded for calls still pending when they became garbage.
    expect(app.getCallCounts()).toEqual({ hang: 0 });
  });

  it('times recursive calls one by one, each with its own clock', () => {
    const { app } = testCollector();
    const fib: (n: number) => number = app.timed(
      (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2)),
      {
        name: 'fib',
      },
    );
    const started = performance.now();
    expect(fib(15)).toBe(610);
    const outerSeconds = (performance.now() - started) / 1000;
    const summary = app.getDurationSummary('fib')!.cumulative;
    expect(summary.count).toBe(1973); // calls made by fib(15)
    // The outermost call is the longest and cannot outlast the test's own clock around it (1% sketch accuracy).
    expect(summary.max).toBeLessThanOrEqual(outerSeconds * 1.01);
    expect(summary.min).toBeLessThanOrEqual(summary.max / 10);
  });

  it('times re-entrant calls separately and records an inner failure as error', () => {
    const { app } = testCollector();
    const failure = new Error('inner failed');
    const handle: (depth: number) => string = app.timed(
      (depth: number): string => {
        if (depth === 0) throw failure;
        try {
          return handle(depth - 1);
        } catch (error) {
          return error === failure ? 'recovered' : 'wrong error';
        }
      },
      { name: 'handle' },
    );
    expect(handle(1)).toBe('recovered');
    expect(app.getDurationSummary('handle')!.cumulative.count).toBe(1);
    expect(app.getDurationSummary('handle', undefined, 'error')!.cumulative.count).toBe(1);
    expect(app.getCallCounts()).toEqual({ handle: 2 });
  });

  it('leaves generator functions untimed and says so', () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
    const app = new ApplicationMetricsCollector({ registry: new MetricsRegistry({ logger }), logger });
    function* numbers() {
      yield 1;
      yield 2;
    }
    const same = app.timed(numbers);
    expect(same).toBe(numbers);
    expect([...same()]).toEqual([1, 2]);
    expect(app.getCallCounts()).toEqual({});
    expect(warnings).toEqual([
      expect.stringContaining('numbers is a generator function; it is left untimed'),
    ]);
  });

  it('needs a name for an anonymous function', () => {
    const { app, registry } = testCollector();
    expect(() => app.timed(() => 1)).toThrow(InvalidNameError);
    expect(() => app.performanceTimer()(() => 1)).toThrow(/anonymous function needs a timer name/);
    expect(registry.getMetrics().filter((metric) => !metric.name.startsWith('fw0_'))).toEqual([]);
  });

  it('rejects bad names and tags at once, registering nothing', () => {
    const { app, registry } = testCollector();
    const work = () => 1;
    const before = registry.getMetrics().length;
    expect(() => app.timed(work, { name: '...' })).toThrow(InvalidNameError);
    expect(() => app.timed(work, { name: 'x'.repeat(300) })).toThrow(InvalidNameError);
    expect(() => app.performanceTimer('ok', { outcome: 'mine' })).toThrow(InvalidLabelError);
    expect(() => app.performanceTimer('ok', { 'bad-label': 'x' })).toThrow(InvalidLabelError);
    expect(() => app.performanceTimer('ok', { le: '1' })).toThrow(InvalidLabelError);
    expect(() => app.performanceTimer('ok', { nested: {} as unknown as string })).toThrow(InvalidLabelError);
    expect(() => app.performanceTimer('ok', { fw0_overflow: 'true' })).toThrow(InvalidLabelError);
    expect(() => app.performanceTracker('ok', { outcome: 'x' })).toThrow(InvalidLabelError);
    expect(registry.getMetrics()).toHaveLength(before);
    expect(app.getCallCounts()).toEqual({});
  });

  it('refuses two timer names that map to one exposed name, keeping the first working', () => {
    const { app } = testCollector();
    const first = app.timed(() => 'a', { name: 'UserService.getUser' });
    expect(() => app.timed(() => 'b', { name: 'user_service.get_user' })).toThrow(MetricConflictError);
    expect(() => app.timed(() => 'b', { name: 'user_service.get_user' })).toThrow(/"UserService.getUser"/);
    expect(first()).toBe('a');
    expect(app.getCallCounts()).toEqual({ 'UserService.getUser': 1 });
  });

  it('leaves the registry as it was when a timer name clashes with an existing metric', () => {
    const { app, registry } = testCollector();
    registry.gauge({ name: 'clash_calls_total' });
    expect(() => app.timed(() => 1, { name: 'clash' })).toThrow(MetricConflictError);
    expect(registry.getMetric('clash_duration_seconds')).toBeUndefined();
    expect(app.getCallCounts()).toEqual({});
    // The same name works once the clash is gone.
    registry.removeMetric('clash_calls_total');
    expect(app.timed(() => 2, { name: 'clash' })()).toBe(2);
  });
});
