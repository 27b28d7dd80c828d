import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary } from '../../../test-support/binaries.js';
import {
  type StartedProcess,
  startProcess,
  temporaryDirectory,
  waitFor,
} from '../../../test-support/processes.js';

/** The loopback server of the benchmarks, in a child process. */
export interface BenchServer {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** More HTTP ports of the same server, one per variant of a side-by-side comparison. */
  readonly sidePorts: readonly number[];
  readonly process: StartedProcess;
  /** The port that answers the connection counts. */
  readonly controlPort: number;
  /** Connections each HTTP port has accepted so far, by port (asked on a control port, not counted). */
  acceptedConnections(): Promise<ReadonlyMap<number, number>>;
  stop(): Promise<void>;
}

/** Makes a self-signed certificate with openssl and starts `loopback-server.ts` with tsx. */
export async function startBenchServer(): Promise<BenchServer> {
  const openssl = findBinary('openssl');
  if (openssl === undefined) throw new Error('openssl not found: install the Debian package openssl');
  const directory = temporaryDirectory('fw0-network-bench');
  const key = join(directory.path, 'key.pem');
  const cert = join(directory.path, 'cert.pem');
  const made = spawnSync(
    openssl,
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=localhost',
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const script = fileURLToPath(new URL('./loopback-server.ts', import.meta.url));
  const child = startProcess(process.execPath, ['--import', 'tsx', script], {
    ...process.env,
    BENCH_KEY: key,
    BENCH_CERT: cert,
  });
  try {
    await waitFor('the bench server to print its ports', () => child.output().includes('}'), {
      timeoutMs: 20_000,
    });
  } catch (error) {
    await child.stop();
    directory.remove();
    throw error;
  }
  const ports = JSON.parse(child.output().trim().split('\n')[0]!) as {
    http: number;
    https: number;
    side: number[];
    control: number;
  };
  return {
    httpPort: ports.http,
    httpsPort: ports.https,
    sidePorts: ports.side,
    controlPort: ports.control,
    process: child,
    acceptedConnections: () => askCounts(ports.control),
    async stop() {
      await child.stop();
      directory.remove();
    },
  };
}

/** The side ports of the bench server and its connection counts: what a fork needs of it. */
export type BenchPorts = Pick<BenchServer, 'sidePorts' | 'acceptedConnections'>;

/** The side ports and connection counts of a bench server started by another process (a fork's view). */
export function benchServerPorts(sidePorts: readonly number[], controlPort: number): BenchPorts {
  return { sidePorts, acceptedConnections: () => askCounts(controlPort) };
}

/** GETs the control port (a connection of its own, closed after) and reads the counts it answers. */
function askCounts(port: number): Promise<ReadonlyMap<number, number>> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        const counts = JSON.parse(text) as Record<string, number>;
        resolve(new Map(Object.entries(counts).map(([key, count]) => [Number(key), count])));
      });
    });
    request.on('timeout', () => request.destroy(new Error('the bench server did not answer in 10 s')));
    request.on('error', reject);
  });
}
