import { isIP, type LookupFunction, connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type ConnectionOptions, createSecureContext, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { TimeoutError } from '@fw0/metrics-core';
import type { buildConnector } from 'undici';

/**
 * When each step of opening one connection happened, in `performance.now()` milliseconds.
 * Absent steps did not happen (no `lookupAt` for an IP address, no `secureAt` for plain TCP).
 */
export interface SocketTiming {
  lookupAt: number | undefined;
  connectedAt: number | undefined;
  /** TLS handshake done (`secureConnect`). */
  secureAt: number | undefined;
  /** Whether a request has already used this connection's timings (later requests reuse it). */
  claimed: boolean;
  /** Earliest `notAfter` of the peer's certificate chain, in Unix seconds (TLS only). */
  certificateExpiry: number | undefined;
}

const timings = new WeakMap<object, SocketTiming>();

/** The timings recorded when `socket` was opened by a timed connector, if it was. */
export function socketTiming(socket: object): SocketTiming | undefined {
  return timings.get(socket);
}

/** TLS settings of a connector. */
export interface ConnectorTls {
  /** Verify the server's certificate (default true). */
  readonly rejectUnauthorized: boolean;
  /** Certificates to trust instead of Node's default CAs. */
  readonly ca: ConnectionOptions['ca'] | undefined;
}

/** A connector for undici that times each connection, and can abandon attempts nobody waits for. */
export interface TimedConnector {
  readonly connect: buildConnector.connector;
  /** Destroys the connections to `origin` still being opened (their requests fail). */
  abandon(origin: string): void;
}

/**
 * Builds an undici connector that opens sockets itself (`net.connect` / `tls.connect`, HTTP/1.1)
 * and records when the address was looked up, TCP connected and TLS finished. `timeoutMs` bounds
 * each connection attempt, in milliseconds; `lookup`, when given, resolves host names in place
 * of `dns.lookup`.
 */
export function createTimedConnector(
  tls: ConnectorTls,
  timeoutMs: number,
  lookup: LookupFunction | undefined,
): TimedConnector {
  const connecting = new Map<Socket, string>();
  // One TLS context (the trusted certificates) for every connection of this connector, made
  // here, outside any measurement. Left to tls.connect, a context would be made for each TLS
  // connection: about 0.5 ms of CPU on this VM, spent after the attempt's start and before its
  // lookup, which the phases would count as DNS time.
  const secureContext = createSecureContext(tls.ca === undefined ? {} : { ca: tls.ca });
  const connect: buildConnector.connector = (options, callback) => {
    const secure = options.protocol === 'https:';
    const timing: SocketTiming = {
      lookupAt: undefined,
      connectedAt: undefined,
      secureAt: undefined,
      claimed: false,
      certificateExpiry: undefined,
    };
    const host = options.hostname;
    const port = Number(options.port) || (secure ? 443 : 80);
    const socket: Socket = secure
      ? tlsConnect({
          host,
          port,
          ...(isIP(host) === 0 ? { servername: options.servername || host } : {}),
          rejectUnauthorized: tls.rejectUnauthorized,
          secureContext,
          ...(lookup === undefined ? {} : { lookup }),
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect(lookup === undefined ? { host, port } : { host, port, lookup });
    timings.set(socket, timing);
    const origin = `${options.protocol}//${options.host ?? host}`;
    connecting.set(socket, origin);
    // Prepended: Node's own 'connect' listener starts the TLS handshake; our stamp comes first.
    socket.prependOnceListener('lookup', () => {
      timing.lookupAt = performance.now();
    });
    socket.prependOnceListener('connect', () => {
      timing.connectedAt = performance.now();
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const timer = setTimeout(() => {
      socket.destroy(
        new TimeoutError(`connecting to ${origin} took longer than ${timeoutMs} ms`, {
          subject: origin,
          value: timeoutMs,
        }),
      );
    }, timeoutMs);
    timer.unref();
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      connecting.delete(socket);
      if (error !== null) callback(error, null);
      else callback(null, socket);
    };
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      if (!secure) {
        finish(null);
        return;
      }
      timing.secureAt = performance.now();
      finish(null);
      // After undici wrote the first request (synchronously, in finish): reading the chain takes
      // about 0.2 ms here, which done before would count as the server's processing time.
      timing.certificateExpiry = earliestExpiry(socket as TLSSocket);
    });
    socket.once('error', (error: Error) => finish(error));
  };
  return {
    connect,
    abandon(origin) {
      for (const [socket, socketOrigin] of connecting) {
        if (socketOrigin !== origin) continue;
        socket.destroy(new TimeoutError(`connection to ${origin} abandoned: no probe waits for it`));
      }
    },
  };
}

/** Earliest expiry in the peer's chain, in Unix seconds; undefined if there is no certificate. */
function earliestExpiry(socket: TLSSocket): number | undefined {
  let certificate = socket.getPeerCertificate(true);
  let earliest: number | undefined;
  const seen = new Set<string>();
  while (certificate !== undefined && certificate !== null && 'valid_to' in certificate) {
    const expiry = Date.parse(certificate.valid_to) / 1000;
    if (Number.isFinite(expiry) && (earliest === undefined || expiry < earliest)) earliest = expiry;
    // A self-signed root is its own issuer: stop at the first certificate seen twice.
    if (seen.has(certificate.fingerprint256)) break;
    seen.add(certificate.fingerprint256);
    certificate = certificate.issuerCertificate;
  }
  return earliest;
}
