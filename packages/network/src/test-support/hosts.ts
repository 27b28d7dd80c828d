import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBinary } from '../../../../test-support/binaries.js';
import {
  type StartedProcess,
  startProcess,
  temporaryDirectory,
  waitFor,
} from '../../../../test-support/processes.js';

const PYTHON = '/usr/bin/python3';
const fixtures = fileURLToPath(new URL('../__fixtures__/', import.meta.url));

/** A loopback port whose SYNs go unanswered (see `__fixtures__/unanswered-syn.py`). */
export interface UnansweredPort {
  readonly port: number;
  readonly process: StartedProcess;
  stop(): Promise<void>;
}

/** Starts Debian's python3 holding a port where connection attempts hang. */
export async function startUnansweredPort(): Promise<UnansweredPort> {
  // Debian's interpreter, not whichever python3 comes first on PATH.
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install the Debian package python3`);
  const process = startProcess(PYTHON, [join(fixtures, 'unanswered-syn.py')]);
  try {
    await waitFor('python to print its port', () => /^\d+\n/.test(process.output()), { timeoutMs: 10_000 });
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { port: Number.parseInt(process.output(), 10), process, stop: () => process.stop() };
}

/** A self-signed certificate for `localhost` and 127.0.0.1, made with openssl in a temporary directory. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

/** Makes a fresh self-signed certificate (RSA 2048, valid 2 days) with Debian's openssl. */
export function makeSelfSignedCertificate(): TestCertificate {
  const openssl = requireBinary('openssl', 'openssl');
  const directory = temporaryDirectory('fw0-network-cert');
  try {
    const keyFile = join(directory.path, 'key.pem');
    const certFile = join(directory.path, 'cert.pem');
    const result = spawnSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    directory.remove();
  }
}

/** A `lookup` function (net.connect's option) that answers locally, and the names it was asked. */
export interface LocalLookup {
  readonly lookup: LookupFunction;
  readonly asked: string[];
}

/**
 * A lookup that resolves the names in `addresses` (to loopback addresses, in tests) and fails
 * every other name with ENOTFOUND, as getaddrinfo does for a name that does not exist, without
 * sending a DNS query: tests talk to loopback only.
 */
export function localLookup(addresses: Readonly<Record<string, string>> = {}): LocalLookup {
  const asked: string[] = [];
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    asked.push(hostname);
    const address = Object.hasOwn(addresses, hostname) ? addresses[hostname] : undefined;
    process.nextTick(() => {
      if (address === undefined) {
        const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: 'ENOTFOUND',
          syscall: 'getaddrinfo',
          hostname,
        });
        callback(error);
      } else if (options.all) callback(null, [{ address, family: isIP(address) }]);
      else callback(null, address, isIP(address));
    });
  }) as LookupFunction;
  return { lookup, asked };
}
