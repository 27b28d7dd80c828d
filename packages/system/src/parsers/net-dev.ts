import { parseFailure, splitLines, unsignedField } from './parse-support.js';

/** Counters of one network interface since it came up, from /proc/net/dev. */
export interface InterfaceStats {
  /** Interface name (`eth0`, `lo`). */
  readonly device: string;
  /**
   * The 16 columns in file order: receive bytes, packets, errs, drop, fifo, frame, compressed,
   * multicast; transmit bytes, packets, errs, drop, fifo, colls, carrier, compressed. The same
   * order as `NETWORK_COUNTERS` in names.ts.
   */
  readonly counters: readonly number[];
}

/** Columns per interface line. */
export const NET_DEV_COLUMNS = 16;

/**
 * Parses /proc/net/dev (two header lines, then `name: 16 numbers`). The name is everything
 * before the last colon, trimmed, so names with spaces parse; old kernels that write no space
 * after the colon (`eth0:123`) parse too. Throws a ParseError naming a malformed line.
 */
export function parseNetDev(text: string, file = '/proc/net/dev'): InterfaceStats[] {
  const interfaces: InterfaceStats[] = [];
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const number = index + 1;
    if (line.includes('|')) continue; // the two header lines
    const colon = line.lastIndexOf(':');
    const device = colon < 0 ? '' : line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (device === '' || fields.length !== NET_DEV_COLUMNS) {
      throw parseFailure(file, number, line, `expected "name:" and ${NET_DEV_COLUMNS} counters`);
    }
    const counters = new Array<number>(NET_DEV_COLUMNS);
    for (let i = 0; i < NET_DEV_COLUMNS; i++) {
      const value = unsignedField(fields[i]);
      if (value === undefined) throw parseFailure(file, number, line, `counter ${i + 1} is not a number`);
      counters[i] = value;
    }
    interfaces.push({ device, counters });
  }
  return interfaces;
}
