import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from '../registry.js';
import { assertIntegerOption } from '../validation.js';
import { createMetricsHandler, type MetricsHandlerOptions } from './http-handler.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions extends MetricsHandlerOptions {
  /** TCP port (default 9464; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default `127.0.0.1`: loopback only; set `0.0.0.0` deliberately). */
  readonly host?: string;
  /** Path of the metrics endpoint (default `/metrics`); other paths answer 404. */
  readonly path?: string;
}

/** A running metrics server. */
export interface MetricsServer {
  /** Full URL of the metrics endpoint, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts an HTTP server that serves `registry` at `path`, bound to loopback unless told otherwise. */
export async function startMetricsServer(
  registry: MetricsRegistry,
  options: MetricsServerOptions = {},
): Promise<MetricsServer> {
  const port = options.port ?? 9464;
  assertIntegerOption('port', port, 0, 65_535);
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  const handler = createMetricsHandler(registry, options);
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname !== path) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}${path}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
