import { setImmediate as nextTurn } from 'node:timers/promises';
import { isFw0Error } from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';
import { seriesKey } from './series-key.js';

describe('many async callers', () => {
  it('lose no increment when hundreds of tasks interleave through awaits', async () => {
    const collector = getCustomCollector();
    const tasks = 400;
    const incrementsPerTask = 25;
    const regions = ['eu', 'us', 'apac'];
    await Promise.all(
      Array.from({ length: tasks }, async (_, task) => {
        for (let i = 0; i < incrementsPerTask; i++) {
          collector.incrementCounter('orders', 1, { region: regions[task % 3]! });
          collector.recordBusinessMetric('revenue', 2.5, 'eur');
          // Alternate between microtask and macrotask turns so tasks really interleave.
          if (i % 2 === 0) await Promise.resolve();
          else await nextTurn();
        }
      }),
    );
    const values = collector.getCounterValues();
    const perRegion = (region: string) =>
      Math.ceil((tasks - regions.indexOf(region)) / 3) * incrementsPerTask;
    for (const region of regions) expect(values[`orders{region="${region}"}`]).toBe(perRegion(region));
    const summary = collector.getBusinessMetricSummary('revenue')!;
    expect(summary.cumulative.count).toBe(tasks * incrementsPerTask);
    expect(summary.cumulative.sum).toBe(tasks * incrementsPerTask * 2.5);
  });

  it('keep totals exact when some callers send bad input mid-stream', async () => {
    const collector = getCustomCollector();
    let rejected = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, task) => {
        for (let i = 0; i < 10; i++) {
          try {
            if (task % 10 === 0 && i === 5) collector.incrementCounter('orders', -1);
            else if (task % 10 === 1 && i === 5)
              collector.incrementCounter('orders', Number.NaN, { region: 'eu' });
            else if (task % 10 === 2 && i === 5)
              collector.incrementCounter('orders', 1, { 'bad-label': 'x' });
            else collector.incrementCounter('orders', 1, { region: 'eu' });
          } catch (error) {
            if (!isFw0Error(error)) throw error;
            rejected++;
          }
          await nextTurn();
        }
      }),
    );
    expect(rejected).toBe(60);
    expect(collector.getCounterValues()).toEqual({ 'orders{region="eu"}': 2000 - 60 });
  });
});

/** One call of the model-based test: valid or not, as a generator draws it. */
type Operation =
  | { kind: 'increment'; name: string; value: number; region: string | undefined }
  | { kind: 'gauge'; name: string; value: number; region: string | undefined }
  | { kind: 'reset' };

const names = fc.constantFrom('orders', 'refunds', 'orders.bad');
const region = fc.option(fc.constantFrom('eu', 'us', 'bad-"quote"\\'), { nil: undefined });
const amount = fc.oneof(
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('increment' as const), name: names, value: amount, region }),
  fc.record({
    kind: fc.constant('gauge' as const),
    name: fc.constantFrom('queue', 'queue.bad'),
    value: amount,
    region,
  }),
  fc.constant({ kind: 'reset' as const }),
);

describe('model-based: any sequence of calls, valid or not', () => {
  it('leaves getCounterValues/getGaugeValues equal to a simple model', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const collector = getCustomCollector({ maxSamplesPerSecond: false });
        const counters = new Map<string, number>();
        const gauges = new Map<string, number>();
        let samples = 0;
        for (const op of operations) {
          if (op.kind === 'reset') {
            collector.resetCounters();
            for (const key of counters.keys()) counters.set(key, 0);
            continue;
          }
          const tags = op.region === undefined ? undefined : { region: op.region };
          const key = seriesKey(op.name, tags ?? {});
          const valid = !op.name.includes('.') && Number.isFinite(op.value);
          if (op.kind === 'increment') {
            if (valid && op.value >= 0) {
              collector.incrementCounter(op.name, op.value, tags);
              counters.set(key, (counters.get(key) ?? 0) + op.value);
              samples++;
            } else expect(() => collector.incrementCounter(op.name, op.value, tags)).toThrow();
          } else if (valid) {
            collector.setGauge(op.name, op.value, tags);
            gauges.set(key, op.value);
            samples++;
          } else expect(() => collector.setGauge(op.name, op.value, tags)).toThrow();
        }
        expect(collector.getCounterValues()).toEqual(Object.fromEntries(counters));
        expect(collector.getGaugeValues()).toEqual(Object.fromEntries(gauges));
        expect(collector.getCollectedMetrics()).toHaveLength(samples);
      }),
      { numRuns: 300, seed: 20_250_101 },
    );
  });
});
