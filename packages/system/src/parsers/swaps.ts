import { parseFailure, splitBlanks, splitLines, unescapeOctal, unsignedField } from './parse-support.js';

/** One swap area of /proc/swaps. */
export interface SwapDevice {
  /** Swap file or partition path (octal escapes undone). */
  readonly device: string;
  /** `partition` or `file`. */
  readonly type: string;
  /** Size of the area, in bytes. */
  readonly sizeBytes: number;
  /** Part of the area in use, in bytes. */
  readonly usedBytes: number;
  /** Swap priority (higher is used first; may be negative). */
  readonly priority: number;
}

/**
 * Parses /proc/swaps: a header line, then one line per swap area with sizes in KiB. A file with
 * only the header (no swap) gives an empty list. Throws a ParseError naming a malformed line.
 */
export function parseSwaps(text: string, file = '/proc/swaps'): SwapDevice[] {
  const devices: SwapDevice[] = [];
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    // The path holds escaped blanks only, so the line splits on (ASCII) blanks.
    const fields = splitBlanks(line);
    if (fields.length === 0) continue;
    const number = index + 1;
    if (line.startsWith('Filename')) continue;
    const size = unsignedField(fields[2]);
    const used = unsignedField(fields[3]);
    const priority = Number(fields[4]);
    if (fields.length !== 5 || size === undefined || used === undefined || !Number.isInteger(priority)) {
      throw parseFailure(file, number, line, 'expected "Filename Type Size Used Priority"');
    }
    devices.push({
      device: unescapeOctal(fields[0]!),
      type: fields[1]!,
      sizeBytes: size * 1024,
      usedBytes: used * 1024,
      priority,
    });
  }
  return devices;
}
