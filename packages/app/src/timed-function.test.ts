import { describe, expect, expectTypeOf, it } from 'vitest';
import { sleep, testCollector } from './test-support/app-collector.js';

/** Spins for `ms` milliseconds of wall time (a synchronous call that takes a known time). */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}

describe('timed(fn) and performanceTimer(name)(fn)', () => {
  it('keeps this, arguments, the very result, name and length', () => {
    const { app } = testCollector();
    const result = { id: 7 };
    function lookup(this: { factor: number }, a: number, b: number) {
      return { ...result, product: this.factor * a * b, self: this };
    }
    const timedLookup = app.timed(lookup);
    const receiver = { factor: 3, timedLookup };
    const out = receiver.timedLookup(2, 5);
    expect(out.product).toBe(30);
    expect(out.self).toBe(receiver);
    expect(timedLookup.name).toBe('lookup');
    expect(timedLookup.length).toBe(2);

    const same = app.performanceTimer('identity')((value: object) => value);
    expect(same(result)).toBe(result);
    const add = (a: number, b: number, c = 0) => a + b + c;
    const timedAdd = app.timed(add);
    expect(timedAdd(1, 2)).toBe(3);
    expect(timedAdd.length).toBe(add.length);
    expect(app.getCallCounts()).toEqual({ lookup: 1, identity: 1, add: 1 });
  });

  it('keeps the function type, overloads of performanceTimer included', () => {
    const { app } = testCollector();
    const format = (amount: number, currency: 'EUR' | 'USD'): string => `${amount} ${currency}`;
    const load = async (id: string): Promise<{ id: string }> => ({ id });
    expectTypeOf(app.timed(format)).toEqualTypeOf<typeof format>();
    expectTypeOf(app.timed(load, { name: 'load' })).toEqualTypeOf<typeof load>();
    expectTypeOf(app.performanceTimer('fmt')(format)).toEqualTypeOf<typeof format>();
    expect(app.timed(format)(2, 'EUR')).toBe('2 EUR');
  });

  it('records each call in <name>_duration_seconds and <name>_calls_total by outcome', () => {
    const { app, registry } = testCollector();
    const work = app.timed((ms: number) => spin(ms), { name: 'Report.build', tags: { format: 'pdf' } });
    work(20);
    work(1);
    const histogram = registry.getMetric('report_build_duration_seconds');
    const calls = registry.getMetric('report_build_calls_total');
    expect(histogram?.type).toBe('histogram');
    expect(calls?.type).toBe('counter');
    const summary = app.getDurationSummary('Report.build', { format: 'pdf' })!;
    expect(summary.cumulative.count).toBe(2);
    // Timing tolerance: the 20 ms spin takes at least 20 ms; on a loaded machine far less than 5 s.
    expect(summary.cumulative.max).toBeGreaterThanOrEqual(0.02 * 0.99);
    expect(summary.cumulative.max).toBeLessThan(5);
    expect(summary.cumulative.sum).toBeGreaterThan(0.021 * 0.99);
    expect(app.getCallCounts()).toEqual({ 'Report.build': 2 });
    expect(app.getDurationSummary('Report.build', { format: 'pdf' }, 'error')!.cumulative.count).toBe(0);
  });

  it('rethrows the very error and records outcome="error"', () => {
    const { app } = testCollector();
    const failure = new TypeError('nope');
    const thrower = app.timed(
      (value: number) => {
        if (value < 0) throw failure;
        return value;
      },
      { name: 'parse' },
    );
    let caught: unknown;
    try {
      thrower(-1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(failure);
    expect(thrower(4)).toBe(4);
    expect(app.getDurationSummary('parse', undefined, 'error')!.cumulative.count).toBe(1);
    expect(app.getDurationSummary('parse')!.cumulative.count).toBe(1);
    const samples = app.getCollectedMetrics();
    expect(samples.map((sample) => sample.tags.outcome)).toEqual(['error', 'success']);
    expect(samples[0]).toMatchObject({ name: 'parse', type: 'timer', unit: 'seconds' });
  });

  it('times a returned promise until it settles, not until it returns', async () => {
    const { app } = testCollector();
    const load = app.timed(
      async (ms: number) => {
        await sleep(ms);
        return 'loaded';
      },
      { name: 'load' },
    );
    const pending = load(40);
    expect(app.getCallCounts()).toEqual({ load: 0 });
    expect(await pending).toBe('loaded');
    const summary = app.getDurationSummary('load')!.cumulative;
    expect(summary.count).toBe(1);
    // Timing tolerance: a timer may fire early against performance.now() by as long as libuv's
    // cached loop time is stale; half the nominal 40 ms is safe, a record on return would be microseconds.
    expect(summary.max).toBeGreaterThanOrEqual(0.02);
  });

  it('rejects with the very reason and records outcome="error"', async () => {
    const { app } = testCollector();
    const reason = new Error('db down');
    const fetchRow = app.timed(
      async () => {
        await sleep(5);
        throw reason;
      },
      { name: 'fetchRow' },
    );
    await expect(fetchRow()).rejects.toBe(reason);
    expect(app.getDurationSummary('fetchRow', undefined, 'error')!.cumulative.count).toBe(1);
    expect(app.getDurationSummary('fetchRow')!.cumulative.count).toBe(0);
  });

  it('times a non-promise thenable on settle, calling its then exactly once', async () => {
    const { app } = testCollector();
    let thenCalls = 0;
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is what this test times.
      then(resolve: (value: number) => void) {
        thenCalls++;
        setTimeout(() => resolve(7), 20);
      },
    };
    const query = app.timed(() => thenable, { name: 'query' });
    expect(await query()).toBe(7);
    expect(thenCalls).toBe(1);
    expect(app.getDurationSummary('query')!.cumulative.max).toBeGreaterThanOrEqual(0.01); // half of 20 ms
  });

  it('treats an object whose then getter throws as a plain value', () => {
    const { app } = testCollector();
    const odd = {
      // biome-ignore lint/suspicious/noThenProperty: an object whose then getter throws is what this test times.
      get then(): never {
        throw new Error('no then here');
      },
    };
    const make = app.timed(() => odd, { name: 'make' });
    expect(make()).toBe(odd);
    expect(app.getCallCounts()).toEqual({ make: 1 });
  });

  it('hands back a thenable whose then throws, untouched, and counts the failure', () => {
    const { app, registry } = testCollector();
    const broken = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable whose then throws is what this test times.
      then() {
        throw new Error('broken then');
      },
    };
    const make = app.timed(() => broken, { name: 'broken' });
    expect(make()).toBe(broken);
    expect(registry.self.collectorErrors.get({ collector: 'app', operation: 'settle' })).toBe(1);
    expect(app.getCallCounts()).toEqual({ broken: 0 });
  });

  it('supports new on a constructor function', () => {
    const { app } = testCollector();
    function Point(this: { x: number }, x: number) {
      this.x = x;
    }
    const TimedPoint = app.timed(Point) as unknown as new (x: number) => { x: number };
    const point = new TimedPoint(3);
    expect(point.x).toBe(3);
    expect(point).toBeInstanceOf(Point);
    expect(app.getCallCounts()).toEqual({ Point: 1 });
  });
});
