/**
 * One fork of the instrumentation-cost benchmark (see FORKS in request-overhead.ts): runs
 * BENCH_ROUNDS rounds against the bench server whose side and control ports BENCH_PORTS gives
 * (`{"side":[...],"control":port}`), and prints its figures as one line of JSON.
 */
import { benchServerPorts } from './bench-server.js';
import { overheadRounds } from './request-overhead.js';

const ports = JSON.parse(process.env.BENCH_PORTS ?? 'null') as { side: number[]; control: number } | null;
const rounds = Number(process.env.BENCH_ROUNDS);
if (ports === null || !Number.isInteger(rounds) || rounds < 1) {
  throw new Error('overhead-fork: BENCH_PORTS and BENCH_ROUNDS must be set (run through pnpm bench)');
}
console.log(JSON.stringify(await overheadRounds(benchServerPorts(ports.side, ports.control), rounds)));
