import { printMachine, Targets } from '../../../bench-support/harness.js';
import { benchAllocation } from './allocation.js';
import { benchTimerOverhead } from './timer-overhead.js';

printMachine('@fw0/metrics-app benchmarks (pnpm bench)');
const targets = new Targets();
await benchTimerOverhead(targets);
await benchAllocation(targets);
targets.print('@fw0/metrics-app targets');
