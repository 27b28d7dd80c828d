import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The local HTTP server the demo's workload calls and its probes watch (loopback only). */
export interface TargetServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Serves `/health` (fast), `/api/prices` (a few ms of "processing", one response in fifty a
 * 503) and `/api/catalog` (a body of a few KiB sent in two parts): enough for the HTTP phases,
 * pool stats and success rates to show something real.
 */
export async function startTargetServer(): Promise<TargetServer> {
  let requests = 0;
  const server: Server = createServer(async (request, response) => {
    requests++;
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === '/health') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
      return;
    }
    if (pathname === '/api/prices') {
      await sleep(2 + (requests % 7));
      if (requests % 50 === 0) {
        response.writeHead(503, { 'Content-Type': 'text/plain' }).end('busy\n');
        return;
      }
      response
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ eur: 1, usd: 1.08, gbp: 0.86 }));
      return;
    }
    if (pathname === '/api/catalog') {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.write('x'.repeat(2048));
      await sleep(3);
      response.end('y'.repeat(1024 + (requests % 4) * 512));
      return;
    }
    response.writeHead(404).end();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
