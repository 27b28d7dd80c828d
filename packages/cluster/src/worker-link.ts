import type { CollectRequest } from './protocol.js';

/**
 * One worker as the aggregator sees it: a channel to send snapshot requests on and hear the
 * answers from, whatever carries it (cluster IPC, a child process, a worker thread, a port).
 */
export interface WorkerLink {
  /** The worker's name: the `worker` label of self-metrics and of the per-worker view. */
  readonly name: string;
  /** True while a request can be sent (the worker runs and its channel is open). */
  isAlive(): boolean;
  /** Sends a request; `onError` hears (at most once) why it could not be sent. */
  send(request: CollectRequest, onError: (error: unknown) => void): void;
  /**
   * Listens for the worker's messages and for it going away (exit, disconnect, port closed)
   * until the returned function is called; that function removes both listeners.
   */
  listen(onMessage: (message: unknown) => void, onGone: () => void): () => void;
  /** Removes the listeners the link keeps for its whole life (none for cluster workers). */
  dispose(): void;
}

/** The event methods every channel this package listens on has (emitters and Node ports). */
export interface Listenable {
  on(event: string, listener: (value: unknown) => void): unknown;
  off(event: string, listener: (value: unknown) => void): unknown;
  once(event: string, listener: (value: unknown) => void): unknown;
}
