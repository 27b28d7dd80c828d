import type { SocketTiming } from './timed-connector.js';

/** Durations of the HTTP phases, in seconds (named as `ProbePhase`). */
export interface PhaseDurations {
  resolve: number;
  connect: number;
  tls: number;
  processing: number;
  transfer: number;
}

/** All phases at 0, to accumulate into. */
export function zeroPhases(): PhaseDurations {
  return { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
}

/** When the steps of one request/response exchange (one hop of a probe) happened. */
export interface HopMarks {
  /** When the hop started, in `performance.now()` milliseconds. */
  readonly startedAt: number;
  /** Timings of the connection, when this hop was the first request on a new one. */
  readonly fresh: SocketTiming | undefined;
  /** First response byte, or undefined if none came. */
  readonly firstByteAt: number | undefined;
  /** When the hop ended: body complete (or failure), in `performance.now()` milliseconds. */
  readonly endedAt: number;
}

/**
 * Adds the phase durations of one hop, in seconds, to `phases`.
 * The phases partition `[startedAt, endedAt]`: each boundary is clamped between the previous one
 * and the end, so they are never negative and always add up to the hop's duration.
 *
 * - resolve: start to the address being known; 0 for an IP address, as curl and blackbox_exporter
 *   report it (nothing was looked up: the time until the connection attempt started counts as
 *   connect);
 * - connect: to the TCP handshake's end; tls: to the TLS handshake's end;
 * - processing: to the first response byte; transfer: to the end of the body.
 *
 * On a reused connection the first three are 0: processing runs from the start.
 */
export function addHopPhases(phases: PhaseDurations, hop: HopMarks): void {
  const end = hop.endedAt;
  const start = Math.min(end, hop.startedAt);
  let ready = start;
  const socket = hop.fresh;
  if (socket !== undefined) {
    const resolved = clamp(socket.lookupAt, start, end);
    const connected = clamp(socket.connectedAt, resolved, end);
    ready = clamp(socket.secureAt, connected, end);
    phases.resolve += (resolved - start) / 1000;
    phases.connect += (connected - resolved) / 1000;
    phases.tls += (ready - connected) / 1000;
  }
  const firstByte = hop.firstByteAt === undefined ? end : clamp(hop.firstByteAt, ready, end);
  phases.processing += (firstByte - ready) / 1000;
  phases.transfer += (end - firstByte) / 1000;
}

/** `value` kept between `previous` and `end`; `previous` when the step did not happen. */
function clamp(value: number | undefined, previous: number, end: number): number {
  return value === undefined ? previous : Math.min(end, Math.max(previous, value));
}
