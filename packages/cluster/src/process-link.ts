import type { ChildProcess } from 'node:child_process';
import type { Worker as ClusterWorker } from 'node:cluster';
import type { CollectRequest } from './protocol.js';
import type { Listenable, WorkerLink } from './worker-link.js';

/** What cluster workers and child processes forked with an IPC channel have in common. */
interface ProcessChannel extends Listenable {
  send(message: CollectRequest, callback: (error: Error | null) => void): boolean;
}

abstract class ProcessLinkBase<T extends ProcessChannel> implements WorkerLink {
  constructor(
    readonly name: string,
    protected readonly channel: T,
  ) {}

  abstract isAlive(): boolean;

  send(request: CollectRequest, onError: (error: unknown) => void): void {
    try {
      // Without a callback a failed send would be an 'error' event on the application's object.
      this.channel.send(request, (error) => {
        if (error) onError(error);
      });
    } catch (error) {
      onError(error);
    }
  }

  listen(onMessage: (message: unknown) => void, onGone: () => void): () => void {
    const message = (value: unknown) => onMessage(value);
    const gone = () => onGone();
    this.channel.on('message', message);
    this.channel.on('exit', gone);
    this.channel.on('disconnect', gone);
    return () => {
      this.channel.off('message', message);
      this.channel.off('exit', gone);
      this.channel.off('disconnect', gone);
    };
  }

  dispose(): void {}
}

/** A `node:cluster` worker, seen from the primary; named by its cluster id. */
export class ClusterWorkerLink extends ProcessLinkBase<ClusterWorker> {
  constructor(worker: ClusterWorker, name = String(worker.id)) {
    super(name, worker);
  }

  isAlive(): boolean {
    return this.channel.isConnected() && !this.channel.isDead();
  }
}

/**
 * A child process started with an IPC channel (`child_process.fork()`), seen from its parent;
 * named `pid-<pid>` unless told otherwise. `onGone` hears when it exits or disconnects.
 */
export class ChildProcessLink extends ProcessLinkBase<ChildProcess> {
  private readonly gone: () => void;

  constructor(child: ChildProcess, name: string, onGone: () => void) {
    super(name, child);
    this.gone = () => onGone();
    child.once('exit', this.gone);
    child.once('disconnect', this.gone);
  }

  isAlive(): boolean {
    return this.channel.connected && this.channel.exitCode === null && this.channel.signalCode === null;
  }

  override dispose(): void {
    this.channel.off('exit', this.gone);
    this.channel.off('disconnect', this.gone);
  }
}
