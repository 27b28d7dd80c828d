import type { HttpOutcome } from '../http-measurement.js';

/**
 * A successful HTTP outcome of `url` on a reused connection (no lookup, connect or handshake):
 * `processing` then `transfer` seconds, a 2-byte body. For recording without the network.
 */
export function reusedConnectionOutcome(url: string, processing: number, transfer: number): HttpOutcome {
  return {
    url,
    endedAt: 0,
    failure: undefined,
    durationSeconds: processing + transfer,
    phases: { resolve: 0, connect: 0, tls: 0, processing, transfer },
    statusCode: 200,
    contentLength: 2,
    bodyBytes: 2,
    connectionReused: true,
    redirects: 0,
    tls: false,
    certificateExpiry: undefined,
    regexFailed: false,
  };
}
