/**
 * Shared pieces of the fault and shutdown tests (apps/reliability/src/faults, src/shutdown).
 *
 * Parent side (the vitest process):
 * - {@link runScenario} runs a scenario script in a child Node process through tsx, reads the
 *   one-line JSON result it prints, and stops the child by PID if it does not exit by itself;
 * - the faulty remotes the scenarios talk to, all on 127.0.0.1: a server that accepts TCP
 *   connections and never answers ({@link startSilentServer}), a listener whose accept queue is
 *   full ({@link startFullBacklogListener}), and a remote-write receiver that decodes what it gets
 *   ({@link startRemoteWriteReceiver});
 * - {@link readExposition}: lookups in Prometheus text.
 *
 * Child side (the scenario script): {@link hostScenario} records every uncaught exception,
 * unhandled rejection and process warning, runs the scenario, prints its result and lets the
 * process end by itself (no `process.exit`, except an unref'd safety net if the parent dies), so
 * that anything left keeping the event loop alive shows as a child that does not exit.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { type ParsedSample, parseExposition } from '@fw0/metrics-core';
import { decodeWriteRequest, snappyDecompress } from '@fw0/metrics-push';
import { type StartedProcess, startProcess, waitFor } from '../../../../test-support/processes.js';

/** The line prefix of a scenario's result on its stdout. */
const RESULT_PREFIX = 'FW0-SCENARIO-RESULT ';

// ---------------------------------------------------------------------------------------------
// Child side

/** Something that reached the host process instead of being handled by the library. */
export interface HostEvent {
  readonly kind: 'uncaughtException' | 'unhandledRejection' | 'warning';
  readonly message: string;
}

/** What every scenario reports besides its own result. */
export interface HostReport {
  /** Uncaught exceptions, unhandled rejections and warnings seen up to the result. */
  readonly hostEvents: HostEvent[];
}

/**
 * Runs `main` as the body of a host application: listeners record whatever escapes into the
 * process (and set a non-zero exit code, so that an escape after the result still shows), the
 * result is printed as one line of JSON, and the process is then left to exit on its own.
 */
export function hostScenario<T extends object>(main: () => Promise<T>): void {
  // Safety net for when the test runner itself is gone (otherwise the test stops the child by
  // PID): never outlive the parent, never run past 120 s. Unref'd, it keeps nothing alive, and in
  // a passing run it never fires.
  const parent = process.ppid;
  const started = performance.now();
  setInterval(() => {
    if (process.ppid !== parent || performance.now() - started > 120_000) process.exit(98);
  }, 1000).unref();
  // A parent that went away leaves broken pipes: writing to them must not become an uncaught
  // exception (whose report, written to the same pipe, would fail again, and so on).
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const events: HostEvent[] = [];
  const escaped = (kind: HostEvent['kind']) => (error: unknown) => {
    events.push({ kind, message: inspect(error, { breakLength: Number.POSITIVE_INFINITY }).slice(0, 2000) });
    process.exitCode = 70;
    if (events.length <= 20) process.stderr.write(`host saw ${kind}: ${inspect(error)}\n`);
  };
  process.on('uncaughtException', escaped('uncaughtException'));
  process.on('unhandledRejection', escaped('unhandledRejection'));
  process.on('warning', (warning) =>
    events.push({ kind: 'warning', message: `${warning.name}: ${warning.message}` }),
  );
  main().then(
    (result) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...result, hostEvents: events })}\n`);
    },
    (error: unknown) => {
      process.exitCode = 1;
      process.stderr.write(`scenario failed: ${inspect(error)}\n`);
    },
  );
}

/** Runs `work` and measures it, in milliseconds (performance.now()). */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round((performance.now() - started) * 10) / 10 };
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` at most `attempts` times; resolves whether it became true. */
export async function pollUntil(
  check: () => boolean,
  attempts: number,
  intervalMs: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (check()) return true;
    await sleep(intervalMs);
  }
  return check();
}

/** The `code`, name and cause chain of an error, for a JSON report. */
export function describeError(error: unknown): { name: string; code: string | undefined; causes: string[] } {
  const causes: string[] = [];
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  for (let depth = 0; depth < 5 && cause !== undefined; depth++) {
    causes.push(
      `${(cause as { name?: string }).name ?? typeof cause}:${(cause as { code?: string }).code ?? ''}`,
    );
    cause = (cause as { cause?: unknown }).cause;
  }
  return {
    name: (error as { name?: string } | undefined)?.name ?? typeof error,
    code: (error as { code?: string } | undefined)?.code,
    causes,
  };
}

// ---------------------------------------------------------------------------------------------
// Parent side: running a scenario

/** How a scenario's child process went. */
export interface ScenarioRun<T> {
  readonly pid: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The parsed result line, if one was printed. */
  readonly result: (T & HostReport) | undefined;
  /** stdout and stderr together (the last 64 KiB), for failure messages. */
  readonly output: string;
  /** From spawn to exit, in milliseconds. */
  readonly elapsedMs: number;
  /** From the result line to the exit, in milliseconds (undefined without a result). */
  readonly exitAfterResultMs: number | undefined;
  /** True when the test had to stop the child by PID (it did not exit by itself in time). */
  readonly killed: boolean;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs `node --import tsx <script> ...args` to its end and returns its result. A child still
 * running after `killAfterMs` is stopped by its PID (SIGTERM, then SIGKILL) and reported as
 * killed; the child is always stopped before this returns.
 */
export async function runScenario<T>(
  script: string,
  args: readonly string[],
  { killAfterMs = 45_000 }: { killAfterMs?: number } = {},
): Promise<ScenarioRun<T>> {
  const started = performance.now();
  const child: StartedProcess = startProcess(process.execPath, ['--import', tsxLoader, script, ...args], {
    ...process.env,
    NODE_DEBUG: '',
    NODE_OPTIONS: '',
  });
  let stdout = '';
  let resultAt: number | undefined;
  child.child.stdout?.on('data', (chunk: Buffer) => {
    if (stdout.length < 4 * 1024 * 1024) stdout += chunk.toString('utf8');
    if (resultAt === undefined && stdout.includes(RESULT_PREFIX)) resultAt = performance.now();
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.child.once('close', (code, signal) => resolve([code, signal])),
  );
  let killed = false;
  const killer = setTimeout(() => {
    killed = true;
    void child.stop();
  }, killAfterMs);
  try {
    const [exitCode, signal] = await closed;
    const exitedAt = performance.now();
    const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
    return {
      pid: child.pid,
      exitCode,
      signal,
      result:
        line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as T & HostReport),
      output: child.output(),
      elapsedMs: Math.round(exitedAt - started),
      exitAfterResultMs: resultAt === undefined ? undefined : Math.round(exitedAt - resultAt),
      killed,
    };
  } finally {
    clearTimeout(killer);
    await child.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Parent side: faulty remotes

/** A TCP server that accepts every connection, reads whatever comes, and never answers. */
export interface SilentServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Bytes received so far (requests that reached it). */
  readonly bytesReceived: number;
  /** Connections open now. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let bytesReceived = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      bytesReceived += chunk.length;
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    get bytesReceived() {
      return bytesReceived;
    },
    get open() {
      return sockets.size;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A TCP listener that never accepts and whose accept queue is full: a helper process listens with
 * a backlog of 1 and is stopped (SIGSTOP), and connections are opened until one stays in its
 * handshake. A connection attempt to it then hangs until its own timeout (the kernel drops SYNs
 * to a full queue).
 */
export interface FullBacklogListener {
  readonly port: number;
  /** Connections that filled the queue (completed by the kernel, never accepted). */
  readonly queued: number;
  /** PID of the stopped listener process. */
  readonly pid: number;
  stop(): Promise<void>;
}

const LISTENER_SCRIPT = `
const server = require('node:net').createServer(() => {});
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log('port=' + server.address().port));
`;

export async function startFullBacklogListener(): Promise<FullBacklogListener> {
  const listener = startProcess(process.execPath, ['-e', LISTENER_SCRIPT], {
    ...process.env,
    NODE_OPTIONS: '',
  });
  const fillers: Socket[] = [];
  const stop = async () => {
    for (const socket of fillers) socket.destroy();
    try {
      process.kill(listener.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    await listener.stop();
  };
  try {
    let port = 0;
    await waitFor(
      'the backlog listener to print its port',
      () => {
        port = Number(/port=(\d+)/.exec(listener.output())?.[1] ?? 0);
        return port > 0;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    process.kill(listener.pid, 'SIGSTOP');
    // Fill the accept queue: connections complete (the kernel accepts them into the queue) until
    // one does not within 500 ms. At most 16 attempts.
    let full = false;
    for (let attempt = 0; attempt < 16 && !full; attempt++) {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => {});
      fillers.push(socket);
      const connected = await Promise.race([
        once(socket, 'connect').then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 500)),
      ]);
      if (!connected) {
        full = true;
        socket.destroy();
        fillers.pop();
      }
    }
    if (!full) throw new Error('could not fill the accept queue of the stopped listener in 16 attempts');
    return { port, queued: fillers.length, pid: listener.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One sample received by the remote-write receiver. */
export interface ReceivedSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestamp: number;
}

/** A Prometheus remote-write receiver on 127.0.0.1 that decodes and keeps every sample. */
export interface RemoteWriteReceiver {
  /** `http://127.0.0.1:<port>/api/v1/write`. */
  readonly url: string;
  readonly requests: number;
  readonly samples: readonly ReceivedSample[];
  /** Samples of the series `name` whose labels include `labels`. */
  find(name: string, labels?: Readonly<Record<string, string>>): ReceivedSample[];
  close(): Promise<void>;
}

export async function startRemoteWriteReceiver(port = 0): Promise<RemoteWriteReceiver> {
  const samples: ReceivedSample[] = [];
  let requests = 0;
  const server: HttpServer = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests++;
      try {
        const write = decodeWriteRequest(snappyDecompress(Buffer.concat(chunks)));
        for (const series of write.timeseries) {
          const labels = Object.fromEntries(series.labels.map((label) => [label.name, label.value]));
          for (const sample of series.samples) {
            samples.push({ labels, value: sample.value, timestamp: Number(sample.timestamp) });
          }
        }
        response.writeHead(204).end();
      } catch (error) {
        response.writeHead(400).end(String(error));
      }
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/api/v1/write`,
    get requests() {
      return requests;
    },
    samples,
    find(name, labels = {}) {
      return samples.filter(
        (sample) =>
          sample.labels.__name__ === name &&
          Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Parent side: reading an exposition

/** Lookups in a Prometheus text exposition. */
export interface Exposition {
  /** Every sample named `name` whose labels include `labels`. */
  samples(name: string, labels?: Readonly<Record<string, string>>): ParsedSample[];
  /** The value of the one sample named `name` with labels including `labels`; undefined if none; throws if several. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
  /** The sum of the values of {@link samples}. */
  sum(name: string, labels?: Readonly<Record<string, string>>): number;
  /** True when at least one sample has that name. */
  has(name: string): boolean;
}

export function readExposition(text: string): Exposition {
  const all = parseExposition(text).families.flatMap((family) => family.samples);
  const samples = (name: string, labels: Readonly<Record<string, string>> = {}) =>
    all.filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  return {
    samples,
    value(name, labels) {
      const found = samples(name, labels);
      if (found.length > 1) {
        throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels ?? {})}`);
      }
      return found[0]?.value;
    },
    sum: (name, labels) => samples(name, labels).reduce((total, sample) => total + sample.value, 0),
    has: (name) => all.some((sample) => sample.name === name),
  };
}

/**
 * What is wrong with how a scenario's child ended, if anything: it must have printed its result,
 * seen nothing escape into the process, and exited by itself with code 0 within `exitWithinMs` of
 * its result (nothing left keeping the event loop alive).
 */
export function exitProblems(run: ScenarioRun<unknown>, exitWithinMs = 10_000): string[] {
  const problems: string[] = [];
  if (run.killed) problems.push(`did not exit by itself: stopped by PID ${run.pid}`);
  if (run.result === undefined) problems.push('printed no result');
  if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode} (signal ${run.signal})`);
  if (run.result !== undefined && run.result.hostEvents.length > 0)
    problems.push(`host saw: ${JSON.stringify(run.result.hostEvents)}`);
  if (run.exitAfterResultMs !== undefined && run.exitAfterResultMs > exitWithinMs)
    problems.push(`exited ${run.exitAfterResultMs} ms after its result (bound ${exitWithinMs} ms)`);
  if (problems.length > 0) problems.push(`output:\n${run.output}`);
  return problems;
}
