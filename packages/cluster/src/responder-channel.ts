import { isMainThread, type MessagePort, parentPort } from 'node:worker_threads';
import { ConfigError, describeValue } from '@fw0/metrics-core';
import type { Reply } from './protocol.js';

/** The channel a worker answers on: its parent's IPC, its `parentPort`, or a port handed over. */
export interface ResponderChannel {
  /** The object listened on (the process or the port): one responder per channel. */
  readonly key: object;
  /** Send snapshots as JSON text (ports) rather than objects (process IPC serialises them itself). */
  readonly snapshotAsText: boolean;
  listen(listener: (message: unknown) => void): void;
  unlisten(listener: (message: unknown) => void): void;
  /** Sends a reply; `onError` hears why it could not be sent. */
  reply(message: Reply, onError: (error: unknown) => void): void;
}

/** What a port handed to `exposeWorkerMetrics` must offer. */
type PortLike = Pick<MessagePort, 'postMessage' | 'on' | 'off'>;

function isPortLike(value: unknown): value is PortLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PortLike).postMessage === 'function' &&
    typeof (value as PortLike).on === 'function' &&
    typeof (value as PortLike).off === 'function'
  );
}

function portChannel(port: PortLike): ResponderChannel {
  return {
    key: port,
    snapshotAsText: true,
    // `off` (not removeAllListeners) lets the port unref again once no message listener is left.
    listen: (listener) => port.on('message', listener),
    unlisten: (listener) => port.off('message', listener),
    reply: (message, onError) => {
      try {
        port.postMessage(message);
      } catch (error) {
        onError(error);
      }
    },
  };
}

function processChannel(): ResponderChannel {
  return {
    key: process,
    snapshotAsText: false,
    listen: (listener) => process.on('message', listener),
    unlisten: (listener) => process.off('message', listener),
    reply: (message, onError) => {
      try {
        if (process.send === undefined) throw new Error('the IPC channel to the parent process is closed');
        process.send(message, (error: Error | null) => {
          if (error) onError(error);
        });
      } catch (error) {
        onError(error);
      }
    },
  };
}

/**
 * The channel to answer on: `port` when given, else `parentPort` in a worker thread, else the
 * IPC channel of a cluster worker or forked child. Throws `ConfigError` when there is none.
 */
export function responderChannel(port: unknown): ResponderChannel {
  if (port !== undefined) {
    if (!isPortLike(port)) {
      throw new ConfigError(`Invalid option port=${describeValue(port)}: expected a MessagePort`, {
        subject: 'port',
        value: port,
      });
    }
    return portChannel(port);
  }
  if (!isMainThread && parentPort !== null) return portChannel(parentPort);
  if (typeof process.send === 'function') return processChannel();
  throw new ConfigError(
    'exposeWorkerMetrics() has no channel to answer on: call it in a cluster worker, a forked child process or a worker thread, or pass { port }',
    { subject: 'port', value: port },
  );
}
