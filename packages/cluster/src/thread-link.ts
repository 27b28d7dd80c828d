import type { MessagePort, Worker } from 'node:worker_threads';
import type { CollectRequest } from './protocol.js';
import type { Listenable, WorkerLink } from './worker-link.js';

/** What a `Worker` and a `MessagePort` have in common for this package. */
interface PortLike extends Listenable {
  postMessage(value: unknown): void;
}

abstract class PortLinkBase<T extends PortLike> implements WorkerLink {
  private alive = true;
  private readonly gone: () => void;

  constructor(
    readonly name: string,
    protected readonly channel: T,
    /** The event that says the worker is gone for good. */
    private readonly goneEvent: 'exit' | 'close',
    onGone: () => void,
  ) {
    this.gone = () => {
      this.alive = false;
      onGone();
    };
    channel.once(goneEvent, this.gone);
  }

  isAlive(): boolean {
    return this.alive;
  }

  send(request: CollectRequest, onError: (error: unknown) => void): void {
    try {
      this.channel.postMessage(request);
    } catch (error) {
      onError(error);
    }
  }

  listen(onMessage: (message: unknown) => void, onGone: () => void): () => void {
    const message = (value: unknown) => onMessage(value);
    const gone = () => onGone();
    // `off` (not removeAllListeners) so that a port unrefs again once no message listener is left.
    this.channel.on('message', message);
    this.channel.on(this.goneEvent, gone);
    return () => {
      this.channel.off('message', message);
      this.channel.off(this.goneEvent, gone);
    };
  }

  dispose(): void {
    this.channel.off(this.goneEvent, this.gone);
  }
}

/** A `worker_threads` Worker, seen from the thread that created it; named `thread-<threadId>` by default. */
export class ThreadLink extends PortLinkBase<Worker> {
  constructor(worker: Worker, name: string, onGone: () => void) {
    super(name, worker, 'exit', onGone);
  }
}

/**
 * One end of a `MessageChannel` whose other end a worker passed to `exposeWorkerMetrics`; named
 * `port-<n>` by default. The port listens only while a request waits for its answer, so it never
 * keeps the process alive on its own.
 */
export class PortLink extends PortLinkBase<MessagePort> {
  constructor(port: MessagePort, name: string, onGone: () => void) {
    super(name, port, 'close', onGone);
  }
}
