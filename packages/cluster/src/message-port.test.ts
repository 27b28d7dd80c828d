import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ConfigError, MetricsRegistry } from '@fw0/metrics-core';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/processes.js';
import { exposeWorkerMetrics } from './expose-worker-metrics.js';
import { getWorkerAggregator } from './get-worker-aggregator.js';
import { isCollectRequest, PROTOCOL } from './protocol.js';
import { expectMergedWorkload, seriesValue } from './test-support/reference.js';
import { startThread, stopThreads } from './test-support/threads.js';
import { recordWorkload } from './test-support/workload.js';
import type { WorkerAggregator } from './worker-aggregator.js';
import type { WorkerMetricsResponder } from './worker-metrics-responder.js';

const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function channel(): { aggregatorSide: MessagePort; workerSide: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  cleanup.push(() => port1.close());
  return { aggregatorSide: port1, workerSide: port2 };
}

function aggregator(options: Parameters<typeof getWorkerAggregator>[0] = {}): WorkerAggregator {
  const created = getWorkerAggregator({ cluster: false, ...options });
  cleanup.push(() => created.stop());
  return created;
}

function expose(registry: MetricsRegistry, port: MessagePort): WorkerMetricsResponder {
  const responder = exposeWorkerMetrics(registry, { port });
  cleanup.push(() => responder.stop());
  return responder;
}

describe('MessagePort channels', () => {
  it('answers over a port handed to a worker thread', async () => {
    const { aggregatorSide, workerSide } = channel();
    const worker = await startThread({ index: 1, mode: 'normal', port: workerSide });
    cleanup.push(() => stopThreads([worker]));
    const merged = aggregator();
    const name = merged.addWorker(aggregatorSide);
    expect(name).toMatch(/^port-\d+$/);
    const result = await merged.aggregate();
    expect(result.answered).toEqual([name]);
    expectMergedWorkload(result.snapshot, [1]);
  });

  it('answers over a port within one thread, and several registries each on their own port', async () => {
    const merged = aggregator();
    for (const index of [0, 1]) {
      const { aggregatorSide, workerSide } = channel();
      const registry = new MetricsRegistry();
      recordWorkload(registry, index);
      expose(registry, workerSide);
      merged.addWorker(aggregatorSide, { name: `shard-${index}` });
    }
    const result = await merged.aggregate();
    expect([...result.answered].sort()).toEqual(['shard-0', 'shard-1']);
    expectMergedWorkload(result.snapshot, [0, 1]);
  });

  it('ignores messages that are not its requests, and counts the requests it answered', async () => {
    const { aggregatorSide, workerSide } = channel();
    const registry = new MetricsRegistry();
    registry.counter({ name: 'jobs_total' }).add(5);
    const responder = expose(registry, workerSide);
    const replies: unknown[] = [];
    aggregatorSide.on('message', (message) => replies.push(message));
    // Look-alikes: wrong tag, wrong kind, no id. None of them is answered.
    aggregatorSide.postMessage({ type: 'collect', id: 'x' });
    aggregatorSide.postMessage({ protocol: 'fw0.metrics.cluster/0', kind: 'collect', id: 'x' });
    aggregatorSide.postMessage({ protocol: PROTOCOL, kind: 'snapshot', id: 'x' });
    aggregatorSide.postMessage({ protocol: PROTOCOL, kind: 'collect' });
    const request = { protocol: PROTOCOL, kind: 'collect', id: 'real', sketches: false, timeoutMs: 1000 };
    expect(isCollectRequest(request)).toBe(true);
    aggregatorSide.postMessage(request);
    await waitFor('the answer', () => replies.length >= 1, { timeoutMs: 5000, intervalMs: 10 });
    // Give any wrongly answered look-alike time to arrive as well (bounded: 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ protocol: PROTOCOL, kind: 'snapshot', id: 'real' });
    // Over a port the snapshot travels as JSON text.
    const sent = (replies[0] as { snapshot: unknown }).snapshot;
    expect(typeof sent).toBe('string');
    expect(seriesValue(JSON.parse(sent as string), 'jobs')).toBe(5);
    expect(responder.requestsAnswered).toBe(1);
    aggregatorSide.removeAllListeners('message');
  });

  it('drops a port once it closes', async () => {
    const { port1, port2 } = new MessageChannel();
    const merged = aggregator();
    merged.addWorker(port1);
    expect(merged.workers).toHaveLength(1);
    port2.close();
    await waitFor('the closed port to be dropped', () => merged.workers.length === 0, { timeoutMs: 5000 });
    const result = await merged.aggregate();
    expect(result.failures).toEqual([]);
  });

  it('refuses a second responder on the same port until the first stops', () => {
    const { workerSide } = channel();
    const registry = new MetricsRegistry();
    const first = exposeWorkerMetrics(registry, { port: workerSide });
    expect(() => exposeWorkerMetrics(new MetricsRegistry(), { port: workerSide })).toThrow(ConfigError);
    first.stop();
    expect(first.listening).toBe(false);
    const second = expose(registry, workerSide);
    expect(second.listening).toBe(true);
    expect(workerSide.listenerCount('message')).toBe(1);
    second.stop();
    expect(workerSide.listenerCount('message')).toBe(0);
  });
});
