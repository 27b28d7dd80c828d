import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from '../../../../bench-support/stats.js';
import { requireBinary } from '../../../../test-support/binaries.js';
import {
  freePort,
  type StartedProcess,
  startProcess,
  temporaryDirectory,
  waitFor,
} from '../../../../test-support/processes.js';
import { countSeries, Scrape } from '../support/metrics-text.js';
import { BUILT_DEMO_MAIN, REPOSITORY_ROOT } from '../support/paths.js';
import { runWrk, type WrkResult, wrkErrors } from './wrk.js';

/** The demo could not be built, or exited before serving. */
export class DemoStartError extends Error {
  override readonly name = 'DemoStartError';
}

/** Length of the demo's event-loop windows during a load run (its `runtime.intervalMs`). */
export const WINDOW_MS = 1000;

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Seconds of wrk. */
  readonly seconds: number;
  /** wrk connections (one thread). */
  readonly connections: number;
  /** `--extra-series` of the demo. */
  readonly extraSeries: number;
  /** Build the demo and its packages first (turbo; a cache hit when nothing changed). */
  readonly build: boolean;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** One event-loop window of the demo, as its /metrics reported it. */
export interface LoopWindow {
  /** Run count of the demo's runtime-health task when read: tells windows apart. */
  readonly window: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly utilization: number;
}

/** Event-loop windows summed up: medians across windows, worst window, mean utilisation. */
export interface LoopSummary {
  readonly windows: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly worstP99Ms: number;
  readonly maxMs: number;
  readonly utilization: number;
}

/** What one load run measured. */
export interface LoadReport {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly extraSeries: number;
  /**
   * Series of one scrape (non-comment lines) before the load, how many of them are the filler
   * series, its size, and the series of the scrape after the load.
   */
  readonly series: {
    readonly exposed: number;
    readonly extra: number;
    readonly scrapeBytes: number;
    readonly exposedAfterLoad: number;
  };
  readonly wrk: WrkResult & { readonly command: string };
  /** Socket errors + non-2xx/3xx responses (wrk's figures). */
  readonly errors: number;
  /** Failed reads of the demo's own figures while it was under load. */
  readonly monitorFailures: number;
  /** The demo's event loop: idle (before wrk, usual workload only) and under load. */
  readonly eventLoop: { readonly idle: LoopSummary; readonly load: LoopSummary };
  /** What the demo's metrics handler counted during the load (`fw0_scrape*` self-metrics). */
  readonly server: {
    readonly scrapesOk: number;
    readonly scrapesFailed: number;
    readonly meanScrapeMs: number;
  };
  /** GC pauses of the demo during the load (`nodejs_gc_duration_seconds`, all kinds). */
  readonly gc: { readonly pauses: number; readonly totalMs: number };
  /** The demo's resident set after the load and its peak (from /proc/<pid>/status). */
  readonly demoMemory: { readonly rssBytes: number | undefined; readonly peakRssBytes: number | undefined };
  readonly loadAverage: { readonly before: readonly number[]; readonly after: readonly number[] };
}

/** Builds the demo and every package it uses (`turbo run build --filter=@fw0/demo...`). */
export function buildDemo(): void {
  const result = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@fw0/demo...', '--output-logs=errors-only'],
    {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) {
    throw new DemoStartError(
      `building the demo failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}):\n${result.stdout}${result.stderr}`,
    );
  }
}

/** A built demo this process started on 127.0.0.1. */
export interface StartedDemo {
  readonly process: StartedProcess;
  /** `http://127.0.0.1:<port>/` */
  readonly origin: string;
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the built demo (`node apps/demo/dist/main.js --port <free> --extra-series <n> --no-live`)
 * with its usual workload and waits until /metrics answers 200 (60 s at most). `configPath`: a
 * demo configuration file (the load run's sets `runtime.intervalMs`).
 */
export async function startBuiltDemo(extraSeries: number, configPath?: string): Promise<StartedDemo> {
  const port = await freePort();
  const args = [
    BUILT_DEMO_MAIN,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--extra-series',
    String(extraSeries),
    '--no-live',
    ...(configPath === undefined ? [] : ['--config', configPath]),
  ];
  const demo = startProcess(process.execPath, args);
  const origin = `http://127.0.0.1:${port}/`;
  const metricsUrl = `${origin}metrics`;
  const state = { exited: false };
  try {
    await waitFor(
      'the demo to answer /metrics',
      async () => {
        if (demo.child.exitCode !== null || demo.child.signalCode !== null) return (state.exited = true);
        const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        return response.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    await demo.stop();
    throw new DemoStartError(`${String(error)}\n${demo.output()}`);
  }
  if (state.exited) throw new DemoStartError(`the demo exited before serving:\n${demo.output()}`);
  return { process: demo, origin, metricsUrl, stop: () => demo.stop() };
}

/** One scrape of `url`: its text (throws on a status other than 200 or after 10 s). */
export async function scrape(url: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(url, {
    signal:
      signal === undefined
        ? AbortSignal.timeout(10_000)
        : AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return text;
}

/** Series counts of one scrape: every series, and the filler series of `--extra-series`. */
export function seriesOf(text: string): { exposed: number; extra: number; scrapeBytes: number } {
  return {
    exposed: countSeries(text),
    extra: Scrape.parse(text).count('demo_extra_series'),
    scrapeBytes: Buffer.byteLength(text),
  };
}

/** Starts the demo with `extraSeries`, lets it run `settleMs`, counts the series of one scrape, stops it. */
export async function measureSeries(
  extraSeries: number,
  settleMs = 3000,
): Promise<{ exposed: number; extra: number; scrapeBytes: number }> {
  const demo = await startBuiltDemo(extraSeries);
  try {
    await sleep(settleMs);
    return seriesOf(await scrape(demo.metricsUrl));
  } finally {
    await demo.stop();
  }
}

function loopWindow(scraped: Scrape): LoopWindow | undefined {
  const value = (name: string) => scraped.sum(name);
  const window = scraped.sum(
    'fw0_task_duration_seconds_count',
    (labels) => labels.task === 'app_runtime_health',
  );
  const p50 = value('nodejs_eventloop_lag_p50_seconds');
  const p90 = value('nodejs_eventloop_lag_p90_seconds');
  const p99 = value('nodejs_eventloop_lag_p99_seconds');
  const max = value('nodejs_eventloop_lag_max_seconds');
  const utilization = value('nodejs_eventloop_utilization_ratio');
  if (
    window === undefined ||
    p50 === undefined ||
    p90 === undefined ||
    p99 === undefined ||
    max === undefined ||
    utilization === undefined
  )
    return undefined;
  return { window, p50Ms: p50 * 1000, p90Ms: p90 * 1000, p99Ms: p99 * 1000, maxMs: max * 1000, utilization };
}

/** Sums windows up (NaN figures when there is none). */
export function summarizeWindows(windows: readonly LoopWindow[]): LoopSummary {
  return {
    windows: windows.length,
    p50Ms: median(windows.map((window) => window.p50Ms)),
    p99Ms: median(windows.map((window) => window.p99Ms)),
    worstP99Ms: windows.length === 0 ? Number.NaN : Math.max(...windows.map((window) => window.p99Ms)),
    maxMs: windows.length === 0 ? Number.NaN : Math.max(...windows.map((window) => window.maxMs)),
    utilization:
      windows.length === 0
        ? Number.NaN
        : windows.reduce((total, window) => total + window.utilization, 0) / windows.length,
  };
}

/**
 * Reads the demo's event-loop windows once a second from `startMs` while `running()`, at most
 * `maxReads` times. A window counts only when it lies wholly in the period watched: the demo
 * ends a window every second (`runtime.intervalMs`) and a scrape reads the last finished one,
 * so a read whose request started at least two windows after `startMs` (and answered before
 * the period ended) reads a window that began and ended inside it.
 */
async function watchWindows(
  metricsUrl: string,
  startMs: number,
  running: () => boolean,
  maxReads: number,
  signal?: AbortSignal,
): Promise<{ windows: LoopWindow[]; failures: number }> {
  const seen = new Map<number, LoopWindow>();
  let failures = 0;
  const aborted = () => signal?.aborted === true;
  for (let read = 0; read < maxReads && running() && !aborted(); read++) {
    const requested = performance.now();
    try {
      const scraped = Scrape.parse(await scrape(metricsUrl, signal));
      const window = loopWindow(scraped);
      if (
        window !== undefined &&
        requested - startMs >= 2 * WINDOW_MS &&
        running() &&
        !seen.has(window.window)
      )
        seen.set(window.window, window);
    } catch {
      if (aborted()) break;
      failures++;
    }
    const wait = requested + 1000 - performance.now();
    if (wait > 0) await sleep(wait).catch(() => {});
  }
  return { windows: [...seen.values()], failures };
}

function procStatus(pid: number): { rssBytes: number | undefined; peakRssBytes: number | undefined } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
      return match === null ? undefined : Number(match[1]) * 1024;
    };
    return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  } catch {
    return { rssBytes: undefined, peakRssBytes: undefined };
  }
}

/**
 * The load run: builds (if asked) and starts the demo with its usual workload plus
 * `extraSeries` filler series, waits until /metrics answers, reads its event loop idle, then
 * runs wrk against /metrics for `seconds` while reading the demo's event-loop windows, and
 * stops the demo by PID whatever happens.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const wrkBinary = requireBinary('wrk', 'wrk');
  if (options.build) {
    log('building the demo (turbo run build --filter=@fw0/demo...)');
    buildDemo();
  }
  const directory = temporaryDirectory('fw0-load');
  let demo: StartedDemo | undefined;
  try {
    // Fixed one-second event-loop windows: without them every scrape (thousands a second under
    // load) would end a window, and a read would only see the few milliseconds since the last one.
    const configPath = join(directory.path, 'demo.json');
    writeFileSync(configPath, JSON.stringify({ runtime: { intervalMs: WINDOW_MS } }));
    demo = await startBuiltDemo(options.extraSeries, configPath);
    log(`demo pid ${demo.process.pid} serving ${demo.metricsUrl} (--extra-series ${options.extraSeries})`);
    const idleStart = performance.now();
    const idle = await watchWindows(
      demo.metricsUrl,
      idleStart,
      () => performance.now() - idleStart < 4.5 * WINDOW_MS,
      6,
      options.signal,
    );
    // Series are counted once the usual workload has run a few seconds (timers, GC kinds and
    // pool stats appear on first use), on the scrape taken just before the load.
    const beforeText = await scrape(demo.metricsUrl, options.signal);
    const before = Scrape.parse(beforeText);
    const series = seriesOf(beforeText);
    log(`one scrape: ${series.exposed} series, ${series.scrapeBytes} bytes`);
    const loadBefore = loadavg();

    log(`wrk: ${options.seconds} s, ${options.connections} connections`);
    let loading = true;
    const loadStart = performance.now();
    const wrkRun = runWrk({
      binary: wrkBinary,
      url: demo.metricsUrl,
      seconds: options.seconds,
      connections: options.connections,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }).finally(() => {
      loading = false;
    });
    const watching = watchWindows(
      demo.metricsUrl,
      loadStart,
      () => loading,
      options.seconds + 40,
      options.signal,
    );
    const [wrk, during] = await Promise.all([wrkRun, watching]);
    const loadAfter = loadavg();
    const afterText = await scrape(demo.metricsUrl, options.signal);
    const after = Scrape.parse(afterText);

    const delta = (name: string, match?: (labels: Readonly<Record<string, string>>) => boolean) =>
      (after.sum(name, match) ?? 0) - (before.sum(name, match) ?? 0);
    const scrapeCount = delta(
      'fw0_scrape_duration_seconds_count',
      (labels) => labels.format === 'prometheus',
    );
    const scrapeSeconds = delta(
      'fw0_scrape_duration_seconds_sum',
      (labels) => labels.format === 'prometheus',
    );
    return {
      url: demo.metricsUrl,
      seconds: options.seconds,
      connections: options.connections,
      extraSeries: options.extraSeries,
      series: { ...series, exposedAfterLoad: countSeries(afterText) },
      wrk,
      errors: wrkErrors(wrk),
      monitorFailures: during.failures,
      eventLoop: { idle: summarizeWindows(idle.windows), load: summarizeWindows(during.windows) },
      server: {
        scrapesOk: delta('fw0_scrapes_total', (labels) => labels.code === '200'),
        scrapesFailed: delta('fw0_scrapes_total', (labels) => labels.code !== '200'),
        meanScrapeMs: scrapeCount > 0 ? (scrapeSeconds / scrapeCount) * 1000 : Number.NaN,
      },
      gc: {
        pauses: delta('nodejs_gc_duration_seconds_count'),
        totalMs: delta('nodejs_gc_duration_seconds_sum') * 1000,
      },
      demoMemory: procStatus(demo.process.pid),
      loadAverage: { before: loadBefore, after: loadAfter },
    };
  } finally {
    await demo?.stop();
    directory.remove();
  }
}
