import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../../../../test-support/binaries.js';
import { temporaryDirectory } from '../../../../test-support/processes.js';

/** A self-signed certificate for 127.0.0.1 (PEM), made by Debian's `openssl` (bounded: 20 s). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const openssl = requireBinary('openssl', 'openssl');
  const directory = temporaryDirectory('fw0-push-tls');
  try {
    const key = join(directory.path, 'key.pem');
    const cert = join(directory.path, 'cert.pem');
    const result = spawnSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    directory.remove();
  }
}
