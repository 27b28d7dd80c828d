import { connect, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TimeoutError } from '@fw0/metrics-core';
import { classifyFailure } from './failure-reason.js';
import { FailureReason } from './names.js';
import type { TcpTarget } from './targets.js';

/** What a TCP connect measurement found. Durations in seconds. */
export interface TcpOutcome {
  readonly failure: { readonly reason: FailureReason; readonly error: unknown } | undefined;
  /** When it ended, in `performance.now()` milliseconds. */
  readonly endedAt: number;
  /** From the start to connected (or to the failure), in seconds. */
  readonly durationSeconds: number;
  /** DNS lookup, in seconds (0 for an IP address). */
  readonly resolveSeconds: number;
  /** TCP handshake, in seconds. */
  readonly connectSeconds: number;
  /** The address connected to. */
  readonly address: string | undefined;
}

/**
 * Opens a TCP connection to `target`, timing the DNS lookup and the handshake, then closes it.
 * Resolves within `timeoutMs` milliseconds (the socket is destroyed at the deadline or when
 * `signal` aborts); never rejects. `lookup`, when given, resolves a host name in place of
 * `dns.lookup` (net.connect's option; never called for an IP address).
 */
export function measureTcpConnect(
  target: TcpTarget,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  lookup?: LookupFunction,
): Promise<TcpOutcome> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let lookupAt: number | undefined;
    let settled = false;
    const socket = connect(
      lookup === undefined
        ? { host: target.host, port: target.port }
        : { host: target.host, port: target.port, lookup },
    );
    const finish = (failure: TcpOutcome['failure']) => {
      if (settled) return;
      settled = true;
      const endedAt = performance.now();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const resolved = Math.min(endedAt, lookupAt ?? startedAt);
      const address = socket.remoteAddress;
      socket.destroy();
      resolve({
        failure,
        endedAt,
        durationSeconds: (endedAt - startedAt) / 1000,
        resolveSeconds: (resolved - startedAt) / 1000,
        connectSeconds: failure === undefined ? (endedAt - resolved) / 1000 : 0,
        address,
      });
    };
    const onAbort = () =>
      finish({ reason: FailureReason.ABORTED, error: signal?.reason ?? new Error('aborted') });
    const timer = setTimeout(() => {
      const error = new TimeoutError(`TCP connect to ${target.label} exceeded ${timeoutMs} ms`, {
        subject: target.label,
        value: timeoutMs,
      });
      finish({ reason: FailureReason.TIMEOUT, error });
    }, timeoutMs);
    socket.once('lookup', () => {
      lookupAt = performance.now();
    });
    socket.once('connect', () => finish(undefined));
    socket.once('error', (error) => finish({ reason: classifyFailure(error), error }));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
