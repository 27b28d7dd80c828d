import { performance } from 'node:perf_hooks';
import { metrics as otelMetrics } from '@opentelemetry/api';
import promClient from 'prom-client';
import {
  BATCH,
  type ComparisonRow,
  nsPerBatchedOp,
  printComparison,
  type Targets,
} from '../../../bench-support/harness.js';
import { median } from '../../../bench-support/stats.js';
// Core's reader, by relative path: the bench is not published, and one reader serves every
// package's anchors (same @opentelemetry/sdk-metrics version in each package).
import { otelMeter } from '../../core/bench/otel-reader.js';
import { ApplicationMetricsCollector } from '../src/index.js';
import { INPUTS, work } from './work.js';

/** Rounds of every case, interleaved; each case's figure is its median over the rounds. */
const ROUNDS = 5;

/**
 * Overhead of timing one synchronous call: ours (`app.timed(fn)`: two clock reads, a bound
 * histogram observe, a bound counter add, a sampling decision), prom-client's
 * `startTimer()`/`end()`, an OpenTelemetry histogram record around two `performance.now()`
 * reads (with a reader attached, so the SDK really aggregates), and the floor (the two clock reads
 * alone), each minus the bare call, in one process. Also a tracker scope around the call
 * (`performanceTracker` started and ended, with `using` and by hand), which the README compares
 * with a timed function.
 */
export async function benchTimerOverhead(targets: Targets): Promise<void> {
  const app = new ApplicationMetricsCollector();
  const timedWork = app.timed(work, { name: 'bench.work' });
  const timedWithMemory = app.timed(work, { name: 'bench.workWithMemory', trackMemory: true });
  const promHistogram = new promClient.Histogram({ name: 'bench_work_seconds', help: 'h', registers: [] });
  otelMetrics.disable();
  // With a reader: without one the SDK keeps no storage and its record() does nothing.
  const { meter, reader } = otelMeter('bench');
  const otelHistogram = meter.createHistogram('bench.work', { unit: 's' });

  // Each case is its own function literal with a local accumulator (a captured one would box a
  // number per iteration); it returns the accumulator so the work cannot be optimised away.
  const cases: Record<string, () => unknown> = {
    bare: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) sink += work(INPUTS[j]!);
      return sink;
    },
    ours: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) sink += timedWork(INPUTS[j]!);
      return sink;
    },
    floor: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) {
        const start = performance.now();
        sink += work(INPUTS[j]!);
        sink += performance.now() - start;
      }
      return sink;
    },
    hrtime: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) {
        const start = process.hrtime.bigint();
        sink += work(INPUTS[j]!);
        sink += Number(process.hrtime.bigint() - start);
      }
      return sink;
    },
    prom: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) {
        const end = promHistogram.startTimer();
        sink += work(INPUTS[j]!);
        end();
      }
      return sink;
    },
    otel: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) {
        const start = performance.now();
        sink += work(INPUTS[j]!);
        otelHistogram.record((performance.now() - start) / 1000);
      }
      return sink;
    },
    // As users write it on Node 20: `using` is downlevelled (here by tsx's esbuild).
    tracker: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) {
        using _scope = app.performanceTracker('bench.tracker');
        sink += work(INPUTS[j]!);
      }
      return sink;
    },
    trackerTagged: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) {
        using _scope = app.performanceTracker('bench.trackerTagged', { route: 'work' });
        sink += work(INPUTS[j]!);
      }
      return sink;
    },
    memory: () => {
      let sink = 0;
      for (let j = 0; j < BATCH; j++) sink += timedWithMemory(INPUTS[j]!);
      return sink;
    },
  };
  const figures: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, batch] of Object.entries(cases)) {
      (figures[name] ??= []).push(await nsPerBatchedOp(batch, { minCpuTimeMs: 200 }));
    }
  }
  const medianOf = (name: string) => median(figures[name]!);
  const bare = medianOf('bare');
  const over = (name: string) => Math.max(medianOf(name) - bare, 0.01);

  const anchors = (pick: (name: string) => number) => ({
    'prom-client startTimer/end': pick('prom'),
    'OTel record + 2x now()': pick('otel'),
    'floor 2x performance.now()': pick('floor'),
  });
  const rows: ComparisonRow[] = [
    { name: 'timed sync call: overhead over the bare call', ours: over('ours'), anchors: anchors(over) },
    { name: 'timed sync call: total', ours: medianOf('ours'), anchors: anchors(medianOf) },
    {
      name: 'tracker scope (using) around the call: overhead',
      ours: over('tracker'),
      anchors: anchors(over),
    },
    {
      name: 'tracker scope with one tag (using): overhead',
      ours: over('trackerTagged'),
      anchors: anchors(over),
    },
  ];
  printComparison(
    `Timer overhead: nanoseconds per call (median of ${ROUNDS} interleaved rounds, loops of 1,024), ratio = anchor / fw0`,
    'ns',
    rows,
  );
  console.log(
    `\nBare call: ${bare.toFixed(2)} ns. Clock pair around it: performance.now() ${over('floor').toFixed(1)} ns, process.hrtime.bigint() ${over('hrtime').toFixed(1)} ns.`,
  );
  console.log(
    `timed with trackMemory (v8.getHeapStatistics() twice): ${over('memory').toFixed(1)} ns overhead.`,
  );
  console.log(
    `Sampling kept ${app.getCollectedMetrics().length} samples in the buffer for ${JSON.stringify(app.getCallCounts())} calls.`,
  );

  // The anchors really recorded: prom-client has observations and the OpenTelemetry reader points.
  const { resourceMetrics } = await reader.collect();
  const points = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .reduce((sum, metric) => sum + metric.dataPoints.length, 0);
  const promCount = (await promHistogram.get()).values.find(
    (value) => value.metricName === 'bench_work_seconds_count',
  );
  if (points === 0 || !(Number(promCount?.value) > 0)) throw new Error('an anchor recorded nothing');

  const ours = over('ours');
  targets.check(
    'timed sync call overhead <= 0.5x prom-client startTimer()/end()',
    ours <= 0.5 * over('prom'),
    `${ours.toFixed(1)} ns vs ${over('prom').toFixed(1)} ns = ${(ours / over('prom')).toFixed(2)}x`,
  );
  targets.check(
    'timed sync call overhead <= 1.5x two performance.now() reads (the floor)',
    ours <= 1.5 * over('floor'),
    `${ours.toFixed(1)} ns vs floor ${over('floor').toFixed(1)} ns = ${(ours / over('floor')).toFixed(2)}x`,
  );
}
