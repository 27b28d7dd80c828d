import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { getApplicationCollector } from '@fw0/metrics-app';
import { MetricsRegistry, startMetricsServer } from '@fw0/metrics-core';
import { getCustomCollector } from '@fw0/metrics-custom';
import { getNetworkCollector } from '@fw0/metrics-network';
import { getSystemCollector } from '@fw0/metrics-system';
import { Agent } from 'undici';
import { median } from '../../../../bench-support/stats.js';
import { countSeries, Scrape } from '../support/metrics-text.js';
import {
  analyseMemory,
  type MemoryAnalysis,
  type MemorySample,
  memoryFailures,
  SOAK_BOUNDS,
  warmupSeconds,
} from './analysis.js';

/** The soak cannot run as asked (no `gc()`: node was started without --expose-gc). */
export class SoakSetupError extends Error {
  override readonly name = 'SoakSetupError';
}

/** Options of {@link runSoak}. */
export interface SoakOptions {
  readonly seconds: number;
  /** A memory sample (after gc()) every this many seconds. */
  readonly sampleEverySeconds: number;
  /** Called with each memory sample as it is taken. */
  readonly onSample?: (sample: SoakSample) => void;
  /** Ends the run early (the report covers what ran). */
  readonly signal?: AbortSignal;
  /**
   * Self-check of the soak: retain this many bytes of heap every second on purpose (a leak),
   * to see the memory bounds fail. 0 in a real soak.
   */
  readonly leakBytesPerSecond?: number;
}

/** A memory sample and the running totals at that moment. */
export interface SoakSample extends MemorySample {
  readonly series: number;
  readonly scrapes: number;
  readonly timedCalls: number;
  readonly errors: number;
}

/** Failures of any kind; the soak expects every one to stay 0. */
export interface SoakErrors {
  /** `fw0_collector_errors_total`, every collector and operation (failed probes included). */
  readonly collectorErrors: number;
  /** `fw0_collector_timeouts_total`. */
  readonly collectorTimeouts: number;
  /** `fw0_task_errors_total` (system collection, probes, background runs). */
  readonly taskErrors: number;
  /** `probe_failures_total`, plus attempts that did not succeed per `getSuccessRates()`. */
  readonly probeFailures: number;
  /** Scrapes that failed here (status, parse, timeout) plus `fw0_scrapes_total{code!="200"}`. */
  readonly scrapeFailures: number;
  /** `fw0_series_overflow_total`: a label set beyond a metric's limit (the soak stays below). */
  readonly seriesOverflows: number;
  /** The workload's own calls to the local server that failed. */
  readonly workloadErrors: number;
  readonly uncaughtExceptions: number;
  readonly unhandledRejections: number;
}

/** What a soak run did and measured. */
export interface SoakReport {
  readonly plannedSeconds: number;
  /** Bytes retained on purpose (`leakBytesPerSecond`); 0 in a real soak. */
  readonly leakedBytes: number;
  readonly seconds: number;
  readonly sampleEverySeconds: number;
  readonly samples: readonly SoakSample[];
  readonly memory: MemoryAnalysis;
  readonly bounds: typeof SOAK_BOUNDS;
  readonly work: {
    readonly timedCalls: number;
    /** Calls of a timed function that throws on purpose (outcome="error"): not errors. */
    readonly deliberateFailures: number;
    readonly trackerScopes: number;
    readonly customRecords: number;
    readonly quoteRequests: number;
    readonly scrapes: number;
    readonly scrapeBytes: number;
    readonly seriesFirst: number;
    readonly seriesLast: number;
    readonly samplesDrained: number;
    readonly probeAttempts: number;
    readonly probeSuccesses: number;
    /** Runs of each periodic task (`fw0_task_duration_seconds_count{task}`). */
    readonly taskRuns: Readonly<Record<string, number>>;
  };
  readonly errors: SoakErrors;
  readonly totalErrors: number;
  /** Counted but not failures: skipped ticks of periodic tasks, samples lost from full buffers. */
  readonly notes: { readonly taskOverruns: number; readonly samplesDropped: number };
  /** Event-loop delay per scrape window (`nodejs_eventloop_lag_*` of the soak process itself). */
  readonly eventLoop: { readonly medianP99Ms: number; readonly worstP99Ms: number; readonly maxMs: number };
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** Broken expectations, as sentences; empty when the soak passed. */
  readonly failures: readonly string[];
  readonly ok: boolean;
}

// Bounded but large label sets: every value is used within the first seconds (well inside the
// warm-up), and no metric reaches core's 2,000 series limit.
const TENANTS = Array.from({ length: 1000 }, (_, i) => `t${String(i).padStart(4, '0')}`);
const QUEUES = Array.from({ length: 200 }, (_, i) => `q${i}`);
const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/v1/resource${i}`);
const METHODS = ['GET', 'POST'];
const STEPS = Array.from({ length: 10 }, (_, i) => `step${i}`);
const COUNTRIES = ['fr', 'de', 'us', 'jp'];
const SHARDS = Array.from({ length: 8 }, (_, i) => `s${i}`);

/** Workload ticks a second, timed calls per tick. */
const TICK_MS = 10;
const CALLS_PER_TICK = 20;
const MAX_QUOTES_IN_FLIGHT = 8;

async function startTarget() {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    } else if (path === '/api/quote') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"price":9.5,"currency":"eur"}');
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The error counters of a scrape of the registry (self-metrics and probes). */
function countersOf(scraped: Scrape) {
  const sum = (name: string, match?: (labels: Readonly<Record<string, string>>) => boolean) =>
    scraped.sum(name, match) ?? 0;
  return {
    collectorErrors: sum('fw0_collector_errors_total'),
    collectorTimeouts: sum('fw0_collector_timeouts_total'),
    taskErrors: sum('fw0_task_errors_total'),
    probeFailures: sum('probe_failures_total'),
    failedScrapes: sum('fw0_scrapes_total', (labels) => labels.code !== '200'),
    seriesOverflows: sum('fw0_series_overflow_total'),
    taskOverruns: sum('fw0_task_overruns_total'),
    samplesDropped: sum('fw0_samples_dropped_total'),
  };
}

/**
 * The soak: every fw0 collector in one registry of this process, busy for `seconds`, scraped
 * once a second over HTTP on 127.0.0.1, memory sampled after gc() every `sampleEverySeconds`.
 * Needs `node --expose-gc`.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function')
    throw new SoakSetupError('the soak needs gc(): run node with --expose-gc (pnpm soak does)');
  const signal = options.signal;
  const aborted = () => signal?.aborted === true;

  let uncaughtExceptions = 0;
  let unhandledRejections = 0;
  const onUncaught = (error: unknown) => {
    uncaughtExceptions++;
    process.stderr.write(`soak: uncaught exception: ${String(error)}\n`);
  };
  const onUnhandled = (reason: unknown) => {
    unhandledRejections++;
    process.stderr.write(`soak: unhandled rejection: ${String(reason)}\n`);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);

  const loadStart = loadavg();
  const target = await startTarget();
  const registry = new MetricsRegistry();
  const system = getSystemCollector(1, { registry });
  const app = getApplicationCollector({ registry });
  const custom = getCustomCollector({ registry });
  const network = getNetworkCollector({ registry });
  const agent = new Agent({ connections: 4, keepAliveTimeout: 4000 });
  const metricsServer = await startMetricsServer(registry, { port: 0 });
  let workloadTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();
  try {
    system.startContinuousCollection();
    app.start();
    network.observeDispatcher(agent, 'soak-api');
    await network.startProbes([
      { kind: 'http', url: `${target.origin}/health`, intervalMs: 1000, timeoutMs: 900 },
      { kind: 'tcp', host: '127.0.0.1', port: target.port, intervalMs: 1000, timeoutMs: 900 },
    ]);

    // Bound handles for the hot paths, seed-style calls for the rest.
    custom.defineCounter('soak_bytes', { help: 'Bytes handled, per tenant (bound handles).', unit: 'bytes' });
    const bytesByTenant = TENANTS.map((tenant) => custom.counter('soak_bytes', { tenant }));
    custom.defineHistogram('soak_step_duration_seconds', { help: 'Duration of each step (bound handles).' });
    const stepDurations = STEPS.map((step) => custom.histogram('soak_step_duration_seconds', { step }));

    let timedCalls = 0;
    let deliberateFailures = 0;
    let trackerScopes = 0;
    let customRecords = 0;
    let quoteRequests = 0;
    let workloadErrors = 0;
    const priceBasket = app.timed(function priceBasket(items: number): number {
      let total = 0;
      for (let i = 0; i < 100 + items * 20; i++) total += Math.sqrt(i + items) % 3;
      return total;
    });
    const validateOrder = app.timed(function validateOrder(amount: number): number {
      if (amount < 0) throw new RangeError(`amount ${amount} is negative`);
      return amount;
    });
    const loadQuote = app.timed(
      async (route: string): Promise<number> => {
        const response = await agent.request({
          origin: target.origin,
          path: `/api/quote?route=${encodeURIComponent(route)}`,
          method: 'GET',
        });
        const body = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`quote answered ${response.statusCode}`);
        return (JSON.parse(body) as { price: number }).price;
      },
      { name: 'soak.load_quote', tags: { upstream: 'local' } },
    );

    let tick = 0;
    const work = () => {
      tick++;
      using scope = app.performanceTracker('soak.batch', { shard: SHARDS[tick % SHARDS.length]! });
      trackerScopes++;
      for (let i = 0; i < CALLS_PER_TICK; i++) {
        const n = tick * CALLS_PER_TICK + i;
        priceBasket(n % 13);
        timedCalls++;
        const tenant = n % TENANTS.length;
        custom.incrementCounter('soak_events', 1, { tenant: TENANTS[tenant]! });
        bytesByTenant[tenant]!.add(64 + (n % 512));
        stepDurations[n % STEPS.length]!.observe(0.0005 + (n % 97) / 10_000);
        customRecords += 3;
      }
      scope.set('calls', CALLS_PER_TICK);
      custom.setGauge('soak_queue_depth', tick % 50, { queue: QUEUES[tick % QUEUES.length]! });
      custom.recordHistogramValue('soak_payload_bytes', 100 + ((tick * 37) % 4000), {
        route: ROUTES[tick % ROUTES.length]!,
        method: METHODS[tick % METHODS.length]!,
      });
      customRecords += 2;
      if (tick % 10 === 0) {
        custom.recordBusinessMetric(
          'soak_order_value',
          5 + (tick % 200) / 4,
          'eur',
          { country: COUNTRIES[tick % COUNTRIES.length]! },
          { order: tick },
        );
        customRecords++;
      }
      if (tick % 25 === 0) {
        try {
          validateOrder(-tick);
        } catch {
          deliberateFailures++;
        }
      }
      if (tick % 5 === 0 && inFlight.size < MAX_QUOTES_IN_FLIGHT) {
        const quote: Promise<void> = loadQuote(ROUTES[tick % ROUTES.length]!)
          .then(
            () => {
              quoteRequests++;
            },
            (error: unknown) => {
              workloadErrors++;
              process.stderr.write(`soak: quote failed: ${String(error)}\n`);
            },
          )
          .finally(() => inFlight.delete(quote));
        inFlight.add(quote);
      }
    };
    workloadTimer = setInterval(() => {
      try {
        work();
      } catch (error) {
        workloadErrors++;
        process.stderr.write(`soak: workload tick failed: ${String(error)}\n`);
      }
    }, TICK_MS);

    let scrapes = 0;
    let scrapeFailuresHere = 0;
    let scrapeBytes = 0;
    let seriesFirst = 0;
    let seriesLast = 0;
    let samplesDrained = 0;
    let latest: Scrape | undefined;
    const lagP99: number[] = [];
    let lagMax = 0;
    const scrapeOnce = async () => {
      try {
        const response = await fetch(metricsServer.url, { signal: AbortSignal.timeout(5000) });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
        const scraped = Scrape.parse(text);
        if (scraped.count('soak_events_total') !== TENANTS.length && tick > 100)
          throw new Error(`scrape has ${scraped.count('soak_events_total')} soak_events_total series`);
        scrapes++;
        scrapeBytes = text.length;
        seriesLast = countSeries(text);
        if (seriesFirst === 0) seriesFirst = seriesLast;
        latest = scraped;
        const p99 = scraped.sum('nodejs_eventloop_lag_p99_seconds');
        const max = scraped.sum('nodejs_eventloop_lag_max_seconds');
        if (p99 !== undefined) lagP99.push(p99 * 1000);
        if (max !== undefined) lagMax = Math.max(lagMax, max * 1000);
      } catch (error) {
        scrapeFailuresHere++;
        process.stderr.write(`soak: scrape failed: ${String(error)}\n`);
      }
    };
    const drain = () => {
      samplesDrained +=
        app.getCollectedMetrics().length +
        custom.getCollectedMetrics().length +
        network.getCollectedMetrics().length +
        system.getCollectedMetrics().length;
    };
    const errorsSoFar = () => {
      const counters = latest === undefined ? undefined : countersOf(latest);
      return (
        (counters === undefined
          ? 0
          : counters.collectorErrors +
            counters.collectorTimeouts +
            counters.taskErrors +
            counters.probeFailures +
            counters.failedScrapes +
            counters.seriesOverflows) +
        scrapeFailuresHere +
        workloadErrors +
        uncaughtExceptions +
        unhandledRejections
      );
    };
    const samples: SoakSample[] = [];
    const started = performance.now();
    const sample = () => {
      gc();
      const memory = process.memoryUsage();
      const taken: SoakSample = {
        t: Math.round((performance.now() - started) / 100) / 10,
        heapUsed: memory.heapUsed,
        rss: memory.rss,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        series: seriesLast,
        scrapes,
        timedCalls,
        errors: errorsSoFar(),
      };
      samples.push(taken);
      options.onSample?.(taken);
    };

    const leaked: string[] = [];
    const leakBytes = options.leakBytesPerSecond ?? 0;
    sample();
    // One iteration a second, at most `seconds` of them: scrape, drain the sample buffers (as an
    // exporter would), and every `sampleEverySeconds` a memory sample.
    let second = 0;
    for (second = 1; second <= options.seconds && !aborted(); second++) {
      const wait = started + second * 1000 - performance.now();
      if (wait > 0) await sleep(wait, undefined, signal === undefined ? {} : { signal }).catch(() => {});
      if (aborted()) break;
      await scrapeOnce();
      drain();
      if (leakBytes > 0) leaked.push(String(second).padEnd(leakBytes, '.'));
      if (second % options.sampleEverySeconds === 0 || second === options.seconds) sample();
    }
    const elapsedSeconds = (performance.now() - started) / 1000;

    clearInterval(workloadTimer);
    workloadTimer = undefined;
    await Promise.allSettled([...inFlight]);
    // The last word on the counters: one more scrape once the workload has stopped.
    await scrapeOnce();
    const counters = latest === undefined ? undefined : countersOf(latest);
    const rates = network.getSuccessRates();
    const probeAttempts = rates.reduce((total, rate) => total + rate.attempts, 0);
    const probeSuccesses = rates.reduce((total, rate) => total + rate.successes, 0);
    const taskRuns: Record<string, number> = {};
    for (const family of latest?.parsed.families ?? []) {
      for (const item of family.samples) {
        if (item.name === 'fw0_task_duration_seconds_count' && item.labels.task !== undefined)
          taskRuns[item.labels.task] = item.value;
      }
    }
    const errors: SoakErrors = {
      collectorErrors: counters?.collectorErrors ?? 0,
      collectorTimeouts: counters?.collectorTimeouts ?? 0,
      taskErrors: counters?.taskErrors ?? 0,
      probeFailures: Math.max(counters?.probeFailures ?? 0, probeAttempts - probeSuccesses),
      scrapeFailures: scrapeFailuresHere + (counters?.failedScrapes ?? 0),
      seriesOverflows: counters?.seriesOverflows ?? 0,
      workloadErrors,
      uncaughtExceptions,
      unhandledRejections,
    };
    const totalErrors = Object.values(errors).reduce((total, value) => total + value, 0);
    const warmup = warmupSeconds(options.seconds);
    const memory = analyseMemory(samples, warmup);
    const failures = [...memoryFailures(memory)];
    for (const [name, value] of Object.entries(errors))
      if (value !== 0) failures.push(`${name}: ${value} (expected 0)`);
    if (scrapes < Math.floor(elapsedSeconds * 0.9))
      failures.push(`${scrapes} scrapes in ${elapsedSeconds.toFixed(0)} s (expected one a second)`);
    if (probeAttempts < 2 * Math.floor(elapsedSeconds * 0.8))
      failures.push(
        `${probeAttempts} probe attempts in ${elapsedSeconds.toFixed(0)} s (expected two a second)`,
      );
    return {
      plannedSeconds: options.seconds,
      leakedBytes: leaked.length * leakBytes,
      seconds: Math.round(elapsedSeconds * 10) / 10,
      sampleEverySeconds: options.sampleEverySeconds,
      samples,
      memory,
      bounds: SOAK_BOUNDS,
      work: {
        timedCalls,
        deliberateFailures,
        trackerScopes,
        customRecords,
        quoteRequests,
        scrapes,
        scrapeBytes,
        seriesFirst,
        seriesLast,
        samplesDrained,
        probeAttempts,
        probeSuccesses,
        taskRuns,
      },
      errors,
      totalErrors,
      notes: { taskOverruns: counters?.taskOverruns ?? 0, samplesDropped: counters?.samplesDropped ?? 0 },
      eventLoop: {
        medianP99Ms: median(lagP99),
        worstP99Ms: lagP99.length === 0 ? Number.NaN : Math.max(...lagP99),
        maxMs: lagMax,
      },
      loadAverage: { start: loadStart, end: loadavg() },
      failures,
      ok: failures.length === 0,
    };
  } finally {
    clearInterval(workloadTimer);
    await Promise.allSettled([...inFlight]);
    await network.close();
    await app.stop();
    await system.close();
    await metricsServer.close();
    await agent.close();
    await target.close();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
  }
}
