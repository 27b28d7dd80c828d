import { spawnSync } from 'node:child_process';
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
  readonly process: StartedProcess;
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
  const ports = JSON.parse(child.output().trim().split('\n')[0]!) as { http: number; https: number };
  return {
    httpPort: ports.http,
    httpsPort: ports.https,
    process: child,
    async stop() {
      await child.stop();
      directory.remove();
    },
  };
}
