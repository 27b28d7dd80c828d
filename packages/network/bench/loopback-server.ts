/**
 * The server of the network benchmarks, run in its own process so that it does not share the
 * event loop being measured: HTTP and HTTPS on 127.0.0.1 answering "ok", with the key and
 * certificate files named by BENCH_KEY and BENCH_CERT. Prints `{"http":port,"https":port}`.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const answer: RequestListener = (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  response.end('ok');
};

const http = createHttpServer({ keepAliveTimeout: 60_000 }, answer);
const https = createHttpsServer(
  {
    key: readFileSync(process.env.BENCH_KEY ?? '', 'utf8'),
    cert: readFileSync(process.env.BENCH_CERT ?? '', 'utf8'),
    keepAliveTimeout: 60_000,
  },
  answer,
);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
const port = (server: typeof http | typeof https) => (server.address() as AddressInfo).port;
console.log(JSON.stringify({ http: port(http), https: port(https) }));
