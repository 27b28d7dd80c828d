/**
 * Calls exposeWorkerMetrics() in a process that has no parent channel (no IPC, main thread) and
 * prints what happened: `<error code> <message>`, or `exposed`.
 */
import { isFw0Error, MetricsRegistry } from '@fw0/metrics-core';
import { exposeWorkerMetrics } from '../index.js';

try {
  exposeWorkerMetrics(new MetricsRegistry());
  console.log('exposed');
} catch (error) {
  console.log(`${isFw0Error(error) ? error.code : 'not-an-fw0-error'} ${(error as Error).message}`);
}
