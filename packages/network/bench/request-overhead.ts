import { performance } from 'node:perf_hooks';
import { MetricsRegistry } from '@fw0/metrics-core';
import { Agent, type Dispatcher } from 'undici';
import type { Targets } from '../../../bench-support/harness.js';
import { NetworkMetricsCollector } from '../src/index.js';
import type { BenchServer } from './bench-server.js';

/** Requests per variant: ROUNDS rounds of PER_ROUND sequential requests, variants interleaved. */
const ROUNDS = 20;
const PER_ROUND = 500;
const WARM_UP = 100;

interface Variant {
  readonly name: string;
  /** Prepares a fresh client; returns one request and the clean-up. */
  setUp(): { request: () => Promise<unknown>; tearDown: () => Promise<unknown> };
}

/** A dispatch handler that does nothing but wait for the end of the response. */
function dispatchOnce(agent: Agent, origin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {},
      onResponseEnd: () => resolve(),
      onResponseError: (_controller, error) => reject(error),
    };
    agent.dispatch({ origin, path: '/', method: 'GET' }, handler);
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const percent = (ours: number, base: number) => {
  const added = ((ours - base) / base) * 100;
  return `${added >= 0 ? '+' : ''}${added.toFixed(1)}%`;
};

/**
 * The cost of instrumentation: 10,000 sequential keep-alive GET requests per variant to the same
 * loopback server (another process), plain undici beside measureHttpRequest, in 20 interleaved
 * rounds of 500 (order rotated each round) so that load from elsewhere hits every variant alike.
 * Each round gets a fresh Agent or collector; closing the collector also drops its
 * diagnostics-channel subscription, so plain rounds run without it. Wall and CPU time per
 * request are the medians of the rounds.
 */
export async function benchRequestOverhead(server: BenchServer, targets: Targets): Promise<void> {
  const origin = `http://127.0.0.1:${server.httpPort}`;
  const url = `${origin}/`;
  const variants: Variant[] = [
    {
      name: 'undici request() + body.dump()',
      setUp() {
        const agent = new Agent();
        const request = async () => (await agent.request({ origin, path: '/', method: 'GET' })).body.dump();
        return { request, tearDown: () => agent.close() };
      },
    },
    {
      name: 'undici dispatch(), minimal handler',
      setUp() {
        const agent = new Agent();
        return { request: () => dispatchOnce(agent, origin), tearDown: () => agent.close() };
      },
    },
    {
      name: 'fw0 measureHttpRequest()',
      setUp() {
        const network = new NetworkMetricsCollector({ registry: new MetricsRegistry() });
        const request = async () => {
          if ((await network.measureHttpRequest(url, 5000)) === null) throw new Error('probe failed');
        };
        return { request, tearDown: () => network.close() };
      },
    },
  ];
  const wall = variants.map((): number[] => []);
  const cpu = variants.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < variants.length; i++) {
      const index = (round + i) % variants.length;
      const { request, tearDown } = variants[index]!.setUp();
      for (let n = 0; n < WARM_UP; n++) await request();
      const startedCpu = process.cpuUsage();
      const started = performance.now();
      for (let n = 0; n < PER_ROUND; n++) await request();
      wall[index]!.push(((performance.now() - started) * 1000) / PER_ROUND);
      const used = process.cpuUsage(startedCpu);
      cpu[index]!.push((used.user + used.system) / PER_ROUND);
      await tearDown();
    }
  }
  const [request, dispatch, ours] = wall.map(median) as [number, number, number];
  const [requestCpu, dispatchCpu, oursCpu] = cpu.map(median) as [number, number, number];
  console.log(
    `\n### Instrumentation cost: ${ROUNDS * PER_ROUND} sequential keep-alive loopback requests per variant (medians of ${ROUNDS} interleaved rounds)\n`,
  );
  console.log('| variant | wall µs/request | vs dispatch | CPU µs/request | vs dispatch |');
  console.log('|---|---|---|---|---|');
  const rows: [string, number, number][] = [
    [variants[0]!.name, request, requestCpu],
    [variants[1]!.name, dispatch, dispatchCpu],
    [variants[2]!.name, ours, oursCpu],
  ];
  for (const [name, time, used] of rows) {
    console.log(
      `| ${name} | ${time.toFixed(1)} | ${percent(time, dispatch)} | ${used.toFixed(1)} | ${percent(used, dispatchCpu)} |`,
    );
  }
  targets.check(
    'instrumentation adds under 5% to loopback request time (measureHttpRequest vs undici request())',
    ours < request * 1.05,
    `${ours.toFixed(1)} µs vs ${request.toFixed(1)} µs = ${percent(ours, request)}`,
  );
  // The target compares with plain undici as applications use it (request()). Against a bare
  // dispatch() with a handler that does nothing (no body stream, no promise), it is shown for
  // reference: that floor is not something an application measures with.
  console.log(
    `\nFor reference, against a bare undici dispatch() with a do-nothing handler: ${ours.toFixed(1)} µs vs ${dispatch.toFixed(1)} µs = ${percent(ours, dispatch)}`,
  );
}
