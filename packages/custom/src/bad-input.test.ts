import {
  ConfigError,
  ErrorCode,
  type Fw0Error,
  InvalidLabelError,
  InvalidNameError,
  InvalidValueError,
  MetricConflictError,
  MetricsRegistry,
  UnitError,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import type { CustomMetricsCollector } from './custom-collector.js';
import { getCustomCollector } from './get-custom-collector.js';
import { observableState } from './test-support/state.js';

/** A collector with some of everything recorded, so a rejected call has state to disturb. */
function collectorWithState(): CustomMetricsCollector {
  const collector = getCustomCollector({ maxSamplesPerSecond: false, maxMetrics: 8 });
  collector.incrementCounter('orders', 3);
  collector.incrementCounter('orders', 2, { region: 'eu' });
  collector.setGauge('queue_length', 5);
  collector.recordHistogramValue('latency_seconds', 0.2, { route: '/cart' });
  collector.recordHistogramValue('payload_bytes', 512);
  collector.recordBusinessMetric('revenue', 12.5, 'eur', { region: 'eu' }, { order: 'A-1' });
  return collector;
}

interface Case {
  readonly what: string;
  readonly call: (collector: CustomMetricsCollector) => unknown;
  readonly error: abstract new (...args: never[]) => Fw0Error;
  readonly code: string;
  /** Text the message must contain: the offending name, value or unit. */
  readonly names: string;
}

type Call = (collector: CustomMetricsCollector) => unknown;

const cyclic: Record<string, unknown> = { order: 'A-2' };
cyclic.self = cyclic;

const cases: Case[] = [
  // Invalid names, through every entry point.
  ...(
    [
      ['incrementCounter', (c) => c.incrementCounter('orders.completed')],
      ['setGauge', (c) => c.setGauge('queue-length', 1)],
      ['recordHistogramValue', (c) => c.recordHistogramValue('1st_latency_seconds', 1)],
      ['recordBusinessMetric', (c) => c.recordBusinessMetric('gross revenue', 1, 'eur')],
      ['counter()', (c) => c.counter('__reserved')],
      ['gauge()', (c) => c.gauge('')],
      ['histogram()', (c) => c.histogram('latency.p99')],
      ['defineCounter', (c) => c.defineCounter('orders/day')],
      ['defineBusinessMetric', (c) => c.defineBusinessMetric('net.revenue', { unit: 'eur' })],
    ] satisfies [string, Call][]
  ).map(
    ([method, call]): Case => ({
      what: `invalid name via ${method}`,
      call,
      error: InvalidNameError,
      code: ErrorCode.INVALID_NAME,
      names: 'Invalid metric name',
    }),
  ),
  // NaN, infinities and non-numbers.
  ...(
    [
      ['incrementCounter NaN', (c) => c.incrementCounter('orders', Number.NaN), 'NaN'],
      [
        'incrementCounter Infinity',
        (c) => c.incrementCounter('orders', Number.POSITIVE_INFINITY),
        'Infinity',
      ],
      ['incrementCounter "1"', (c) => c.incrementCounter('orders', '1' as unknown as number), '"1"'],
      ['setGauge NaN', (c) => c.setGauge('queue_length', Number.NaN), 'NaN'],
      ['setGauge -Infinity', (c) => c.setGauge('queue_length', Number.NEGATIVE_INFINITY), '-Infinity'],
      [
        'recordHistogramValue Infinity',
        (c) => c.recordHistogramValue('latency_seconds', Number.POSITIVE_INFINITY),
        'Infinity',
      ],
      ['recordHistogramValue on a new name', (c) => c.recordHistogramValue('new_seconds', Number.NaN), 'NaN'],
      ['recordBusinessMetric NaN', (c) => c.recordBusinessMetric('revenue', Number.NaN, 'eur'), 'NaN'],
      ['bound gauge set NaN', (c) => c.gauge('queue_length').set(Number.NaN), 'NaN'],
      [
        'bound histogram observe NaN',
        (c) => c.histogram('latency_seconds', { route: '/cart' }).observe(Number.NaN),
        'NaN',
      ],
    ] satisfies [string, Call, string][]
  ).map(
    ([what, call, names]): Case => ({
      what,
      call,
      error: InvalidValueError,
      code: ErrorCode.INVALID_VALUE,
      names,
    }),
  ),
  // Negative counter increments.
  {
    what: 'negative increment',
    call: (c) => c.incrementCounter('orders', -1, { region: 'eu' }),
    error: InvalidValueError,
    code: ErrorCode.INVALID_VALUE,
    names: '-1',
  },
  {
    what: 'negative increment on a new counter',
    call: (c) => c.incrementCounter('refunds', -2),
    error: InvalidValueError,
    code: ErrorCode.INVALID_VALUE,
    names: '-2',
  },
  {
    what: 'negative increment through a bound handle',
    call: (c) => c.counter('orders').add(-0.5),
    error: InvalidValueError,
    code: ErrorCode.INVALID_VALUE,
    names: '-0.5',
  },
  // A name reused with another type.
  ...(
    [
      ['counter reused as gauge', (c) => c.setGauge('orders', 1), 'orders'],
      ['counter reused as histogram', (c) => c.recordHistogramValue('orders', 1), 'orders'],
      ['counter reused as business metric', (c) => c.recordBusinessMetric('orders', 1), 'orders'],
      ['gauge named as a counter sample', (c) => c.setGauge('orders_total', 1), 'orders_total'],
      ['gauge reused as counter', (c) => c.incrementCounter('queue_length'), 'queue_length'],
      ['histogram reused as gauge', (c) => c.gauge('latency_seconds'), 'latency_seconds'],
    ] satisfies [string, Call, string][]
  ).map(
    ([what, call, names]): Case => ({
      what,
      call,
      error: MetricConflictError,
      code: ErrorCode.METRIC_CONFLICT,
      names,
    }),
  ),
  // A unit changed on an existing metric.
  {
    what: 'business metric in another currency',
    call: (c) => c.recordBusinessMetric('revenue', 1, 'usd'),
    error: MetricConflictError,
    code: ErrorCode.METRIC_CONFLICT,
    names: 'usd',
  },
  {
    what: 'business metric in another dimension',
    call: (c) => c.recordBusinessMetric('revenue', 1, 'seconds'),
    error: MetricConflictError,
    code: ErrorCode.METRIC_CONFLICT,
    names: 'seconds',
  },
  {
    what: 'histogram redefined without its unit',
    call: (c) => c.defineHistogram('payload_bytes', { unit: 'count' }),
    error: MetricConflictError,
    code: ErrorCode.METRIC_CONFLICT,
    names: 'bytes',
  },
  {
    what: 'histogram redefined with other buckets',
    call: (c) => c.defineHistogram('latency_seconds', { buckets: [0.1, 1] }),
    error: MetricConflictError,
    code: ErrorCode.METRIC_CONFLICT,
    names: 'latency_seconds',
  },
  // Units that are not units.
  ...(['US$', '', 'eur ', 'per cent'] as const).map(
    (unit): Case => ({
      what: `unit ${JSON.stringify(unit)}`,
      call: (c) => c.recordBusinessMetric('revenue', 1, unit),
      error: UnitError,
      code: ErrorCode.INVALID_UNIT,
      names: JSON.stringify(unit),
    }),
  ),
  // Tags that cannot be labels, on existing and new metrics.
  ...(
    [
      ['label name with a dash', (c) => c.incrementCounter('orders', 1, { 'user-id': 'u1' }), 'user-id'],
      ['reserved __ label', (c) => c.setGauge('queue_length', 1, { __name__: 'x' }), '__name__'],
      [
        'the overflow label',
        (c) => c.incrementCounter('orders', 1, { fw0_overflow: 'true' }),
        'fw0_overflow',
      ],
      ['le on a histogram', (c) => c.recordHistogramValue('latency_seconds', 1, { le: '1' }), 'le'],
      ['le on a new histogram', (c) => c.recordHistogramValue('wait_seconds', 1, { le: '1' }), 'le'],
      ['bad label on a new counter', (c) => c.incrementCounter('signups', 1, { 'a b': 'x' }), 'a b'],
      [
        'object label value',
        (c) => c.incrementCounter('orders', 1, { region: {} as unknown as string }),
        'region',
      ],
      ['lone surrogate', (c) => c.recordBusinessMetric('revenue', 1, 'eur', { region: '\ud800' }), 'region'],
    ] satisfies [string, Call, string][]
  ).map(
    ([what, call, names]): Case => ({
      what,
      call,
      error: InvalidLabelError,
      code: ErrorCode.INVALID_LABEL,
      names,
    }),
  ),
  // Contexts that cannot travel as JSON objects.
  ...(
    [
      ['an array', ['a'], 'object of JSON values'],
      ['a string', 'order A-1', 'object of JSON values'],
      ['a cycle', cyclic, 'cannot be written as JSON'],
      ['a BigInt', { amount: 10n }, 'cannot be written as JSON'],
      ['a Date (JSON is a string)', new Date(0), 'not an object'],
      ['too long', { note: 'x'.repeat(5000) }, 'more than maxContextLength 4096'],
    ] as const
  ).map(
    ([what, context, names]): Case => ({
      what: `context ${what}`,
      call: (c) =>
        c.recordBusinessMetric('revenue', 1, 'eur', undefined, context as unknown as Record<string, unknown>),
      error: InvalidValueError,
      code: ErrorCode.INVALID_VALUE,
      names,
    }),
  ),
  // Options of a definition.
  {
    what: 'buckets out of order',
    call: (c) => c.defineHistogram('size_bytes', { buckets: [10, 5] }),
    error: ConfigError,
    code: ErrorCode.INVALID_CONFIG,
    names: 'size_bytes',
  },
  {
    what: 'a unit that is not a base unit',
    call: (c) => c.defineHistogram('wait_milliseconds', { unit: 'milliseconds' }),
    error: ConfigError,
    code: ErrorCode.INVALID_CONFIG,
    names: 'milliseconds',
  },
];

describe('bad input: a typed error at once, and the collector unchanged', () => {
  for (const testCase of cases) {
    it(testCase.what, () => {
      const collector = collectorWithState();
      const before = observableState(collector);
      let thrown: unknown;
      try {
        testCase.call(collector);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(testCase.error);
      expect((thrown as Fw0Error).code).toBe(testCase.code);
      expect((thrown as Error).message).toContain(testCase.names);
      expect(observableState(collector)).toEqual(before);
    });
  }

  it('past maxMetrics, a new name is a ConfigError; known names keep working', () => {
    const collector = getCustomCollector({ maxMetrics: 2, maxSamplesPerSecond: false });
    collector.incrementCounter('orders');
    collector.setGauge('queue_length', 1);
    const before = observableState(collector);
    expect(() => collector.incrementCounter('orders_for_user_42')).toThrow(ConfigError);
    expect(() => collector.recordBusinessMetric('revenue', 1, 'eur')).toThrow(/maxMetrics=2/);
    expect(observableState(collector)).toEqual(before);
    collector.incrementCounter('orders_total', 2);
    expect(collector.getCounterValues()).toEqual({ orders: 3 });
  });

  it('rejects bad collector options before registering anything', () => {
    const registry = new MetricsRegistry();
    const bad: Record<string, unknown>[] = [
      { maxMetrics: 0 },
      { maxSeriesPerMetric: -1 },
      { maxContextLength: 'long' },
      { name: '' },
      { name: 42 },
      { bufferSize: 0 },
      { maxSamplesPerSecond: 1.5 },
    ];
    for (const options of bad) {
      expect(() => getCustomCollector({ registry, ...options })).toThrow(ConfigError);
    }
    expect(registry.collectors).toEqual([]);
    getCustomCollector({ registry });
    expect(() => getCustomCollector({ registry })).toThrow(/already registered/);
    expect(registry.collectors).toHaveLength(1);
  });
});
