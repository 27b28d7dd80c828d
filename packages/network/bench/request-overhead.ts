import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  type CounterSeries,
  type HistogramSeries,
  MetricsRegistry,
  type PerformanceMetric,
} from '@fw0/metrics-core';
import { Agent, type Dispatcher } from 'undici';
import type { Targets } from '../../../bench-support/harness.js';
import { balancedOrder, median, medianInterval, quantile } from '../../../bench-support/stats.js';
import { startProcess } from '../../../test-support/processes.js';
import { NetworkMetricsCollector } from '../src/index.js';
import { expectSocket } from '../src/socket-link.js';
import type { BenchPorts, BenchServer } from './bench-server.js';

/**
 * Requests per variant: FORKS processes of ROUNDS rounds each; in each round, BLOCKS blocks of
 * BLOCK sequential requests per variant, the variants alternating block by block. 120 rounds put
 * the median's 95% interval at about +-0.8 points on this VM (40 rounds: +-2 points, enough to
 * flip a 5% verdict either way). They run in three processes of 40 rounds, as JMH runs forks:
 * one process's figure moved by more than its own interval from run to run (+4.0% to +5.2% in
 * three runs of 120 rounds in one process), as each process gets its own code and heap layout.
 *
 * Each process first runs WARM_UP_ROUNDS rounds that are left out of the figures (JMH's warm-up
 * iterations), printed on a line of their own. In seven processes of 16 to 40 rounds, fw0's
 * median per round was +11% to +23% over dispatch() in rounds 0 to 3 and +8% to +12% in rounds 4
 * to 7 (the JIT and the heap settling: about 4,800 requests per variant, 24,000 in the process),
 * then +1% to +6% from round 8 on; undici's request() settled over the same rounds. Counted in
 * the figure, those rounds measured a process's first seconds, not the instrumentation of a
 * service that runs for hours: with 20 rounds per process instead of 40, the figure rose by
 * about a point.
 */
const FORKS = 3;
const ROUNDS = 40;
const WARM_UP_ROUNDS = 8;
const BLOCKS = 25;
const BLOCK = 20;
const WARM_UP = 100;

interface Variant {
  readonly name: string;
  /** Prepares a fresh client of `origin`; returns one request and the clean-up. */
  setUp(origin: string): { request: () => Promise<unknown>; tearDown: () => Promise<unknown> };
}

/**
 * The fairest plain-undici baseline: a dispatch handler that reads what a measurement needs to
 * read, the status (defining `onResponseStart` is what makes undici parse the headers) and the
 * body (`onResponseData`, counting bytes), and ends on `onResponseEnd`. A handler without those
 * two skips header parsing altogether: a floor no real client stands on.
 */
export class CountingHandler implements Dispatcher.DispatchHandler {
  statusCode = 0;
  bytes = 0;

  constructor(
    private readonly resolve: (bytes: number) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.statusCode = statusCode;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
  }

  onResponseEnd(): void {
    if (this.statusCode === 200) this.resolve(this.bytes);
    else this.reject(new Error(`status ${this.statusCode}`));
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.reject(error);
  }
}

function dispatchOnce(agent: Agent, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    agent.dispatch({ origin, path: '/', method: 'GET' }, new CountingHandler(resolve, reject));
  });
}

/** Nanoseconds of arithmetic (timed hot, in a loop) that the calibration variant adds to each request. */
const CALIBRATION_NS = 500;

let sink = 0;
function arithmetic(iterations: number): void {
  let value = sink;
  for (let i = 0; i < iterations; i++) value = (value * 1.000001 + i) % 1e9;
  sink = value;
}

/** Iterations of {@link arithmetic} that take about `ns` nanoseconds when hot (fastest of 50 timings). */
function iterationsFor(ns: number): number {
  const iterations = 10_000;
  let fastest = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 50; run++) {
    const started = performance.now();
    arithmetic(iterations);
    fastest = Math.min(fastest, (performance.now() - started) * 1e6);
  }
  return Math.max(1, Math.round((ns * iterations) / fastest));
}

/**
 * The baseline plus a fixed amount of pure computation per request: what that much CPU work
 * really adds to a request on this machine. On a quiet machine 0.5 µs adds about 0.5 µs; on a
 * loaded one (other processes competing for the cores, caches shared) it adds several times
 * more, and so does every other bit of work done per request, the instrumentation's included.
 */
class CalibrationHandler extends CountingHandler {
  constructor(
    resolve: (bytes: number) => void,
    reject: (error: Error) => void,
    private readonly iterations: number,
  ) {
    super(resolve, reject);
  }

  override onResponseEnd(): void {
    arithmetic(this.iterations);
    super.onResponseEnd();
  }
}

/** The series a {@link FloorHandler} records into. */
interface FloorSeries {
  readonly attempts: CounterSeries;
  readonly successes: CounterSeries;
  readonly latency: HistogramSeries;
  readonly processing: HistogramSeries;
  readonly transfer: HistogramSeries;
}

export function floorSeries(): FloorSeries {
  const registry = new MetricsRegistry();
  const histogram = registry.histogram({ name: 'floor_seconds', unit: 'seconds' });
  const counter = registry.counter({ name: 'floor_attempts' });
  return {
    attempts: counter.bind({ outcome: 'any' }),
    successes: counter.bind({ outcome: 'success' }),
    latency: histogram.bind({ phase: 'total' }),
    processing: histogram.bind({ phase: 'processing' }),
    transfer: histogram.bind({ phase: 'transfer' }),
  };
}

/**
 * A plain dispatch() handler that also links the request to its socket as fw0 does (the
 * `sendHeaders` diagnostics channel) and reads the clock at the start, the first byte and the
 * end: what any phase-timing handler does before recording anything.
 */
export class LinkedHandler extends CountingHandler {
  readonly method = 'GET';
  readonly path = '/';
  protected readonly startedAt = performance.now();
  protected firstByteAt = 0;
  /** Stored, not read here: the end stamp a timing handler keeps (the floor reads its own). */
  protected endedAt = 0;
  protected socket: object | undefined;

  override onRequestStart(): void {
    expectSocket(this);
  }

  onSocket(socket: object): void {
    this.socket = socket;
  }

  onResponseStarted(): void {
    this.firstByteAt = performance.now();
  }

  override onResponseEnd(): void {
    this.endedAt = performance.now();
    super.onResponseEnd();
  }
}

/**
 * The least any instrumentation with measureHttpRequest's outputs can cost: a dispatch handler
 * written for this one case that reads the clock three times (start, first byte, end), links the
 * request to its socket as fw0 does (to tell a new connection from a reused one), counts the
 * attempt and the success, observes the total, processing and transfer times in histograms and
 * resolves to a sample with a context. No deadline, no redirects, no body limit, no failure
 * reasons, no last-probe gauges, no options: a floor to read fw0's figure against, not a client.
 */
export class FloorHandler extends LinkedHandler {
  constructor(
    private readonly done: (sample: PerformanceMetric) => void,
    reject: (error: Error) => void,
    private readonly series: FloorSeries,
  ) {
    super(() => {}, reject);
  }

  override onResponseEnd(): void {
    const endedAt = performance.now();
    const seconds = (endedAt - this.startedAt) / 1000;
    const series = this.series;
    series.attempts.add();
    series.successes.add();
    series.latency.observe(seconds);
    series.processing.observe((this.firstByteAt - this.startedAt) / 1000);
    series.transfer.observe((endedAt - this.firstByteAt) / 1000);
    this.done({
      name: 'floor_seconds',
      value: seconds,
      type: 'timer',
      unit: 'seconds',
      timestamp: endedAt,
      tags: {},
      context: { statusCode: this.statusCode, bodyBytes: this.bytes, linked: this.socket !== undefined },
    } as PerformanceMetric);
  }
}

/** A ratio as the percentage it adds: 1.043 as "+4.3%", 0.97 as "-3.0%". */
export const percent = (ratio: number) => {
  const added = (ratio - 1) * 100;
  return `${added >= 0 ? '+' : ''}${added.toFixed(1)}%`;
};

/** The 95% bootstrap interval of the median of the per-round ratios, as added percentages. */
function interval(ratios: readonly number[]): string {
  const { low, high } = medianInterval(ratios);
  return `95% interval of the median ${percent(low)} to ${percent(high)}`;
}

/** Median (with its 95% interval), quartiles and extremes of the per-round ratios, as added percentages. */
function spread(ratios: readonly number[]): string {
  return `median ${percent(median(ratios))} (${interval(ratios)}; quartiles ${percent(quantile(ratios, 0.25))} to ${percent(quantile(ratios, 0.75))}, range ${percent(Math.min(...ratios))} to ${percent(Math.max(...ratios))})`;
}

/**
 * One round of side-by-side requests: `blocks` blocks of `block` sequential requests per variant,
 * the variants alternating block by block in a balanced order (each at every position and after
 * every other variant equally often over the blocks: see `balancedOrder`). Returns each
 * variant's wall time (ms) and CPU time (µs, user + system) summed over the round.
 */
export async function interleavedRound(
  requests: readonly (() => Promise<unknown>)[],
  round: number,
  blocks: number,
  block: number,
): Promise<{ wall: number[]; cpu: number[] }> {
  const wall = requests.map(() => 0);
  const cpu = requests.map(() => 0);
  for (let b = 0; b < blocks; b++) {
    for (const index of balancedOrder(requests.length, round * blocks + b)) {
      const request = requests[index]!;
      const startedCpu = process.cpuUsage();
      const started = performance.now();
      for (let n = 0; n < block; n++) await request();
      wall[index]! += performance.now() - started;
      const used = process.cpuUsage(startedCpu);
      cpu[index]! += used.user + used.system;
    }
  }
  return { wall, cpu };
}

/** The variants, in the order of the table: request(), dispatch(), calibration, floor, fw0. */
function overheadVariants(): Variant[] {
  return [
    {
      name: 'undici request() + body.dump()',
      setUp(origin) {
        const agent = new Agent();
        const request = async () => (await agent.request({ origin, path: '/', method: 'GET' })).body.dump();
        return { request, tearDown: () => agent.close() };
      },
    },
    {
      name: 'undici dispatch(), status + body bytes',
      setUp(origin) {
        const agent = new Agent();
        return { request: () => dispatchOnce(agent, origin), tearDown: () => agent.close() };
      },
    },
    {
      name: `undici dispatch() + ${CALIBRATION_NS} ns of arithmetic (calibration)`,
      setUp(origin) {
        const agent = new Agent();
        const iterations = iterationsFor(CALIBRATION_NS);
        const request = () =>
          new Promise<number>((resolve, reject) => {
            agent.dispatch(
              { origin, path: '/', method: 'GET' },
              new CalibrationHandler(resolve, reject, iterations),
            );
          });
        return { request, tearDown: () => agent.close() };
      },
    },
    {
      name: 'floor: a hand-written instrumented dispatch() handler',
      setUp(origin) {
        const agent = new Agent();
        const series = floorSeries();
        const request = () =>
          new Promise<PerformanceMetric>((resolve, reject) => {
            agent.dispatch({ origin, path: '/', method: 'GET' }, new FloorHandler(resolve, reject, series));
          });
        return { request, tearDown: () => agent.close() };
      },
    },
    {
      name: 'fw0 measureHttpRequest()',
      setUp(origin) {
        const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
        const url = `${origin}/`;
        // The promise as measureHttpRequest returns it, as dispatch()'s is (no async wrapper
        // adding a promise and a tick per request to one side only); the success rate says
        // at the end whether every request succeeded.
        const request = () => network.measureHttpRequest(url, 5000);
        const tearDown = async () => {
          const [rate] = network.getSuccessRates();
          await network.close();
          if (rate === undefined || rate.successes !== rate.attempts) {
            throw new Error(`measureHttpRequest failed: ${JSON.stringify(rate)}`);
          }
        };
        return { request, tearDown };
      },
    },
  ];
}

/**
 * Per variant, per measured round: wall time (µs/request), CPU time (µs/request) and connections
 * opened; and the wall time of the warm-up rounds, left out of the others.
 */
export interface RoundFigures {
  readonly wall: number[][];
  readonly cpu: number[][];
  readonly connections: number[][];
  readonly warmUpWall: number[][];
}

/**
 * Runs `warmUpRounds` and then `rounds` rounds of the comparison against `server` in this
 * process (a fork's work).
 */
export async function overheadRounds(
  server: BenchPorts,
  rounds: number,
  warmUpRounds: number,
): Promise<RoundFigures> {
  const variants = overheadVariants();
  const ports = server.sidePorts;
  if (ports.length < variants.length) throw new Error(`the bench server has ${ports.length} side ports`);
  const wall = variants.map((): number[] => []);
  const cpu = variants.map((): number[] => []);
  const connections = variants.map((): number[] => []);
  const warmUpWall = variants.map((): number[] => []);
  for (let round = 0; round < warmUpRounds + rounds; round++) {
    const acceptedBefore = await server.acceptedConnections();
    const clients = variants.map((variant, index) => variant.setUp(`http://127.0.0.1:${ports[index]}`));
    for (const { request } of clients) for (let n = 0; n < WARM_UP; n++) await request();
    const { wall: roundWall, cpu: roundCpu } = await interleavedRound(
      clients.map(({ request }) => request),
      round,
      BLOCKS,
      BLOCK,
    );
    for (const { tearDown } of clients) await tearDown();
    const acceptedAfter = await server.acceptedConnections();
    variants.forEach((_variant, index) => {
      const perRequest = (roundWall[index]! * 1000) / (BLOCKS * BLOCK);
      if (round < warmUpRounds) {
        warmUpWall[index]!.push(perRequest);
        return;
      }
      const port = ports[index]!;
      wall[index]!.push(perRequest);
      cpu[index]!.push(roundCpu[index]! / (BLOCKS * BLOCK));
      connections[index]!.push((acceptedAfter.get(port) ?? 0) - (acceptedBefore.get(port) ?? 0));
    });
  }
  return { wall, cpu, connections, warmUpWall };
}

/** Runs `overhead-fork.ts` in a process of its own and returns its figures (bounded: 10 minutes). */
async function fork(ports: string): Promise<RoundFigures> {
  const script = fileURLToPath(new URL('./overhead-fork.ts', import.meta.url));
  const child = startProcess(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    ...process.env,
    BENCH_PORTS: ports,
    BENCH_ROUNDS: String(ROUNDS),
    BENCH_WARM_UP_ROUNDS: String(WARM_UP_ROUNDS),
  });
  const exited = new Promise<number | null>((resolve) => child.child.once('exit', resolve));
  const timer = setTimeout(() => void child.stop(), 600_000);
  const code = await exited;
  clearTimeout(timer);
  // Its figures are its last line of JSON (stderr, kept in the same output, holds any warning).
  const lines = child.output().trim().split('\n');
  const figures = lines.findLast((line) => line.startsWith('{'));
  if (code !== 0 || figures === undefined) {
    throw new Error(`overhead fork exited with ${code}:\n${lines.slice(-20).join('\n')}`);
  }
  return JSON.parse(figures) as RoundFigures;
}

/**
 * The cost of instrumentation: 60,000 sequential keep-alive GET requests per variant to one
 * loopback server (another process): plain undici, a hand-written instrumented floor and
 * measureHttpRequest, in three processes of 40 rounds (forks, each started by this one in turn,
 * each after 8 rounds of warm-up left out of the figures; see FORKS). Each round sets up a fresh
 * client per variant, then alternates the variants block by block (25 blocks of 20 requests
 * each, in a balanced order), so that load from elsewhere on a shared machine hits every variant
 * alike; a round's ratio compares sums of interleaved blocks, and the figure is the median of
 * the 120 per-round ratios, with its 95% bootstrap interval and their spread. The collector holds the socket link's diagnostics-channel
 * subscription for the whole round, so undici publishes to it for every variant's requests
 * alike (and no longer once the collector is closed). Each variant talks to a port of its own,
 * and the server counts the connections each port accepted: the variants must use as many, or
 * keep-alive would differ and the comparison with it.
 */
export async function benchRequestOverhead(server: BenchServer, targets: Targets): Promise<void> {
  const variants = overheadVariants();
  const ports = JSON.stringify({ side: server.sidePorts, control: server.controlPort });
  const forks: RoundFigures[] = [];
  for (let n = 0; n < FORKS; n++) forks.push(await fork(ports));
  const pool = (pick: (figures: RoundFigures) => number[][]) =>
    variants.map((_variant, index) => forks.flatMap((figures) => pick(figures)[index]!));
  const wall = pool((figures) => figures.wall);
  const cpu = pool((figures) => figures.cpu);
  const connections = pool((figures) => figures.connections);
  const [requestWall, dispatchWall, calibrationWall, floorWall, oursWall] = wall as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const [, dispatchCpu] = cpu as [number[], number[], number[], number[], number[]];
  const ratios = (ours: number[], base: number[]) => ours.map((value, round) => value / base[round]!);
  const vsDispatch = ratios(oursWall, dispatchWall);
  const vsRequest = ratios(oursWall, requestWall);
  console.log(
    `\n### Instrumentation cost: ${FORKS * ROUNDS * BLOCKS * BLOCK} sequential keep-alive loopback requests per variant (${FORKS} processes of ${ROUNDS} rounds after ${WARM_UP_ROUNDS} of warm-up, variants alternating in blocks of ${BLOCK})\n`,
  );
  console.log(
    '| variant | wall µs/request | vs dispatch (median of rounds) | CPU µs/request | vs dispatch (median of rounds) | connections per round |',
  );
  console.log('|---|---|---|---|---|---|');
  variants.forEach((variant, index) => {
    const opened = connections[index]!;
    const low = Math.min(...opened);
    const high = Math.max(...opened);
    console.log(
      `| ${variant.name} | ${median(wall[index]!).toFixed(1)} | ${percent(median(ratios(wall[index]!, dispatchWall)))} | ${median(cpu[index]!).toFixed(1)} | ${percent(median(ratios(cpu[index]!, dispatchCpu)))} | ${low === high ? low : `${low} to ${high}`} |`,
    );
  });
  console.log(`\nPer-round wall ratio, fw0 / undici dispatch(): ${spread(vsDispatch)}`);
  const perFork = forks.map((figures) => percent(median(ratios(figures.wall[4]!, figures.wall[1]!))));
  console.log(`The same, each process's median: ${perFork.join(', ')}`);
  console.log(`Per-round wall ratio, floor / undici dispatch(): ${spread(ratios(floorWall, dispatchWall))}`);
  console.log(`Per-round wall ratio, fw0 / undici request(): ${spread(vsRequest)}`);
  const warmUp = pool((figures) => figures.warmUpWall);
  const warmUpRatio = (index: number) => percent(median(ratios(warmUp[index]!, warmUp[1]!)));
  console.log(
    `Warm-up, the first ${WARM_UP_ROUNDS} rounds of each process (not in the figures above; the JIT and the heap settling), median per-round wall ratio over dispatch(): fw0 ${warmUpRatio(4)}, floor ${warmUpRatio(3)}, request() ${warmUpRatio(0)}.`,
  );
  const calibration = median(ratios(calibrationWall, dispatchWall));
  const expected = 1 + CALIBRATION_NS / 1000 / median(dispatchWall);
  console.log(
    `Calibration: ${CALIBRATION_NS} ns of arithmetic per request added ${percent(calibration)} here, where its own time is ${percent(expected)}: this run turns 1 µs of CPU work per request into about ${((calibration - 1) / (expected - 1)).toFixed(1)} µs of request time.`,
  );
  const sameConnections = connections.every((opened) => median(opened) === median(connections[1]!));
  targets.check(
    'instrumentation adds under 5% to loopback request time (measureHttpRequest vs undici dispatch() reading status and body, median of paired rounds)',
    median(vsDispatch) < 1.05 && sameConnections,
    `${percent(median(vsDispatch))} (${median(oursWall).toFixed(1)} µs vs ${median(dispatchWall).toFixed(1)} µs; ${interval(vsDispatch)})${sameConnections ? '' : '; the variants opened different numbers of connections'}`,
  );
  targets.check(
    'instrumentation adds under 5% to loopback request time (measureHttpRequest vs undici request(), median of paired rounds)',
    median(vsRequest) < 1.05,
    `${percent(median(vsRequest))} (${median(oursWall).toFixed(1)} µs vs ${median(requestWall).toFixed(1)} µs; ${interval(vsRequest)})`,
  );
}
