import { ParseError } from '@fw0/metrics-core';
import fc from 'fast-check';
import { compressSync, uncompressSync } from 'snappy';
import snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { maxCompressedLength, snappyCompress } from './compress.js';
import { snappyDecompress } from './decompress.js';

const utf8 = new TextEncoder();

/** Input with long repeats, short repeats and noise: every element kind of the format. */
const mixedInput = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 400 }))
        .map(([unit, times]) => {
          const out = new Uint8Array(unit.length * times);
          for (let i = 0; i < times; i++) out.set(unit, i * unit.length);
          return out;
        }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));

/** Metric-like text: what remote-write bodies look like (many near-identical label sets). */
function metricText(series: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < series; i++)
    lines.push(`http_requests_total{route="/api/v1/items/${i % 97}",status="${200 + (i % 5)}"} ${i * 7}`);
  return utf8.encode(lines.join('\n'));
}

describe('snappy block format', () => {
  it('round-trips any input through our decoder and two independent ones (snappyjs, native snappy)', () => {
    fc.assert(
      fc.property(mixedInput, (input) => {
        const compressed = snappyCompress(input);
        expect(compressed.length).toBeLessThanOrEqual(maxCompressedLength(input.length));
        expect(Buffer.from(snappyDecompress(compressed)).equals(input)).toBe(true);
        expect(Buffer.from(snappyjs.uncompress(compressed)).equals(input)).toBe(true);
        expect((uncompressSync(Buffer.from(compressed)) as Buffer).equals(input)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads what native snappy (the C++ library behind napi-rs) writes', () => {
    fc.assert(
      fc.property(mixedInput, (input) => {
        const compressed = compressSync(Buffer.from(input));
        expect(Buffer.from(snappyDecompress(compressed)).equals(input)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('compresses metric text as well as native snappy (within 5%) across 64 KiB blocks', () => {
    const input = metricText(20_000);
    expect(input.length).toBeGreaterThan(4 * 65_536);
    const ours = snappyCompress(input);
    const native = compressSync(Buffer.from(input));
    expect(ours.length).toBeLessThanOrEqual(native.length * 1.05);
    expect(ours.length).toBeLessThan(input.length / 3);
    expect(Buffer.from(snappyDecompress(ours)).equals(Buffer.from(input))).toBe(true);
  });

  it('writes every literal length class and long copies correctly', () => {
    const noise = (length: number) => {
      const out = new Uint8Array(length);
      let state = length * 2654435761;
      for (let i = 0; i < length; i++)
        out[i] = (state = Math.imul(state ^ (state >>> 13), 0x5bd1e995)) >>> 24;
      return out;
    };
    // Literals of 1..60 bytes (length in the tag), 61..256 (1 byte), 257..65536 (2 bytes), and a
    // whole incompressible 64 KiB block; then a run of 100,000 equal bytes (copies of 64 bytes).
    for (const length of [0, 1, 16, 17, 60, 61, 256, 257, 65_536, 65_537, 200_000]) {
      const input = noise(length);
      expect(Buffer.from(snappyjs.uncompress(snappyCompress(input))).equals(Buffer.from(input))).toBe(true);
    }
    const run = new Uint8Array(100_000).fill(7);
    const compressed = snappyCompress(run);
    expect(compressed.length).toBeLessThan(5000);
    expect(Buffer.from(snappyDecompress(compressed)).equals(Buffer.from(run))).toBe(true);
  });

  it('rejects corrupt input with a ParseError, never reading out of bounds', () => {
    const good = snappyCompress(metricText(200));
    const cases = [
      new Uint8Array([]),
      good.subarray(0, good.length - 3),
      new Uint8Array([0x05, 0x01 | (0 << 2), 0x09]),
      new Uint8Array([0x04, 0x0c, 0x61, 0x62]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      Uint8Array.from([...good.subarray(0, 1).map((byte) => byte + 1), ...good.subarray(1)]),
    ];
    for (const bad of cases) expect(() => snappyDecompress(bad)).toThrow(ParseError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          snappyDecompress(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
