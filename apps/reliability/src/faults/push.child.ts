/**
 * Host for the push fault tests (push.test.ts), run in a child process:
 * `node --import tsx push.child.ts <mode> '<json config>'`.
 *
 * - `pushgateway-down`, `pushgateway-hang`: one `push()` of a PushgatewayClient (3 and 2
 *   attempts) to a closed port or to a server that never answers.
 * - `remote-write-down`: a RemoteWriteExporter pushes every 200 ms to a closed port for 1.5 s, is
 *   flushed (which cannot succeed), then a receiver starts on that port (in this process) and the
 *   exporter is flushed and stopped: every snapshot taken during the outage must arrive.
 * - `remote-write-hang`: the same against a server that never answers, then flush and stop.
 * Every snapshot the exporter takes is counted (samples per snapshot) by wrapping
 * `registry.collect`, and a collector counts snapshots in `faults_snapshots_total`, so that the
 * parent can check that nothing was lost without being counted.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import {
  type LogFields,
  type Logger,
  MetricsRegistry,
  RemoteError,
  serializePrometheus,
  TimeoutError,
} from '@fw0/metrics-core';
import {
  decodeWriteRequest,
  PushgatewayClient,
  RemoteWriteExporter,
  SeriesEncoder,
  snappyDecompress,
} from '@fw0/metrics-push';
import { describeError, hostScenario, sleep, timed } from './support.js';

export type PushMode = 'pushgateway-down' | 'pushgateway-hang' | 'remote-write-down' | 'remote-write-hang';

export interface PushScenarioConfig {
  /** The remote: a closed port, or the port of a server that never answers. */
  readonly port: number;
  /** Per-request timeout, in milliseconds. */
  readonly timeoutMs: number;
}

/** An error the exporter logged, as checked by the parent. */
export interface LoggedError {
  readonly message: string;
  readonly isRemoteError: boolean;
  /** The cause is a core TimeoutError (for a remote that never answered). */
  readonly causeIsTimeout: boolean;
  readonly code: string | undefined;
}

export interface PushgatewayResult {
  readonly attempts: number;
  readonly retry: { initialBackoffMs: number; maxBackoffMs: number };
  readonly pushMs: number;
  readonly outcome: {
    ok: boolean;
    reason?: string;
    attempts: number;
    status?: number | undefined;
    isRemoteError: boolean;
    causeIsTimeout: boolean;
    error: ReturnType<typeof describeError> | undefined;
  };
  readonly logged: LoggedError[];
  readonly exposition: string;
}

export interface RemoteWriteResult {
  readonly outageMs: number;
  readonly intervalMs: number;
  readonly retry: { initialBackoffMs: number; maxBackoffMs: number };
  /** Queue and counters at the end of the outage. */
  readonly duringOutage: { queuedSamples: number; exposition: string };
  /** `flush()` while the remote is still failing. */
  readonly failedFlush: { ms: number; timeoutMs: number; result: boolean };
  /** `remote-write-down` only: `flush()` once the receiver is up. */
  readonly recoveredFlush?: { ms: number; timeoutMs: number; result: boolean };
  readonly queuedBeforeStop: number;
  readonly stop: { ms: number; timeoutMs: number };
  /** Samples in every snapshot the exporter took (counted as they were taken). */
  readonly enqueuedSamples: number;
  readonly snapshots: number;
  /** `remote-write-down` only: values of faults_snapshots_total the receiver got, in order. */
  readonly receivedSnapshotValues?: number[];
  readonly receivedSamples?: number;
  readonly logged: LoggedError[];
  readonly exposition: string;
}

const [mode, rawConfig] = process.argv.slice(2) as [PushMode, string];
const config = JSON.parse(rawConfig) as PushScenarioConfig;

/** Keeps every error the library logs. */
class ErrorLog implements Logger {
  readonly errors: LoggedError[] = [];
  debug(): void {}
  warn(): void {}
  error(message: string, fields?: LogFields): void {
    const error = fields?.error;
    this.errors.push({
      message,
      isRemoteError: error instanceof RemoteError,
      causeIsTimeout: (error as { cause?: unknown } | undefined)?.cause instanceof TimeoutError,
      code: (error as { code?: string } | undefined)?.code,
    });
  }
}

/** A registry whose snapshots are counted, and a little data to push. */
function countedRegistry(logger: Logger) {
  const registry = new MetricsRegistry({ logger, collectTimeoutMs: 1000 });
  registry.counter({ name: 'faults_jobs', help: 'Jobs done.' }).add(5, { queue: 'emails' });
  const snapshots = registry.counter({ name: 'faults_snapshots', help: 'Snapshots taken.' });
  registry.register({
    name: 'snapshot_counter',
    refresh: () => snapshots.add(1),
    getCollectedMetrics: () => [],
  });
  let enqueuedSamples = 0;
  const collect = registry.collect.bind(registry);
  registry.collect = async (options) => {
    const snapshot = await collect(options);
    enqueuedSamples += SeriesEncoder.sampleCount(snapshot);
    return snapshot;
  };
  return {
    registry,
    enqueued: () => enqueuedSamples,
    snapshots: () => snapshots.get(),
  };
}

async function pushgateway(): Promise<PushgatewayResult> {
  const log = new ErrorLog();
  const registry = new MetricsRegistry({ logger: log });
  registry.counter({ name: 'faults_batch_rows', help: 'Rows.' }).add(12);
  const attempts = mode === 'pushgateway-down' ? 3 : 2;
  const retry = { initialBackoffMs: 100, maxBackoffMs: 200, jitter: 0 };
  const client = new PushgatewayClient({
    url: `http://127.0.0.1:${config.port}`,
    registry,
    job: 'faults',
    timeoutMs: config.timeoutMs,
    attempts,
    retry,
    logger: log,
  });
  const pushed = await timed(() => client.push());
  const result = pushed.value;
  return {
    attempts,
    retry,
    pushMs: pushed.ms,
    outcome: result.ok
      ? { ok: true, attempts: result.attempts, isRemoteError: false, causeIsTimeout: false, error: undefined }
      : {
          ok: false,
          reason: result.reason,
          attempts: result.attempts,
          status: result.status,
          isRemoteError: result.error instanceof RemoteError,
          causeIsTimeout: result.error.cause instanceof TimeoutError,
          error: describeError(result.error),
        },
    logged: log.errors,
    exposition: serializePrometheus(registry.snapshot()),
  };
}

async function remoteWrite(): Promise<RemoteWriteResult> {
  const log = new ErrorLog();
  const { registry, enqueued, snapshots } = countedRegistry(log);
  const intervalMs = 200;
  const retry = { initialBackoffMs: 100, maxBackoffMs: 400, jitter: 0 };
  const exporter = new RemoteWriteExporter({
    url: `http://127.0.0.1:${config.port}/api/v1/write`,
    registry,
    intervalMs,
    timeoutMs: config.timeoutMs,
    retry,
    logger: log,
    metadataIntervalMs: 0,
  });
  exporter.start();
  const outageMs = 1500;
  await sleep(outageMs);
  const duringOutage = {
    queuedSamples: exporter.queuedSamples,
    exposition: serializePrometheus(registry.snapshot()),
  };
  const failedFlush = await timed(() => exporter.flush({ timeoutMs: 600 }));

  let recoveredFlush: RemoteWriteResult['recoveredFlush'];
  const received: number[] = [];
  let receivedSamples = 0;
  let receiver: ReturnType<typeof createServer> | undefined;
  if (mode === 'remote-write-down') {
    // The remote comes back on the same port.
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const write = decodeWriteRequest(snappyDecompress(Buffer.concat(chunks)));
        for (const series of write.timeseries) {
          receivedSamples += series.samples.length;
          if (
            series.labels.some(
              (label) => label.name === '__name__' && label.value === 'faults_snapshots_total',
            )
          )
            for (const sample of series.samples) received.push(sample.value);
        }
        response.writeHead(204).end();
      });
    });
    receiver.listen(config.port, '127.0.0.1');
    await once(receiver, 'listening');
    const flushed = await timed(() => exporter.flush({ timeoutMs: 5000 }));
    recoveredFlush = { ms: flushed.ms, timeoutMs: 5000, result: flushed.value };
  }
  const queuedBeforeStop = exporter.queuedSamples;
  const stopTimeoutMs = 800;
  const stopped = await timed(() => exporter.stop({ timeoutMs: stopTimeoutMs }));
  if (receiver !== undefined) {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  }
  return {
    outageMs,
    intervalMs,
    retry,
    duringOutage,
    failedFlush: { ms: failedFlush.ms, timeoutMs: 600, result: failedFlush.value },
    ...(recoveredFlush === undefined ? {} : { recoveredFlush }),
    queuedBeforeStop,
    stop: { ms: stopped.ms, timeoutMs: stopTimeoutMs },
    enqueuedSamples: enqueued(),
    snapshots: snapshots() ?? 0,
    ...(mode === 'remote-write-down' ? { receivedSnapshotValues: received, receivedSamples } : {}),
    logged: log.errors,
    exposition: serializePrometheus(registry.snapshot()),
  };
}

hostScenario<PushgatewayResult | RemoteWriteResult>(() =>
  mode.startsWith('pushgateway') ? pushgateway() : remoteWrite(),
);
