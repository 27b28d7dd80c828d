import type { PerformanceMetric } from '@fw0/metrics-core';
import { BATCH, printComparison, type Targets } from '../../../bench-support/harness.js';
import {
  type BenchCase,
  describeRatio,
  type MeasuredCase,
  measureInterleaved,
  ROUNDS,
  ratioOf,
} from '../../../bench-support/interleaved.js';
import { getCustomCollector } from '../src/index.js';
import { AMOUNTS, createAnchors, METHODS, ROUTES, VALUES } from './anchors.js';

/** Keeps the returned samples alive so the calls cannot be optimised away. */
let sink: PerformanceMetric | undefined;

/** The ratio the seed-style tagged increment must reach against prom-client's `inc(labels)`. */
const INCREMENT_TARGET = 1.4;

/**
 * The seed-style calls (each updates the aggregate and returns its sample, sampled into the
 * buffer at the default 100 per name per second), beside prom-client and OpenTelemetry doing
 * the same recording with the same label sets, in one process, interleaved over rounds.
 */
export async function benchSeedStyle(targets: Targets): Promise<MeasuredCase[]> {
  const collector = getCustomCollector({ name: 'bench' });
  const everySample = getCustomCollector({ name: 'bench-all', maxSamplesPerSecond: false });
  const { prom, otel } = createAnchors();
  const promInc = () => {
    for (let j = 0; j < BATCH; j++) prom.counter.inc({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
  };
  const promRevenue = () => {
    for (let j = 0; j < BATCH; j++)
      prom.revenue.observe({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, AMOUNTS[j]!);
  };

  const cases: BenchCase[] = [
    {
      name: 'incrementCounter(name, 1, tags)',
      ours: () => {
        for (let j = 0; j < BATCH; j++)
          sink = collector.incrementCounter('orders', 1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
      anchors: {
        'prom-client': promInc,
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++)
            otel.counter.add(1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
      },
    },
    {
      name: 'incrementCounter(name) untagged',
      ours: () => {
        for (let j = 0; j < BATCH; j++) sink = collector.incrementCounter('plain');
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) prom.plainCounter.inc();
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++) otel.counter.add(1);
        },
      },
    },
    {
      name: 'incrementCounter, every sample kept',
      ours: () => {
        for (let j = 0; j < BATCH; j++)
          sink = everySample.incrementCounter('orders', 1, {
            route: ROUTES[j & 3]!,
            method: METHODS[j & 3]!,
          });
        // Drained as a consumer would, so the buffer is not always full (dropping the oldest).
        everySample.getCollectedMetrics();
      },
      anchors: { 'prom-client': promInc },
    },
    {
      name: 'setGauge(name, v, tags)',
      ours: () => {
        for (let j = 0; j < BATCH; j++)
          sink = collector.setGauge('queue_length', j, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++)
            prom.gauge.set({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, j);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++)
            otel.gauge.record(j, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
      },
    },
    {
      name: 'recordHistogramValue(name, v, tags)',
      ours: () => {
        for (let j = 0; j < BATCH; j++)
          sink = collector.recordHistogramValue('latency_seconds', VALUES[j]!, {
            route: ROUTES[j & 3]!,
            method: METHODS[j & 3]!,
          });
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++)
            prom.histogram.observe({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, VALUES[j]!);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++)
            otel.histogram.record(VALUES[j]!, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
      },
    },
    {
      name: "recordBusinessMetric(name, v, 'eur', tags)",
      ours: () => {
        for (let j = 0; j < BATCH; j++)
          sink = collector.recordBusinessMetric('revenue', AMOUNTS[j]!, 'eur', {
            route: ROUTES[j & 3]!,
            method: METHODS[j & 3]!,
          });
      },
      anchors: {
        'prom-client': promRevenue,
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++)
            otel.revenue.record(AMOUNTS[j]!, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
      },
    },
    {
      name: 'recordBusinessMetric + context',
      ours: () => {
        for (let j = 0; j < BATCH; j++)
          sink = collector.recordBusinessMetric(
            'revenue',
            AMOUNTS[j]!,
            'eur',
            { route: ROUTES[j & 3]!, method: METHODS[j & 3]! },
            { orderId: ROUTES[j & 3]!, items: j & 7 },
          );
      },
      anchors: { 'prom-client': promRevenue },
    },
  ];
  const rows = await measureInterleaved(cases);
  printComparison(
    `Seed-style calls: nanoseconds per call (median of ${ROUNDS} interleaved rounds, loops of 1,024), ratio = anchor / fw0`,
    'ns/op',
    rows,
  );
  if (sink === undefined || collector.getCollectedMetrics().length === 0) throw new Error('nothing recorded');
  // The OpenTelemetry anchor really aggregated (its reader sees the data points).
  const { resourceMetrics } = await otel.reader.collect();
  let points = 0;
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics) points += metric.dataPoints.length;
  if (points === 0 || prom.registry.getMetricsAsArray().length === 0)
    throw new Error('anchors recorded nothing');

  const [tagged, , , , histogram] = rows as [
    MeasuredCase,
    MeasuredCase,
    MeasuredCase,
    MeasuredCase,
    MeasuredCase,
  ];
  targets.check(
    `seed-style incrementCounter with tags >= ${INCREMENT_TARGET}x prom-client inc(labels)`,
    ratioOf(tagged, 'prom-client').median >= INCREMENT_TARGET,
    describeRatio(tagged, 'prom-client'),
  );
  targets.check(
    'seed-style recordHistogramValue with tags is no slower than prom-client observe(labels)',
    ratioOf(histogram, 'prom-client').median >= 1,
    describeRatio(histogram, 'prom-client'),
  );
  return rows;
}
