/**
 * A cluster worker of the end-to-end benchmark: holds the same workload in an fw0 registry
 * (exposed with exposeWorkerMetrics) and in prom-client's global registry (answered by
 * prom-client's own worker listener, added by constructing an AggregatorRegistry).
 */
import promClient from 'prom-client';
import { exposeWorkerMetrics } from '../src/index.js';
import { fw0Worker, recordProm } from './workload.js';

const index = Number(process.env.FW0_BENCH_INDEX ?? 0);
exposeWorkerMetrics(fw0Worker(index));
recordProm(promClient.register, index);
new promClient.AggregatorRegistry();
process.send?.({ type: 'ready' });
