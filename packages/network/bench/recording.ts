import { MetricsRegistry } from '@fw0/metrics-core';
import promClient from 'prom-client';
import {
  BATCH,
  type ComparisonRow,
  nsPerBatchedOp,
  printComparison,
  type Targets,
} from '../../../bench-support/harness.js';
// Core's helper: a MeterProvider with a reader, without which the OpenTelemetry SDK aggregates nothing.
import { otelMeter } from '../../core/bench/otel-reader.js';
import type { HttpOutcome } from '../src/http-measurement.js';
import { NetworkMetricsCollector } from '../src/index.js';
import { defineProbeInstruments } from '../src/probe-instruments.js';
import { TargetRecorder } from '../src/target-recorder.js';
import { reusedConnectionOutcome } from '../src/test-support/outcomes.js';

const TARGET = 'http://127.0.0.1:8080/health';
const PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'] as const;

/** Probe outcomes of loopback-like durations (reused connections, 0.1 to 2 ms), precomputed. */
const OUTCOMES: HttpOutcome[] = Array.from({ length: BATCH }, (_, n) =>
  reusedConnectionOutcome(TARGET, 0.0001 * (1 + ((n * 7919) % 20)), 0.00002 * (1 + ((n * 104_729) % 10))),
);
const BYTES = Float64Array.from({ length: BATCH }, (_, n) => 1024 * (1 + ((n * 7919) % 4096)));
const SECONDS = Float64Array.from({ length: BATCH }, (_, n) => 0.001 * (1 + ((n * 104_729) % 100)));

/**
 * What recording costs per request, without the network: one HTTP probe outcome into fw0's
 * bound series, and the same figures (last-probe gauges, attempt counters, latency and phase
 * histograms) into prom-client children and OpenTelemetry instruments; then one throughput
 * record. Median nanoseconds per record, loops of 1,024 over precomputed outcomes.
 */
export async function benchRecording(targets: Targets): Promise<void> {
  // Gauges written with each record, as if they were read after every probe: what the anchors do.
  const recorder = new TargetRecorder(
    'http',
    TARGET,
    defineProbeInstruments(new MetricsRegistry(), 10),
    undefined,
  );
  // As in the collector: the last-probe gauges wait for a read (none comes here).
  const deferred = new TargetRecorder('http', TARGET, defineProbeInstruments(new MetricsRegistry(), 10), {
    publishLater() {},
  });

  const prom = new promClient.Registry();
  const gauge = (name: string, labelNames: string[]) =>
    new promClient.Gauge({ name, help: 'h', labelNames, registers: [prom] });
  const promPhase = gauge('p_http_duration_seconds', ['target', 'phase']);
  const promPhases = PHASES.map((phase) => promPhase.labels({ target: TARGET, phase }));
  const promLast = [
    'status',
    'length',
    'body',
    'redirects',
    'ssl',
    'regex',
    'success',
    'duration',
    'dns',
    'ratio',
  ].map((name) => gauge(`p_${name}`, ['target']).labels({ target: TARGET }));
  const promCounter = (name: string) =>
    new promClient.Counter({ name, help: 'h', labelNames: ['target'], registers: [prom] }).labels({
      target: TARGET,
    });
  const promAttempts = promCounter('p_attempts_total');
  const promSuccesses = promCounter('p_successes_total');
  const promLatency = new promClient.Histogram({
    name: 'p_latency_seconds',
    help: 'h',
    labelNames: ['target'],
    registers: [prom],
  }).labels({ target: TARGET });
  const promPhaseHistogram = new promClient.Histogram({
    name: 'p_phase_seconds',
    help: 'h',
    labelNames: ['target', 'phase'],
    registers: [prom],
  });
  const promProcessing = promPhaseHistogram.labels({ target: TARGET, phase: 'processing' });
  const promTransfer = promPhaseHistogram.labels({ target: TARGET, phase: 'transfer' });

  const { meter, reader } = otelMeter('bench');
  const otelGauge = meter.createGauge('o_http_duration');
  const otelLast = meter.createGauge('o_last');
  const otelCounter = meter.createCounter('o_attempts');
  const otelLatency = meter.createHistogram('o_latency', { unit: 's' });
  const phaseAttributes = PHASES.map((phase) => ({ target: TARGET, phase }));
  const targetAttributes = { target: TARGET };

  const rows: ComparisonRow[] = [];
  const probeRow: ComparisonRow = {
    name: 'record one HTTP probe outcome',
    ours: await nsPerBatchedOp(() => {
      for (let j = 0; j < BATCH; j++) recorder.recordHttp(OUTCOMES[j]!);
    }),
    anchors: {
      'prom-client': await nsPerBatchedOp(() => {
        for (let j = 0; j < BATCH; j++) {
          const outcome = OUTCOMES[j]!;
          const phases = outcome.phases;
          promPhases[0]!.set(phases.resolve);
          promPhases[1]!.set(phases.connect);
          promPhases[2]!.set(phases.tls);
          promPhases[3]!.set(phases.processing);
          promPhases[4]!.set(phases.transfer);
          for (const last of promLast) last.set(outcome.statusCode);
          promAttempts.inc();
          promSuccesses.inc();
          promLatency.observe(outcome.durationSeconds);
          promProcessing.observe(phases.processing);
          promTransfer.observe(phases.transfer);
        }
      }),
      OpenTelemetry: await nsPerBatchedOp(() => {
        for (let j = 0; j < BATCH; j++) {
          const outcome = OUTCOMES[j]!;
          const phases = outcome.phases;
          otelGauge.record(phases.resolve, phaseAttributes[0]);
          otelGauge.record(phases.connect, phaseAttributes[1]);
          otelGauge.record(phases.tls, phaseAttributes[2]);
          otelGauge.record(phases.processing, phaseAttributes[3]);
          otelGauge.record(phases.transfer, phaseAttributes[4]);
          for (let k = 0; k < 10; k++) otelLast.record(outcome.statusCode, targetAttributes);
          otelCounter.add(1, targetAttributes);
          otelCounter.add(1, targetAttributes);
          otelLatency.record(outcome.durationSeconds, targetAttributes);
          otelLatency.record(phases.processing, phaseAttributes[3]);
          otelLatency.record(phases.transfer, phaseAttributes[4]);
        }
      }),
    },
  };
  rows.push(probeRow);
  rows.push({
    name: 'the same, last-probe gauges written when read (as the collector records)',
    ours: await nsPerBatchedOp(() => {
      for (let j = 0; j < BATCH; j++) deferred.recordHttp(OUTCOMES[j]!);
    }),
    anchors: probeRow.anchors,
  });
  // What the OpenTelemetry side recorded is really aggregated: the reader sees the attempts.
  const { resourceMetrics } = await reader.collect();
  const otelAttempts = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((metric) => metric.descriptor.name === 'o_attempts');
  if (otelAttempts === undefined || otelAttempts.dataPoints.length === 0) {
    throw new Error('the OpenTelemetry anchor aggregated nothing: its MeterProvider has no reader');
  }

  const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
  const upload = network.bindThroughput('upload');
  const promThroughput = new promClient.Histogram({
    name: 'p_throughput',
    help: 'h',
    labelNames: ['operation'],
    registers: [prom],
  }).labels({ operation: 'upload' });
  const promBytes = new promClient.Counter({
    name: 'p_bytes_total',
    help: 'h',
    labelNames: ['operation'],
    registers: [prom],
  }).labels({ operation: 'upload' });
  const promSeconds = new promClient.Counter({
    name: 'p_seconds_total',
    help: 'h',
    labelNames: ['operation'],
    registers: [prom],
  }).labels({ operation: 'upload' });
  const throughputRow: ComparisonRow = {
    name: 'bound throughput record',
    ours: await nsPerBatchedOp(() => {
      for (let j = 0; j < BATCH; j++) upload.record(BYTES[j]!, SECONDS[j]!);
    }),
    anchors: {
      'prom-client': await nsPerBatchedOp(() => {
        for (let j = 0; j < BATCH; j++) {
          promThroughput.observe(BYTES[j]! / SECONDS[j]!);
          promBytes.inc(BYTES[j]!);
          promSeconds.inc(SECONDS[j]!);
        }
      }),
    },
  };
  rows.push(throughputRow);
  await network.close();

  printComparison(
    'Recording without the network: nanoseconds per record (median, loops of 1,024), ratio = anchor / fw0',
    'ns',
    rows,
  );
  const ratio = probeRow.anchors['prom-client']! / probeRow.ours;
  targets.check(
    'recording a probe outcome costs under 1% of a loopback request (< 600 ns)',
    probeRow.ours < 600,
    `${probeRow.ours.toFixed(0)} ns; prom-client equivalent ${probeRow.anchors['prom-client']!.toFixed(0)} ns (${ratio.toFixed(2)}x)`,
  );
}
