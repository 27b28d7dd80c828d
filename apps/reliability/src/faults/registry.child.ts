/**
 * Host for the collector fault tests (registry.test.ts), run in a child process:
 * `node --import tsx registry.child.ts`.
 *
 * One registry (collect timeout 800 ms) holds collectors of its user: one whose refresh throws,
 * one whose refresh rejects, one whose refresh never resolves, a healthy one with a gauge it
 * updates at each refresh, and the custom-metrics collector of @fw0/metrics-custom with a few
 * series. It is collected twice directly and scraped once over HTTP (core's metrics server), and
 * the timings, the refresh calls and the scraped text are printed.
 */
import {
  BaseCollector,
  type Collector,
  MetricsRegistry,
  type PerformanceMetric,
  serializePrometheus,
  startMetricsServer,
} from '@fw0/metrics-core';
import { getCustomCollector } from '@fw0/metrics-custom';
import { hostScenario, sleep, timed } from './support.js';

export interface RegistryScenarioResult {
  readonly collectTimeoutMs: number;
  /** The two direct `registry.collect()` calls. */
  readonly collects: { ms: number; exposition: string }[];
  readonly scrape: { ms: number; status: number; contentType: string | null; text: string };
  /** How many times each collector's refresh was called. */
  readonly refreshCalls: Record<string, number>;
  readonly closeMs: number;
  /** The collectors registered, in order. */
  readonly collectors: string[];
}

const COLLECT_TIMEOUT_MS = 800;
const calls: Record<string, number> = { throwing: 0, rejecting: 0, hanging: 0, healthy: 0 };

/** A collector of the user's whose source throws at once. */
const throwing: Collector = {
  name: 'throwing',
  refresh() {
    calls.throwing!++;
    throw new Error('the source of "throwing" is gone');
  },
  getCollectedMetrics: (): PerformanceMetric[] => [],
};

/** A collector built on core's BaseCollector whose refresh rejects later. */
class RejectingCollector extends BaseCollector {
  async refresh(): Promise<void> {
    calls.rejecting!++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    throw new TypeError('the source of "rejecting" answered nonsense');
  }
}

/** A collector whose refresh never settles (and holds nothing that keeps the process alive). */
const hanging: Collector = {
  name: 'hanging',
  refresh() {
    calls.hanging!++;
    return new Promise<void>(() => {});
  },
  getCollectedMetrics: (): PerformanceMetric[] => [],
};

hostScenario(async (): Promise<RegistryScenarioResult> => {
  const registry = new MetricsRegistry({ collectTimeoutMs: COLLECT_TIMEOUT_MS });
  registry.register(throwing);
  const rejecting = new RejectingCollector('rejecting', { registry });
  registry.register(hanging);
  const refreshes = registry.gauge({
    name: 'faults_healthy_refreshes',
    help: 'Refreshes of the healthy collector.',
  });
  registry.register({
    name: 'healthy',
    refresh() {
      calls.healthy!++;
      refreshes.set(calls.healthy!);
    },
    getCollectedMetrics: () => [],
  });
  const custom = getCustomCollector({ registry });
  if (!registry.collectors.includes(rejecting)) throw new Error('the rejecting collector did not register');
  custom.incrementCounter('faults_orders', 3, { region: 'eu' });
  custom.setGauge('faults_queue_length', 7);
  custom.recordHistogramValue('faults_checkout_seconds', 0.25);

  // A turn of the event loop after the synchronous set-up, so that timers start from a fresh clock.
  await sleep(20);
  const collects: RegistryScenarioResult['collects'] = [];
  for (let round = 0; round < 2; round++) {
    const collected = await timed(() => registry.collect());
    collects.push({ ms: collected.ms, exposition: serializePrometheus(collected.value) });
  }

  const server = await startMetricsServer(registry, { port: 0 });
  const scraped = await timed(async () => {
    const response = await fetch(server.url);
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.text(),
    };
  });
  const closed = await timed(() => server.close());
  return {
    collectTimeoutMs: COLLECT_TIMEOUT_MS,
    collects,
    scrape: { ms: scraped.ms, ...scraped.value },
    refreshCalls: { ...calls },
    closeMs: closed.ms,
    collectors: registry.collectors.map((collector) => collector.name),
  };
});
