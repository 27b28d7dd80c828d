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
import { createAnchors, VALUES } from './anchors.js';

/**
 * The bound handles of `collector.counter()` / `gauge()` / `histogram()` beside prom-client's
 * label children and OpenTelemetry with a constant attribute object (it has no bound handles),
 * interleaved over rounds.
 */
export async function benchFastPath(targets: Targets): Promise<MeasuredCase[]> {
  const collector = getCustomCollector({ name: 'bench-bound' });
  const labels = { route: '/users', method: 'GET' };
  const counter = collector.counter('orders', labels);
  const gauge = collector.gauge('queue_length', labels);
  const histogram = collector.histogram('latency_seconds', labels);
  const { promChildren, otel } = createAnchors();

  const cases: BenchCase[] = [
    {
      name: 'counter(name, labels).add()',
      ours: () => {
        for (let j = 0; j < BATCH; j++) counter.add(1);
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promChildren.counter.inc(1);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++) otel.counter.add(1, otel.attributes);
        },
      },
    },
    {
      name: 'gauge(name, labels).set(v)',
      ours: () => {
        for (let j = 0; j < BATCH; j++) gauge.set(j);
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promChildren.gauge.set(j);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++) otel.gauge.record(j, otel.attributes);
        },
      },
    },
    {
      name: 'histogram(name, labels).observe(v)',
      ours: () => {
        for (let j = 0; j < BATCH; j++) histogram.observe(VALUES[j]!);
      },
      anchors: {
        'prom-client': () => {
          for (let j = 0; j < BATCH; j++) promChildren.histogram.observe(VALUES[j]!);
        },
        OpenTelemetry: () => {
          for (let j = 0; j < BATCH; j++) otel.histogram.record(VALUES[j]!, otel.attributes);
        },
      },
    },
  ];
  const rows = await measureInterleaved(cases);
  printComparison(
    `Bound handles (fast path): nanoseconds per call (median of ${ROUNDS} interleaved rounds, loops of 1,024), ratio = anchor / fw0`,
    'ns/op',
    rows,
  );
  if (collector.getCounterValues()['orders{method="GET",route="/users"}'] === 0)
    throw new Error('nothing recorded');

  const [add, , observe] = rows as [MeasuredCase, MeasuredCase, MeasuredCase];
  targets.check('bound counter add within 5 ns', add.ours <= 5, `${add.ours.toFixed(2)} ns`);
  targets.check(
    'bound histogram observe >= 3x faster than a prom-client child observe',
    ratioOf(observe, 'prom-client').median >= 3,
    describeRatio(observe, 'prom-client'),
  );
  return rows;
}
