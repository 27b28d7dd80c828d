/**
 * Appends exposition text as UTF-8 bytes into one growing buffer. Writing bytes directly (label
 * blocks encoded once and cached, integers written digit by digit) measured about 4x faster
 * than building strings and encoding them for the response, and leaves far less garbage.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;
  private static readonly encoder = new TextEncoder();

  /**
   * @param initialSize bytes to reserve up front (default 64 KiB). Writers that produce output of
   * a similar size each time pass the last size: growing by doubling copied and zero-filled
   * about twice the final size, 14% of an exposition of 10,000 series.
   */
  constructor(initialSize = 64 * 1024) {
    // Not zero-filled: every byte handed out by finish() was written first.
    this.buffer = Buffer.allocUnsafe(Math.max(initialSize, 16));
  }

  /** Appends raw bytes. */
  bytes(bytes: Uint8Array): void {
    const start = this.length;
    const end = start + bytes.length;
    if (end > this.buffer.length) this.ensure(bytes.length);
    const buffer = this.buffer;
    if (bytes.length > 24) buffer.set(bytes, start);
    else for (let i = 0; i < bytes.length; i++) buffer[start + i] = bytes[i]!;
    this.length = end;
  }

  /** Appends one byte (an ASCII character code). */
  byte(code: number): void {
    if (this.length === this.buffer.length) this.ensure(1);
    this.buffer[this.length++] = code;
  }

  /** Appends any string as UTF-8. */
  text(text: string): void {
    this.ensure(text.length * 3);
    this.length += ByteWriter.encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /** Appends a sample value as the text formats spell it (`+Inf`, `-Inf`, `NaN`, shortest round-trip decimal). */
  number(value: number): void {
    if (Number.isSafeInteger(value) && value >= 0) this.unsignedInteger(value);
    else
      this.ascii(
        value === Number.POSITIVE_INFINITY
          ? '+Inf'
          : value === Number.NEGATIVE_INFINITY
            ? '-Inf'
            : String(value),
      );
  }

  /** The bytes written so far, as a Buffer sharing this writer's memory. */
  finish(): Buffer {
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset, this.length);
  }

  private unsignedInteger(value: number): void {
    if (this.length + 16 > this.buffer.length) this.ensure(16);
    const buffer = this.buffer;
    if (value === 0) {
      buffer[this.length++] = 48;
      return;
    }
    let start = this.length;
    let rest = value;
    while (rest > 0) {
      const quotient = Math.floor(rest / 10);
      buffer[this.length++] = 48 + rest - quotient * 10;
      rest = quotient;
    }
    let end = this.length - 1;
    while (start < end) {
      const swap = buffer[start]!;
      buffer[start++] = buffer[end]!;
      buffer[end--] = swap;
    }
  }

  /** Appends a string known to be ASCII (numbers). */
  private ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    for (let i = 0; i < text.length; i++) buffer[this.length++] = text.charCodeAt(i);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}
