import { ParseError } from '@fw0/metrics-core';

/** Largest uncompressed size accepted, in bytes (guards against a corrupt length header). */
export const MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024;

function corrupt(reason: string, position: number): InstanceType<typeof ParseError> {
  return new ParseError(`Invalid snappy block at byte ${position}: ${reason}`, { value: position });
}

/**
 * Decompresses a snappy block (not the framed format). Every length and offset is checked:
 * corrupt input throws a {@link ParseError}, never reads or writes out of bounds.
 */
export function snappyDecompress(input: Uint8Array): Uint8Array {
  let position = 0;
  let length = 0;
  let scale = 1;
  for (;;) {
    if (position >= input.length || position > 4) throw corrupt('bad length header', position);
    const byte = input[position++]!;
    length += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    scale *= 128;
  }
  if (length > MAX_UNCOMPRESSED_BYTES) throw corrupt(`uncompressed length ${length} too large`, 0);
  const out = new Uint8Array(length);
  let written = 0;
  while (position < input.length) {
    const tag = input[position++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let literal = tag >>> 2;
      if (literal >= 60) {
        const bytes = literal - 59;
        if (position + bytes > input.length) throw corrupt('literal length runs past the end', position);
        literal = 0;
        for (let i = 0; i < bytes; i++) literal += input[position + i]! * 2 ** (8 * i);
        position += bytes;
      }
      literal += 1;
      if (position + literal > input.length) throw corrupt('literal runs past the end', position);
      if (written + literal > length) throw corrupt('literal overflows the declared length', position);
      out.set(input.subarray(position, position + literal), written);
      position += literal;
      written += literal;
      continue;
    }
    let copyLength: number;
    let offset: number;
    if (kind === 1) {
      if (position + 1 > input.length) throw corrupt('copy runs past the end', position);
      copyLength = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[position++]!;
    } else {
      const bytes = kind === 2 ? 2 : 4;
      if (position + bytes > input.length) throw corrupt('copy runs past the end', position);
      copyLength = (tag >>> 2) + 1;
      offset = 0;
      for (let i = 0; i < bytes; i++) offset += input[position + i]! * 2 ** (8 * i);
      position += bytes;
    }
    if (offset === 0 || offset > written) throw corrupt(`copy offset ${offset} out of range`, position);
    if (written + copyLength > length) throw corrupt('copy overflows the declared length', position);
    // Byte by byte: a copy may overlap its own output (offset < length repeats a pattern).
    for (let i = 0; i < copyLength; i++, written++) out[written] = out[written - offset]!;
  }
  if (written !== length) throw corrupt(`decoded ${written} bytes, header said ${length}`, position);
  return out;
}
