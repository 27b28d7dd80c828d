import { MetricsRegistry } from '@fw0/metrics-core';
import { Agent } from 'undici';
import { printMachine } from '../../../bench-support/harness.js';
import { median } from '../../../bench-support/stats.js';
import type { HttpOutcome } from '../src/http-measurement.js';
import { resolveHttpOptions } from '../src/http-options.js';
import type { HttpProber } from '../src/http-prober.js';
import { NetworkMetricsCollector } from '../src/index.js';
import type { TargetRecorder } from '../src/target-recorder.js';
import type { TargetRecorders } from '../src/target-recorders.js';
import { startBenchServer } from './bench-server.js';
import { CountingHandler, interleavedRound, LinkedHandler } from './request-overhead.js';

/**
 * Where the instrumentation's cost per request goes: `measureHttpRequest` taken apart stage by
 * stage, each stage a variant run beside plain undici dispatch() in the same process (blocks of
 * 20 requests alternating in a balanced order; the figure is the median of the per-round
 * ratios). A diagnostic for whoever works on the request path, not a target: it reaches into the
 * collector's private parts. Run it with `pnpm --filter @fw0/metrics-network bench:breakdown`.
 */

/** The collector's parts this diagnostic drives one by one. */
interface CollectorParts {
  readonly prober: HttpProber;
  readonly targets: TargetRecorders;
  readonly finishHttp: (outcome: HttpOutcome, recorder: TargetRecorder) => unknown;
}

const ROUNDS = 30;
const BLOCKS = 25;
const BLOCK = 20;

printMachine('@fw0/metrics-network: cost of measureHttpRequest stage by stage');
const server = await startBenchServer();
const origin = `http://127.0.0.1:${server.httpPort}`;
const url = `${origin}/`;
const options = resolveHttpOptions(undefined);
const agent = new Agent();
const collectors: NetworkMetricsCollector[] = [];
const parts = (): CollectorParts => {
  const collector = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
  collectors.push(collector);
  return collector as unknown as CollectorParts;
};
/** A stage: the prober with `finish` in place of the collector's own. */
const stage = (finish: (outcome: HttpOutcome, recorder: TargetRecorder) => unknown) => {
  const { prober, targets } = parts();
  return () => {
    const target = targets.httpTarget(url);
    return prober.measure(target, 5000, options, undefined, finish, targets.http(target, undefined));
  };
};
const full = parts();
const whole = collectors[collectors.length - 1]!;
const variants: [string, () => Promise<unknown>][] = [
  [
    'undici dispatch(), status + body bytes',
    () =>
      new Promise<number>((resolve, reject) => {
        agent.dispatch({ origin, path: '/', method: 'GET' }, new CountingHandler(resolve, reject));
      }),
  ],
  [
    '+ socket link and three clock reads (a handler, no prober)',
    () =>
      new Promise<number>((resolve, reject) => {
        agent.dispatch({ origin, path: '/', method: 'GET' }, new LinkedHandler(resolve, reject));
      }),
  ],
  ['+ prober (timed connector, phases, deadline)', stage((outcome) => outcome.statusCode)],
  [
    '+ histogram observations (latency, processing, transfer)',
    stage((outcome, recorder) => {
      const series = recorder as unknown as {
        latency: { observe(value: number): void };
        phases: { observe(value: number): void }[];
      };
      series.latency.observe(outcome.durationSeconds);
      series.phases[3]!.observe(outcome.phases.processing);
      series.phases[4]!.observe(outcome.phases.transfer);
      return outcome.statusCode;
    }),
  ],
  [
    '+ the rest of recordHttp (counters; last-probe gauges wait for a read)',
    stage((outcome, recorder) => {
      recorder.recordHttp(outcome);
      return outcome.statusCode;
    }),
  ],
  ['+ the sample (the whole finish)', stage(full.finishHttp)],
  ['measureHttpRequest() (argument checks too)', () => whole.measureHttpRequest(url, 5000)],
];
try {
  for (const [, request] of variants) for (let n = 0; n < 1000; n++) await request();
  const ratios = variants.map((): number[] => []);
  const cpuRatios = variants.map((): number[] => []);
  const wall = variants.map(() => 0);
  const cpu = variants.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    const { wall: roundWall, cpu: roundCpu } = await interleavedRound(
      variants.map(([, request]) => request),
      round,
      BLOCKS,
      BLOCK,
    );
    variants.forEach((_variant, index) => {
      ratios[index]!.push(roundWall[index]! / roundWall[0]!);
      cpuRatios[index]!.push(roundCpu[index]! / roundCpu[0]!);
      wall[index]! += roundWall[index]!;
      cpu[index]! += roundCpu[index]!;
    });
  }
  const added = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
  const requests = ROUNDS * BLOCKS * BLOCK;
  console.log(`\n${requests} sequential keep-alive loopback requests per variant\n`);
  console.log('| variant | wall µs/request | vs dispatch | CPU µs/request | vs dispatch |');
  console.log('|---|---|---|---|---|');
  variants.forEach(([name], index) => {
    console.log(
      `| ${name} | ${((wall[index]! * 1000) / requests).toFixed(1)} | ${added(median(ratios[index]!))} | ${(cpu[index]! / requests).toFixed(1)} | ${added(median(cpuRatios[index]!))} |`,
    );
  });
} finally {
  for (const collector of collectors) await collector.close();
  await agent.close();
  await server.stop();
}
