import { parseFailure, splitLines, unsignedField } from './parse-support.js';

/**
 * I/O statistics of one block device since boot, from /proc/diskstats (the kernel's
 * Documentation/admin-guide/iostats.rst). Sectors are 512 bytes whatever the device's own sector
 * size; times are milliseconds. Fields the kernel does not write (before 4.18 / 5.5) are absent.
 */
export interface DiskStats {
  readonly major: number;
  readonly minor: number;
  /** Device name (`vda`, `nvme0n1`, `sda1`). */
  readonly device: string;
  readonly readsCompleted: number;
  readonly readsMerged: number;
  readonly sectorsRead: number;
  readonly readTimeMs: number;
  readonly writesCompleted: number;
  readonly writesMerged: number;
  readonly sectorsWritten: number;
  readonly writeTimeMs: number;
  /** I/Os in flight now (a level, not a counter). */
  readonly ioInProgress: number;
  /** Milliseconds the device had I/O in flight. */
  readonly ioTimeMs: number;
  /** Milliseconds of I/O time weighted by the number in flight. */
  readonly weightedIoTimeMs: number;
  readonly discardsCompleted?: number;
  readonly discardsMerged?: number;
  readonly sectorsDiscarded?: number;
  readonly discardTimeMs?: number;
  readonly flushRequests?: number;
  readonly flushTimeMs?: number;
}

/** Numbers of statistics after the device name: kernel < 4.18, < 5.5, >= 5.5. */
const STAT_COUNTS = [17, 15, 11] as const;

/**
 * Parses /proc/diskstats. A device name is whatever stands between the minor number and the
 * statistics, so a name with spaces (which the kernel never writes but other sources might)
 * still parses. Throws a ParseError naming a line whose statistics are not numbers.
 */
export function parseDiskstats(text: string, file = '/proc/diskstats'): DiskStats[] {
  const disks: DiskStats[] = [];
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const number = index + 1;
    const fields = line.trim().split(/\s+/);
    const major = unsignedField(fields[0]);
    const minor = unsignedField(fields[1]);
    const numeric = trailingNumbers(fields);
    const count = STAT_COUNTS.find((candidate) => numeric >= candidate && fields.length - candidate >= 3);
    if (major === undefined || minor === undefined || count === undefined) {
      throw parseFailure(file, number, line, 'expected "major minor name" and 11, 15 or 17 statistics');
    }
    const first = fields.length - count;
    const stat = (index: number) => Number(fields[first + index]);
    const disk: DiskStats = {
      major,
      minor,
      device: fields.slice(2, first).join(' '),
      readsCompleted: stat(0),
      readsMerged: stat(1),
      sectorsRead: stat(2),
      readTimeMs: stat(3),
      writesCompleted: stat(4),
      writesMerged: stat(5),
      sectorsWritten: stat(6),
      writeTimeMs: stat(7),
      ioInProgress: stat(8),
      ioTimeMs: stat(9),
      weightedIoTimeMs: stat(10),
      ...(count >= 15
        ? {
            discardsCompleted: stat(11),
            discardsMerged: stat(12),
            sectorsDiscarded: stat(13),
            discardTimeMs: stat(14),
          }
        : {}),
      ...(count >= 17 ? { flushRequests: stat(15), flushTimeMs: stat(16) } : {}),
    };
    disks.push(disk);
  }
  return disks;
}

/** How many fields at the end of the line are unsigned integers. */
function trailingNumbers(fields: string[]): number {
  let count = 0;
  for (let i = fields.length - 1; i >= 0 && unsignedField(fields[i]) !== undefined; i--) count++;
  return count;
}
