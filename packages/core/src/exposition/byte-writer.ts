/** Most bytes a sample value takes as text (`-1.2345678901234567e-308` is 24). */
const MAX_VALUE_BYTES = 32;
const LINE_FEED = 10;

/**
 * Appends exposition text as UTF-8 bytes into one growing buffer. Writing bytes directly (label
 * blocks encoded once and cached, integers written digit by digit) measured about 4x faster
 * than building strings and encoding them for the response, and leaves far less garbage.
 *
 * Sample lines go through {@link line}: one capacity check, two block copies, the value and the
 * line feed, with the write position in a local. Measured on 10,000 series, that is 2.5 times
 * faster than appending each piece through its own call (each call re-reads and re-checks the
 * buffer and its position; a byte loop costs about 1.4 ns a byte, a block copy about 15 ns).
 */
export class ByteWriter {
  private buffer: Buffer;
  private length = 0;
  private static readonly encoder = new TextEncoder();

  /**
   * @param initialSize bytes to reserve up front (default 64 KiB). Writers that produce output of
   * a similar size each time pass the last size: growing by doubling copied and zero-filled
   * about twice the final size, 14% of an exposition of 10,000 series.
   */
  constructor(initialSize = 64 * 1024) {
    // Not zero-filled: every byte handed out by finish() was written first.
    this.buffer = Buffer.allocUnsafe(Math.max(initialSize, 64));
  }

  /** Appends any string as UTF-8 (metadata lines). */
  text(text: string): void {
    this.ensure(text.length * 3);
    this.length += ByteWriter.encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /**
   * Appends one sample line: `head`, `tail`, the value as the text formats spell it (`+Inf`,
   * `-Inf`, `NaN`, shortest round-trip decimal) and a line feed. `head` is the sample name (and
   * for buckets the opening of the label block), `tail` the rest up to the space before the value.
   */
  line(head: Uint8Array, tail: Uint8Array, value: number): void {
    const needed = head.length + tail.length + MAX_VALUE_BYTES + 1;
    if (this.length + needed > this.buffer.length) this.ensure(needed);
    const buffer = this.buffer;
    let at = this.length;
    buffer.set(head, at);
    at += head.length;
    buffer.set(tail, at);
    at += tail.length;
    at = writeValue(buffer, at, value);
    buffer[at] = LINE_FEED;
    this.length = at + 1;
  }

  /** The bytes written so far, as a Buffer sharing this writer's memory. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** Writes `value` at `at` (room for {@link MAX_VALUE_BYTES} is there); returns the end. */
function writeValue(buffer: Buffer, at: number, value: number): number {
  if (value >= 0 && Number.isSafeInteger(value)) return writeUnsigned(buffer, at, value);
  const text =
    value === Number.POSITIVE_INFINITY ? '+Inf' : value === Number.NEGATIVE_INFINITY ? '-Inf' : String(value);
  return at + buffer.write(text, at, 'latin1');
}

/** Writes a safe non-negative integer in decimal, most significant digit first; returns the end. */
function writeUnsigned(buffer: Buffer, at: number, value: number): number {
  if (value < 10) {
    buffer[at] = 48 + value;
    return at + 1;
  }
  let digits = 2;
  // Powers of ten are exact in doubles up to 1e22, past every safe integer.
  for (let power = 100; power <= value; power *= 10) digits++;
  const end = at + digits;
  let rest = value;
  for (let position = end - 1; position >= at; position--) {
    const quotient = Math.floor(rest / 10);
    buffer[position] = 48 + rest - quotient * 10;
    rest = quotient;
  }
  return end;
}
