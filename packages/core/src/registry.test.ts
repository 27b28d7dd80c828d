import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../../../test-support/processes.js';
import type { Collector } from './collector.js';
import { ConfigError, InvalidNameError, MetricConflictError } from './errors.js';
import { MetricsRegistry } from './registry.js';
import type { CounterFamilySnapshot, GaugeFamilySnapshot } from './snapshot.js';

function collector(name: string, refresh?: () => unknown): Collector {
  return { name, getCollectedMetrics: () => [], ...(refresh ? { refresh: refresh as () => void } : {}) };
}

describe('MetricsRegistry', () => {
  it('returns the existing instrument for the same definition', () => {
    const registry = new MetricsRegistry();
    const a = registry.counter({ name: 'requests_total', help: 'Requests' });
    expect(registry.counter({ name: 'requests_total' })).toBe(a);
    expect(registry.counter({ name: 'requests' })).toBe(a);
    expect(registry.getMetric('requests_total')).toBe(a);
    expect(registry.getMetric('requests')).toBe(a);
    const h = registry.histogram({ name: 'latency_seconds', unit: 'seconds' });
    expect(registry.histogram({ name: 'latency_seconds', unit: 'seconds' })).toBe(h);
  });

  it('throws a typed error for a conflicting definition, keeping the first', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'orders_total' });
    expect(() => registry.gauge({ name: 'orders' })).toThrow(MetricConflictError);
    expect(() => registry.counter({ name: 'orders', unit: 'eur' })).toThrow(InvalidNameError);
    registry.gauge({ name: 'revenue_eur', unit: 'eur' });
    expect(() => registry.gauge({ name: 'revenue_eur' })).toThrow(/unit eur; it cannot change to \(none\)/);
    registry.histogram({ name: 'size_bytes', unit: 'bytes' });
    expect(() => registry.histogram({ name: 'size_bytes', unit: 'bytes', buckets: [1, 2] })).toThrow(
      /other options/,
    );
    expect(() => registry.histogram({ name: 'size_bytes', unit: 'bytes', relativeAccuracy: 0.02 })).toThrow(
      MetricConflictError,
    );
    registry.gauge({ name: 'workers', aggregation: 'max' });
    expect(() => registry.gauge({ name: 'workers' })).toThrow(MetricConflictError);
    expect(registry.getMetric('orders')).toBe(counter);
  });

  it('regression: a different maxSeries or help is a conflict, not a silent return of the first', () => {
    const registry = new MetricsRegistry();
    const limited = registry.counter({ name: 'users_total', help: 'Users.', maxSeries: 10 });
    expect(() => registry.counter({ name: 'users_total', maxSeries: 5000 })).toThrow(MetricConflictError);
    expect(() => registry.counter({ name: 'users_total', maxSeries: 10, help: 'Other users.' })).toThrow(
      /help "Users\."; it cannot change to "Other users\."/,
    );
    // The same definition, or one leaving help and maxSeries out, finds the metric.
    expect(registry.counter({ name: 'users_total', help: 'Users.', maxSeries: 10 })).toBe(limited);
    expect(registry.counter({ name: 'users_total' })).toBe(limited);
    expect(registry.counter({ name: 'users_total', help: '' })).toBe(limited);
    // A stated limit equal to the default matches a metric that took the default.
    const gauge = registry.gauge({ name: 'depth' });
    expect(registry.gauge({ name: 'depth', maxSeries: 2000, help: 'Depth.' })).toBe(gauge);
    expect(() => registry.gauge({ name: 'depth', maxSeries: 1999 })).toThrow(MetricConflictError);
    const histogram = registry.histogram({ name: 'wait_seconds', unit: 'seconds', maxSeries: 3 });
    expect(() => registry.histogram({ name: 'wait_seconds', unit: 'seconds', maxSeries: 4 })).toThrow(
      /maxSeries 3; it cannot change to 4/,
    );
    expect(registry.histogram({ name: 'wait_seconds', unit: 'seconds' })).toBe(histogram);
    expect(limited.maxSeries).toBe(10);
    expect(limited.help).toBe('Users.');
  });

  it('refuses names whose exposed samples collide with another metric', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'jobs' });
    expect(() => registry.gauge({ name: 'jobs_total' })).toThrow(/would expose "jobs_total"/);
    registry.histogram({ name: 'wait_seconds', unit: 'seconds' });
    expect(() => registry.gauge({ name: 'wait_seconds_count' })).toThrow(MetricConflictError);
    expect(() => registry.counter({ name: 'wait_seconds_sum' })).toThrow(MetricConflictError);
  });

  it('regression: refuses a name whose exposed samples would start with the reserved "__"', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: '_' })).toThrow(/would expose "__total"/);
    expect(() => registry.histogram({ name: '_' })).toThrow(InvalidNameError);
    expect(registry.gauge({ name: '_' }).name).toBe('_');
    expect(registry.counter({ name: '_x' }).exposedName).toBe('_x_total');
    expect(registry.getMetrics().map((metric) => metric.name)).toEqual(['_', '_x']);
  });

  it('validates names, units and options before registering anything', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: 'bad name' })).toThrow(InvalidNameError);
    expect(() => registry.gauge({ name: 'latency', unit: 'seconds' })).toThrow(/must end with "_seconds"/);
    expect(() => registry.gauge({ name: 'latency_milliseconds', unit: 'milliseconds' })).toThrow(ConfigError);
    expect(() => registry.gauge({ name: 'x', maxSeries: 0 })).toThrow(ConfigError);
    expect(() => registry.counter(null as never)).toThrow(ConfigError);
    expect(() => new MetricsRegistry({ maxSeriesPerMetric: -1 })).toThrow(ConfigError);
    expect(registry.getMetrics()).toHaveLength(0);
  });

  it('removes metrics and frees their names', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'a_total' }).add();
    expect(registry.removeMetric('a_total')).toBe(true);
    expect(registry.removeMetric('a_total')).toBe(false);
    registry.gauge({ name: 'a_total' }).set(1);
    expect(registry.snapshot().families.map((f) => f.name)).toEqual(['a_total']);
  });

  it('snapshots families with series, skipping empty ones', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'empty_total' });
    registry.counter({ name: 'c_total', help: 'C' }).add(2, { a: 'x' });
    registry.gauge({ name: 'g' }).set(-1);
    const snapshot = registry.snapshot();
    expect(snapshot.families.map((f) => f.name)).toEqual(['c', 'g']);
    const counter = snapshot.families[0] as CounterFamilySnapshot;
    expect(counter).toMatchObject({ type: 'counter', help: 'C', series: [{ labels: { a: 'x' }, value: 2 }] });
    expect((snapshot.families[1] as GaugeFamilySnapshot).aggregation).toBe('sum');
    expect(snapshot.timestamp).toBeGreaterThan(1.6e12);
  });

  it('refreshes collectors before the snapshot', async () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'pool_size' });
    registry.register(collector('pool', () => gauge.set(7)));
    const snapshot = await registry.collect();
    expect(snapshot.families.find((f) => f.name === 'pool_size')).toMatchObject({ series: [{ value: 7 }] });
    expect(registry.self.collectorDuration.get({ collector: 'pool' })).toBeGreaterThanOrEqual(0);
  });

  it('isolates a failing collector: the snapshot still comes and the error is counted', async () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'ok' });
    registry.register(
      collector('broken-sync', () => {
        throw new Error('boom');
      }),
    );
    registry.register(collector('broken-async', async () => Promise.reject(new Error('later'))));
    registry.register(collector('fine', () => gauge.set(1)));
    const snapshot = await registry.collect();
    expect(snapshot.families.find((f) => f.name === 'ok')).toBeDefined();
    expect(registry.self.collectorErrors.get({ collector: 'broken-sync', operation: 'refresh' })).toBe(1);
    expect(registry.self.collectorErrors.get({ collector: 'broken-async', operation: 'refresh' })).toBe(1);
  });

  it('regression: the duration of the last refresh is recorded when it fails or times out too', async () => {
    const registry = new MetricsRegistry({ collectTimeoutMs: 60 });
    let release: () => void = () => {};
    registry.register(
      collector('slow-failure', async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error('gave up');
      }),
    );
    registry.register(collector('hanging', () => new Promise<void>((resolve) => (release = resolve))));
    await registry.collect();
    const duration = (name: string) => registry.self.collectorDuration.get({ collector: name });
    expect(duration('slow-failure')).toBeGreaterThanOrEqual(0.025);
    expect(duration('slow-failure')).toBeLessThan(10);
    expect(duration('hanging')).toBeGreaterThanOrEqual(0.055);
    // When the late refresh ends, its real (longer) duration replaces the lower bound.
    await new Promise((resolve) => setTimeout(resolve, 40));
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(duration('hanging')).toBeGreaterThanOrEqual(0.095);
  });

  it('checks the timeout of collect()', async () => {
    const registry = new MetricsRegistry();
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, '100', 3_600_001]) {
      await expect(registry.collect({ timeoutMs: timeoutMs as number }), String(timeoutMs)).rejects.toThrow(
        ConfigError,
      );
    }
    await expect(registry.collect(null as never)).rejects.toThrow(ConfigError);
    await expect(registry.collect({ timeoutMs: 1 })).resolves.toHaveProperty('families');
  });

  it('does not wait for a hanging collector beyond the timeout, nor pile up refreshes', async () => {
    const registry = new MetricsRegistry({ collectTimeoutMs: 50 });
    let calls = 0;
    registry.register(
      collector('stuck', () => {
        calls++;
        return new Promise(() => {});
      }),
    );
    registry.gauge({ name: 'alive' }).set(1);
    const started = Date.now();
    const first = await registry.collect();
    await registry.collect();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(first.families.some((f) => f.name === 'alive')).toBe(true);
    expect(registry.self.collectorTimeouts.get({ collector: 'stuck' })).toBe(2);
    expect(calls).toBe(1);
  });

  it('regression: an awaited collect() ends at its timeout when nothing else keeps the process alive', async () => {
    // The timeout timer was unref'd: with a hanging refresh and nothing else to do (a batch job),
    // the process exited with `await registry.collect()` never settled.
    const script = fileURLToPath(new URL('./test-support/collect-child.ts', import.meta.url));
    const host = startProcess(process.execPath, ['--import', 'tsx', script], {
      ...process.env,
      NODE_DEBUG: '',
    });
    const exited = new Promise<number | null>((resolve) =>
      host.child.once('close', (status) => resolve(status)),
    );
    const killer = setTimeout(() => void host.stop(), 30_000);
    try {
      const status = await exited;
      expect(host.output()).toMatch(/^\{.*\}\n$/);
      expect(status).toBe(0);
      const report = JSON.parse(host.output()) as { collectMs: number; families: string[] };
      expect(report.collectMs).toBeGreaterThanOrEqual(190);
      expect(report.collectMs).toBeLessThan(5000);
      expect(report.families).toContain('job_rows');
      expect(report.families).toContain('fw0_collector_timeouts');
    } finally {
      clearTimeout(killer);
      await host.stop();
    }
  });

  it('registers a collector once and refuses another of the same name', () => {
    const registry = new MetricsRegistry();
    const a = collector('x');
    registry.register(a);
    registry.register(a);
    expect(registry.collectors).toHaveLength(1);
    expect(() => registry.register(collector('x'))).toThrow(ConfigError);
    expect(registry.unregister(a)).toBe(true);
    expect(registry.unregister(a)).toBe(false);
  });
});

describe('isMetricsRegistry', () => {
  it('recognises registries of another copy of the package, and nothing else', async () => {
    const { vi } = await import('vitest');
    vi.resetModules();
    const copy = await import('./registry.js');
    expect(copy.MetricsRegistry).not.toBe(MetricsRegistry);
    const foreign = new copy.MetricsRegistry();
    expect(foreign instanceof MetricsRegistry).toBe(true);
    expect(copy.isMetricsRegistry(new MetricsRegistry())).toBe(true);
    expect(copy.isMetricsRegistry({ counter() {} })).toBe(false);
    expect(new Error() instanceof MetricsRegistry).toBe(false);
  });
});
