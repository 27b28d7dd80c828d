import { printMachine, Targets } from '../../../bench-support/harness.js';
import { benchFastPath } from './fast-path.js';
import { benchSeedStyle } from './seed-style.js';

printMachine('@fw0/metrics-custom benchmarks (pnpm --filter @fw0/metrics-custom bench)');
console.log(
  '\nSeed-style calls record the aggregate and return their sample (sampled into the buffer at the default 100 per name per second); bound handles record the aggregate only.',
);
const targets = new Targets();
await benchSeedStyle(targets);
await benchFastPath(targets);
targets.print('@fw0/metrics-custom targets');
