import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { ConfigError, describeValue } from '@fw0/metrics-core';

/** TLS settings for `https://` URLs (passed to `https.Agent`). */
export interface TlsOptions {
  /** Certificates to trust (PEM), e.g. a private CA (default: Node's bundled CAs). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate chain (PEM), for mutual TLS. */
  readonly cert?: string | Buffer;
  /** Client private key (PEM), for mutual TLS. */
  readonly key?: string | Buffer;
  /** Server name for SNI and the certificate check, when not the URL's host. */
  readonly servername?: string;
  /** `false` accepts any server certificate: for tests only (default true). */
  readonly rejectUnauthorized?: boolean;
}

const isPem = (value: unknown) => typeof value === 'string' || Buffer.isBuffer(value);

/** Checks TLS options (only allowed with an https:// URL); throws ConfigError naming the bad field. */
export function validateTls(url: URL, tls: unknown): TlsOptions | undefined {
  if (tls === undefined) return undefined;
  const bad = (field: string, value: unknown, expected: string) =>
    new ConfigError(`Invalid option tls${field}=${describeValue(value)}: expected ${expected}`, {
      subject: `tls${field}`,
      value,
    });
  if (typeof tls !== 'object' || tls === null) throw bad('', tls, 'an object');
  if (url.protocol !== 'https:') throw bad('', tls, 'no TLS options for an http:// URL');
  const options = tls as Record<string, unknown>;
  const ca = options.ca;
  if (ca !== undefined && !isPem(ca) && !(Array.isArray(ca) && ca.every(isPem))) {
    throw bad('.ca', ca, 'PEM text or a Buffer (or a list of them)');
  }
  for (const field of ['cert', 'key'] as const) {
    if (options[field] !== undefined && !isPem(options[field]))
      throw bad(`.${field}`, options[field], 'PEM text or a Buffer');
  }
  if (options.servername !== undefined && typeof options.servername !== 'string') {
    throw bad('.servername', options.servername, 'a string');
  }
  if (options.rejectUnauthorized !== undefined && typeof options.rejectUnauthorized !== 'boolean') {
    throw bad('.rejectUnauthorized', options.rejectUnauthorized, 'a boolean');
  }
  // Node builds the TLS context at the first request; build it now, so that a certificate or
  // key it cannot read is refused at once rather than failing every request.
  try {
    createSecureContext(tls as SecureContextOptions);
  } catch (error) {
    throw new ConfigError(
      `Invalid option tls: Node cannot build a TLS context from it (${(error as Error).message})`,
      { subject: 'tls', cause: error },
    );
  }
  return tls as TlsOptions;
}

/** The connection pool of one exporter or client: keep-alive, one socket (requests go one at a time). */
export function createAgent(url: URL, tls: TlsOptions | undefined, keepAlive: boolean): HttpAgent {
  if (url.protocol !== 'https:') return new HttpAgent({ keepAlive, maxSockets: 1 });
  return new HttpsAgent({
    keepAlive,
    maxSockets: 1,
    ...(tls as Omit<TlsOptions, 'ca'> & { ca?: string | Buffer | (string | Buffer)[] }),
  });
}
