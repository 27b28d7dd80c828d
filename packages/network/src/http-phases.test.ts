import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addHopPhases, zeroPhases } from './http-phases.js';
import type { SocketTiming } from './timed-connector.js';

const time = fc.double({ min: 0, max: 10_000, noNaN: true });
const optionalTime = fc.option(time, { nil: undefined });

const socket = fc.record({
  lookupAt: optionalTime,
  connectedAt: optionalTime,
  secureAt: optionalTime,
});

function timing(marks: {
  lookupAt?: number | undefined;
  connectedAt?: number | undefined;
  secureAt?: number | undefined;
}): SocketTiming {
  return {
    lookupAt: marks.lookupAt,
    connectedAt: marks.connectedAt,
    secureAt: marks.secureAt,
    claimed: true,
    certificateExpiry: undefined,
  };
}

describe('addHopPhases', () => {
  it('splits a hop into non-negative phases that add up to its duration, whatever the marks', () => {
    fc.assert(
      fc.property(
        time,
        fc.option(socket, { nil: undefined }),
        optionalTime,
        time,
        (startedAt, fresh, firstByteAt, endedAt) => {
          const phases = zeroPhases();
          const hop = { startedAt, fresh: fresh && timing(fresh), firstByteAt, endedAt };
          addHopPhases(phases, hop);
          const values = Object.values(phases);
          for (const phase of values) expect(phase).toBeGreaterThanOrEqual(0);
          const total = values.reduce((sum, phase) => sum + phase, 0);
          expect(Math.abs(total - Math.max(0, endedAt - startedAt) / 1000)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives each step its own phase on a fresh connection', () => {
    const phases = zeroPhases();
    addHopPhases(phases, {
      startedAt: 1000,
      fresh: timing({ lookupAt: 1005, connectedAt: 1015, secureAt: 1045 }),
      firstByteAt: 1145,
      endedAt: 1345,
    });
    const milliseconds = Object.fromEntries(
      Object.entries(phases).map(([phase, seconds]) => [phase, Math.round(seconds * 1000)]),
    );
    expect(milliseconds).toEqual({ resolve: 5, connect: 10, tls: 30, processing: 100, transfer: 200 });
  });

  it('gives an IP address no resolve time: until the TCP handshake ends is connect', () => {
    const phases = zeroPhases();
    addHopPhases(phases, {
      startedAt: 1000,
      fresh: timing({ connectedAt: 1015 }),
      firstByteAt: 1115,
      endedAt: 1135,
    });
    const milliseconds = Object.fromEntries(
      Object.entries(phases).map(([phase, seconds]) => [phase, Math.round(seconds * 1000)]),
    );
    expect(milliseconds).toEqual({ resolve: 0, connect: 15, tls: 0, processing: 100, transfer: 20 });
  });

  it('puts everything before the first byte in processing on a reused connection, and accumulates hops', () => {
    const phases = zeroPhases();
    addHopPhases(phases, { startedAt: 0, fresh: undefined, firstByteAt: 40, endedAt: 50 });
    addHopPhases(phases, { startedAt: 50, fresh: undefined, firstByteAt: 70, endedAt: 100 });
    expect(phases).toMatchObject({ resolve: 0, connect: 0, tls: 0 });
    expect(phases.processing).toBeCloseTo(0.06, 12);
    expect(phases.transfer).toBeCloseTo(0.04, 12);
  });
});
