import {
  BATCH,
  type ComparisonRow,
  nsPerBatchedOp,
  printComparison,
  type Targets,
} from '../../../bench-support/harness.js';
import { getCustomCollector } from '../src/index.js';
import { createAnchors, VALUES } from './anchors.js';

/**
 * The bound handles of `collector.counter()` / `gauge()` / `histogram()` beside prom-client's
 * label children and OpenTelemetry with a constant attribute object (it has no bound handles).
 */
export async function benchFastPath(targets: Targets): Promise<ComparisonRow[]> {
  const collector = getCustomCollector({ name: 'bench-bound' });
  const labels = { route: '/users', method: 'GET' };
  const counter = collector.counter('orders', labels);
  const gauge = collector.gauge('queue_length', labels);
  const histogram = collector.histogram('latency_seconds', labels);
  const { promChildren, otel } = createAnchors();
  const rows: ComparisonRow[] = [];
  const row = async (name: string, ours: () => unknown, anchors: Record<string, () => unknown>) => {
    const measured: Record<string, number> = {};
    const oursNs = await nsPerBatchedOp(ours);
    for (const [anchor, batch] of Object.entries(anchors)) measured[anchor] = await nsPerBatchedOp(batch);
    const result = { name, ours: oursNs, anchors: measured };
    rows.push(result);
    return result;
  };

  const add = await row(
    'counter(name, labels).add()',
    () => {
      for (let j = 0; j < BATCH; j++) counter.add(1);
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) promChildren.counter.inc(1);
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++) otel.counter.add(1, otel.attributes);
      },
    },
  );
  await row(
    'gauge(name, labels).set(v)',
    () => {
      for (let j = 0; j < BATCH; j++) gauge.set(j);
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) promChildren.gauge.set(j);
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++) otel.gauge.record(j, otel.attributes);
      },
    },
  );
  const observe = await row(
    'histogram(name, labels).observe(v)',
    () => {
      for (let j = 0; j < BATCH; j++) histogram.observe(VALUES[j]!);
    },
    {
      'prom-client': () => {
        for (let j = 0; j < BATCH; j++) promChildren.histogram.observe(VALUES[j]!);
      },
      OpenTelemetry: () => {
        for (let j = 0; j < BATCH; j++) otel.histogram.record(VALUES[j]!, otel.attributes);
      },
    },
  );
  printComparison(
    'Bound handles (fast path): nanoseconds per call (median, loops of 1,024), ratio = anchor / fw0',
    'ns/op',
    rows,
  );
  if (collector.getCounterValues()['orders{method="GET",route="/users"}'] === 0)
    throw new Error('nothing recorded');

  targets.check('bound counter add within 5 ns', add.ours <= 5, `${add.ours.toFixed(2)} ns`);
  const observeRatio = observe.anchors['prom-client']! / observe.ours;
  targets.check(
    'bound histogram observe >= 3x faster than a prom-client child observe',
    observeRatio >= 3,
    `${observe.ours.toFixed(1)} ns vs ${observe.anchors['prom-client']!.toFixed(1)} ns = ${observeRatio.toFixed(2)}x`,
  );
  return rows;
}
