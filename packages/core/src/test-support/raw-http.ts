import { connect } from 'node:net';

/**
 * Sends `requestLine` (e.g. `GET // HTTP/1.1`) as is over a TCP socket to 127.0.0.1:`port` and
 * returns the whole raw reply: no client library checks or rewrites the request target first.
 */
export function rawHttpRequest(port: number, requestLine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no reply within 5 s')));
    socket.on('connect', () =>
      socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

/** The status code of a raw HTTP/1.1 reply (0 when there is none). */
export function statusOf(reply: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1] ?? 0);
}
