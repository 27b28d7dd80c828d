import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import promClient from 'prom-client';
import { nsPerOp, printComparison, type Targets } from '../../../bench-support/harness.js';
import { encodeOpenMetrics, encodePrometheus, MetricsRegistry } from '../src/index.js';
import { otelMeter } from './otel-reader.js';

const FAMILIES = 5;
const LABEL_SETS = 1000;

/** Exposition of 10,000 series (5 counters + 5 histograms, 1,000 label sets each). */
export async function benchExposition(targets: Targets): Promise<void> {
  const registry = new MetricsRegistry();
  const promRegistry = new promClient.Registry();
  const { meter, reader } = otelMeter('bench');
  const serializer = new PrometheusSerializer();

  for (let f = 0; f < FAMILIES; f++) {
    const counter = registry.counter({ name: `bench_counter_${f}_total`, help: 'Counter.' });
    const histogram = registry.histogram({
      name: `bench_histogram_${f}_seconds`,
      help: 'Histogram.',
      unit: 'seconds',
    });
    const promCounter = new promClient.Counter({
      name: `p_counter_${f}_total`,
      help: 'Counter.',
      labelNames: ['id', 'kind'],
      registers: [promRegistry],
    });
    const promHistogram = new promClient.Histogram({
      name: `p_histogram_${f}_seconds`,
      help: 'Histogram.',
      labelNames: ['id', 'kind'],
      registers: [promRegistry],
    });
    const otelCounter = meter.createCounter(`o_counter_${f}`);
    const otelHistogram = meter.createHistogram(`o_histogram_${f}`, {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
    });
    for (let id = 0; id < LABEL_SETS; id++) {
      const labels = { id: `id-${id}`, kind: id % 2 ? 'odd' : 'even' };
      for (let k = 0; k < 3; k++) {
        const value = 0.001 * (id + k);
        counter.add(1, labels);
        histogram.observe(value, labels);
        promCounter.inc(labels);
        promHistogram.observe(labels, value);
        otelCounter.add(1, labels);
        otelHistogram.record(value, labels);
      }
    }
  }
  // Each side produces the response body: bytes ready to send (prom-client and OpenTelemetry
  // return strings, which the HTTP layer then encodes).
  const ours = await nsPerOp(async () => encodePrometheus(await registry.collect({ sketches: false })), {
    minCpuTimeMs: 2000,
  });
  const oursOpenMetrics = await nsPerOp(
    async () => encodeOpenMetrics(await registry.collect({ sketches: false })),
    {
      minCpuTimeMs: 2000,
    },
  );
  const prom = await nsPerOp(async () => Buffer.from(await promRegistry.metrics()), { minCpuTimeMs: 2000 });
  const otel = await nsPerOp(
    async () => {
      const { resourceMetrics } = await reader.collect();
      return Buffer.from(serializer.serialize(resourceMetrics));
    },
    { minCpuTimeMs: 2000 },
  );
  const ms = (ns: number) => ns / 1e6;
  printComparison(
    'Exposition of 10,000 series (5 counters + 5 histograms x 1,000 label sets): milliseconds per scrape',
    'ms',
    [
      {
        name: 'Prometheus text 0.0.4',
        ours: ms(ours),
        anchors: { 'prom-client': ms(prom), OpenTelemetry: ms(otel) },
      },
      { name: 'OpenMetrics 1.0', ours: ms(oursOpenMetrics), anchors: { 'prom-client': ms(prom) } },
    ],
  );
  targets.check(
    'exposition of 10,000 series >= 4x faster than prom-client register.metrics()',
    prom / ours >= 4,
    `${ms(ours).toFixed(2)} ms vs ${ms(prom).toFixed(2)} ms = ${(prom / ours).toFixed(2)}x`,
  );
}
