import type { PerformanceMetric } from '@fw0/metrics-core';
import {
  BATCH,
  type ComparisonRow,
  nsPerBatchedOp,
  printComparison,
  type Targets,
} from '../../../bench-support/harness.js';
import { getCustomCollector } from '../src/index.js';
import { AMOUNTS, createAnchors, METHODS, ROUTES, VALUES } from './anchors.js';

/** Keeps the returned samples alive so the calls cannot be optimised away. */
let sink: PerformanceMetric | undefined;

/**
 * The seed-style calls (each updates the aggregate and returns its sample, sampled into the
 * buffer at the default 100 per name per second), beside prom-client and OpenTelemetry doing
 * the same recording with the same label sets, in one process.
 */
export async function benchSeedStyle(targets: Targets): Promise<ComparisonRow[]> {
  const collector = getCustomCollector({ name: 'bench' });
  const everySample = getCustomCollector({ name: 'bench-all', maxSamplesPerSecond: false });
  const { prom, otel } = createAnchors();
  const rows: ComparisonRow[] = [];
  const row = async (name: string, ours: () => unknown, anchors: Record<string, () => unknown>) => {
    const measured: Record<string, number> = {};
    const oursNs = await nsPerBatchedOp(ours);
    for (const [anchor, batch] of Object.entries(anchors)) measured[anchor] = await nsPerBatchedOp(batch);
    const result = { name, ours: oursNs, anchors: measured };
    rows.push(result);
    return result;
  };

  const tagged = await row(
    'incrementCounter(name, 1, tags)',
    () => {
      for (let j = 0; j < BATCH; j++)
        sink = collector.incrementCounter('orders', 1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) prom.counter.inc({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++)
          otel.counter.add(1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
    },
  );
  await row(
    'incrementCounter(name) untagged',
    () => {
      for (let j = 0; j < BATCH; j++) sink = collector.incrementCounter('plain');
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) prom.plainCounter.inc();
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++) otel.counter.add(1);
      },
    },
  );
  await row(
    'incrementCounter, every sample kept',
    () => {
      for (let j = 0; j < BATCH; j++)
        sink = everySample.incrementCounter('orders', 1, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) prom.counter.inc({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
    },
  );
  await row(
    'setGauge(name, v, tags)',
    () => {
      for (let j = 0; j < BATCH; j++)
        sink = collector.setGauge('queue_length', j, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) prom.gauge.set({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, j);
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++)
          otel.gauge.record(j, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
    },
  );
  const histogram = await row(
    'recordHistogramValue(name, v, tags)',
    () => {
      for (let j = 0; j < BATCH; j++)
        sink = collector.recordHistogramValue('latency_seconds', VALUES[j]!, {
          route: ROUTES[j & 3]!,
          method: METHODS[j & 3]!,
        });
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++)
          prom.histogram.observe({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, VALUES[j]!);
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++)
          otel.histogram.record(VALUES[j]!, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
    },
  );
  await row(
    "recordBusinessMetric(name, v, 'eur', tags)",
    () => {
      for (let j = 0; j < BATCH; j++)
        sink = collector.recordBusinessMetric('revenue', AMOUNTS[j]!, 'eur', {
          route: ROUTES[j & 3]!,
          method: METHODS[j & 3]!,
        });
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++)
          prom.revenue.observe({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, AMOUNTS[j]!);
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++)
          otel.revenue.record(AMOUNTS[j]!, { route: ROUTES[j & 3]!, method: METHODS[j & 3]! });
      },
    },
  );
  await row(
    'recordBusinessMetric + context',
    () => {
      for (let j = 0; j < BATCH; j++)
        sink = collector.recordBusinessMetric(
          'revenue',
          AMOUNTS[j]!,
          'eur',
          { route: ROUTES[j & 3]!, method: METHODS[j & 3]! },
          { orderId: ROUTES[j & 3]!, items: j & 7 },
        );
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++)
          prom.revenue.observe({ route: ROUTES[j & 3]!, method: METHODS[j & 3]! }, AMOUNTS[j]!);
      },
    },
  );
  printComparison(
    'Seed-style calls: nanoseconds per call (median, loops of 1,024), ratio = anchor / fw0',
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

  const ratio = (result: ComparisonRow) => result.anchors['prom-client']! / result.ours;
  targets.check(
    'seed-style incrementCounter with tags is no slower than prom-client inc(labels)',
    ratio(tagged) >= 1,
    `${tagged.ours.toFixed(1)} ns vs ${tagged.anchors['prom-client']!.toFixed(1)} ns = ${ratio(tagged).toFixed(2)}x`,
  );
  targets.check(
    'seed-style recordHistogramValue with tags is no slower than prom-client observe(labels)',
    ratio(histogram) >= 1,
    `${histogram.ours.toFixed(1)} ns vs ${histogram.anchors['prom-client']!.toFixed(1)} ns = ${ratio(histogram).toFixed(2)}x`,
  );
  return rows;
}
