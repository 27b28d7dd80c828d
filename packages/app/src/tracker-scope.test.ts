import { ClosedError, ConfigError, InvalidNameError, type PerformanceMetric } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { samplesNamed, sleep, testCollector } from './test-support/app-collector.js';
import { GarbageWatch } from './test-support/gc.js';

describe('performanceTracker scopes', () => {
  it('record once however often they are ended (end, dispose, asyncDispose)', async () => {
    const { app } = testCollector();
    const scope = app.performanceTracker('Checkout.pay', { provider: 'card' });
    scope.set('orderId', 'A-17');
    const first = scope.end();
    expect(scope.end()).toBe(first);
    scope[Symbol.dispose]();
    await scope[Symbol.asyncDispose]();
    expect(app.getCallCounts()).toEqual({ 'Checkout.pay': 1 });
    expect(first).toMatchObject({
      name: 'Checkout.pay',
      type: 'timer',
      unit: 'seconds',
      tags: { provider: 'card', outcome: 'success' },
      context: { orderId: 'A-17' },
    });
    expect(app.getCollectedMetrics()).toEqual([first]);
  });

  it('end through Symbol.dispose and Symbol.asyncDispose, as `using` does', async () => {
    const { app } = testCollector();
    app.performanceTracker('sync')[Symbol.dispose]();
    await app.performanceTracker('async')[Symbol.asyncDispose]();
    expect(app.getCallCounts()).toEqual({ sync: 1, async: 1 });
  });

  it('measure the time between start and end, then keep it', async () => {
    const { app } = testCollector();
    const scope = app.performanceTracker('wait');
    await sleep(25);
    const sample = scope.end();
    // Timing tolerance: a timer may fire early against performance.now() by as long as libuv's cached
    // loop time is stale, so half the nominal 25 ms; under 5 s even on a loaded machine.
    expect(sample.value).toBeGreaterThanOrEqual(0.0125);
    expect(sample.value).toBeLessThan(5);
    await sleep(5);
    expect(scope.elapsedSeconds).toBe(sample.value);
  });

  it('record outcome="error" after fail(), with the error message in the context', () => {
    const { app } = testCollector();
    const scope = app.performanceTracker('import');
    scope.set('rows', 10).fail(new TypeError('bad row'));
    expect(scope.outcome).toBe('error');
    expect(scope.end()).toMatchObject({
      tags: { outcome: 'error' },
      context: { rows: 10, error: 'TypeError: bad row' },
    });
    expect(app.getDurationSummary('import', undefined, 'error')!.cumulative.count).toBe(1);
  });

  it('keep any value fail() is given, even one String() cannot convert (regression: threw a TypeError)', () => {
    const { app } = testCollector();
    const bare = Object.create(null) as object;
    const hostile = {
      toString(): string {
        throw new Error('no text');
      },
    };
    expect(app.performanceTracker('a').fail(bare).end().context).toEqual({ error: '[object Object]' });
    expect(app.performanceTracker('b').fail(hostile).end().context).toEqual({ error: '[object Object]' });
    expect(app.performanceTracker('c').fail('disk full').end().context).toEqual({ error: 'disk full' });
    expect(app.getCallCounts()).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('keep keys such as __proto__ as metadata (regression: set("__proto__", v) was lost)', () => {
    const { app } = testCollector();
    const scope = app.performanceTracker('keys').set('__proto__', 0).set('constructor', 'mine');
    const context = scope.end().context!;
    expect(Object.keys(context).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(context, '__proto__')?.value).toBe(0);
    expect(context.constructor).toBe('mine');
  });

  it('refuse metadata after the end and bad keys, changing nothing', () => {
    const { app } = testCollector();
    const scope = app.performanceTracker('job');
    expect(() => scope.set('', 1)).toThrow(ConfigError);
    expect(() => scope.set(7 as unknown as string, 1)).toThrow(ConfigError);
    const sample = scope.end();
    expect(() => scope.set('late', true)).toThrow(ClosedError);
    expect(() => scope.fail(new Error('late'))).toThrow(ClosedError);
    expect(scope.outcome).toBe('success');
    expect(sample.context).toBeUndefined();
    expect(scope.context).toEqual({});
    expect(app.getCallCounts()).toEqual({ job: 1 });
  });

  it('hold nothing when never ended (regression: abandoned scopes must not leak)', async () => {
    const { app } = testCollector();
    const garbage = new GarbageWatch();
    (() => {
      for (let i = 0; i < 1000; i++) garbage.watch(app.performanceTracker('abandoned').set('i', i));
    })();
    expect(await garbage.allCollected()).toBe(true);
    expect(app.getCallCounts()).toEqual({ abandoned: 0 });
    expect(app.getCollectedMetrics()).toEqual([]);
  });

  it('refuse a name that is not a string with InvalidNameError (regression: an object without a prototype threw a TypeError)', () => {
    const { app, registry } = testCollector();
    expect(() => app.performanceTracker(Object.create(null) as string)).toThrow(InvalidNameError);
    expect(() => app.performanceTracker(Object.create(null) as string, () => 1)).toThrow(InvalidNameError);
    expect(registry.getMetrics().filter((metric) => !metric.name.startsWith('fw0_'))).toEqual([]);
  });

  it('reject invalid names and callbacks at once, registering nothing', () => {
    const { app, registry } = testCollector();
    const before = registry.getMetrics().length;
    expect(() => app.performanceTracker('')).toThrow(InvalidNameError);
    expect(() => app.performanceTracker('!!!')).toThrow(InvalidNameError);
    expect(() => app.performanceTracker('ok', undefined, 'nope' as unknown as () => void)).toThrow(
      ConfigError,
    );
    expect(registry.getMetrics()).toHaveLength(before);
  });

  it('carry memory deltas when the collector tracks memory', () => {
    const { app } = testCollector({ trackMemory: true });
    const scope = app.performanceTracker('bulk');
    const buffer = Buffer.alloc(2 ** 20);
    const sample = scope.end();
    expect(buffer.length).toBe(2 ** 20);
    expect(sample.context).toEqual({
      heapDeltaBytes: expect.any(Number),
      externalDeltaBytes: expect.any(Number),
    });
  });
});

describe('performanceTracker(name, tags, callback)', () => {
  it('returns what the callback returns and records success', () => {
    const { app } = testCollector();
    const result = { total: 3 };
    expect(app.performanceTracker('sum', { kind: 'fast' }, () => result)).toBe(result);
    expect(app.performanceTracker('sum', (scope) => scope.name)).toBe('sum');
    expect(app.getCallCounts()).toEqual({ sum: 2 });
  });

  it('rethrows the very error and records outcome="error"', () => {
    const { app } = testCollector();
    const error = new Error('callback failed');
    expect(() =>
      app.performanceTracker('risky', () => {
        throw error;
      }),
    ).toThrow(error);
    const [sample] = samplesNamed(app.getCollectedMetrics(), 'risky');
    expect(sample).toMatchObject({
      tags: { outcome: 'error' },
      context: { error: 'Error: callback failed' },
    });
  });

  it('times async callbacks until they settle, either way', async () => {
    const { app } = testCollector();
    const reason = new Error('rejected');
    const value = await app.performanceTracker('fetch', { via: 'http' }, async (scope) => {
      await sleep(20);
      scope.set('status', 200);
      return 'body';
    });
    expect(value).toBe('body');
    await expect(
      app.performanceTracker('fetch', { via: 'http' }, async () => {
        await sleep(1);
        throw reason;
      }),
    ).rejects.toBe(reason);
    const samples = samplesNamed(app.getCollectedMetrics(), 'fetch');
    expect(samples.map((sample) => sample.tags.outcome)).toEqual(['success', 'error']);
    expect(samples[0]!.context).toEqual({ status: 200 });
    expect(samples[0]!.value).toBeGreaterThanOrEqual(0.01); // half the nominal 20 ms (see above)
  });

  it('keeps an explicit fail() and an early end() made inside the callback', () => {
    const { app } = testCollector();
    const soft = app.performanceTracker('soft', (scope) => {
      scope.fail('quota reached');
      return 'partial';
    });
    expect(soft).toBe('partial');
    let ended: PerformanceMetric | undefined;
    expect(() =>
      app.performanceTracker('early', (scope) => {
        ended = scope.end();
        throw new Error('after end');
      }),
    ).toThrow('after end');
    const samples = app.getCollectedMetrics();
    expect(samplesNamed(samples, 'soft')[0]).toMatchObject({
      tags: { outcome: 'error' },
      context: { error: 'quota reached' },
    });
    // The scope ended before the throw: its success stands, recorded once.
    expect(samplesNamed(samples, 'early')).toEqual([ended]);
    expect(ended!.tags.outcome).toBe('success');
  });
});
