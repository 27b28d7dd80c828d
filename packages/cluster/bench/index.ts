import { printMachine, Targets } from '../../../bench-support/harness.js';
import { benchMerge } from './merge.js';
import { benchScrape } from './scrape.js';

printMachine('@fw0/metrics-cluster benchmarks (pnpm --filter @fw0/metrics-cluster bench)');
const targets = new Targets();
await benchMerge(targets);
await benchScrape(targets);
targets.print('@fw0/metrics-cluster targets');
