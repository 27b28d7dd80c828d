/**
 * Host for the shutdown test (shutdown.test.ts), run in a child process:
 * `node --import tsx shutdown.child.ts '<json config>'`.
 *
 * One registry shared by every collector, then work left in flight:
 * - system: continuous collection every 100 ms;
 * - network: probes of a server that never answers (HTTP) and of a listener whose accept queue is
 *   full (TCP), each with a 2.5 s timeout, started and not awaited;
 * - push: a remote-write exporter whose remote never answers (a request pending) and one that
 *   delivers to a real receiver (the parent's), pushing every 60 s (so only its first and its final
 *   push happen);
 * - app: runtime health every 100 ms, five timed calls done and three (1.5 s each) still running;
 * - custom: a counter, and a gauge `shutdown_marker` set to 42 just before the stop: only the final
 *   push on stop() can deliver that value.
 * Then every stop/close is called at once, each timed; the in-flight app calls are awaited; a final
 * snapshot is taken and every buffer drained; the counters are read again 500 ms later (nothing
 * may still be running). The result is printed and the module ends: nothing may keep the process
 * alive, and nothing calls process.exit.
 */

import { ApplicationMetricsCollector } from '@fw0/metrics-app';
import { type Counter, type Histogram, MetricsRegistry, serializePrometheus } from '@fw0/metrics-core';
import { getCustomCollector } from '@fw0/metrics-custom';
import { NetworkMetricsCollector } from '@fw0/metrics-network';
import { RemoteWriteExporter } from '@fw0/metrics-push';
import { SystemMetricsCollector } from '@fw0/metrics-system';
import { hostScenario, pollUntil, sleep, timed } from '../faults/support.js';

export interface ShutdownConfig {
  /** `http://127.0.0.1:<port>` of a server that accepts and never answers. */
  readonly silentOrigin: string;
  /** A port whose listener never accepts (accept queue full). */
  readonly backlogPort: number;
  /** The remote-write receiver's URL. */
  readonly receiverUrl: string;
}

/** One stop, timed. */
export interface StopTiming {
  readonly name: string;
  readonly ms: number;
  /** The bound the stop documents (its timeout, or the timeout of the work it waits for). */
  readonly boundMs: number;
}

export interface ShutdownResult {
  /** What was in flight when the stops were called. */
  readonly inFlight: {
    systemCollecting: boolean;
    systemRuns: number;
    probeFirstRoundDone: boolean;
    probesStartedMsAgo: number;
    hangingQueuedSamples: number;
    hangingSentSamples: number;
    appCallsPending: number;
    appCallsDone: number;
  };
  readonly stops: StopTiming[];
  /** All stops together. */
  readonly allStoppedMs: number;
  readonly probeFirstRoundDoneAfterStop: boolean;
  /** Waiting for the app calls that were still running at the stop. */
  readonly appCallsSettledMs: number;
  readonly finalExposition: string;
  /** Samples drained from each collector after the stops, by name. */
  readonly drained: Record<string, Record<string, number>>;
  /** Counters read again 500 ms after the final snapshot. */
  readonly later: { systemRuns: number; probeAttempts: number; hangingFailures: number };
  readonly receiverSentSamples: number;
}

const config = JSON.parse(process.argv[2]!) as ShutdownConfig;
const PROBE_TIMEOUT_MS = 2500;
const HANGING_STOP_MS = 1000;
const RECEIVER_STOP_MS = 3000;

function byName(samples: readonly { name: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of samples) counts[sample.name] = (counts[sample.name] ?? 0) + 1;
  return counts;
}

hostScenario(async (): Promise<ShutdownResult> => {
  const registry = new MetricsRegistry({ collectTimeoutMs: 1000 });
  const counter = (name: string, labels: Record<string, string>) =>
    (registry.getMetric(name) as Counter | undefined)?.get(labels) ?? 0;
  const systemRuns = () =>
    (registry.getMetric('fw0_task_duration_seconds') as Histogram | undefined)?.summary({ task: 'system' })
      ?.cumulative.count ?? 0;
  const probeAttempts = () =>
    counter('probe_attempts_total', { kind: 'http', target: 'silent' }) +
    counter('probe_attempts_total', { kind: 'tcp', target: 'backlog' });

  const system = new SystemMetricsCollector({
    registry,
    inventory: false,
    collectionInterval: 0.1,
    minRateWindowMs: 50,
  });
  system.startContinuousCollection();

  const app = new ApplicationMetricsCollector({ registry, runtime: { intervalMs: 100 } });
  app.start();
  const shutdownWork = app.timed(async function shutdownWork(ms: number) {
    await sleep(ms);
    return ms;
  });
  await Promise.all([5, 5, 5, 5, 5].map((ms) => shutdownWork(ms)));

  const custom = getCustomCollector({ registry });
  custom.incrementCounter('shutdown_jobs', 7);
  const marker = registry.gauge({ name: 'shutdown_marker', help: 'Set to 42 just before the stop.' });
  marker.set(1);

  const hanging = new RemoteWriteExporter({
    url: `${config.silentOrigin}/api/v1/write`,
    registry,
    name: 'rw_hanging',
    intervalMs: 200,
    timeoutMs: 10_000,
    flushTimeoutMs: HANGING_STOP_MS,
    metadataIntervalMs: 0,
  });
  hanging.start();
  const delivering = new RemoteWriteExporter({
    url: config.receiverUrl,
    registry,
    name: 'rw_receiver',
    intervalMs: 60_000,
    flushTimeoutMs: RECEIVER_STOP_MS,
    metadataIntervalMs: 0,
  });
  delivering.start();
  // Its first push delivered (at most 5 s), then more work in flight.
  await pollUntil(() => counter('fw0_push_sent_samples_total', { exporter: 'rw_receiver' }) > 0, 100, 50);
  // Started now, so that they are surely still running at the stop 400 ms later.
  const network = new NetworkMetricsCollector({ registry });
  const probesStarted = performance.now();
  let probeFirstRoundDone = false;
  const firstRound = network
    .startProbes([
      {
        kind: 'http',
        url: `${config.silentOrigin}/health`,
        target: 'silent',
        intervalMs: 500,
        timeoutMs: PROBE_TIMEOUT_MS,
      },
      {
        kind: 'tcp',
        host: '127.0.0.1',
        port: config.backlogPort,
        target: 'backlog',
        intervalMs: 500,
        timeoutMs: PROBE_TIMEOUT_MS,
      },
    ])
    .then(() => {
      probeFirstRoundDone = true;
    });

  const pendingCalls = [shutdownWork(1500), shutdownWork(1500), shutdownWork(1500)];
  await sleep(400);

  marker.set(42);
  custom.incrementCounter('shutdown_jobs', 1);
  const inFlight = {
    systemCollecting: system.isCollecting,
    systemRuns: systemRuns(),
    probeFirstRoundDone,
    probesStartedMsAgo: Math.round(performance.now() - probesStarted),
    hangingQueuedSamples: hanging.queuedSamples,
    hangingSentSamples: counter('fw0_push_sent_samples_total', { exporter: 'rw_hanging' }),
    appCallsPending: pendingCalls.length,
    appCallsDone: counter('shutdown_work_calls_total', { outcome: 'success' }),
  };

  const stop = async (name: string, boundMs: number, work: () => Promise<void>): Promise<StopTiming> => {
    const run = await timed(work);
    return { name, ms: run.ms, boundMs };
  };
  const all = await timed(() =>
    Promise.all([
      // The run in flight may take its baseline window and a slow statfs (the task's own timeout).
      stop('system stop+close', 50 + 1000 + 1000, async () => {
        await system.stop();
        await system.close();
      }),
      stop('network stop+close', PROBE_TIMEOUT_MS, async () => {
        await network.stop();
        await network.close();
      }),
      stop('app stop', 1000, () => app.stop()),
      stop('remote-write (hanging) stop', HANGING_STOP_MS, () => hanging.stop()),
      stop('remote-write (receiver) stop', RECEIVER_STOP_MS, () => delivering.stop()),
    ]),
  );
  const probeFirstRoundDoneAfterStop = probeFirstRoundDone;
  await firstRound;

  const settled = await timed(() => Promise.all(pendingCalls));
  const final = await registry.collect();
  const drained = {
    system: byName(system.getCollectedMetrics()),
    network: byName(network.getCollectedMetrics()),
    app: byName(app.getCollectedMetrics()),
    custom: byName(custom.getCollectedMetrics()),
  };
  await sleep(500);
  return {
    inFlight,
    stops: all.value,
    allStoppedMs: all.ms,
    probeFirstRoundDoneAfterStop,
    appCallsSettledMs: settled.ms,
    finalExposition: serializePrometheus(final),
    drained,
    later: {
      systemRuns: systemRuns(),
      probeAttempts: probeAttempts(),
      hangingFailures: counter('fw0_collector_errors_total', { collector: 'rw_hanging', operation: 'push' }),
    },
    receiverSentSamples: counter('fw0_push_sent_samples_total', { exporter: 'rw_receiver' }),
  };
});
