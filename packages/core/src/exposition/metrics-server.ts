import { createServer, type Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { ConfigError, describeValue } from '../errors.js';
import { safeLog } from '../logger.js';
import type { MetricsRegistry } from '../registry.js';
import { assertIntegerOption, assertOptionsObject } from '../validation.js';
import { createMetricsHandler, type MetricsHandlerOptions } from './http-handler.js';
import { parseRequestTarget } from './request-target.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions extends MetricsHandlerOptions {
  /** TCP port (default 9464; 0 picks a free one). */
  readonly port?: number;
  /**
   * Address to listen on: an IP address or a host name (default `127.0.0.1`: loopback only; set
   * `0.0.0.0` deliberately).
   */
  readonly host?: string;
  /**
   * Path of the metrics endpoint (default `/metrics`), as requests carry it: starting with `/`,
   * percent-encoded where URLs need it (`/m%C3%A9triques`, not `/métriques`). Other paths answer 404.
   */
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

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * Checks `host` before it reaches `listen()`, which would otherwise ask the resolver about any
 * string (`"a b"`, `""`) or fail with an untyped error.
 */
function checkHost(host: unknown): asserts host is string {
  if (typeof host !== 'string' || (isIP(host) === 0 && !HOST_NAME.test(host))) {
    throw new ConfigError(
      `Invalid option host=${describeValue(host)}: expected an IP address or a host name, e.g. "127.0.0.1" or "::1"`,
      { subject: 'host', value: host },
    );
  }
}

/** Checks that `path` is a path as requests carry it, so that the endpoint can be reached at all. */
function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || !path.startsWith('/') || parseRequestTarget(path)?.pathname !== path) {
    throw new ConfigError(
      `Invalid option path=${describeValue(path)}: expected a URL path starting with "/", percent-encoded, without query or fragment (e.g. "/metrics")`,
      { subject: 'path', value: path },
    );
  }
}

/** Starts an HTTP server that serves `registry` at `path`, bound to loopback unless told otherwise. */
export async function startMetricsServer(
  registry: MetricsRegistry,
  options: MetricsServerOptions = {},
): Promise<MetricsServer> {
  assertOptionsObject('startMetricsServer', options);
  const port = options.port ?? 9464;
  assertIntegerOption('port', port, 0, 65_535);
  const host = options.host ?? '127.0.0.1';
  checkHost(host);
  const path = options.path ?? '/metrics';
  checkPath(path);
  const handler = createMetricsHandler(registry, options);
  const plain = (response: Parameters<typeof handler>[1], code: number, text: string) =>
    response.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
  const server = createServer((request, response) => {
    // A request listener that throws takes the host process down: nothing here may.
    try {
      const target = parseRequestTarget(request.url);
      if (target === undefined) {
        safeLog(registry.logger, 'debug', 'metrics server: refused a request target that is not a URL', {
          target: request.url,
        });
        plain(response, 400, 'Bad Request: the request target is not a valid URL\n');
        return;
      }
      if (target.pathname !== path) {
        plain(response, 404, 'Not Found\n');
        return;
      }
      handler(request, response);
    } catch (error) {
      safeLog(registry.logger, 'error', 'metrics server: request failed', { error });
      response.destroy();
    }
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
