import { MessageChannel, type MessagePort } from 'node:worker_threads';
import {
  ConfigError,
  ErrorCode,
  isFw0Error,
  MetricsRegistry,
  type MetricsSnapshot,
  parseExposition,
  serializePrometheus,
} from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { exposeWorkerMetrics } from './expose-worker-metrics.js';
import { getWorkerAggregator } from './get-worker-aggregator.js';
import { isCollectRequest, PROTOCOL } from './protocol.js';
import { withWorkerLabel } from './worker-label.js';

/** A port whose other end answers every snapshot request with `snapshot` (as a buggy worker would). */
function answering(snapshot: unknown): { port: MessagePort; close(): void } {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', (message: unknown) => {
    if (isCollectRequest(message))
      port2.postMessage({
        protocol: PROTOCOL,
        kind: 'snapshot',
        id: message.id,
        snapshot: JSON.stringify(snapshot),
      });
  });
  return {
    port: port1,
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

const counter = (name: string, labels: Record<string, unknown> = {}, extra: object = {}) => ({
  timestamp: 1,
  families: [{ name, type: 'counter', help: 'Help.', series: [{ labels, value: 2 }], ...extra }],
});

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

  it('refuses a logger that is none, for the aggregator and the responder (null is the default)', () => {
    // A logger without methods used to be taken, and silenced every failure report.
    for (const logger of [{}, 5, 'console']) {
      expect(() => getWorkerAggregator({ cluster: false, logger: logger as never })).toThrow(ConfigError);
      const { port1, port2 } = new MessageChannel();
      expect(() =>
        exposeWorkerMetrics(new MetricsRegistry(), { port: port2, logger: logger as never }),
      ).toThrow(ConfigError);
      port1.close();
      port2.close();
    }
    const { port1, port2 } = new MessageChannel();
    exposeWorkerMetrics(new MetricsRegistry(), { port: port2, logger: null as never }).stop();
    port1.close();
    port2.close();
  });

  it('refuses options that are not an object with ConfigError, not a TypeError', async () => {
    const aggregator = getWorkerAggregator({ cluster: false });
    const { port1, port2 } = new MessageChannel();
    try {
      await expect(aggregator.aggregate(null as never)).rejects.toThrow(ConfigError);
      expect(() => aggregator.addWorker(port1, null as never)).toThrow(ConfigError);
      expect(aggregator.workers).toEqual([]);
      expect(() => exposeWorkerMetrics(new MetricsRegistry(), null as never)).toThrow(ConfigError);
    } finally {
      port1.close();
      port2.close();
      await aggregator.stop();
    }
  });

  it('refuses an object that only looks like a registry', () => {
    const duck = { collect: async () => ({ timestamp: 0, families: [] }), snapshot: () => ({}) };
    expect(() => getWorkerAggregator({ cluster: false, local: duck as never })).toThrow(ConfigError);
    const { port1, port2 } = new MessageChannel();
    expect(() => exposeWorkerMetrics(duck as never, { port: port2 })).toThrow(ConfigError);
    port1.close();
    port2.close();
  });

  it('refuses a responder name with a lone surrogate: a failed collect then threw out of the listener', () => {
    // The name is the `collector` label of the responder's failures: counting one threw, and the
    // message listener's promise rejected with nobody to catch it.
    const { port1, port2 } = new MessageChannel();
    expect(() => exposeWorkerMetrics(new MetricsRegistry(), { port: port2, name: 'r\uD800' })).toThrow(
      ConfigError,
    );
    port1.close();
    port2.close();
  });

  it('leaves out a worker whose metric clashes with a self-metric of the aggregator, not the collection', async () => {
    // A counter named fw0_workers (the aggregator's gauge) made every collection reject.
    const aggregator = getWorkerAggregator({ cluster: false, timeoutMs: 5000 });
    const clashing = answering(counter('fw0_workers'));
    const fine = answering(counter('jobs'));
    try {
      aggregator.addWorker(clashing.port, { name: 'clashing' });
      aggregator.addWorker(fine.port, { name: 'fine' });
      const result = await aggregator.aggregate();
      expect(result.answered).toEqual(['fine']);
      expect(result.failures.map((failure) => [failure.worker, failure.reason])).toEqual([
        ['clashing', 'merge_conflict'],
      ]);
      expect(isFw0Error(result.failures[0]?.error) && result.failures[0].error.code).toBe(
        ErrorCode.MERGE_CONFLICT,
      );
      const text = serializePrometheus(result.snapshot);
      expect(text).toContain('jobs_total 2');
      expect(text).toContain('fw0_workers{state="answered"} 1');
    } finally {
      await aggregator.stop();
      clashing.close();
      fine.close();
    }
  });

  it.each<[string, unknown]>([
    ['a label name that is no label name', counter('jobs', { 'a b': 'x' })],
    ['a label value that is not text', counter('jobs', { zone: 5 })],
    ['a label value with a lone surrogate', counter('jobs', { zone: 'a\uD800' })],
    ['a reserved label name', counter('jobs', { __name__: 'x' })],
    ['a family name that is no metric name', counter('jobs a b')],
    ['help that is not text', counter('jobs', {}, { help: 5 })],
    [
      'an unknown gauge aggregation',
      { timestamp: 1, families: [{ name: 'g', type: 'gauge', help: '', aggregation: 'avg', series: [] }] },
    ],
    [
      'an accuracy out of range',
      {
        timestamp: 1,
        families: [
          {
            name: 'h',
            type: 'histogram',
            help: '',
            bounds: [1],
            relativeAccuracy: 5,
            windowSeconds: 0,
            series: [],
          },
        ],
      },
    ],
    [
      'bounds that do not increase',
      {
        timestamp: 1,
        families: [
          {
            name: 'h',
            type: 'histogram',
            help: '',
            bounds: [2, 1],
            relativeAccuracy: 0.01,
            windowSeconds: 0,
            series: [{ labels: {}, count: 1, sum: 1, bucketCounts: [1, 0, 0] }],
          },
        ],
      },
    ],
  ])(
    'reports a worker that sends %s as invalid_reply; the scrape still serialises',
    async (_what, snapshot) => {
      // Such answers used to be merged: the text exposition then did not parse, or threw.
      const aggregator = getWorkerAggregator({ cluster: false, timeoutMs: 5000 });
      const bad = answering(snapshot);
      try {
        aggregator.addWorker(bad.port, { name: 'bad' });
        const result = await aggregator.aggregate();
        expect(result.failures.map((failure) => [failure.worker, failure.reason])).toEqual([
          ['bad', 'invalid_reply'],
        ]);
        expect(() => parseExposition(serializePrometheus(result.snapshot as MetricsSnapshot))).not.toThrow();
      } finally {
        await aggregator.stop();
        bad.close();
      }
    },
  );

  it('withWorkerLabel keeps a worker label and an exported_ one the worker already had', () => {
    // exported_worker used to be overwritten by the renamed worker label: a label lost.
    expect(withWorkerLabel({ worker: 'a', exported_worker: 'b' }, 'worker', 'w1')).toEqual({
      exported_exported_worker: 'a',
      exported_worker: 'b',
      worker: 'w1',
    });
  });
});
