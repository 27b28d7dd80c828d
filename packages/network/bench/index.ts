import { printMachine, Targets } from '../../../bench-support/harness.js';
import { startBenchServer } from './bench-server.js';
import { benchCurlPhases } from './curl-phases.js';
import { benchRecording } from './recording.js';
import { benchRequestOverhead } from './request-overhead.js';

printMachine('@fw0/metrics-network benchmarks (pnpm --filter @fw0/metrics-network bench)');
const targets = new Targets();
await benchRecording(targets);
const server = await startBenchServer();
try {
  await benchRequestOverhead(server, targets);
  await benchCurlPhases(server);
} finally {
  await server.stop();
}
targets.print('@fw0/metrics-network targets');
