import promClient from 'prom-client';
import { BATCH, nsPerBatchedOp, printComparison, type Targets } from '../../../bench-support/harness.js';
import {
  type BenchCase,
  describeRatio,
  type MeasuredCase,
  measureInterleaved,
  ROUNDS,
  ratioOf,
} from '../../../bench-support/interleaved.js';
import { MetricsRegistry } from '../src/index.js';
import { otelMeter } from './otel-reader.js';

/** Label values of the labelled cases: four routes, as a service would see them. */
const ROUTES = ['/users', '/orders', '/cart', '/health'];
const METHODS = ['GET', 'POST', 'GET', 'GET'];
/** Latency-like values (1 ms to 20 s), shuffled so branches are not predictable. */
const VALUES = Float64Array.from({ length: BATCH }, (_, n) => 0.001 * 1.01 ** ((n * 7919) % BATCH));

/**
 * Hot-path recording: ours, prom-client and OpenTelemetry, the same label sets and values, in
 * one process. Each figure is the median time of one operation inside a loop of 1,024, over
 * interleaved rounds (a noisy moment spoils one round, not the verdict; ratios within a round).
 */
export async function benchHotPath(targets: Targets): Promise<void> {
  const registry = new MetricsRegistry();
  const counter = registry.counter({ name: 'bench_requests_total' });
  const gauge = registry.gauge({ name: 'bench_inflight' });
  const histogram = registry.histogram({ name: 'bench_latency_seconds', unit: 'seconds' });
  const bound = counter.bind({ route: '/users', method: 'GET' });
  const boundHistogram = histogram.bind({ route: '/users' });

  const prom = new promClient.Registry();
  const promCounter = new promClient.Counter({
    name: 'p_requests_total',
    help: 'h',
    labelNames: ['route', 'method'],
    registers: [prom],
  });
  const promGauge = new promClient.Gauge({
    name: 'p_inflight',
    help: 'h',
    labelNames: ['route', 'method'],
    registers: [prom],
  });
  const promHistogram = new promClient.Histogram({ name: 'p_latency_seconds', help: 'h', registers: [prom] });
  const promSummary = new promClient.Summary({
    name: 'p_latency_summary_seconds',
    help: 'h',
    registers: [prom],
  });
  const promChild = promCounter.labels({ route: '/users', method: 'GET' });

  // With a reader attached, so the SDK really aggregates (without one it records nothing).
  const { meter, reader } = otelMeter('bench');
  const otelCounter = meter.createCounter('o_requests');
  const otelGauge = meter.createGauge('o_inflight');
  const otelHistogram = meter.createHistogram('o_latency', { unit: 's' });
  const otelAttributes = { route: '/users', method: 'GET' };

  const empty = await nsPerBatchedOp(() => {
    let sum = 0;
    for (let j = 0; j < BATCH; j++) sum += VALUES[j]!;
    return sum;
  });
  const cases: BenchCase[] = [
    {
      name: 'bound counter add',
      ours: () => {
        for (let j = 0; j < BATCH; j++) bound.add(1);
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promChild.inc(1);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++) otelCounter.add(1, otelAttributes);
        },
      },
    },
    {
      name: 'labelled counter add (tags object)',
      ours: () => {
        for (let j = 0; j < BATCH; j++) counter.add(1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promCounter.inc({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++)
            otelCounter.add(1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
      },
    },
    {
      name: 'gauge set (tags object)',
      ours: () => {
        for (let j = 0; j < BATCH; j++) gauge.set(j, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++)
            promGauge.set({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, j);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++)
            otelGauge.record(j, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
        },
      },
    },
    {
      name: 'histogram observe',
      ours: () => {
        for (let j = 0; j < BATCH; j++) histogram.observe(VALUES[j]!);
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promHistogram.observe(VALUES[j]!);
        },
        'prom-client Summary': () => {
          for (let j = 0; j < BATCH; j++) promSummary.observe(VALUES[j]!);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++) otelHistogram.record(VALUES[j]!);
        },
      },
    },
    {
      name: 'bound histogram observe',
      ours: () => {
        for (let j = 0; j < BATCH; j++) boundHistogram.observe(VALUES[j]!);
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promHistogram.observe(VALUES[j]!);
        },
      },
    },
  ];
  const rows = await measureInterleaved(cases);
  const [boundRow, labelled, , observe] = rows as [MeasuredCase, MeasuredCase, MeasuredCase, MeasuredCase];
  printComparison(
    `Hot path: nanoseconds per operation (median of ${ROUNDS} interleaved rounds, loops of 1,024), ratio = anchor / fw0`,
    'ns/op',
    rows,
  );
  console.log(`\nEmpty loop (read a value, no recording): ${empty.toFixed(2)} ns per iteration`);

  const ratio = (row: MeasuredCase, anchor: string) => ratioOf(row, anchor).median;
  targets.check(
    'labelled counter add >= 3x faster than prom-client inc(labels)',
    ratio(labelled, 'prom-client') >= 3,
    describeRatio(labelled, 'prom-client'),
  );
  targets.check(
    'histogram observe >= 5x faster than prom-client Histogram.observe',
    ratio(observe, 'prom-client') >= 5,
    describeRatio(observe, 'prom-client'),
  );
  targets.check(
    'histogram observe >= 25x faster than prom-client Summary.observe',
    ratio(observe, 'prom-client Summary') >= 25,
    describeRatio(observe, 'prom-client Summary'),
  );
  targets.check('bound counter add within 5 ns', boundRow.ours <= 5, `${boundRow.ours.toFixed(2)} ns`);
  // The anchors really recorded: prom-client has series and the OpenTelemetry reader has points.
  const { resourceMetrics } = await reader.collect();
  const points = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .reduce((sum, metric) => sum + metric.dataPoints.length, 0);
  if (prom.getMetricsAsArray().length === 0 || points === 0) throw new Error('an anchor recorded nothing');
}
