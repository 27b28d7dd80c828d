import { printMachine, Targets } from '../../../bench-support/harness.js';
import { benchEncode } from './encode.js';

printMachine('@fw0/metrics-push benchmarks (pnpm --filter @fw0/metrics-push bench)');
const targets = new Targets();
await benchEncode(targets);
targets.print('@fw0/metrics-push targets');
