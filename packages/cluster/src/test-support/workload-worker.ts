/**
 * A test worker: a `node:cluster` worker or forked child (settings in FW0_* environment
 * variables) or a worker thread (settings in workerData, started through thread-entry.mjs).
 * It records the known workload of its index, then behaves as its mode says:
 * - `normal`: exposes its registry.
 * - `block`: exposes it, but its first collection blocks the event loop for `blockMs`.
 * - `exit`: exposes it, and exits in the middle of answering the first request.
 * - `silent`: never exposes it (ignores requests).
 * - `conflict`: exposes a registry where `jobs` is a gauge, not a counter (cannot merge).
 * - `failing`: exposes the registry of a nested aggregator that was stopped: collecting it
 *   throws, so the worker answers with an error.
 * A thread given `port` in workerData answers on that port instead of parentPort.
 * Every worker also answers the application messages `{ type: 'ping' }` with `{ type: 'pong', seen }`
 * (`seen`: messages it did not recognise), and `{ type: 'stop-metrics' }` by stopping the
 * responder, removing its own listener and reporting the listener counts.
 */
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { MetricsRegistry } from '@fw0/metrics-core';
import { exposeWorkerMetrics, getWorkerAggregator } from '../index.js';
import { recordWorkload } from './workload.js';

/** What a test worker is told. */
export interface WorkerSettings {
  readonly index: number;
  readonly mode: 'normal' | 'block' | 'exit' | 'silent' | 'conflict' | 'failing';
  /** How long the `block` mode blocks its event loop, in milliseconds. */
  readonly blockMs?: number;
  /** Threads only: the port to answer on (transferred in workerData). */
  readonly port?: MessagePort;
}

const settings: WorkerSettings = isMainThread
  ? {
      index: Number(process.env.FW0_INDEX ?? 0),
      mode: (process.env.FW0_MODE ?? 'normal') as WorkerSettings['mode'],
      blockMs: Number(process.env.FW0_BLOCK_MS ?? 5000),
    }
  : (workerData as WorkerSettings);

const send = (message: unknown) =>
  isMainThread ? process.send?.(message) : parentPort?.postMessage(message);
const channel = (isMainThread ? process : parentPort)!;

const registry = new MetricsRegistry();
if (settings.mode === 'conflict') registry.gauge({ name: 'jobs' }).set(1);
else recordWorkload(registry, settings.index);

let requests = 0;
registry.register({
  name: 'test_mode',
  getCollectedMetrics: () => [],
  refresh() {
    requests++;
    if (settings.mode === 'exit') process.exit(0);
    if (settings.mode === 'block' && requests === 1) {
      const until = Date.now() + (settings.blockMs ?? 5000);
      while (Date.now() < until) {
        // Blocks the event loop on purpose: this worker cannot answer meanwhile.
      }
    }
  },
});

async function exposed() {
  if (settings.mode === 'silent') return undefined;
  if (settings.mode === 'failing') {
    const nested = getWorkerAggregator({ cluster: false, local: registry });
    await nested.stop();
    return exposeWorkerMetrics(nested.registry);
  }
  return exposeWorkerMetrics(registry, settings.port === undefined ? {} : { port: settings.port });
}
const responder = await exposed();

let unrecognised = 0;
const application = (message: unknown) => {
  const type = (message as { type?: unknown } | null)?.type;
  if (type === 'ping') send({ type: 'pong', seen: unrecognised });
  else if (type === 'stop-metrics') {
    const before = channel.listenerCount('message');
    responder?.stop();
    channel.off('message', application);
    send({ type: 'stopped', before, after: channel.listenerCount('message') });
  } else unrecognised++;
};
channel.on('message', application);

send({ type: 'ready', index: settings.index, pid: process.pid });
