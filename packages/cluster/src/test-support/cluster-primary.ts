/**
 * A cluster primary for the tests: forks FW0_WORKERS workers (modes in FW0_MODES, comma
 * separated), serves the aggregator's merged metrics at /metrics on 127.0.0.1, and prints one
 * line `READY <json>` with its URL and its workers. Control endpoints for the tests:
 * - `POST /control/fork?index=&mode=` forks one more worker and waits until it is ready;
 * - `POST /control/kill?id=` kills a worker (SIGKILL) and waits for its exit;
 * - `GET /control/aggregate` runs one collection and says who answered and who failed;
 * - `GET /control/listeners` counts the listeners on every worker object.
 * On SIGTERM it kills its workers, waits for them (bounded), and exits.
 */
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { getWorkerAggregator } from '../index.js';

const workerScript = fileURLToPath(new URL('./workload-worker.ts', import.meta.url));
const count = Number(process.env.FW0_WORKERS ?? 2);
const modes = (process.env.FW0_MODES ?? '').split(',').filter((mode) => mode !== '');
const timeoutMs = Number(process.env.FW0_TIMEOUT_MS ?? 1000);
const workerLabel = process.env.FW0_WORKER_LABEL;

cluster.setupPrimary({ exec: workerScript, silent: false });

function fork(index: number, mode: string): Promise<Worker> {
  const worker = cluster.fork({ FW0_INDEX: String(index), FW0_MODE: mode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${index} not ready within 20 s`)), 20_000);
    const ready = (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      worker.off('message', ready);
      resolve(worker);
    };
    worker.on('message', ready);
  });
}

function describe(worker: Worker) {
  return { id: worker.id, pid: worker.process.pid };
}

const started = await Promise.all(
  Array.from({ length: count }, (_, index) => fork(index, modes[index] ?? 'normal')),
);
const aggregator = getWorkerAggregator({
  timeoutMs,
  ...(workerLabel === undefined ? {} : { workerLabel }),
});
const metrics = aggregator.createHandler();

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const json = (body: unknown) => {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const fail = (error: unknown) => response.writeHead(500).end(String(error));
  if (url.pathname === '/metrics') return metrics(request, response);
  if (url.pathname === '/control/fork' && request.method === 'POST') {
    fork(Number(url.searchParams.get('index')), url.searchParams.get('mode') ?? 'normal').then(
      (worker) => json(describe(worker)),
      fail,
    );
    return;
  }
  if (url.pathname === '/control/kill' && request.method === 'POST') {
    const worker = cluster.workers?.[url.searchParams.get('id') ?? ''];
    if (worker === undefined) return response.writeHead(404).end();
    worker.once('exit', () => json(describe(worker)));
    worker.process.kill('SIGKILL');
    return;
  }
  if (url.pathname === '/control/aggregate') {
    const started = performance.now();
    aggregator.aggregate({ sketches: false }).then(
      (result) =>
        json({
          answered: result.answered,
          failures: result.failures.map(({ worker, reason }) => ({ worker, reason })),
          ms: performance.now() - started,
        }),
      fail,
    );
    return;
  }
  if (url.pathname === '/control/listeners') {
    return json(
      Object.values(cluster.workers ?? {}).map((worker) => ({
        id: worker!.id,
        message: worker!.listenerCount('message'),
        exit: worker!.listenerCount('exit'),
        disconnect: worker!.listenerCount('disconnect'),
      })),
    );
  }
  response.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  process.stdout.write(`READY ${JSON.stringify({ base, workers: started.map(describe) })}\n`);
});

process.once('SIGTERM', () => {
  const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  const exits = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  for (const worker of workers) worker.process.kill('SIGKILL');
  const deadline = setTimeout(() => process.exit(1), 5000);
  void Promise.all(exits).then(async () => {
    clearTimeout(deadline);
    await aggregator.stop();
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
});
