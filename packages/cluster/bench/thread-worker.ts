/** A worker thread of the end-to-end benchmark: the same workload, exposed with exposeWorkerMetrics. */
import { parentPort, workerData } from 'node:worker_threads';
import { exposeWorkerMetrics } from '../src/index.js';
import { fw0Worker } from './workload.js';

exposeWorkerMetrics(fw0Worker((workerData as { index: number }).index));
parentPort?.postMessage({ type: 'ready' });
