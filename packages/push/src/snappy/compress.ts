/**
 * Snappy compression, block format (not the framed format): what Prometheus remote-write
 * bodies use. Written from the format description (github.com/google/snappy,
 * format_description.txt): a varint of the uncompressed length, then literals and back
 * references ("copies") found with a hash table of 4-byte sequences, 64 KiB at a time.
 */

/** Snappy looks for matches within blocks of this many input bytes. */
const BLOCK_SIZE = 1 << 16;
/** Below this many bytes a block is written as one literal (no room for a useful match). */
const MIN_MATCH_INPUT = 17;
/** Stop searching this close to the end of a block, so 4-byte loads never cross it. */
const INPUT_MARGIN = 15;
const MAX_TABLE_BITS = 14;

/** Most bytes the compression of `length` input bytes can take (the format's own bound). */
export function maxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

/** The hash table, created on first use and reused: compressing allocates only the output. */
let table: Uint16Array | undefined;

/** Worst-case output space, reused across calls (grown when an input needs more). */
let scratch = new Uint8Array(0);

/**
 * Compresses `input` in the snappy block format. Returns a buffer of exactly the compressed
 * size: the worst-case working space is reused, so a body held by a request holds no slack.
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const needed = maxCompressedLength(input.length);
  if (scratch.length < needed) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
  const out = scratch;
  let position = writeVarint(out, 0, input.length);
  for (let start = 0; start < input.length; start += BLOCK_SIZE) {
    const end = Math.min(start + BLOCK_SIZE, input.length);
    position = compressBlock(input, start, end, out, position);
  }
  const result = out.slice(0, position);
  // Do not keep a huge working buffer alive after a one-off large input.
  if (scratch.length > 8 * 1024 * 1024) scratch = new Uint8Array(0);
  return result;
}

function writeVarint(out: Uint8Array, position: number, value: number): number {
  while (value > 0x7f) {
    out[position++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[position++] = value;
  return position;
}

function load32(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

function hash(word: number, shift: number): number {
  return Math.imul(word, 0x1e35a7bd) >>> shift;
}

function compressBlock(
  input: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  position: number,
): number {
  const length = end - start;
  if (length < MIN_MATCH_INPUT) return emitLiteral(input, start, end, out, position);
  let bits = 8;
  while (bits < MAX_TABLE_BITS && 1 << bits < length) bits++;
  const shift = 32 - bits;
  table ??= new Uint16Array(1 << MAX_TABLE_BITS);
  const hashes = table;
  hashes.fill(0, 0, 1 << bits);

  const limit = end - INPUT_MARGIN;
  let nextEmit = start;
  let cursor = start + 1;
  let nextHash = hash(load32(input, cursor), shift);
  for (;;) {
    // Find a 4-byte match, probing faster the longer nothing matches (the snappy heuristic:
    // after 32 misses step 2 bytes, after 64 step 3...), so incompressible data goes quickly.
    let skip = 32;
    let candidate = 0;
    let next = cursor;
    do {
      cursor = next;
      const currentHash = nextHash;
      next = cursor + (skip++ >> 5);
      if (next > limit) return emitLiteral(input, nextEmit, end, out, position);
      nextHash = hash(load32(input, next), shift);
      candidate = start + hashes[currentHash]!;
      hashes[currentHash] = cursor - start;
    } while (load32(input, cursor) !== load32(input, candidate));

    position = emitLiteral(input, nextEmit, cursor, out, position);
    // Emit copies while the bytes right after a copy match again.
    for (;;) {
      let matched = 4;
      while (cursor + matched < end && input[cursor + matched] === input[candidate + matched]) matched++;
      position = emitCopy(out, position, cursor - candidate, matched);
      cursor += matched;
      nextEmit = cursor;
      if (cursor >= limit) return emitLiteral(input, nextEmit, end, out, position);
      hashes[hash(load32(input, cursor - 1), shift)] = cursor - 1 - start;
      const currentHash = hash(load32(input, cursor), shift);
      candidate = start + hashes[currentHash]!;
      hashes[currentHash] = cursor - start;
      if (load32(input, cursor) !== load32(input, candidate)) break;
    }
    cursor++;
    nextHash = hash(load32(input, cursor), shift);
  }
}

function emitLiteral(input: Uint8Array, from: number, to: number, out: Uint8Array, position: number): number {
  const length = to - from;
  if (length === 0) return position;
  const n = length - 1;
  if (n < 60) {
    out[position++] = n << 2;
  } else if (n < 0x100) {
    out[position++] = 60 << 2;
    out[position++] = n;
  } else if (n < 0x10000) {
    out[position++] = 61 << 2;
    out[position++] = n & 0xff;
    out[position++] = n >>> 8;
  } else if (n < 0x1000000) {
    out[position++] = 62 << 2;
    out[position++] = n & 0xff;
    out[position++] = (n >>> 8) & 0xff;
    out[position++] = n >>> 16;
  } else {
    out[position++] = 63 << 2;
    out[position++] = n & 0xff;
    out[position++] = (n >>> 8) & 0xff;
    out[position++] = (n >>> 16) & 0xff;
    out[position++] = n >>> 24;
  }
  if (length > 16) out.set(input.subarray(from, to), position);
  else for (let i = 0; i < length; i++) out[position + i] = input[from + i]!;
  return position + length;
}

/** Writes a back reference of `length` bytes at `offset` (< 64 KiB) as copy elements. */
function emitCopy(out: Uint8Array, position: number, offset: number, length: number): number {
  // A 2-byte-offset copy holds at most 64 bytes; leave at least 4 for the last element.
  while (length >= 68) {
    position = emitCopy2(out, position, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    position = emitCopy2(out, position, offset, 60);
    length -= 60;
  }
  if (length < 12 && offset < 2048) {
    out[position++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[position++] = offset & 0xff;
    return position;
  }
  return emitCopy2(out, position, offset, length);
}

function emitCopy2(out: Uint8Array, position: number, offset: number, length: number): number {
  out[position++] = 2 | ((length - 1) << 2);
  out[position++] = offset & 0xff;
  out[position++] = offset >>> 8;
  return position;
}
