/**
 * Appends protocol buffer wire-format fields to one growing byte buffer. Only what the
 * remote-write messages need: varints, little-endian doubles and length-delimited bytes.
 */
export class ProtoWriter {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initialSize = 64 * 1024) {
    this.buffer = new Uint8Array(initialSize);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Appends one byte (a field tag or a short length); the caller ensured room. */
  byte(value: number): void {
    this.buffer[this.length++] = value;
  }

  /** Appends a non-negative integer up to 2^53 as a varint; the caller ensured 8 bytes of room. */
  varint(value: number): void {
    const buffer = this.buffer;
    let position = this.length;
    while (value > 0x7f) {
      buffer[position++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    buffer[position++] = value;
    this.length = position;
  }

  /** Appends a double, little-endian (wire type 1); the caller ensured 8 bytes of room. */
  double(value: number): void {
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Overwrites 8 bytes at `offset` (already written) with a little-endian double. */
  doubleAt(offset: number, value: number): void {
    this.view.setFloat64(offset, value, true);
  }

  /** Appends raw bytes; the caller ensured room. */
  bytes(bytes: Uint8Array): void {
    const buffer = this.buffer;
    const start = this.length;
    if (bytes.length > 32) buffer.set(bytes, start);
    else for (let i = 0; i < bytes.length; i++) buffer[start + i] = bytes[i]!;
    this.length = start + bytes.length;
  }

  /** Appends `text` as UTF-8 (`byteLength` from {@link utf8Length}); the caller ensured room. */
  utf8(text: string, byteLength: number): void {
    const buffer = this.buffer;
    let position = this.length;
    if (byteLength === text.length) {
      // ASCII, the usual case for label names and most values: one byte per character.
      for (let i = 0; i < text.length; i++) buffer[position++] = text.charCodeAt(i);
    } else {
      position += encoder.encodeInto(text, buffer.subarray(position, position + byteLength)).written;
    }
    this.length = position;
  }

  /** The bytes written so far (a view, valid until the next write). */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** The bytes written so far, as a copy sized to fit. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

const encoder = new TextEncoder();

/** Bytes of the UTF-8 form of a well-formed string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) length += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      // A surrogate pair: 2 UTF-16 units, 4 UTF-8 bytes.
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 2;
        i++;
      } else length += 2;
    } else length += 2;
  }
  return length;
}

/** Bytes a non-negative integer (up to 2^53) takes as a varint. */
export function varintLength(value: number): number {
  let length = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}
