import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeWriteRequest, type WriteRequest } from '../remote-write/write-request.js';
import { snappyDecompress } from '../snappy/decompress.js';

/** One request the receiver got, decoded. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw (compressed) body. */
  readonly body: Buffer;
  /** The decoded write request (undefined if the body was not one). */
  readonly write: WriteRequest | undefined;
}

/** How to answer a request: a status (with optional body and headers), or never answer at all. */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/**
 * A real HTTP server on 127.0.0.1 that decodes remote-write requests with this package's
 * decoder and answers what the test scripts (statuses, `Retry-After`, a hang), recording every
 * request. Used where a real store cannot be made to answer 4xx/5xx on demand.
 */
export interface ScriptedReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Changes the script: `reply(request, index)` answers the index-th request (from 0). */
  script(reply: (request: ReceivedRequest, index: number) => Reply): void;
  close(): Promise<void>;
}

/**
 * Starts a {@link ScriptedReceiver} on `port` (default: a free one), answering 204 until
 * scripted otherwise; over HTTPS when given a key and certificate.
 */
export async function startScriptedReceiver(
  port = 0,
  tls?: { key: string; cert: string },
): Promise<ScriptedReceiver> {
  const requests: ReceivedRequest[] = [];
  let reply: (request: ReceivedRequest, index: number) => Reply = () => ({ status: 204 });
  const hanging: ServerResponse[] = [];
  const handle = (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      let write: WriteRequest | undefined;
      try {
        write = decodeWriteRequest(snappyDecompress(body));
      } catch {
        write = undefined;
      }
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body,
        write,
      };
      const index = requests.length;
      requests.push(request);
      const answer = reply(request, index);
      if (answer === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(answer.status, { 'Content-Type': 'text/plain', ...answer.headers });
      response.end(answer.body ?? '');
    });
  };
  const server = tls === undefined ? createServer(handle) : createTlsServer(tls, handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${address.port}/api/v1/write`,
    requests,
    script(next) {
      reply = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
