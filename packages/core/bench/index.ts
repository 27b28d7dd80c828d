import { printMachine, Targets } from '../../../bench-support/harness.js';
import { benchExposition } from './exposition.js';
import { benchHotPath } from './hot-path.js';
import { benchQuantiles } from './quantiles.js';

printMachine('@fw0/metrics-core benchmarks (pnpm bench)');
const targets = new Targets();
await benchHotPath(targets);
await benchExposition(targets);
await benchQuantiles(targets);
targets.print('@fw0/metrics-core targets');
