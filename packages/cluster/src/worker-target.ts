import { ChildProcess } from 'node:child_process';
import { Worker as ClusterWorker } from 'node:cluster';
import { MessagePort, Worker } from 'node:worker_threads';
import { ConfigError, describeValue } from '@fw0/metrics-core';
import { ChildProcessLink } from './process-link.js';
import { PortLink, ThreadLink } from './thread-link.js';
import type { WorkerLink } from './worker-link.js';

/**
 * What can be added to an aggregator: a `worker_threads` Worker, a child process forked with an
 * IPC channel, or a `MessagePort` whose other end a worker passed to `exposeWorkerMetrics`.
 * `node:cluster` workers need not be added: they are asked automatically.
 */
export type WorkerTarget = Worker | ChildProcess | MessagePort;

/** Options of `aggregator.addWorker()`. */
export interface AddWorkerOptions {
  /**
   * The worker's name in self-metrics and in the per-worker view (default `thread-<threadId>`,
   * `pid-<pid>` or `port-<n>`).
   */
  readonly name?: string;
}

let portSequence = 0;

/** The link for `target`, after checking it can be asked; `onGone` hears when it goes away for good. */
export function linkTo(target: WorkerTarget, options: AddWorkerOptions, onGone: () => void): WorkerLink {
  // The name becomes a label value (`worker`): it must be well-formed Unicode, or every later
  // collection that reports this worker would fail.
  if (
    options.name !== undefined &&
    (typeof options.name !== 'string' || options.name === '' || !options.name.isWellFormed())
  ) {
    throw new ConfigError(
      `Invalid worker name ${describeValue(options.name)}: expected a non-empty string of valid Unicode`,
      {
        subject: 'name',
        value: options.name,
      },
    );
  }
  if (target instanceof Worker) {
    if (target.threadId < 0) {
      throw new ConfigError('Cannot add a worker thread that has already exited', {
        subject: 'worker',
        value: target.threadId,
      });
    }
    return new ThreadLink(target, options.name ?? `thread-${target.threadId}`, onGone);
  }
  if (target instanceof MessagePort) {
    return new PortLink(target, options.name ?? `port-${++portSequence}`, onGone);
  }
  if (target instanceof ChildProcess) {
    if (!target.connected || typeof target.send !== 'function') {
      throw new ConfigError(
        `Cannot add child process ${target.pid ?? '(not started)'}: it has no open IPC channel (start it with fork(), or spawn with an 'ipc' stdio entry)`,
        { subject: 'worker', value: target.pid },
      );
    }
    return new ChildProcessLink(target, options.name ?? `pid-${target.pid}`, onGone);
  }
  const other: unknown = target;
  if (other instanceof ClusterWorker) {
    throw new ConfigError(
      `Cluster worker ${other.id} need not be added: cluster workers are asked automatically (option cluster)`,
      { subject: 'worker', value: other.id },
    );
  }
  throw new ConfigError(
    `Cannot add ${describeValue(target)} as a worker: expected a worker_threads Worker, a forked ChildProcess or a MessagePort`,
    { subject: 'worker', value: target },
  );
}
