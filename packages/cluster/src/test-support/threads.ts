import { Worker } from 'node:worker_threads';
import type { WorkerSettings } from './workload-worker.js';

const entry = new URL('./thread-entry.mjs', import.meta.url);
const workerModule = new URL('./workload-worker.ts', import.meta.url).href;

/** Waits (at most `timeoutMs`) for the first message of `worker` that satisfies `match`. */
export function nextMessage<T>(
  worker: Worker,
  match: (message: unknown) => message is T,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.off('message', listener);
      reject(new Error(`no matching message from thread ${worker.threadId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (message: unknown) => {
      if (!match(message)) return;
      clearTimeout(timer);
      worker.off('message', listener);
      resolve(message);
    };
    worker.on('message', listener);
  });
}

/** True for a message `{ type }`. */
export function ofType<T extends { type: string }>(type: T['type']) {
  return (message: unknown): message is T => (message as { type?: unknown } | null)?.type === type;
}

/**
 * Starts a test worker thread and waits until it has recorded its workload (bounded); fails at
 * once with the thread's own error when it cannot start.
 */
export async function startThread(settings: WorkerSettings): Promise<Worker> {
  const worker = new Worker(entry, {
    workerData: { ...settings, entry: workerModule },
    transferList: settings.port === undefined ? [] : [settings.port],
  });
  let onError: (error: Error) => void = () => {};
  let onExit: (code: number) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => reject(error);
    onExit = (code) => reject(new Error(`test thread exited with code ${code} before it was ready`));
    worker.once('error', onError);
    worker.once('exit', onExit);
  });
  try {
    await Promise.race([nextMessage(worker, ofType<{ type: 'ready' }>('ready')), failed]);
  } catch (error) {
    await worker.terminate();
    throw error;
  } finally {
    worker.off('error', onError);
    worker.off('exit', onExit);
  }
  return worker;
}

/** Terminates every thread (bounded by Node: terminate() stops even a blocked thread). */
export async function stopThreads(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.terminate()));
}
