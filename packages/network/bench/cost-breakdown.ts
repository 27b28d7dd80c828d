import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { MetricsRegistry, type PerformanceMetric } from '@fw0/metrics-core';
import { Agent, type Dispatcher } from 'undici';
import { printMachine } from '../../../bench-support/harness.js';
import { balancedOrder, median, quantile } from '../../../bench-support/stats.js';
import type { HttpOutcome } from '../src/http-measurement.js';
import { DEFAULT_HTTP_OPTIONS, type ResolvedHttpOptions } from '../src/http-options.js';
import type { HttpProber } from '../src/http-prober.js';
import { NetworkMetricsCollector } from '../src/index.js';
import type { TargetRecorder } from '../src/target-recorder.js';
import type { TargetRecorders } from '../src/target-recorders.js';
import { startBenchServer } from './bench-server.js';
import {
  CountingHandler,
  FloorHandler,
  floorSeries,
  interleavedRound,
  LinkedHandler,
  percent,
} from './request-overhead.js';

/**
 * Where the instrumentation's cost per request goes: `measureHttpRequest` taken apart stage by
 * stage, each stage a variant run beside a plain dispatch() handler in the same process, in two
 * settings:
 *
 * 1. Over loopback to the bench server (blocks of 20 requests alternating in a balanced order;
 *    the figure is the median of the per-round ratios): what each stage adds to request time,
 *    and the client's turnaround (end of a response to the write of the next request), which
 *    leaves the server and the network out and so moves by about 0.1 µs where request time
 *    moves by 1 µs: the figure to watch for a change to the request path.
 * 2. Without a network, against a fake dispatcher that plays undici 7's callbacks in undici's
 *    order, synchronously, so that only the handlers' own work is timed: once with warm caches,
 *    once after 16 MiB of memory was walked through before each request (not timed), as the
 *    kernel and the server process do between two requests of the first setting. It shows why a
 *    microsecond of hot CPU work adds several to request time: code and data that left the
 *    caches must be fetched again, and each stage pays for what it touches.
 *
 * A diagnostic for whoever works on the request path, not a target: it reaches into the
 * collector's private parts. Run it with `pnpm --filter @fw0/metrics-network bench:breakdown`.
 */

/** The collector's parts this diagnostic drives one by one. */
interface CollectorParts {
  readonly prober: HttpProber;
  readonly targets: TargetRecorders;
  readonly finishHttp: (outcome: HttpOutcome, recorder: TargetRecorder) => unknown;
  readonly settleHttp: (outcome: HttpOutcome, recorder: TargetRecorder) => void;
}

/** The prober's Agent for some options, to swap for the fake dispatcher. */
interface AgentParts {
  agentFor(options: ResolvedHttpOptions): { agent: unknown };
}

type Finish = (outcome: HttpOutcome, recorder: TargetRecorder) => unknown;

const ROUNDS = 30;
const BLOCKS = 25;
const BLOCK = 20;
/** Requests per variant and round without a network. */
const FAKE_BLOCK = 200;
const COLD_MIB = 16;

/** A dispatcher answering every request at once with a 200 and a 2-byte body. */
function fakeDispatcher(): Dispatcher & { destroy(): Promise<void> } {
  const channel = diagnosticsChannel.channel('undici:client:sendHeaders');
  const controller: Dispatcher.DispatchController = {
    aborted: false,
    paused: false,
    reason: null,
    abort() {},
    pause() {},
    resume() {},
  };
  const headers = { 'content-length': '2', 'content-type': 'text/plain' };
  const body = Buffer.from('ok');
  const socket = {};
  const dispatch = (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
    handler.onRequestStart?.(controller, {});
    if (channel.hasSubscribers) {
      channel.publish({ request: { method: options.method, path: options.path }, headers: '', socket });
    }
    (handler as { onResponseStarted?: () => void }).onResponseStarted?.();
    handler.onResponseStart?.(controller, 200, headers, 'OK');
    handler.onResponseData?.(controller, body);
    handler.onResponseEnd?.(controller, {});
    return true;
  };
  return { dispatch, destroy: async () => {} } as unknown as Dispatcher & { destroy(): Promise<void> };
}

/**
 * The stages, each a request to `origin` through `dispatcher` (the collectors' own Agents are
 * swapped for it when `swapAgents`), and the collector of the last one (measureHttpRequest);
 * the collectors made are pushed to `collectors`.
 */
function stages(
  dispatcher: Dispatcher,
  origin: string,
  swapAgents: boolean,
  collectors: NetworkMetricsCollector[],
): { variants: [string, () => Promise<unknown>][]; whole: NetworkMetricsCollector } {
  const url = `${origin}/`;
  const dispatchOptions: Dispatcher.DispatchOptions = { origin, path: '/', method: 'GET' };
  const collector = () => {
    const made = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
    collectors.push(made);
    const parts = made as unknown as CollectorParts;
    if (swapAgents) (parts.prober as unknown as AgentParts).agentFor(DEFAULT_HTTP_OPTIONS).agent = dispatcher;
    return { made, parts };
  };
  /** The prober with `finish` in place of the collector's own (and its `settled`, when `whole`). */
  const stage = (finish: (parts: CollectorParts) => Finish, whole = false) => {
    const { parts } = collector();
    const { prober, targets } = parts;
    const finishing = finish(parts);
    const settled = whole ? parts.settleHttp : undefined;
    return () => {
      const target = targets.httpTarget(url);
      return prober.measure(
        target,
        5000,
        DEFAULT_HTTP_OPTIONS,
        undefined,
        finishing,
        targets.http(target, undefined),
        settled,
      );
    };
  };
  const series = floorSeries();
  const whole = collector().made;
  const variants: [string, () => Promise<unknown>][] = [
    [
      'undici dispatch(), status + body bytes',
      () =>
        new Promise((resolve, reject) =>
          dispatcher.dispatch(dispatchOptions, new CountingHandler(resolve, reject)),
        ),
    ],
    [
      '+ socket link and three clock reads (a handler, no prober)',
      () =>
        new Promise((resolve, reject) =>
          dispatcher.dispatch(dispatchOptions, new LinkedHandler(resolve, reject)),
        ),
    ],
    [
      'floor: a hand-written instrumented handler (for comparison)',
      () =>
        new Promise<PerformanceMetric>((resolve, reject) =>
          dispatcher.dispatch(dispatchOptions, new FloorHandler(resolve, reject, series)),
        ),
    ],
    ['+ prober (timed connector, phases, deadline)', stage(() => (outcome) => outcome.statusCode)],
    [
      '+ histogram observations (latency, processing, transfer)',
      stage(() => (outcome, recorder) => {
        const bound = recorder as unknown as {
          latency: { observe(value: number): void };
          phases: { observe(value: number): void }[];
        };
        bound.latency.observe(outcome.durationSeconds);
        bound.phases[3]!.observe(outcome.phases.processing);
        bound.phases[4]!.observe(outcome.phases.transfer);
        return outcome.statusCode;
      }),
    ],
    [
      '+ the rest of recordHttp (counters; last-probe gauges wait for a read)',
      stage(() => (outcome, recorder) => {
        recorder.recordHttp(outcome);
        return outcome.statusCode;
      }),
    ],
    [
      '+ the sample (the whole finish, recording after the next write)',
      stage((parts) => parts.finishHttp, true),
    ],
    ['measureHttpRequest() (argument checks too)', () => whole.measureHttpRequest(url, 5000)],
  ];
  return { variants, whole };
}

/**
 * The client's turnaround per variant: from the end of a response (undici publishes
 * `undici:request:trailers` just before the handler's end callback) to the write of the next
 * request of the same variant (`undici:client:sendHeaders`), in µs. It leaves the server and the
 * network out: the time the client spends between two requests of a loop that awaits each.
 */
class Turnaround {
  readonly times: number[][];
  private current = -1;
  private endedAt = 0;
  private readonly onEnd = () => {
    this.endedAt = performance.now();
  };
  private readonly onWrite = () => {
    if (this.endedAt > 0 && this.current >= 0) {
      this.times[this.current]!.push((performance.now() - this.endedAt) * 1000);
    }
    this.endedAt = 0;
  };

  constructor(variants: number) {
    this.times = Array.from({ length: variants }, (): number[] => []);
    diagnosticsChannel.subscribe('undici:request:trailers', this.onEnd);
    diagnosticsChannel.subscribe('undici:client:sendHeaders', this.onWrite);
  }

  /** `request`, noting that `index` is running (a pair across two variants is not counted). */
  wrap(index: number, request: () => Promise<unknown>): () => Promise<unknown> {
    return () => {
      if (this.current !== index) {
        this.current = index;
        this.endedAt = 0;
      }
      return request();
    };
  }

  close(): void {
    diagnosticsChannel.unsubscribe('undici:request:trailers', this.onEnd);
    diagnosticsChannel.unsubscribe('undici:client:sendHeaders', this.onWrite);
  }
}

/**
 * Times each recording of `collector`'s queue of probe outcomes (a full batch after a write, or
 * fewer by the timer), in µs per outcome recorded. Work off the request path, but not free: it
 * runs on the client's core while the server works.
 */
function timeBackgroundRecording(collector: NetworkMetricsCollector): { perOutcome: number[] } {
  const targets = (collector as unknown as CollectorParts).targets;
  const queued = targets as unknown as { queued: number };
  const record = targets.recordQueued.bind(targets);
  const perOutcome: number[] = [];
  targets.recordQueued = () => {
    const outcomes = queued.queued;
    const started = performance.now();
    record();
    if (outcomes > 0) perOutcome.push(((performance.now() - started) * 1000) / outcomes);
  };
  return { perOutcome };
}

/**
 * Stage by stage over loopback: wall and CPU time per request and ratios to plain dispatch(),
 * the client's turnaround (see {@link Turnaround}), and what recording `whole`'s probes in the
 * background costs.
 */
async function overLoopback(
  variants: [string, () => Promise<unknown>][],
  whole: NetworkMetricsCollector,
): Promise<void> {
  for (const [, request] of variants) for (let n = 0; n < 1000; n++) await request();
  const ratios = variants.map((): number[] => []);
  const cpuRatios = variants.map((): number[] => []);
  const wall = variants.map(() => 0);
  const cpu = variants.map(() => 0);
  const turnaround = new Turnaround(variants.length);
  const recording = timeBackgroundRecording(whole);
  const requests = variants.map(([, request], index) => turnaround.wrap(index, request));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { wall: roundWall, cpu: roundCpu } = await interleavedRound(requests, round, BLOCKS, BLOCK);
      variants.forEach((_variant, index) => {
        ratios[index]!.push(roundWall[index]! / roundWall[0]!);
        cpuRatios[index]!.push(roundCpu[index]! / roundCpu[0]!);
        wall[index]! += roundWall[index]!;
        cpu[index]! += roundCpu[index]!;
      });
    }
  } finally {
    turnaround.close();
  }
  const count = ROUNDS * BLOCKS * BLOCK;
  console.log(`\n### Over loopback: ${count} sequential keep-alive requests per variant\n`);
  console.log(
    "Turnaround: the client's time from the end of a response to the write of the next request (median).\n",
  );
  console.log('| variant | wall µs/request | vs dispatch | CPU µs/request | vs dispatch | turnaround µs |');
  console.log('|---|---|---|---|---|---|');
  variants.forEach(([name], index) => {
    console.log(
      `| ${name} | ${((wall[index]! * 1000) / count).toFixed(1)} | ${percent(median(ratios[index]!))} | ${(cpu[index]! / count).toFixed(1)} | ${percent(median(cpuRatios[index]!))} | ${median(turnaround.times[index]!).toFixed(2)} |`,
    );
  });
  const batches = recording.perOutcome;
  console.log(
    `\nRecording measureHttpRequest()'s probes in the background: median ${median(batches).toFixed(2)} µs per outcome over ${batches.length} recordings of the queue (quartiles ${quantile(batches, 0.25).toFixed(2)} to ${quantile(batches, 0.75).toFixed(2)}): a recording starts with its code and series out of the caches.`,
  );
}

let sink = 0;
/** Reads and writes one word per 64-byte cache line of `memory`. */
function walk(memory: Float64Array): void {
  let sum = sink;
  for (let i = 0; i < memory.length; i += 8) {
    sum += memory[i]!;
    memory[i] = sum;
  }
  sink = sum % 1e9;
}

/**
 * Stage by stage against the fake dispatcher, with warm caches and after walking `COLD_MIB`
 * before each request: ns per request, and ns added to the plain handler's (median of the
 * per-round differences).
 */
async function withoutNetwork(variants: [string, () => Promise<unknown>][]): Promise<void> {
  for (const [, request] of variants) for (let n = 0; n < 2000; n++) await request();
  const states = [0, COLD_MIB];
  const results = states.map((mebibytes) => {
    const memory = new Float64Array((mebibytes * 2 ** 20) / 8);
    return { memory, times: variants.map((): number[] => []) };
  });
  for (let round = 0; round < ROUNDS; round++) {
    for (const { memory, times } of results) {
      for (const index of balancedOrder(variants.length, round)) {
        const request = variants[index]![1];
        let spent = 0;
        for (let n = 0; n < FAKE_BLOCK; n++) {
          if (memory.length > 0) walk(memory);
          const started = performance.now();
          await request();
          spent += performance.now() - started;
        }
        times[index]!.push((spent * 1e6) / FAKE_BLOCK);
      }
    }
  }
  console.log(
    `\n### Without a network: ${ROUNDS * FAKE_BLOCK} requests per variant and cache state, undici's callbacks played by a fake dispatcher\n`,
  );
  console.log(
    `| variant | warm caches: ns/request | added | after ${COLD_MIB} MiB walked: ns/request | added |`,
  );
  console.log('|---|---|---|---|---|');
  variants.forEach(([name], index) => {
    const cells = results.map(({ times }) => {
      const base = times[0]!;
      const difference = median(times[index]!.map((time, round) => time - base[round]!));
      return `${median(times[index]!).toFixed(0)} | ${index === 0 ? '' : `+${difference.toFixed(0)}`}`;
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  });
}

printMachine('@fw0/metrics-network: cost of measureHttpRequest stage by stage');
const server = await startBenchServer();
const agent = new Agent();
const fake = fakeDispatcher();
const collectors: NetworkMetricsCollector[] = [];
try {
  const loopback = stages(agent, `http://127.0.0.1:${server.httpPort}`, false, collectors);
  await overLoopback(loopback.variants, loopback.whole);
  await withoutNetwork(stages(fake, 'http://127.0.0.1:9', true, collectors).variants);
  const failed = collectors
    .flatMap((collector) => collector.getSuccessRates())
    .filter((rate) => rate.successes !== rate.attempts);
  if (failed.length > 0) throw new Error(`measurements failed: ${JSON.stringify(failed)}`);
} finally {
  for (const collector of collectors) await collector.close();
  await agent.close();
  await server.stop();
}
