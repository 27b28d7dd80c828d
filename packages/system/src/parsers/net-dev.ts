import { LineWords, lineEnd, parseFailure, trimBlanks } from './parse-support.js';

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

const words = new LineWords();

/**
 * Parses /proc/net/dev (two header lines, then `name: 16 numbers`). The name is everything
 * before the last colon, trimmed, so names with spaces parse; old kernels that write no space
 * after the colon (`eth0:123`) parse too. Interfaces `accept` turns down are skipped before
 * their counters are read. Throws a ParseError naming a malformed line.
 */
export function parseNetDev(
  text: string,
  file = '/proc/net/dev',
  accept?: (device: string) => boolean,
): InterfaceStats[] {
  const interfaces: InterfaceStats[] = [];
  let number = 0;
  for (let start = 0; start < text.length; ) {
    const end = lineEnd(text, start);
    number++;
    const lineStart = start;
    start = end + 1;
    const colon = text.lastIndexOf(':', end - 1);
    const count = colon < lineStart ? 0 : words.scan(text, colon + 1, end);
    const device = count === 0 ? '' : trimBlanks(text.slice(lineStart, colon));
    if (device === '' || count !== NET_DEV_COLUMNS || !allUnsigned()) {
      // Not an interface line: the two header lines (they hold "|") and blank lines are skipped.
      const line = text.slice(lineStart, end);
      if (line.includes('|') || trimBlanks(line) === '') continue;
      const why =
        device !== '' && count === NET_DEV_COLUMNS
          ? `counter ${firstNonNumber() + 1} is not a number`
          : `expected "name:" and ${NET_DEV_COLUMNS} counters`;
      throw parseFailure(file, number, line, why);
    }
    if (accept !== undefined && !accept(device)) continue;
    const counters = new Array<number>(NET_DEV_COLUMNS);
    for (let i = 0; i < NET_DEV_COLUMNS; i++) counters[i] = words.unsigned(i);
    interfaces.push({ device, counters });
  }
  return interfaces;
}

function firstNonNumber(): number {
  for (let i = 0; i < NET_DEV_COLUMNS; i++) if (!words.isUnsigned(i)) return i;
  return -1;
}

function allUnsigned(): boolean {
  return firstNonNumber() < 0;
}
