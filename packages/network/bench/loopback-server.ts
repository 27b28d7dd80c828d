/**
 * The server of the network benchmarks, run in its own process so that it does not share the
 * event loop being measured: HTTP and HTTPS on 127.0.0.1 answering "ok", with the key and
 * certificate files named by BENCH_KEY and BENCH_CERT. Besides the main HTTP port, one more HTTP
 * port per variant of a side-by-side comparison (BENCH_SIDE_PORTS of them, default 5), and a
 * control port answering, as JSON, how many connections each HTTP port has accepted so far (so
 * that a benchmark shows how many connections each variant used without adding any to the
 * count). Prints `{"http":port,"https":port,"side":[ports],"control":port}`.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const answer: RequestListener = (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  response.end('ok');
};

const accepted = new Map<number, number>();

async function httpServer(): Promise<number> {
  const server = createHttpServer({ keepAliveTimeout: 60_000 }, answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  accepted.set(port, 0);
  server.on('connection', () => accepted.set(port, accepted.get(port)! + 1));
  return port;
}

const port = (server: Server) => (server.address() as AddressInfo).port;
const http = await httpServer();
const side: number[] = [];
for (let i = 0; i < Number(process.env.BENCH_SIDE_PORTS ?? 5); i++) side.push(await httpServer());
const https = createHttpsServer(
  {
    key: readFileSync(process.env.BENCH_KEY ?? '', 'utf8'),
    cert: readFileSync(process.env.BENCH_CERT ?? '', 'utf8'),
    keepAliveTimeout: 60_000,
  },
  answer,
);
await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
const control = createHttpServer((_request, response) =>
  response.end(JSON.stringify(Object.fromEntries(accepted))),
);
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
console.log(JSON.stringify({ http, https: port(https), side, control: port(control) }));

// Stopped by its PID when the benchmark ends; should the benchmark die first (a crash, an exit
// without clean-up), this process is re-parented: it leaves then rather than linger, busy with
// timers and sockets, under the next benchmark's measurements.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
