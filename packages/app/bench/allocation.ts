import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { metrics as otelMetrics } from '@opentelemetry/api';
import promClient from 'prom-client';
import type { Targets } from '../../../bench-support/harness.js';
import { otelMeter } from '../../core/bench/otel-reader.js';
import { ApplicationMetricsCollector } from '../src/index.js';
import { work } from './work.js';

/** Calls per measurement: few enough that no young-generation collection falls inside one. */
const CALLS = 20_000;

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0;
}

/**
 * Bytes allocated per call by `run` ({@link CALLS} calls): the growth of V8's new space across
 * the run, median of 15 runs after 100 warm-up runs; a run during which a collection shrank the
 * new space is left out.
 */
function bytesPerCall(run: () => number): number {
  for (let warm = 0; warm < 100; warm++) run();
  const figures: number[] = [];
  for (let attempt = 0; attempt < 15; attempt++) {
    const before = newSpaceUsed();
    run();
    const after = newSpaceUsed();
    if (after >= before) figures.push((after - before) / CALLS);
  }
  figures.sort((a, b) => a - b);
  return figures[Math.floor(figures.length / 2)] ?? Number.NaN;
}

/**
 * Allocation per timed call, in bytes, beside the anchors and the clock reads alone. In Node 20
 * `performance.now()` returns a heap number: two reads allocate 32 bytes whoever makes them.
 */
export async function benchAllocation(targets: Targets): Promise<void> {
  const app = new ApplicationMetricsCollector();
  const timedWork = app.timed(work, { name: 'alloc.work' });
  const promHistogram = new promClient.Histogram({ name: 'alloc_work_seconds', help: 'h', registers: [] });
  otelMetrics.disable();
  // With a reader, so the SDK aggregates what it is given (see core's bench/otel-reader.ts).
  const otelHistogram = otelMeter('alloc').meter.createHistogram('alloc.work', { unit: 's' });
  const ours = bytesPerCall(() => {
    let sink = 0;
    for (let i = 0; i < CALLS; i++) sink += timedWork(i);
    return sink;
  });
  const floor = bytesPerCall(() => {
    let sink = 0;
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      sink += work(i);
      sink += performance.now() - start;
    }
    return sink;
  });
  const prom = bytesPerCall(() => {
    let sink = 0;
    for (let i = 0; i < CALLS; i++) {
      const end = promHistogram.startTimer();
      sink += work(i);
      end();
    }
    return sink;
  });
  const otel = bytesPerCall(() => {
    let sink = 0;
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      sink += work(i);
      otelHistogram.record((performance.now() - start) / 1000);
    }
    return sink;
  });
  const tracker = bytesPerCall(() => {
    let sink = 0;
    for (let i = 0; i < CALLS; i++) {
      const scope = app.performanceTracker('alloc.tracker');
      sink += work(i);
      scope.end();
    }
    return sink;
  });
  console.log(
    '\n### Allocation: bytes per timed call (new-space growth, median of 15 runs of 20,000 calls)\n',
  );
  console.log('| case | bytes/call |');
  console.log('|---|---|');
  console.log(`| fw0 timed(fn) | ${ours.toFixed(1)} |`);
  console.log(`| floor: two performance.now() reads | ${floor.toFixed(1)} |`);
  console.log(`| prom-client startTimer()/end() | ${prom.toFixed(1)} |`);
  console.log(`| OTel record + 2x now() | ${otel.toFixed(1)} |`);
  console.log(`| fw0 performanceTracker start + end() (scope and sample objects) | ${tracker.toFixed(1)} |`);
  targets.check(
    'timed sync call allocates nothing beyond the two clock reads (Node 20 boxes their results)',
    ours - floor <= 0.5,
    `${ours.toFixed(1)} bytes/call vs floor ${floor.toFixed(1)} (prom-client ${prom.toFixed(1)})`,
  );
  app.getCollectedMetrics();
}
