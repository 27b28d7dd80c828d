import { ParseError } from '@fw0/metrics-core';

/** Wire types of the protocol buffer encoding. */
export const WireType = {
  VARINT: 0,
  FIXED64: 1,
  LENGTH_DELIMITED: 2,
  FIXED32: 5,
} as const;

/**
 * Reads protocol buffer wire-format fields from bytes, checking every length against the end of
 * the input: corrupt input throws a {@link ParseError}, never reads past the end.
 */
export class ProtoReader {
  private position: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.position = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** True while fields remain. */
  get more(): boolean {
    return this.position < this.end;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wireType: number } {
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wireType: tag % 8 };
  }

  /** A varint as a number (exact up to 2^53; larger values lose precision, as JSON would). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.position >= this.end) throw this.corrupt('varint runs past the end');
      const byte = this.bytes[this.position++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw this.corrupt('varint longer than 10 bytes');
  }

  /** A little-endian double (wire type 1). */
  double(): number {
    if (this.position + 8 > this.end) throw this.corrupt('double runs past the end');
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  /** The bounds of a length-delimited field's content; the reader moves past it. */
  delimited(): { start: number; end: number } {
    const length = this.varint();
    const start = this.position;
    if (start + length > this.end) throw this.corrupt(`field of ${length} bytes runs past the end`);
    this.position = start + length;
    return { start, end: start + length };
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    const { start, end } = this.delimited();
    try {
      return decoder.decode(this.bytes.subarray(start, end));
    } catch (error) {
      throw new ParseError(`Invalid protocol buffer at byte ${start}: string is not valid UTF-8`, {
        value: start,
        cause: error,
      });
    }
  }

  /** Skips a field of `wireType`. */
  skip(wireType: number): void {
    if (wireType === WireType.VARINT) this.varint();
    else if (wireType === WireType.FIXED64) this.advance(8);
    else if (wireType === WireType.LENGTH_DELIMITED) this.delimited();
    else if (wireType === WireType.FIXED32) this.advance(4);
    else throw this.corrupt(`unsupported wire type ${wireType}`);
  }

  /** A reader over `[start, end)` of the same bytes (an embedded message). */
  nested(bounds: { start: number; end: number }): ProtoReader {
    return new ProtoReader(this.bytes, bounds.start, bounds.end);
  }

  private advance(count: number): void {
    if (this.position + count > this.end) throw this.corrupt('fixed-size field runs past the end');
    this.position += count;
  }

  private corrupt(reason: string): InstanceType<typeof ParseError> {
    return new ParseError(`Invalid protocol buffer at byte ${this.position}: ${reason}`, {
      value: this.position,
    });
  }
}

// ignoreBOM: a string that starts with U+FEFF keeps it (the default would strip it from a label value).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
