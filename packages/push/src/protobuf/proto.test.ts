import { ParseError } from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtoReader } from './proto-reader.js';
import { ProtoWriter, utf8Length, varintLength } from './proto-writer.js';

describe('protobuf wire format', () => {
  it('round-trips varints up to 2^53 with the length varintLength() predicts', () => {
    const values = [
      0,
      1,
      127,
      128,
      16_383,
      16_384,
      2 ** 32 - 1,
      2 ** 32,
      1_795_579_104_954,
      Number.MAX_SAFE_INTEGER,
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...values), fc.maxSafeNat())), (numbers) => {
        const writer = new ProtoWriter(1);
        let expectedLength = 0;
        for (const value of numbers) {
          writer.ensure(10);
          writer.varint(value);
          expectedLength += varintLength(value);
        }
        expect(writer.length).toBe(expectedLength);
        const reader = new ProtoReader(writer.finish());
        for (const value of numbers) expect(reader.varint()).toBe(value);
        expect(reader.more).toBe(false);
      }),
    );
  });

  it('writes doubles little-endian (wire type 1), NaN and infinities included', () => {
    const writer = new ProtoWriter(4);
    const values = [
      0,
      -0,
      1.5,
      -2.25e-300,
      Number.MAX_VALUE,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ];
    for (const value of values) {
      writer.ensure(8);
      writer.double(value);
    }
    const bytes = writer.finish();
    expect([...bytes.subarray(8 * 2, 8 * 3)]).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    const reader = new ProtoReader(bytes);
    for (const value of values) expect(Object.is(reader.double(), value)).toBe(true);
  });

  it('writes UTF-8 of the length utf8Length() predicts, as TextEncoder would', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (text, ascii) => {
        for (const value of [text, ascii.replace(/[\ud800-\udfff]/g, '')]) {
          const expected = new TextEncoder().encode(value);
          expect(utf8Length(value)).toBe(expected.length);
          const writer = new ProtoWriter(1);
          writer.ensure(expected.length);
          writer.utf8(value, utf8Length(value));
          expect(Buffer.from(writer.finish()).equals(Buffer.from(expected))).toBe(true);
        }
      }),
    );
  });

  it('rejects truncated fields and bad UTF-8 with a ParseError', () => {
    expect(() => new ProtoReader(new Uint8Array([0x80, 0x80])).varint()).toThrow(ParseError);
    expect(() => new ProtoReader(new Uint8Array([0x05, 0x61])).delimited()).toThrow(ParseError);
    expect(() => new ProtoReader(new Uint8Array([1, 2, 3])).double()).toThrow(ParseError);
    expect(() => new ProtoReader(new Uint8Array([0x02, 0xc3, 0x28])).string()).toThrow(ParseError);
    expect(() => new ProtoReader(new Uint8Array([0x0b])).skip(3)).toThrow(ParseError);
  });
});
