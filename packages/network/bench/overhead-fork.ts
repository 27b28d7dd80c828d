/**
 * One fork of the instrumentation-cost benchmark (see FORKS in request-overhead.ts): runs
 * BENCH_WARM_UP_ROUNDS rounds left out of its figures, then BENCH_ROUNDS rounds, against the bench server whose side and control ports BENCH_PORTS gives
 * (`{"side":[...],"control":port}`), and prints its figures as one line of JSON.
 */
import { benchServerPorts } from './bench-server.js';
import { overheadRounds } from './request-overhead.js';

const ports = JSON.parse(process.env.BENCH_PORTS ?? 'null') as { side: number[]; control: number } | null;
const rounds = Number(process.env.BENCH_ROUNDS);
const warmUpRounds = Number(process.env.BENCH_WARM_UP_ROUNDS);
if (
  ports === null ||
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  !Number.isInteger(warmUpRounds) ||
  warmUpRounds < 0
) {
  throw new Error(
    'overhead-fork: BENCH_PORTS, BENCH_ROUNDS and BENCH_WARM_UP_ROUNDS must be set (run through pnpm bench)',
  );
}
const server = benchServerPorts(ports.side, ports.control);
console.log(JSON.stringify(await overheadRounds(server, rounds, warmUpRounds)));
