import { clusterProperties } from './cluster.properties.js';
import { fuzzSuite } from './harness.js';

/**
 * The bad-input fuzz suite of @fw0/metrics-cluster: fast-check properties over every public
 * entry point that takes user input (the aggregator's options, collect/aggregate options,
 * addWorker and removeWorker with odd targets and names, what workers answer, exposeWorkerMetrics
 * and the requests it hears, withWorkerLabel). Two worker threads serve the whole suite and are
 * terminated at its end; fake workers answer on ports of this thread. The table of cases is
 * printed at the end and written to `.reports/fuzz-cases-cluster.json`. Seed: fixed, or
 * FW0_FUZZ_SEED.
 */
fuzzSuite('cluster', clusterProperties);
