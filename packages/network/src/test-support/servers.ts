import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { performance } from 'node:perf_hooks';

/** When a server accepted one connection and when it closed, in `performance.now()` milliseconds. */
export interface ConnectionTimes {
  readonly acceptedAt: number;
  closedAt: number | undefined;
}

/** A server a test started on 127.0.0.1; `close()` destroys its connections and stops it. */
export interface TestServer {
  readonly port: number;
  /** `http://127.0.0.1:port` (or https). */
  readonly origin: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /** Every connection accepted, in order, with when it was accepted and closed. */
  readonly connections: readonly ConnectionTimes[];
  /** Resolves once no connection is open (bounded by `timeoutMs`; rejects after it). */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Tracks the sockets of `server` and listens on 127.0.0.1 (port chosen by the OS). */
async function listen(server: Server | TcpServer, scheme: string): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const connections: ConnectionTimes[] = [];
  const waiters = new Set<() => void>();
  server.on('connection', (socket: Socket) => {
    accepted++;
    const times: ConnectionTimes = { acceptedAt: performance.now(), closedAt: undefined };
    connections.push(times);
    sockets.add(socket);
    socket.on('close', () => {
      times.closedAt = performance.now();
      sockets.delete(socket);
      if (sockets.size === 0) for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return {
    port: address.port,
    origin: `${scheme}://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    connections,
    idle(timeoutMs = 5000) {
      if (sockets.size === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`${sockets.size} connection(s) still open after ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts an HTTP server on 127.0.0.1 answering with `handler`. */
export function startHttpServer(handler: RequestListener): Promise<TestServer> {
  return listen(createHttpServer(handler), 'http');
}

/** Starts an HTTPS server on 127.0.0.1 with the given PEM key and certificate. */
export function startHttpsServer(
  credentials: { readonly key: string; readonly cert: string },
  handler: RequestListener,
): Promise<TestServer> {
  return listen(createHttpsServer(credentials, handler), 'https');
}

/** Starts a TCP server that accepts connections, reads what comes and never sends a byte. */
export function startSilentServer(): Promise<TestServer> {
  // Reading (resume) is what lets the server notice the client closing.
  return listen(
    createTcpServer((socket) => socket.on('error', () => {}).resume()),
    'http',
  );
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
