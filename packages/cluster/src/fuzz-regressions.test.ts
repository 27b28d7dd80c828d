import { MessageChannel } from 'node:worker_threads';
import { ConfigError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { getWorkerAggregator } from './get-worker-aggregator.js';

/**
 * Regression found by the bad-input properties of `apps/reliability` (src/fuzz): a worker name
 * that is not well-formed Unicode was accepted, and every later collection in which that worker
 * failed rejected with InvalidLabelError (its name is a label value of the failure counter).
 */
describe('bad-input regressions', () => {
  it('refuses a worker name with a lone surrogate at once; collections keep working', async () => {
    const aggregator = getWorkerAggregator({ cluster: false, timeoutMs: 20 });
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => aggregator.addWorker(port1, { name: 'worker-\uD800' })).toThrow(ConfigError);
      expect(aggregator.workers).toEqual([]);
      expect(aggregator.addWorker(port1, { name: 'silent' })).toBe('silent');
      const result = await aggregator.aggregate();
      expect(result.failures.map((failure) => [failure.worker, failure.reason])).toEqual([
        ['silent', 'timeout'],
      ]);
    } finally {
      port1.close();
      port2.close();
      await aggregator.stop();
    }
  });
});
