import {
  ConfigError,
  InvalidLabelError,
  InvalidNameError,
  InvalidValueError,
  MetricsRegistry,
  parseExposition,
  serializeOpenMetrics,
  serializePrometheus,
  UnitError,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../../../test-support/promtool.js';
import { ApplicationMetricsCollector, getApplicationCollector } from './collector.js';
import { testCollector } from './test-support/app-collector.js';

describe('getApplicationCollector', () => {
  it('creates a collector registered in its registry, named app by default', () => {
    const registry = new MetricsRegistry();
    const app = getApplicationCollector({ registry });
    expect(app).toBeInstanceOf(ApplicationMetricsCollector);
    expect(app.name).toBe('app');
    expect(registry.collectors).toEqual([app]);
    expect(getApplicationCollector().registry).not.toBe(registry);
  });

  it('rejects bad options before registering anything', () => {
    const registry = new MetricsRegistry();
    const bad: unknown[] = [
      { name: '' },
      { trackMemory: 'yes' },
      { maxSamplesPerSecond: 0 },
      { bufferSize: -1 },
      { durationBuckets: [] },
      { durationBuckets: [0.1, 0.05] },
      { durationBuckets: [Number.NaN] },
      { runtime: { eventLoopResolutionMs: 0 } },
      { runtime: { intervalMs: 1.5 } },
      { runtime: { gc: 'no' } },
      { runtime: 5 },
      // Regression (found by fuzzing): null was taken for "not given" by some options only.
      { name: null },
      { trackMemory: null },
      { maxSamplesPerSecond: null },
      { bufferSize: null },
      { runtime: null },
      { runtime: { gc: null } },
      { runtime: { eventLoopResolutionMs: null } },
      { runtime: { intervalMs: null } },
    ];
    for (const options of bad) {
      expect(() => new ApplicationMetricsCollector({ ...(options as object), registry })).toThrow(
        ConfigError,
      );
    }
    expect(registry.collectors).toEqual([]);
    expect(() => new ApplicationMetricsCollector(null as never)).toThrow(ConfigError);
  });

  it('refuses a second collector of the same name in one registry', () => {
    const registry = new MetricsRegistry();
    getApplicationCollector({ registry });
    expect(() => getApplicationCollector({ registry })).toThrow(ConfigError);
    expect(getApplicationCollector({ registry, name: 'jobs' }).name).toBe('jobs');
  });

  it('uses the durationBuckets it is given', () => {
    const { app } = testCollector({ durationBuckets: [0.001, 0.01, 0.1] });
    app.timed(() => 1, { name: 'quick' })();
    expect(app.getDurationHistogram('quick')!.bounds).toEqual([0.001, 0.01, 0.1]);
    expect(app.getDurationHistogram('unknown')).toBeUndefined();
  });

  it('accepts durationBuckets ending with +Inf, as core histograms do (regression: refused)', () => {
    const { app } = testCollector({ durationBuckets: [0.5, 1, Number.POSITIVE_INFINITY] });
    app.timed(() => 1, { name: 'bounded' })();
    expect(app.getDurationHistogram('bounded')!.bounds).toEqual([0.5, 1]);
    expect(() => testCollector({ durationBuckets: [Number.POSITIVE_INFINITY] })).toThrow(ConfigError);
  });
});

describe('recordCustomMetric', () => {
  it('stores a caller sample as given, tags canonicalised and timestamp filled in', () => {
    const { app } = testCollector();
    const before = Date.now();
    const stored = app.recordCustomMetric({
      name: 'cart.size',
      value: 3,
      type: 'gauge',
      unit: 'COUNT',
      tags: { zone: 'eu', shard: '2' },
      context: { user: 'u1' },
    });
    expect(stored).toEqual({
      name: 'cart.size',
      value: 3,
      type: 'gauge',
      unit: 'count',
      tags: { shard: '2', zone: 'eu' },
      context: { user: 'u1' },
      timestamp: expect.any(Number),
    });
    expect(stored.timestamp).toBeGreaterThanOrEqual(before);
    expect(Object.keys(stored.tags)).toEqual(['shard', 'zone']);
    expect(app.getCollectedMetrics()).toEqual([stored]);
  });

  it('rejects bad fields with a typed error naming them, storing nothing', () => {
    const { app } = testCollector();
    const good = { name: 'x', value: 1, type: 'gauge', unit: 'count' } as const;
    const cases: [unknown, new (...args: never[]) => Error][] = [
      [null, ConfigError],
      [{ ...good, name: '' }, InvalidNameError],
      [{ ...good, value: Number.NaN }, InvalidValueError],
      [{ ...good, value: '1' }, InvalidValueError],
      [{ ...good, type: 'meter' }, ConfigError],
      [{ ...good, unit: 'light years' }, UnitError],
      [{ ...good, tags: { 'bad-name': 'x' } }, InvalidLabelError],
      [{ ...good, tags: { ok: {} } }, InvalidLabelError],
      [{ ...good, tags: 'a=b' }, ConfigError],
      [{ ...good, timestamp: Number.POSITIVE_INFINITY }, InvalidValueError],
      [{ ...good, sampleRate: 0 }, InvalidValueError],
      [{ ...good, context: 'ctx' }, ConfigError],
    ];
    for (const [metric, errorClass] of cases) {
      expect(() => app.recordCustomMetric(metric as never)).toThrow(errorClass);
    }
    expect(() => app.recordCustomMetric({ ...good, value: Number.NaN })).toThrow(/"x"/);
    expect(app.getCollectedMetrics()).toEqual([]);
  });

  it('samples a hot custom name, keeping the rate on what it keeps', () => {
    const { app, registry } = testCollector({ maxSamplesPerSecond: 5 });
    for (let i = 0; i < 100; i++)
      app.recordCustomMetric({ name: 'event', value: i, type: 'counter', unit: 'count' });
    const kept = app.getCollectedMetrics();
    expect(kept.length + (registry.self.samplesSampledOut.get({ collector: 'app' }) ?? 0)).toBe(100);
    expect(kept.length).toBeLessThan(100);
    expect(kept.some((sample) => (sample.sampleRate ?? 1) < 1)).toBe(true);
  });
});

describe('exposition', () => {
  it('exposes timers as valid Prometheus and OpenMetrics text (promtool, parser)', async () => {
    const { app, registry } = testCollector();
    const getUser = app.timed((id: number) => `user ${id}`, {
      name: 'UserService.getUser',
      tags: { tier: 'gold' },
    });
    const fail = app.timed(
      () => {
        throw new Error('x');
      },
      { name: 'Billing.charge', trackMemory: true },
    );
    getUser(1);
    expect(() => fail()).toThrow('x');
    app.performanceTracker('nightly export', { job: 'csv' }).end();
    const snapshot = await registry.collect();
    const text = serializePrometheus(snapshot);
    expect(promtoolCheckMetrics(text)).toEqual({ code: 0, findings: [] });
    const parsed = parseExposition(serializeOpenMetrics(snapshot));
    const names = parsed.families.map((family) => family.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'user_service_get_user_duration_seconds',
        'user_service_get_user_calls',
        'billing_charge_duration_seconds',
        'billing_charge_heap_delta_bytes',
        'billing_charge_external_delta_bytes',
        'nightly_export_duration_seconds',
      ]),
    );
    expect(text).toContain('user_service_get_user_calls_total{outcome="success",tier="gold"} 1');
    expect(text).toContain('billing_charge_calls_total{outcome="error"} 1');
    expect(text).toContain('nightly_export_duration_seconds_count{job="csv",outcome="success"} 1');
  });
});

describe('getCallCounts', () => {
  it('counts finished calls only, as <name>_calls_total does: pending calls and open scopes count 0', async () => {
    const { app, registry } = testCollector();
    let release!: () => void;
    const sync = app.timed(
      (fail: boolean) => {
        if (fail) throw new Error('x');
        return 1;
      },
      { name: 'sync', tags: { region: 'eu' } },
    );
    const slow = app.timed(() => new Promise<void>((resolve) => (release = resolve)), { name: 'slow' });
    sync(false);
    expect(() => sync(true)).toThrow('x');
    const pending = slow();
    const scope = app.performanceTracker('scope', { step: 'load' });
    expect(app.getCallCounts()).toEqual({ sync: 2, slow: 0, scope: 0 });
    release();
    await pending;
    scope.end();
    const counts = app.getCallCounts();
    expect(counts).toEqual({ sync: 2, slow: 1, scope: 1 });
    // One source of truth: the counts are the sums of the exposed call counters, every tag set and outcome.
    const text = serializePrometheus(await registry.collect());
    const exposedSum = (metric: string) =>
      [...text.matchAll(new RegExp(`^${metric}_calls_total\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    expect({ sync: exposedSum('sync'), slow: exposedSum('slow'), scope: exposedSum('scope') }).toEqual(
      counts,
    );
  });
});
