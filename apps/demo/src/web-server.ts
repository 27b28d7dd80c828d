import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetricsHandler, type MetricsRegistry, serializeJson } from '@fw0/metrics-core';

/** Where the dashboard gets its data: the latest frames and a stream of new ones. */
export interface FrameSource {
  /** Frames kept for a page that just opened (oldest first). */
  history(): readonly unknown[];
  /** Calls `listener` with each new frame; returns the unsubscribe function. */
  subscribe(listener: (frame: unknown) => void): () => void;
}

/** A running web server of the demo. */
export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Sets where the dashboard's frames come from (the stream answers empty until then). */
  attachFrames(frames: FrameSource): void;
  close(): Promise<void>;
}

const NO_FRAMES: FrameSource = { history: () => [], subscribe: () => () => {} };

const require = createRequire(import.meta.url);
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const ASSETS: Readonly<Record<string, string>> = {
  '/assets/uplot.js': require.resolve('uplot/dist/uPlot.iife.min.js'),
  '/assets/uplot.css': require.resolve('uplot/dist/uPlot.min.css'),
  '/assets/dashboard.js': join(PUBLIC, 'dashboard.js'),
  '/assets/dashboard.css': join(PUBLIC, 'dashboard.css'),
  '/': join(PUBLIC, 'index.html'),
};
const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/**
 * Serves the dashboard (`/`), `/metrics` (core's handler: Prometheus text or OpenMetrics by
 * negotiation; merged across workers when there are some, and `/metrics/workers` unmerged), `/api/snapshot` (JSON with quantiles) and `/api/stream` (Server-Sent Events:
 * the history first, then one frame a second). Binds to loopback unless told otherwise.
 */
export async function startWebServer(
  registry: MetricsRegistry,
  initialFrames: FrameSource | undefined,
  options: {
    host: string;
    port: number;
    metricsHandler?: (request: IncomingMessage, response: ServerResponse) => void;
    /** With cluster workers: every worker's series unmerged, at `/metrics/workers`. */
    workerMetricsHandler?: (request: IncomingMessage, response: ServerResponse) => void;
  },
): Promise<WebServer> {
  const metrics = options.metricsHandler ?? createMetricsHandler(registry);
  const streams = new Set<ServerResponse>();
  let frames = initialFrames ?? NO_FRAMES;
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === '/metrics') return metrics(request, response);
    if (pathname === '/metrics/workers' && options.workerMetricsHandler)
      return options.workerMetricsHandler(request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === '/api/snapshot') {
      registry.collect().then(
        (snapshot) =>
          response
            .writeHead(200, {
              'Content-Type': 'application/json; charset=utf-8',
              'Cache-Control': 'no-store',
            })
            .end(serializeJson(snapshot)),
        () => response.writeHead(500).end(),
      );
      return;
    }
    if (pathname === '/api/stream') {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      response.write(`event: history\ndata: ${JSON.stringify(frames.history())}\n\n`);
      const unsubscribe = frames.subscribe((frame) => response.write(`data: ${JSON.stringify(frame)}\n\n`));
      streams.add(response);
      request.on('close', () => {
        unsubscribe();
        streams.delete(response);
      });
      return;
    }
    const file = ASSETS[pathname];
    if (file === undefined || !existsSync(file)) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      // The page only loads its own scripts and talks to its own origin.
      'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    server,
    attachFrames(source) {
      frames = source;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
